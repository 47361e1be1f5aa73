// Missing imports: the edit just typed uses a name the file neither declares nor imports. When
// other files of the workspace import it, the next edit is the import line written the way they
// write it; when none does yet but exactly one file exports it (in Python: defines it at its top
// level), an import from that file. The module path is made relative to this file and written in its style;
// the line goes with this file's imports, or, when this file already imports from that module,
// the name joins that import. What a language's imports look like is its dialect's business
// (importDialect.ts, pythonImports.ts).

import { isKeyword, type SourceText } from './codeTokens';
import type { StopCheck } from './deadline';
import type { CandidateOutcome, CandidateRequest, CandidateSource } from './engine';
import { hashEdits } from './hash';
import { scriptImports, type ImportDialect } from './importDialect';
import { joinInsertions, type Insertion } from './importLists';
import { importLine, withoutExtension, type ImportHeader, type ImportStatement } from './importStatements';
import { LexedDocuments } from './lexedDocuments';
import { logicalEdit, type LogicalEdit } from './logicalEdit';
import type { ImportInfo, WorkspaceIndex } from './ports';
import { pythonImports } from './pythonImports';
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
/**
 * A place next to the same neighbours needs this many votes per importing file (each file votes
 * for the import before and the one after): a quarter of the files keeping one order is a habit.
 */
export const MIN_NEIGHBOUR_SHARE = 0.25;

/** The dialects known, by the files they handle. */
const DIALECTS: readonly ImportDialect<unknown>[] = [scriptImports, pythonImports];

export interface MissingImportOptions {
  readonly readText: (path: string) => string | undefined;
  readonly index?: WorkspaceIndex;
  /** Lexed documents, shared with the propagation engine, which lexes the same edited file. */
  readonly documents?: LexedDocuments;
}

/** How to import a name: the form, and how many other files import it so (0: it is exported). */
interface FoundImport {
  readonly form: unknown;
  readonly agreeing: number;
  /** The imports right before and after it in the files that import it so. */
  readonly neighbours: readonly Neighbour[];
}

/** An import next to the name's in another file: the module it names (a dialect target), and on which side. */
interface Neighbour {
  readonly target: string;
  /** It comes before the name's import (which follows it). */
  readonly before: boolean;
}

