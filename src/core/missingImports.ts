// Missing imports: the edit just typed uses a name the file neither declares nor imports. When
// other files of the workspace import it, the next edit is the import line written the way they
// write it (default, namespace, named, require); when none does yet but exactly one file exports
// it, an import from that file. The module path is made relative to this file, in this file's
// quotes, semicolons and extensions; the line goes with this file's imports, or, when this file
// already imports from that module, the name joins that import.

import { isKeyword, type SourceText } from './codeTokens';
import type { StopCheck } from './deadline';
import type { CandidateOutcome, CandidateRequest, CandidateSource } from './engine';
import { hashEdits } from './hash';
import { exportOf, importAddition, importHeader, importLine, moduleTarget, parseImport, relocate, specifierFor, withoutExtension, writeImport, type ImportForm, type ImportHeader, type Insertion } from './importStatements';
import { LexedDocuments } from './lexedDocuments';
import { logicalEdit } from './logicalEdit';
import type { ImportInfo, WorkspaceIndex } from './ports';
import type { ScoredEdit, Suggestion } from './types';

/** Names of the newest edit that are checked, at most. */
export const MAX_CHECKED_NAMES = 8;
/** Files that mention a name whose imports are read, at most. */
export const MAX_IMPORTING_FILES = 24;
/** Two files or more import the name this way. */
export const AGREED_IMPORT_SCORE = 0.62;
/** One file does. */
export const SINGLE_IMPORT_SCORE = 0.56;
/** No file imports it yet, one file exports it. */
export const EXPORTED_SCORE = 0.53;
/** Definitions of a name whose files are read for an export, at most. */
export const MAX_EXPORTING_FILES = 8;

