// Import statements as text: reading how a file imports a name, writing one in another file's
// style, finding where a new one goes, and adding a name to one that is already there. The missing
// import predictor's vocabulary; no knowledge of the workspace or the engine.

import { listAdditions, positionIn, type Insertion } from './importLists';
import { escapeRegExp, leadingLines } from './text';

/** The top of a file searched for its imports, in lines. */
export const MAX_HEADER_LINES = 200;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** One import statement, parsed enough to rewrite it for one of its names. */
export interface ImportForm {
  readonly kind: 'default' | 'namespace' | 'named' | 'require' | 'require-named';
  /** `const`, `let` or `var` for requires. */
  readonly declaration: string;
  readonly module: string;
  /** `{ a }` rather than `{a}`. */
  readonly spacedBraces: boolean;
}

/** An import statement of a file's header, by its lines (VS Code's). */
export interface ImportStatement {
  readonly startLine: number;
  readonly endLine: number;
  readonly module: string;
}

/** The file's imports and how they are written. */
export interface ImportHeader {
  /** The header's lines, as VS Code splits them, up to MAX_HEADER_LINES. */
  readonly lines: readonly string[];
  /** In file order; none in a file without imports. */
  readonly statements: readonly ImportStatement[];
  readonly quote: string;
  readonly semicolon: boolean;
  /**
   * Where the first import goes in a file without any: after a shebang, the file's opening comments
   * and directives ('use strict') when a blank line ends them, else at the very top (a comment
   * right above the code is the code's).
   */
  readonly firstLine: number;
}