/** A name the edit uses that this file does not import, and how to import it. */
interface WantedName {
  readonly name: string;
  readonly found: FoundImport;
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
    const dialect = edit && DIALECTS.find((candidate) => candidate.handles(edit.path));
    if (!index || !edit || !dialect || signal.aborted) return { suggestions: [] };
    const text = this.readText(edit.path);
    if (text === undefined) return { suggestions: [] };
    const document = this.documents.get(edit.path, text);
    if (!document) return { suggestions: [] };
    const header = dialect.header(document.text);
    const insertedStart = document.offsetAt(edit.range.start);
    const insertedEnd = insertedStart + edit.insertedText.length;
    if (text.slice(insertedStart, insertedEnd) !== edit.insertedText) return { suggestions: [] };
    const wanted: WantedName[] = [];
    for (const name of usedNames(document, insertedStart, insertedEnd, dialect).slice(0, MAX_CHECKED_NAMES)) {
      if (signal.aborted) return { suggestions: [] };
      // Declared, imported or used elsewhere in the file: a global, a local, or already imported.
      if (document.tokens.some((token) => token.text === name && (token.end <= insertedStart || token.start >= insertedEnd))) continue;
      const found = this.importedElsewhere(name, edit.path, index, dialect) ?? this.exportedElsewhere(name, edit.path, index, dialect, header);
      // The name lives in this very file (a local the edit declares, imported from here elsewhere).
      if (!found || dialect.target(edit.path, dialect.moduleOf(found.form)) === withoutExtension(edit.path)) continue;
      wanted.push({ name, found });
    }
    // Every import the edit needs in one suggestion: a pasted block that uses three helpers is
    // one Tab, and the next prediction, which follows from the accepted import, would not see them.
    const parts = groupByStatement(wanted, dialect, edit.path).flatMap((group) => {
      const insertions = this.insertionsFor(group, dialect, header, edit.path, index, document.eol);
      return insertions ? [{ ...insertions, group }] : [];
    });
    return { suggestions: parts.length === 0 ? [] : [importSuggestion(edit, parts, header, document.eol, dialect)] };
  }

  /**
   * Where and what to write for names one statement can import: added to this file's import of
   * their module, when there is one that can take them, else a new import line. Undefined when
   * this file imports the module in a way that cannot take them (a namespace, a type-only import,
   * a plain require): the user may mean that import, and a second one would be wrong.
   */
  private insertionsFor(
    group: readonly WantedName[],
    dialect: ImportDialect<unknown>,
    header: ImportHeader,
    path: string,
    index: WorkspaceIndex,
    eol: string,
  ): Omit<ImportPart, 'group'> | undefined {
    const { form, neighbours, agreeing } = group[0]!.found;
    const names = group.map((want) => want.name);
    const module = dialect.moduleOf(form);
    const target = dialect.target(path, module);
    const existing = header.statements.filter((statement) => dialect.target(path, statement.module) === target);
    if (existing.length > 0) {
      for (const statement of existing) {
        const insertions = dialect.addition(header, statement, names, form);
        if (insertions) return { insertions, addsToExisting: true };
      }
      return undefined;
    }
    // Imported further down than the header reaches: leave it to the user.
    if (index.imports(path).some((imported) => dialect.target(path, imported.module) === target)) return undefined;
    const line = neighbourLine(header, module, { neighbours, agreeing }, path, dialect) ?? importLine(header, module, dialect.groupOf);
    return { insertions: [{ position: { line, character: 0 }, text: `${dialect.write(names, form, header)}${eol}` }], addsToExisting: false };
  }

  /**
   * How the workspace's other files import `name`, rewritten for `path`: the most common form, and
   * the imports those files put next to it.
   */
  private importedElsewhere(name: string, path: string, index: WorkspaceIndex, dialect: ImportDialect<unknown>): FoundImport | undefined {
    const votes = new Map<string, { form: unknown; agreeing: number; neighbours: Neighbour[] }>();
    const files = [...new Set(index.occurrences(name, 4 * MAX_IMPORTING_FILES).map((occurrence) => occurrence.path))].filter(
      (file) => file !== path && dialect.handles(file),
    );
    for (const file of files.slice(0, MAX_IMPORTING_FILES)) {
      const imports = index.imports(file).filter((info) => info.names.includes(name));
      // Read, split and parsed once per file, and only for a file that imports the name.
      const text = imports.length > 0 ? this.readText(file) : undefined;
      if (text === undefined) continue;
      // The index's lines are tree-sitter rows: rows end at '\n' only.
      const rows = text.split(/\r?\n/);
      const { statements } = dialect.header(text);
      for (const info of imports) {
        const row = rows[info.line];
        // The statement on the import's row, when it is a whole one-line import of `name`.
        const form = row === undefined ? undefined : dialect.parse(row, name, info.module);
        if (form === undefined) continue;
        const relocated = dialect.relocate(form, file, path);
        const key = JSON.stringify(relocated);
        const vote = votes.get(key) ?? { form: relocated, agreeing: 0, neighbours: [] };
        votes.set(key, { ...vote, agreeing: vote.agreeing + 1, neighbours: [...vote.neighbours, ...neighboursOf(statements, file, info, dialect)] });
      }
    }
    return [...votes.values()].sort((a, b) => b.agreeing - a.agreeing)[0];
  }

  /** The import from the one file that exports `name`, when no file imports it yet. */
  private exportedElsewhere(name: string, path: string, index: WorkspaceIndex, dialect: ImportDialect<unknown>, header: ImportHeader): FoundImport | undefined {
    const form = dialect.exported(name, path, header, index, this.readText);
    return form === undefined ? undefined : { form, agreeing: 0, neighbours: [] };
  }
}

/** One statement's worth of imports: the names, and where and what to write for them. */
interface ImportPart {
  readonly group: readonly WantedName[];
  readonly insertions: readonly Insertion[];
  readonly addsToExisting: boolean;
}

/** All the parts as one suggestion, as confident as its least supported name. */
function importSuggestion(edit: LogicalEdit, parts: readonly ImportPart[], header: ImportHeader, eol: string, dialect: ImportDialect<unknown>): Suggestion {
  const insertions = joinInsertions(parts.flatMap((part) => part.insertions));
  // A file's first import is set apart from the code after it by a blank line.
  const apart = (insertion: Insertion): boolean => header.statements.length === 0 && (header.lines[insertion.position.line] ?? '').trim() !== '';
  const score = Math.min(...parts.flatMap((part) => part.group.map((want) => scoreFor(want.found.agreeing))));
  const edits: ScoredEdit[] = insertions.map((insertion) => ({
    path: edit.path,
    range: { start: insertion.position, end: insertion.position },
    text: apart(insertion) ? `${insertion.text}${eol}` : insertion.text,
    score,
    source: 'propagation',
  }));
  return {
    id: `propagation-import-${hashEdits(edits)}`,
    edits,
    score,
    source: 'propagation',
    explanation: { followsFrom: edit.newest, pattern: describeImports(parts, dialect), snippets: [], confidence: score, stageTimingsMs: {} },
  };
}