const SCRIPT_PATH = /\.(?:[cm]?[jt]sx?)$/;
/** A line that is (part of) an import statement. */
const IMPORT_LINE = /^\s*import[\s{*]|\brequire\(\s*['"]|^\s*\}?\s*from\s*['"]/;

export interface MissingImportOptions {
  readonly readText: (path: string) => string | undefined;
  readonly index?: WorkspaceIndex;
  /** Lexed documents, shared with the propagation engine, which lexes the same edited file. */
  readonly documents?: LexedDocuments;
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
    const header = importHeader(document.text);
    const insertedStart = document.offsetAt(edit.range.start);
    const insertedEnd = insertedStart + edit.insertedText.length;
    if (text.slice(insertedStart, insertedEnd) !== edit.insertedText) return { suggestions: [] };
    const suggestions: Suggestion[] = [];
    for (const name of usedNames(document, insertedStart, insertedEnd).slice(0, MAX_CHECKED_NAMES)) {
      if (signal.aborted) break;
      // Declared, imported or used elsewhere in the file: a global, a local, or already imported.
      if (document.tokens.some((token) => token.text === name && (token.end <= insertedStart || token.start >= insertedEnd))) continue;
      const found = this.importedElsewhere(name, edit.path, index) ?? this.exportedElsewhere(name, edit.path, index, header);
      if (!found) continue;
      const { form, agreeing } = found;
      // The name lives in this very file (a local the edit declares, imported from here elsewhere).
      if (moduleTarget(edit.path, form.module) === withoutExtension(edit.path)) continue;
      const insertion = this.insertionFor(name, form, header, edit.path, index, document.eol);
      if (!insertion) continue;
      const score = agreeing >= 2 ? AGREED_IMPORT_SCORE : agreeing === 1 ? SINGLE_IMPORT_SCORE : EXPORTED_SCORE;
      const edits: ScoredEdit[] = [{ path: edit.path, range: { start: insertion.position, end: insertion.position }, text: insertion.text, score, source: 'propagation' }];
      const how = insertion.addsToExisting ? `add \`${name}\` to this file's import from '${form.module}'` : `import \`${name}\``;
      suggestions.push({
        id: `propagation-import-${hashEdits(edits)}`,
        edits,
        score,
        source: 'propagation',
        explanation: {
          followsFrom: edit.newest,
          pattern: `${how}: the edit uses it, this file does not import it, ${agreeing === 0 ? `'${form.module}' exports it` : `${agreeing} other file${agreeing === 1 ? '' : 's'} import${agreeing === 1 ? 's' : ''} it so`}`,
          snippets: [],
          confidence: score,
          stageTimingsMs: {},
        },
      });
    }
    return { suggestions };
  }

  /**
   * Where and what to write: the name added to this file's import of its module, when there is
   * one that can take it, else a new import line. Undefined when this file imports the module in
   * a way that cannot take the name (a namespace, a type-only import, a plain require): the user
   * may mean that import, and a second one would be wrong.
   */
  private insertionFor(
    name: string,
    form: ImportForm,
    header: ImportHeader,
    path: string,
    index: WorkspaceIndex,
    eol: string,
  ): (Insertion & { readonly addsToExisting: boolean }) | undefined {
    const target = moduleTarget(path, form.module);
    const existing = header.statements.filter((statement) => moduleTarget(path, statement.module) === target);
    if (existing.length > 0) {
      // Only a named export goes between braces; a default one would need its own name.
      if (form.kind !== 'named' && form.kind !== 'require-named') return undefined;
      for (const statement of existing) {
        const addition = importAddition(header.lines, statement, name, form.spacedBraces);
        if (addition) return { ...addition, addsToExisting: true };
      }
      return undefined;
    }
    // Imported further down than the header reaches: leave it to the user.
    if (index.imports(path).some((imported) => moduleTarget(path, imported.module) === target)) return undefined;
    const line = importLine(header, form.module);
    // A file's first import is set apart from the code after it by a blank line.
    const apart = header.statements.length === 0 && (header.lines[line] ?? '').trim() !== '' ? eol : '';
    return { position: { line, character: 0 }, text: `${writeImport(name, form, header)}${eol}${apart}`, addsToExisting: false };
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

  /**
   * A name no file imports yet, exported by exactly one file: imported from there, in this file's
   * style. Only into an ES module (a file of requires would need CommonJS exports), and
   * never when two files export the name: which one the user means is theirs to say.
   */
  private exportedElsewhere(name: string, path: string, index: WorkspaceIndex, header: ImportHeader): { form: ImportForm; agreeing: number } | undefined {
    if (header.statements.some((statement) => !/^\s*import\b/.test(header.lines[statement.startLine] ?? ''))) return undefined;
    // No imports to go by: an ES module only when its name or its exports say so.
    if (header.statements.length === 0 && !/\.(?:tsx?|mts|mjs)$/.test(path) && !header.lines.some((line) => /^export\s/.test(line))) return undefined;
    const files = [...new Set(index.definitions(name).map((definition) => definition.path))].filter((file) => file !== path && SCRIPT_PATH.test(file));
    const exporting = files.slice(0, MAX_EXPORTING_FILES).flatMap((file) => {
      const kind = exportOf(this.readText(file) ?? '', name);
      return kind ? [{ file, kind }] : [];
    });
    if (exporting.length !== 1) return undefined;
    const { file, kind } = exporting[0]!;
    const spacedBraces = !header.lines.some((line) => /^\s*import\b.*\{[^\s}]/.test(line));
    const form: ImportForm = { kind: kind === 'default' ? 'default' : 'named', declaration: '', module: specifierFor(path, file, header), spacedBraces };
    return { form, agreeing: 0 };
  }

  /** The statement on the import's line, when it is a whole one-line import of `name`. */
  private formOf(info: ImportInfo, name: string): ImportForm | undefined {
    // The index's line is a tree-sitter row: rows end at '\n' only.
    const line = this.readText(info.path)?.split(/\r?\n/)[info.line];
    return line === undefined ? undefined : parseImport(line, name, info.module);
  }
}

/**
 * Identifiers the inserted text wrote or changed, not property names (`a.name`, `{ name: 1 }`):
 * an edit of part of a name (`arrRemove` into `arrInsert` records `Remove` -> `Insert`) uses the
 * whole new name.
 */
function usedNames(document: SourceText, start: number, end: number): string[] {
  const names: string[] = [];
  const tokens = document.tokens;
  tokens.forEach((token, position) => {
    if (token.kind !== 'identifier' || token.end <= start || token.start >= end || isKeyword(token.text)) return;
    // The edit is itself an import (`import {x} from './x'` typed by hand): nothing is missing.
    const line = document.lineOf(token.start);
    if (IMPORT_LINE.test(document.text.slice(document.lineStart(line), document.lineEnd(line)))) return;
    const before = tokens[position - 1]?.text;
    if (before === '.' || before === '?.' || tokens[position + 1]?.text === ':') return;
    if (!names.includes(token.text)) names.push(token.text);
  });
  return names;
}