/** The imports at the top of `text`, and how they are written or, in a file without any, would be. */
export function importHeader(text: string): ImportHeader {
  const lines = leadingLines(text, MAX_HEADER_LINES);
  const statements: ImportStatement[] = [];
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
  if (statements.length > 0) {
    const quote = /(['"])[^'"]*\1/.exec(lastText)?.[1] ?? "'";
    return { lines, statements, quote, semicolon: lastText.trimEnd().endsWith(';'), firstLine: statements[0]!.startLine };
  }
  return { lines, statements, ...styleOf(lines), firstLine: preambleEnd(lines) };
}

/** The quotes and semicolons most of `lines` use. */
function styleOf(lines: readonly string[]): { quote: string; semicolon: boolean } {
  const count = (pattern: RegExp): number => lines.reduce((total, line) => total + (line.match(pattern)?.length ?? 0), 0);
  const semicolons = lines.filter((line) => /;\s*$/.test(line)).length;
  // Lines that end a statement without one: a name, a call, an index, a string.
  const bare = lines.filter((line) => /[\w$)\]'"`]\s*$/.test(line) && !/^\s*(?:\/\/|\*|\/\*)/.test(line)).length;
  return { quote: count(/"[^"\n]*"/g) > count(/'[^'\n]*'/g) ? '"' : "'", semicolon: semicolons >= bare };
}

/** The line after a file's opening shebang, comments and directives, when a blank line ends them. */
function preambleEnd(lines: readonly string[]): number {
  let end = lines[0]?.startsWith('#!') ? 1 : 0;
  let inComment = false;
  for (const [number, line] of lines.entries()) {
    if (number === 0 && line.startsWith('#!')) continue;
    const trimmed = line.trim();
    if (inComment) {
      inComment = !trimmed.includes('*/');
      continue;
    }
    if (trimmed === '') {
      end = number + 1;
      continue;
    }
    if (trimmed.startsWith('/*')) {
      inComment = !trimmed.includes('*/');
      continue;
    }
    if (trimmed.startsWith('//') || /^(['"])use [\w ]+\1;?$/.test(trimmed)) {
      // A directive needs no blank line after it to stay first.
      if (!trimmed.startsWith('//')) end = number + 1;
      continue;
    }
    break;
  }
  // A file of nothing but blank lines and comments: its last line, which the text can be put at.
  return Math.min(end, lines.length - 1);
}

/**
 * The line a new import of `module` goes on. A file that keeps its imports in groups (packages,
 * parent paths, siblings, the groups in any order) gets it at the end of its group; any other file
 * after its last import. That is where the benchmark's real changes put them: people append, even
 * to a sorted list (sorting into place matched none of its cases and missed one).
 */
export function importLine(header: Pick<ImportHeader, 'statements' | 'firstLine'>, module: string, groupOf: (module: string) => number): number {
  const { statements } = header;
  if (statements.length === 0) return header.firstLine;
  const groups = statements.map((statement) => groupOf(statement.module));
  // Grouped: once a group ends, it does not come back.
  const grouped = groups.every((kind, position) => position === 0 || kind === groups[position - 1] || !groups.slice(0, position - 1).includes(kind));
  const same = statements.filter((statement) => groupOf(statement.module) === groupOf(module));
  const anchor = grouped && same.length > 0 ? same[same.length - 1]! : statements[statements.length - 1]!;
  return anchor.endLine + 1;
}

/** Packages, parent paths, siblings. */
export function scriptGroup(module: string): number {
  return module.startsWith('../') ? 1 : module.startsWith('./') ? 2 : 0;
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

/** Whether imports of this form can bring in several names in one statement (between braces). */
export function joinsNames(form: ImportForm): boolean {
  return form.kind === 'named' || form.kind === 'require-named';
}

/**
 * The statement that imports `names` in `form`, in the header's quotes and semicolons; several
 * names only where the form joins them.
 */
export function writeImport(names: readonly string[], form: ImportForm, header: Pick<ImportHeader, 'quote' | 'semicolon'>): string {
  const bad = names.find((name) => !IDENTIFIER.test(name));
  if (bad !== undefined || names.length === 0) throw new TypeError(`not an identifier: ${bad}`);
  if (names.length > 1 && !joinsNames(form)) throw new TypeError(`a ${form.kind} import takes one name`);
  const name = names.join(', ');
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

/**
 * Adds the named exports `names` to `statement`, an import of the module they come from: into its
 * braces (`import {a} from`, `const {a} = require(`), in sorted place when the names there are
 * sorted, else after the last; or as braces after a default import (`import a, {name} from`).
 * Undefined for statements that cannot take them: type-only imports, namespaces, plain requires.
 * `spacedBraces` writes new braces as `{ name }`.
 */
export function importAddition(lines: readonly string[], statement: ImportStatement, names: readonly string[], spacedBraces: boolean): Insertion[] | undefined {
  const bad = names.find((name) => !IDENTIFIER.test(name));
  if (bad !== undefined) throw new TypeError(`not an identifier: ${bad}`);
  const text = statementText(lines, statement);
  const open = text.indexOf('{');
  const close = open < 0 ? -1 : text.indexOf('}', open);
  if (open < 0 || close < 0) {
    const defaultOnly = /^(\s*import\s+[A-Za-z_$][\w$]*)\s+from\b/.exec(text);
    if (!defaultOnly) return undefined;
    const listed = names.join(', ');
    return [{ position: positionIn(text, statement.startLine, defaultOnly[1]!.length), text: spacedBraces ? `, { ${listed} }` : `, {${listed}}` }];
  }
  const opening = text.slice(0, open);
  if (!/^\s*import\s+(?:[A-Za-z_$][\w$]*\s*,\s*)?$/.test(opening) && !/^\s*(?:const|let|var)\s+$/.test(opening)) return undefined;
  return listAdditions(text, statement.startLine, open + 1, close, names);
}

/**
 * How `text`, a module's source, exports `name`: `export function name`, `export const name`,
 * `export { name }` and the like (named), or `export default function name` (default).
 */
export function exportOf(text: string, name: string): 'named' | 'default' | undefined {
  const word = escapeRegExp(name);
  const declaration = new RegExp(
    `^[ \\t]*export[ \\t]+(default[ \\t]+)?(?:declare[ \\t]+)?(?:async[ \\t]+)?(?:abstract[ \\t]+)?(?:function\\*?|class|const|let|var|interface|type|enum)[ \\t]+${word}\\b`,
    'm',
  ).exec(text);
  if (declaration) return declaration[1] ? 'default' : 'named';
  // A list without `from`: a re-export of another module's name is that module's to import.
  const list = new RegExp(`^[ \\t]*export[ \\t]*\\{([^}]*)\\}[ \\t]*(?!from\\b)(?:;|$)`, 'gm');
  for (const match of text.matchAll(list)) {
    if (match[1]!.split(',').some((member) => member.trim().split(/\s+as\s+/).pop() === name)) return 'named';
  }
  return undefined;
}

/**
 * The specifier by which `from` imports the file `to`, written as `header`'s relative imports
 * are: with the extension they carry (`.js` for a TypeScript file, as ES modules compiled from
 * TypeScript write it), or without one. A file with no relative imports to go by gets none in
 * TypeScript and its own in JavaScript, where Node's ES modules need it.
 */
export function specifierFor(from: string, to: string, header: Pick<ImportHeader, 'statements'>): string {
  const relative = header.statements.map((statement) => statement.module).filter((module) => module.startsWith('./') || module.startsWith('../'));
  const extension = /\.[cm]?[jt]sx?$/.exec(to)?.[0] ?? '';
  const written = relative.find((module) => /\.[cm]?[jt]sx?$/.test(module));
  const withExtension = relative.length > 0 ? written !== undefined : /\.[cm]?jsx?$/.test(from);
  let target: string;
  if (!withExtension) target = withoutExtension(to).replace(/\/index$/, '');
  else if (written !== undefined && /\.[cm]?jsx?$/.test(written) && /^\.[cm]?tsx?$/.test(extension)) target = `${withoutExtension(to)}${extension.replace('ts', 'js').replace(/x$/, '')}`;
  else target = to;
  return relocate(`./${target}`, 'workspace-root', from);
}

/** A relative module specifier written in `from`, as `to` would write it; packages stay as they are. */
export function relocate(module: string, from: string, to: string): string {
  if (!module.startsWith('./') && !module.startsWith('../')) return module;
  const target = resolveModule(from, module);
  const base = directoryParts(to);
  const parts = target.split('/');
  // The file's own name is never a directory the two share.
  const common = sharedPrefixLength(base, parts.slice(0, -1));
  const up = base.length - common;
  const rest = parts.slice(common).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}

/** The file or package `module` names from `from`, extensions aside: equal for the same module. */
export function moduleTarget(from: string, module: string): string {
  return withoutExtension(resolveModule(from, module));
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

/** `path` without its extension. */
export function withoutExtension(path: string): string {
  return path.replace(/\.[^./]+$/, '');
}

/** A statement's lines as one text, joined by '\n' (positions in it map back by positionIn). */
export function statementText(lines: readonly string[], statement: ImportStatement): string {
  return lines.slice(statement.startLine, statement.endLine + 1).join('\n');
}

/** How many leading parts `a` and `b` have in common. */
export function sharedPrefixLength(a: readonly string[], b: readonly string[]): number {
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return common;
}

/** The directories of a workspace path, outermost first. */
export function directoryParts(path: string): string[] {
  return path.split('/').slice(0, -1).filter((part) => part !== '');
}
