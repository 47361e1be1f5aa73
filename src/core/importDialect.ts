// What the missing-import predictor needs to know of a language's import statements, and the
// JavaScript/TypeScript answers (importStatements.ts). Python's are in pythonImports.ts. A form is
// whatever a dialect parses one import of one name into; the predictor only compares, relocates
// and writes it back through the dialect.

import type { WorkspaceIndex } from './ports';
import type { Insertion } from './importLists';
import {
  exportOf,
  importAddition,
  importHeader,
  joinsNames,
  moduleTarget,
  parseImport,
  relocate,
  scriptGroup,
  specifierFor,
  writeImport,
  type ImportForm,
  type ImportHeader,
  type ImportStatement,
} from './importStatements';

/** Definitions of a name whose files are read for an export, at most. */
export const MAX_EXPORTING_FILES = 8;

export interface ImportDialect<Form> {
  /** Whether it reads and writes the imports of the file at `path`. */
  handles(path: string): boolean;
  /** Whether `line` is (part of) an import statement: a name there is imported, not used. */
  isImportLine(line: string): boolean;
  header(text: string): ImportHeader;
  /** How `line`, the first line of an import of `module`, imports `name`; undefined if not plainly. */
  parse(line: string, name: string, module: string): Form | undefined;
  /** `form`, written in the file `from`, as the file `to` would write it. */
  relocate(form: Form, from: string, to: string): Form;
  moduleOf(form: Form): string;
  /** The module `module` names when `path` imports it: equal for the same module however spelled. */
  target(path: string, module: string): string;
  /** Which group of imports `module` belongs to (packages, parent paths, siblings...). */
  groupOf(module: string): number;
  /** Whether one statement of this form can import several names. */
  joins(form: Form): boolean;
  /** The statement that imports `names` (several only where the form joins them). */
  write(names: readonly string[], form: Form, header: ImportHeader): string;
  /** `names` added to `statement`, an import of form's module; undefined when it cannot take them. */
  addition(header: ImportHeader, statement: ImportStatement, names: readonly string[], form: Form): Insertion[] | undefined;
  /**
   * The import of `name` from the one file that exports it, for a name no file imports yet;
   * undefined when none or several do, or the language has no such notion.
   */
  exported(name: string, path: string, header: ImportHeader, index: WorkspaceIndex, readText: (path: string) => string | undefined): Form | undefined;
}

const SCRIPT_PATH = /\.(?:[cm]?[jt]sx?)$/;
const SCRIPT_IMPORT_LINE = /^\s*import[\s{*]|\brequire\(\s*['"]|^\s*\}?\s*from\s*['"]/;

export const scriptImports: ImportDialect<ImportForm> = {
  handles: (path) => SCRIPT_PATH.test(path),
  isImportLine: (line) => SCRIPT_IMPORT_LINE.test(line),
  header: importHeader,
  parse: parseImport,
  relocate: (form, from, to) => ({ ...form, module: relocate(form.module, from, to) }),
  moduleOf: (form) => form.module,
  target: moduleTarget,
  groupOf: scriptGroup,
  joins: joinsNames,
  write: writeImport,
  // Only a named export goes between braces; a default one would need its own name.
  addition: (header, statement, names, form) => (joinsNames(form) ? importAddition(header.lines, statement, names, form.spacedBraces) : undefined),
  exported(name, path, header, index, readText) {
    // Only into an ES module: a file of requires would need CommonJS exports.
    if (header.statements.some((statement) => !/^\s*import\b/.test(header.lines[statement.startLine] ?? ''))) return undefined;
    // No imports to go by: an ES module only when its name or its exports say so.
    if (header.statements.length === 0 && !/\.(?:tsx?|mts|mjs)$/.test(path) && !header.lines.some((line) => /^export\s/.test(line))) return undefined;
    const files = [...new Set(index.definitions(name).map((definition) => definition.path))].filter((file) => file !== path && SCRIPT_PATH.test(file));
    const exporting = files.slice(0, MAX_EXPORTING_FILES).flatMap((file) => {
      const kind = exportOf(readText(file) ?? '', name);
      return kind ? [{ file, kind }] : [];
    });
    // Two files export the name: which one the user means is theirs to say.
    if (exporting.length !== 1) return undefined;
    const { file, kind } = exporting[0]!;
    const spacedBraces = !header.lines.some((line) => /^\s*import\b.*\{[^\s}]/.test(line));
    return { kind: kind === 'default' ? 'default' : 'named', declaration: '', module: specifierFor(path, file, header), spacedBraces };
  },
};
