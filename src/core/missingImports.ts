// Missing imports: the edit just typed uses a name the file neither declares nor imports, and
// other files of the workspace import it. The next edit is the import line, written the way those
// files write it (default, namespace, named, require), with the module path made relative to
// this file, in this file's quotes and semicolons, after this file's last import.

import { isKeyword, type SourceText } from './codeTokens';
import type { StopCheck } from './deadline';
import type { CandidateOutcome, CandidateRequest, CandidateSource } from './engine';
import { hashEdits } from './hash';
import { LexedDocuments } from './lexedDocuments';
import { logicalEdit } from './logicalEdit';
import type { ImportInfo, WorkspaceIndex } from './ports';
import { escapeRegExp, splitLines } from './text';
import type { ScoredEdit, Suggestion } from './types';

/** Names of the newest edit that are checked, at most. */
export const MAX_CHECKED_NAMES = 8;
/** Files that mention a name whose imports are read, at most. */
export const MAX_IMPORTING_FILES = 24;
/** Two files or more import the name this way. */
export const AGREED_IMPORT_SCORE = 0.62;
/** One file does. */
export const SINGLE_IMPORT_SCORE = 0.56;
/** The top of a file searched for its imports, in lines. */
export const MAX_HEADER_LINES = 200;

const SCRIPT_PATH = /\.(?:[cm]?[jt]sx?)$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** A line that is (part of) an import statement. */
const IMPORT_LINE = /^\s*import[\s{*]|\brequire\(\s*['"]|^\s*\}?\s*from\s*['"]/;

export interface MissingImportOptions {
  readonly readText: (path: string) => string | undefined;
  readonly index?: WorkspaceIndex;
  /** Lexed documents, shared with the propagation engine, which lexes the same edited file. */
  readonly documents?: LexedDocuments;
}

/** One import statement, parsed enough to rewrite it for one of its names. */
interface ImportForm {
  readonly kind: 'default' | 'namespace' | 'named' | 'require' | 'require-named';
  /** `const`, `let` or `var` for requires. */
  readonly declaration: string;
  readonly module: string;
  /** `{ a }` rather than `{a}`. */
  readonly spacedBraces: boolean;
}

export class MissingImportPredictor implements CandidateSource {
  private readonly readText: (path: string) => string | undefined;
  private readonly index: WorkspaceIndex | undefined;
  private readonly documents: LexedDocuments;

  constructor(options: MissingImportOptions) {
    if (typeof options?.readText !== 'function') throw new TypeError('readText must be a function');
    this.readText = options.readText;
    this.index = options.index;
    this.documents = options.documents ?? new LexedDocuments();
  }

  propose(request: CandidateRequest, signal: StopCheck): CandidateOutcome {
    const index = this.index;
    const edit = logicalEdit(request.history);
    if (!index || !edit || !SCRIPT_PATH.test(edit.path) || signal.aborted) return { suggestions: [] };
    const text = this.readText(edit.path);
    if (text === undefined) return { suggestions: [] };
    const document = this.documents.get(edit.path, text);
    const header = importHeader(document);
    if (!header) return { suggestions: [] };
    const insertedStart = document.offsetAt(edit.range.start);
    const insertedEnd = insertedStart + edit.insertedText.length;
    if (text.slice(insertedStart, insertedEnd) !== edit.insertedText) return { suggestions: [] };
    const suggestions: Suggestion[] = [];
    for (const name of usedNames(document, insertedStart, insertedEnd).slice(0, MAX_CHECKED_NAMES)) {
      if (signal.aborted) break;
      // Declared, imported or used elsewhere in the file: a global, a local, or already imported.
      if (document.tokens.some((token) => token.text === name && (token.end <= insertedStart || token.start >= insertedEnd))) continue;
      const found = this.importedElsewhere(name, edit.path, index);
      if (!found) continue;
      const { form, agreeing } = found;
      const target = withoutExtension(resolveModule(edit.path, form.module));
      // The name lives in this very file (a local the edit declares, imported from here elsewhere),
      // or the file already imports that module: adding to that import is not this suggestion.
      if (target === withoutExtension(edit.path)) continue;
      if (index.imports(edit.path).some((existing) => withoutExtension(resolveModule(edit.path, existing.module)) === target)) continue;
      const score = agreeing >= 2 ? AGREED_IMPORT_SCORE : SINGLE_IMPORT_SCORE;
      const position = { line: importLine(header, form.module), character: 0 };
      const statement = `${writeImport(name, form, header)}${document.eol}`;
      const edits: ScoredEdit[] = [{ path: edit.path, range: { start: position, end: position }, text: statement, score, source: 'propagation' }];
      suggestions.push({
        id: `propagation-import-${hashEdits(edits)}`,
        edits,
        score,
        source: 'propagation',
        explanation: {
          followsFrom: edit.newest,
          pattern: `import \`${name}\`: the edit uses it, this file does not import it, ${agreeing} other file${agreeing === 1 ? '' : 's'} import${agreeing === 1 ? 's' : ''} it so`,
          snippets: [],
          confidence: score,
          stageTimingsMs: {},
        },
      });
    }
    return { suggestions };
  }

  /** How the workspace's other files import `name`, rewritten for `path`: the most common form. */
  private importedElsewhere(name: string, path: string, index: WorkspaceIndex): { form: ImportForm; agreeing: number } | undefined {
    const votes = new Map<string, { form: ImportForm; agreeing: number }>();
    const files = [...new Set(index.occurrences(name, 4 * MAX_IMPORTING_FILES).map((occurrence) => occurrence.path))].filter((file) => file !== path);
    for (const file of files.slice(0, MAX_IMPORTING_FILES)) {
      for (const info of index.imports(file)) {
        if (!info.names.includes(name)) continue;
        const form = this.formOf(info, name);
        if (!form) continue;
        const relocated = { ...form, module: relocate(form.module, file, path) };
        const key = JSON.stringify(relocated);
        const vote = votes.get(key) ?? { form: relocated, agreeing: 0 };
        votes.set(key, { ...vote, agreeing: vote.agreeing + 1 });
      }
    }
    return [...votes.values()].sort((a, b) => b.agreeing - a.agreeing)[0];
  }

  /** The statement on the import's line, when it is a whole one-line import of `name`. */
  private formOf(info: ImportInfo, name: string): ImportForm | undefined {
    // The index's line is a tree-sitter row: rows end at '\n' only.
    const line = this.readText(info.path)?.split(/\r?\n/)[info.line];
    return line === undefined ? undefined : parseImport(line, name, info.module);
  }
}

/** Identifiers in the inserted text that are not property names (`a.name`, `{ name: 1 }`). */
function usedNames(document: SourceText, start: number, end: number): string[] {
  const names: string[] = [];
  const tokens = document.tokens;
  tokens.forEach((token, position) => {
    if (token.kind !== 'identifier' || token.start < start || token.end > end || isKeyword(token.text)) return;
    // The edit is itself an import (`import {x} from './x'` typed by hand): nothing is missing.
    const line = document.lineOf(token.start);
    if (IMPORT_LINE.test(document.text.slice(document.lineStart(line), document.lineEnd(line)))) return;
    const before = tokens[position - 1]?.text;
    if (before === '.' || before === '?.' || tokens[position + 1]?.text === ':') return;
    if (!names.includes(token.text)) names.push(token.text);
  });
  return names;
}

/** The file's imports and how they are written; none when the file has no imports. */
interface ImportHeader {
  readonly statements: readonly { readonly startLine: number; readonly endLine: number; readonly module: string }[];
  readonly quote: string;
  readonly semicolon: boolean;
}

function importHeader(document: SourceText): ImportHeader | undefined {
  // VS Code's lines, as the suggested position is.
  const lines = splitLines(document.text).slice(0, MAX_HEADER_LINES);
  const statements: { startLine: number; endLine: number; module: string }[] = [];
  let startLine: number | undefined;
  let lastText = '';
  for (const [number, line] of lines.entries()) {
    const starts = /^(?:import[\s{*]|(?:const|let|var)\s[^=]*(?:=\s*require\(|\{\s*$))/.test(line);
    const module = /(?:\bfrom\s*|require\(\s*|^import\s*)(['"])([^'"]+)\1/.exec(line)?.[2];
    // A statement over several lines (`import {`, names, `} from './x'`) ends on its `from` line.
    if (starts || startLine !== undefined) {
      startLine ??= number;
      if (module !== undefined) {
        statements.push({ startLine, endLine: number, module });
        lastText = line;
        startLine = undefined;
      }
    } else if (statements.length > 0 && line.trim() !== '' && !/^\s*(?:\/\/|\/\*|\*)/.test(line)) break;
  }
  if (statements.length === 0) return undefined;
  const quote = /(['"])[^'"]*\1/.exec(lastText)?.[1] ?? "'";
  return { statements, quote, semicolon: lastText.trimEnd().endsWith(';') };
}

/**
 * The line a new import of `module` goes on. A file that keeps its imports in groups (packages,
 * parent paths, siblings, the groups in any order) gets it at the end of its group; any other file
 * after its last import. That is where the benchmark's real changes put them: people append, even
 * to a sorted list (sorting into place matched none of its cases and missed one).
 */
export function importLine(header: Pick<ImportHeader, 'statements'>, module: string): number {
  const group = (specifier: string): number => (specifier.startsWith('../') ? 1 : specifier.startsWith('./') ? 2 : 0);
  const { statements } = header;
  const groups = statements.map((statement) => group(statement.module));
  // Grouped: once a group ends, it does not come back.
  const grouped = groups.every((kind, position) => position === 0 || kind === groups[position - 1] || !groups.slice(0, position - 1).includes(kind));
  const same = statements.filter((statement) => group(statement.module) === group(module));
  const anchor = grouped && same.length > 0 ? same[same.length - 1]! : statements[statements.length - 1]!;
  return anchor.endLine + 1;
}

/** The import statement on `line`, if it imports `name` from `module` in one of the known forms. */
export function parseImport(line: string, importedName: string, module: string): ImportForm | undefined {
  const source = `(?<quote>['"])${escapeRegExp(module)}\\k<quote>`;
  const name = escapeRegExp(importedName);
  const spacedBraces = /\{\s/.test(line);
  if (new RegExp(`^import\\s+${name}\\s+from\\s+${source}`).test(line)) return { kind: 'default', declaration: '', module, spacedBraces };
  if (new RegExp(`^import\\s+\\*\\s+as\\s+${name}\\s+from\\s+${source}`).test(line)) return { kind: 'namespace', declaration: '', module, spacedBraces };
  if (new RegExp(`^import\\s+\\{[^}]*\\b${name}\\b[^}]*\\}\\s+from\\s+${source}`).test(line) && !new RegExp(`\\bas\\s+${name}\\b|\\b${name}\\s+as\\b`).test(line)) {
    return { kind: 'named', declaration: '', module, spacedBraces };
  }
  const required = new RegExp(`^(const|let|var)\\s+${name}\\s*=\\s*require\\(${source}\\)`).exec(line);
  if (required) return { kind: 'require', declaration: required[1]!, module, spacedBraces };
  const destructured = new RegExp(`^(const|let|var)\\s+\\{[^}]*\\b${name}\\b[^}]*\\}\\s*=\\s*require\\(${source}\\)`).exec(line);
  if (destructured && !new RegExp(`\\b${name}\\s*:|:\\s*${name}\\b`).test(line)) return { kind: 'require-named', declaration: destructured[1]!, module, spacedBraces };
  return undefined;
}

/** The statement that imports `name` in `form`, in the header's quotes and semicolons. */
export function writeImport(name: string, form: ImportForm, header: Pick<ImportHeader, 'quote' | 'semicolon'>): string {
  if (!IDENTIFIER.test(name)) throw new TypeError(`not an identifier: ${name}`);
  const source = `${header.quote}${form.module}${header.quote}`;
  const braces = form.spacedBraces ? `{ ${name} }` : `{${name}}`;
  const statement = {
    default: `import ${name} from ${source}`,
    namespace: `import * as ${name} from ${source}`,
    named: `import ${braces} from ${source}`,
    require: `${form.declaration} ${name} = require(${source})`,
    'require-named': `${form.declaration} ${braces} = require(${source})`,
  }[form.kind];
  return header.semicolon ? `${statement};` : statement;
}

/** A relative module specifier written in `from`, as `to` would write it; packages stay as they are. */
export function relocate(module: string, from: string, to: string): string {
  if (!module.startsWith('./') && !module.startsWith('../')) return module;
  const target = resolveModule(from, module);
  const base = directoryParts(to);
  const parts = target.split('/');
  let common = 0;
  while (common < base.length && common < parts.length - 1 && base[common] === parts[common]) common++;
  const up = base.length - common;
  const rest = parts.slice(common).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}

/** A module specifier as a workspace path (without resolving extensions); packages as written. */
function resolveModule(from: string, module: string): string {
  if (!module.startsWith('./') && !module.startsWith('../')) return module;
  const parts = directoryParts(from);
  for (const part of module.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}

function withoutExtension(path: string): string {
  return path.replace(/\.[^./]+$/, '');
}

function directoryParts(path: string): string[] {
  return path.split('/').slice(0, -1).filter((part) => part !== '');
}
