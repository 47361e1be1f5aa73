// Python's import statements for the missing-import predictor: `from m import name`, `import name`
// and `import m as name`, read from other files, made relative to this file where they are
// relative (`from .util import name`), written after this file's imports or its docstring, or
// joined to the `from m import ...` this file already has. A name no file imports yet comes from
// the one module that defines it at its top level, by the path its packages give it.

import { MAX_EXPORTING_FILES, type ImportDialect } from './importDialect';
import { listAdditions } from './importLists';
import { directoryParts, MAX_HEADER_LINES, sharedPrefixLength, statementText, withoutExtension, type ImportHeader } from './importStatements';
import { escapeRegExp, leadingLines } from './text';

const NAME = /^[A-Za-z_]\w*$/;
/** `from a.b import (`, `from . import x`, `import a.b`: the module, and an opening parenthesis. */
const STATEMENT = /^(?:from\s+(\.*[\w.]*)\s+import\b\s*(\()?|import\s+([\w.]+))/;

export interface PythonImportForm {
  /** `from module import name`, `import name` (the module itself), `import module as name`. */
  readonly kind: 'from' | 'module' | 'alias';
  readonly module: string;
}

/** The imports at the top of a Python file; where the first goes in a file without any. */
export function pythonImportHeader(text: string): ImportHeader {
  const lines = leadingLines(text, MAX_HEADER_LINES);
  const statements: { startLine: number; endLine: number; module: string }[] = [];
  let open: { startLine: number; module: string } | undefined;
  for (const [number, line] of lines.entries()) {
    if (open) {
      if (line.includes(')')) {
        statements.push({ ...open, endLine: number });
        open = undefined;
      }
      continue;
    }
    const statement = STATEMENT.exec(line);
    if (statement) {
      const module = statement[1] ?? statement[3]!;
      if (statement[2] && !line.includes(')')) open = { startLine: number, module };
      else statements.push({ startLine: number, endLine: number, module });
    } else if (statements.length > 0 && line.trim() !== '' && !line.trimStart().startsWith('#')) break;
  }
  return { lines, statements, quote: "'", semicolon: false, firstLine: statements[0]?.startLine ?? preambleEnd(lines) };
}

/**
 * The line after a file's shebang, encoding line and docstring, and after comments when a blank
 * line ends them (a comment right above the code is the code's).
 */
function preambleEnd(lines: readonly string[]): number {
  let end = 0;
  let docstring: string | undefined;
  for (const [number, line] of lines.entries()) {
    const trimmed = line.trim();
    if (docstring) {
      if (trimmed.includes(docstring)) {
        docstring = undefined;
        end = number + 1;
      }
      continue;
    }
    if (trimmed === '') {
      end = number + 1;
      continue;
    }
    const quotes = /^[rRuU]?("""|''')/.exec(trimmed)?.[1];
    if (quotes && end === number) {
      // A docstring, on one line or several.
      if (trimmed.indexOf(quotes, quotes.length + 1) < 0) docstring = quotes;
      else end = number + 1;
      continue;
    }
    if (trimmed.startsWith('#')) {
      // A shebang or an encoding line must stay first; other comments may be the code's.
      if (number === end && /^#!|^#.*coding[:=]/.test(trimmed)) end = number + 1;
      continue;
    }
    break;
  }
  return Math.min(end, lines.length - 1);
}

/** How `line` imports `name` from `module`; undefined for renamed and starred imports. */
export function parsePythonImport(line: string, name: string, module: string): PythonImportForm | undefined {
  const code = line.replace(/#.*$/, '').trim();
  const word = escapeRegExp(name);
  const from = new RegExp(`^from\\s+${escapeRegExp(module)}\\s+import\\s+\\(?([^()]*)\\)?$`).exec(code);
  if (from) return from[1]!.split(',').some((member) => member.trim() === name) ? { kind: 'from', module } : undefined;
  if (new RegExp(`^import\\s+${escapeRegExp(module)}\\s+as\\s+${word}$`).test(code)) return { kind: 'alias', module };
  const plain = /^import\s+(.+)$/.exec(code);
  if (plain && module === name && plain[1]!.split(',').some((member) => member.trim() === name)) return { kind: 'module', module };
  return undefined;
}

/** The statement that imports `names` in `form`; several only from a module (`from m import a, b`). */
export function writePythonImport(names: readonly string[], form: PythonImportForm): string {
  const bad = names.find((name) => !NAME.test(name));
  if (bad !== undefined || names.length === 0) throw new TypeError(`not an identifier: ${bad}`);
  if (names.length > 1 && form.kind !== 'from') throw new TypeError(`an ${form.kind} import takes one name`);
  const name = names.join(', ');
  if (form.kind === 'from') return `from ${form.module} import ${name}`;
  return form.kind === 'alias' ? `import ${form.module} as ${name}` : `import ${name}`;
}

/** A module written in file `from`, as file `to` writes it: relative ones re-anchored, others as they are. */
export function relocatePythonModule(module: string, from: string, to: string): string {
  if (!module.startsWith('.')) return module;
  const target = resolvePythonModule(from, module).split('/').filter((part) => part !== '');
  const base = directoryParts(to);
  const common = sharedPrefixLength(base, target);
  return `${'.'.repeat(base.length - common + 1)}${target.slice(common).join('.')}`;
}

/** A relative module as a workspace path (a package or a module without `.py`); others as written. */
export function resolvePythonModule(from: string, module: string): string {
  if (!module.startsWith('.')) return module;
  const dots = /^\.*/.exec(module)![0].length;
  const parts = directoryParts(from);
  parts.splice(Math.max(0, parts.length - (dots - 1)));
  const rest = module.slice(dots);
  return [...parts, ...(rest === '' ? [] : rest.split('.'))].join('/');
}

/**
 * The module by which `from` imports `file`: relative (`.util`, `..core.util`) when `preferRelative`
 * and the dots can reach it (every directory on the way is a package: it has an __init__.py),
 * else absolute from the top of `file`'s package (`pkg.core.util`), or the bare module name for a
 * script beside `from`. Undefined when `file` is in no package and not beside `from`.
 */
export function pythonModuleOf(from: string, file: string, isPackage: (directory: string) => boolean, preferRelative: boolean): string | undefined {
  const parts = withoutExtension(file).split('/');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  const directories = directoryParts(file);
  const base = directoryParts(from);
  let top = directories.length;
  while (top > 0 && isPackage(directories.slice(0, top).join('/'))) top--;
  const absolute = top === directories.length && directories.join('/') !== base.join('/') ? undefined : parts.slice(top).join('.');
  if (!preferRelative) return absolute;
  const common = sharedPrefixLength(base, parts);
  if (common === 0) return absolute;
  for (let depth = common; depth <= base.length; depth++) if (!isPackage(base.slice(0, depth).join('/'))) return absolute;
  return `${'.'.repeat(base.length - common + 1)}${parts.slice(common).join('.')}`;
}

/** Whether `text`, a module's source, defines `name` at its top level: a def, a class or an assignment. */
export function definesAtTopLevel(text: string, name: string): boolean {
  const word = escapeRegExp(name);
  return new RegExp(`^(?:(?:async[ \\t]+)?def|class)[ \\t]+${word}\\b|^${word}[ \\t]*(?::[^=\\n]*)?=(?!=)`, 'm').test(text);
}

export const pythonImports: ImportDialect<PythonImportForm> = {
  handles: (path) => /\.pyi?$/.test(path),
  isImportLine: (line) => /^\s*(?:from\s+\S+\s+import\b|import\s)/.test(line),
  header: pythonImportHeader,
  parse: parsePythonImport,
  relocate: (form, from, to) => ({ ...form, module: relocatePythonModule(form.module, from, to) }),
  moduleOf: (form) => form.module,
  target: (path, module) => (module.startsWith('.') ? resolvePythonModule(path, module) : module),
  // Relative imports after the absolute ones, as isort and PEP 8 keep them.
  groupOf: (module) => (module.startsWith('.') ? 1 : 0),
  joins: (form) => form.kind === 'from',
  write: (names, form) => writePythonImport(names, form),
  addition(header, statement, names, form) {
    if (form.kind !== 'from') return undefined;
    const text = statementText(header.lines, statement);
    const listed = /^from\s+\S+\s+import\s*/.exec(text);
    if (!listed || text.includes('*')) return undefined;
    const open = text.indexOf('(', listed[0].length - 1);
    if (open >= 0) return listAdditions(text, statement.startLine, open + 1, text.indexOf(')', open), names);
    // The list runs to the end of the line, or to a comment.
    const comment = text.indexOf('#');
    const end = (comment < 0 ? text : text.slice(0, comment)).trimEnd().length;
    return listAdditions(text, statement.startLine, listed[0].length, end, names);
  },
  exported(name, path, header, index, readText) {
    // A leading underscore says the module keeps the name to itself.
    if (name.startsWith('_')) return undefined;
    const defining = [...new Set(index.definitions(name).map((definition) => definition.path))]
      .filter((file) => file !== path && /\.py$/.test(file))
      .slice(0, MAX_EXPORTING_FILES)
      .filter((file) => definesAtTopLevel(readText(file) ?? '', name));
    // Two modules define the name: which one the user means is theirs to say.
    if (defining.length !== 1) return undefined;
    const files = new Set(index.files());
    const isPackage = (directory: string): boolean => files.has(directory === '' ? '__init__.py' : `${directory}/__init__.py`);
    // PEP 8 prefers absolute imports; a file that already imports relatively keeps doing so.
    const preferRelative = header.statements.some((statement) => statement.module.startsWith('.'));
    const module = pythonModuleOf(path, defining[0]!, isPackage, preferRelative);
    return module === undefined ? undefined : { kind: 'from', module };
  },
};