/** Names one statement can import together: of one module, in a form that joins names. */
function groupByStatement(wanted: readonly WantedName[], dialect: ImportDialect<unknown>, path: string): WantedName[][] {
  const groups = new Map<string, WantedName[]>();
  for (const [position, want] of wanted.entries()) {
    const { form } = want.found;
    const key = dialect.joins(form) ? `${dialect.target(path, dialect.moduleOf(form))}` : `#${position}`;
    groups.set(key, [...(groups.get(key) ?? []), want]);
  }
  return [...groups.values()];
}

function scoreFor(agreeing: number): number {
  return agreeing >= 2 ? AGREED_IMPORT_SCORE : agreeing === 1 ? SINGLE_IMPORT_SCORE : EXPORTED_SCORE;
}

/** Why: each statement's names, what is done with them, and on what evidence. */
function describeImports(parts: readonly ImportPart[], dialect: ImportDialect<unknown>): string {
  const names = parts.flatMap((part) => part.group);
  const them = names.length === 1 ? 'it' : 'them';
  const described = parts.map(({ group, addsToExisting }) => {
    const module = dialect.moduleOf(group[0]!.found.form);
    const listed = group.map((want) => `\`${want.name}\``).join(', ');
    const how = addsToExisting ? `add ${listed} to this file's import from '${module}'` : `import ${listed}`;
    const agreeing = Math.min(...group.map((want) => want.found.agreeing));
    const why = agreeing === 0 ? `'${module}' exports ${group.length === 1 ? 'it' : 'them'}` : `${agreeing} other file${agreeing === 1 ? '' : 's'} import${agreeing === 1 ? 's' : ''} ${group.length === 1 ? 'it' : 'them'} so`;
    return { how, why };
  });
  if (described.length === 1) return `${described[0]!.how}: the edit uses ${them}, this file does not import ${them}, ${described[0]!.why}`;
  return `${described.map(({ how, why }) => `${how} (${why})`).join('; ')}: the edit uses ${them}, this file does not import ${them}`;
}

/** The imports right before and after `info`'s statement among `statements`, those of `file`. */
function neighboursOf(statements: readonly ImportStatement[], file: string, info: ImportInfo, dialect: ImportDialect<unknown>): Neighbour[] {
  const at = statements.findIndex((statement) => statement.startLine <= info.line && info.line <= statement.endLine);
  if (at < 0) return [];
  const sides = [
    { statement: statements[at - 1], before: true },
    { statement: statements[at + 1], before: false },
  ];
  return sides.flatMap(({ statement, before }) => (statement ? [{ target: dialect.target(file, statement.module), before }] : []));
}

/**
 * Where the other files' neighbours of the import put it in this file: after the import they
 * have before it, or before the one they have after it, whichever this file has most often. People
 * copy import blocks from file to file, so the order of one is the best guess at the order of the
 * next; undefined when this file has none of them in the import's group, or when too few of the
 * files agree on the place for it to be their habit rather than a few files' accident.
 */
function neighbourLine(
  header: ImportHeader,
  module: string,
  { neighbours, agreeing }: Pick<FoundImport, 'neighbours' | 'agreeing'>,
  path: string,
  dialect: ImportDialect<unknown>,
): number | undefined {
  const votes = new Map<number, number>();
  for (const neighbour of neighbours) {
    const statement = header.statements.find((candidate) => dialect.target(path, candidate.module) === neighbour.target);
    // Next to an import of another group would break the file's grouping.
    if (!statement || dialect.groupOf(statement.module) !== dialect.groupOf(module)) continue;
    const line = neighbour.before ? statement.endLine + 1 : statement.startLine;
    votes.set(line, (votes.get(line) ?? 0) + 1);
  }
  const [line, count] = [...votes.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  return line !== undefined && count! >= MIN_NEIGHBOUR_SHARE * agreeing ? line : undefined;
}

/**
 * Identifiers the inserted text wrote or changed, not property names (`a.name`, `{ name: 1 }`),
 * keyword arguments or assignment targets (`name = 1`): an edit of part of a name (`arrRemove`
 * into `arrInsert` records `Remove` -> `Insert`) uses the whole new name.
 */
function usedNames(document: SourceText, start: number, end: number, dialect: ImportDialect<unknown>): string[] {
  const names: string[] = [];
  const tokens = document.tokens;
  tokens.forEach((token, position) => {
    if (token.kind !== 'identifier' || token.end <= start || token.start >= end || isKeyword(token.text)) return;
    // The edit is itself an import (`import {x} from './x'` typed by hand): nothing is missing.
    const line = document.lineOf(token.start);
    if (dialect.isImportLine(document.text.slice(document.lineStart(line), document.lineEnd(line)))) return;
    const before = tokens[position - 1]?.text;
    const after = tokens[position + 1]?.text;
    if (before === '.' || before === '?.' || after === ':' || after === '=') return;
    if (!names.includes(token.text)) names.push(token.text);
  });
  return names;
}
