// A tiny workspace for PropagationPredictor tests: texts in a map, user edits recorded the way the
// history records them, a regex index over the texts, and `propose`, which runs the predictor and
// checks that every suggestion it returns is well formed.

import { expect } from 'vitest';
import type { CandidateOutcome } from '../../../src/core/engine';
import { PropagationPredictor } from '../../../src/core/propagation';
import { namesWithPrefix } from '../../../src/core/completionDrafts';
import type { ImportInfo, NameCount, Scope, SymbolDefinition, SymbolOccurrence, WorkspaceIndex } from '../../../src/core/ports';
import type { Cursor, Position, RecordedEdit, Suggestion, TextEdit } from '../../../src/core/types';

export function offsetAt(text: string, position: Position): number {
  const lines = text.split(/(?<=\r\n|\n)/);
  let offset = 0;
  for (let line = 0; line < position.line; line++) offset += lines[line]!.length;
  return offset + position.character;
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split(/\r\n|\n/);
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
  let result = text;
  for (const edit of ordered) result = result.slice(0, offsetAt(result, edit.range.start)) + edit.text + result.slice(offsetAt(result, edit.range.end));
  return result;
}

export class Workspace {
  readonly files = new Map<string, string>();
  readonly history: RecordedEdit[] = [];
  clockMs = 1000;

  constructor(files: Record<string, string>) {
    for (const [path, text] of Object.entries(files)) this.files.set(path, text);
  }

  readText = (path: string): string | undefined => this.files.get(path);

  /** Replaces the `occurrence`-th (0-based) `find` in `path` by `replacement`, like a user would. */
  replace(path: string, find: string, replacement: string, occurrence = 0): Cursor {
    const text = this.files.get(path)!;
    let offset = -1;
    for (let count = 0; count <= occurrence; count++) offset = text.indexOf(find, offset + 1);
    if (offset === -1) throw new Error(`${find} not found`);
    return this.edit(path, offset, offset + find.length, replacement);
  }

  /** Inserts `inserted` right after the `occurrence`-th `find`. */
  insertAfter(path: string, find: string, inserted: string, occurrence = 0): Cursor {
    const text = this.files.get(path)!;
    let offset = -1;
    for (let count = 0; count <= occurrence; count++) offset = text.indexOf(find, offset + 1);
    return this.edit(path, offset + find.length, offset + find.length, inserted);
  }

  edit(path: string, startOffset: number, endOffset: number, inserted: string): Cursor {
    const before = this.files.get(path)!;
    const after = before.slice(0, startOffset) + inserted + before.slice(endOffset);
    const start = positionAt(before, startOffset);
    const lineStart = before.lastIndexOf('\n', startOffset - 1) + 1;
    const beforeLineEnd = lineEndAt(before, endOffset);
    const afterLineEnd = lineEndAt(after, startOffset + inserted.length);
    this.files.set(path, after);
    this.clockMs += 100;
    this.history.push({
      path,
      range: { start, end: positionAt(before, endOffset) },
      removedText: before.slice(startOffset, endOffset),
      insertedText: inserted,
      hunk: {
        path,
        startLine: start.line,
        beforeText: before.slice(lineStart, beforeLineEnd).replace(/\r\n/g, '\n'),
        afterText: after.slice(lineStart, afterLineEnd).replace(/\r\n/g, '\n'),
      },
      timestampMs: this.clockMs,
    });
    return { path, position: positionAt(after, startOffset + inserted.length) };
  }
}

function lineEndAt(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  const end = newline === -1 ? text.length : newline;
  return text.charAt(end - 1) === '\r' ? end - 1 : end;
}

/** A regex index over the workspace: enough to answer which files mention or import a name. */
class FakeIndex implements WorkspaceIndex {
  constructor(
    private readonly workspace: Workspace,
    private readonly scopes: readonly Scope[] = [],
  ) {}
  files(): readonly string[] {
    return [...this.workspace.files.keys()];
  }
  definitions(name: string): readonly SymbolDefinition[] {
    return this.occurrences(name, 1000)
      .filter((occurrence) => /(?:function|const|let|var|class)\s+$/.test(this.lineBefore(occurrence)))
      .map((occurrence) => ({ name, kind: 'variable', path: occurrence.path, position: occurrence.position, span: { startLine: occurrence.position.line, endLine: occurrence.position.line + 1 } }));
  }
  occurrences(name: string, limit: number): readonly SymbolOccurrence[] {
    const found: SymbolOccurrence[] = [];
    for (const [path, text] of this.workspace.files) {
      text.split(/\r?\n/).forEach((line, lineNumber) => {
        for (const match of line.matchAll(/[A-Za-z_$][\w$]*/g)) {
          if (match[0] === name) found.push({ name, path, position: { line: lineNumber, character: match.index }, length: name.length });
        }
      });
    }
    return found.slice(0, limit);
  }
  namesStartingWith(prefix: string, limit: number): readonly NameCount[] {
    const files = new Map<string, number>();
    for (const text of this.workspace.files.values()) {
      for (const name of new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? [])) files.set(name, (files.get(name) ?? 0) + 1);
    }
    return namesWithPrefix(files, prefix, limit);
  }
  identifiersIn(): readonly SymbolOccurrence[] {
    return [];
  }
  imports(path: string): readonly ImportInfo[] {
    const text = this.workspace.files.get(path) ?? '';
    return [...text.matchAll(/import \{([^}]*)\} from '([^']*)'/g)].map((match) => ({
      path,
      module: match[2]!,
      names: match[1]!.split(',').map((name) => name.trim()),
      line: positionAt(text, match.index).line,
    }));
  }
  enclosingScope(path: string, position: Position): Scope | undefined {
    return this.scopes.find((scope) => scope.path === path && position.line >= scope.startLine && position.line < scope.endLine);
  }
  async update(): Promise<void> {}
  remove(): void {}
  private lineBefore(occurrence: SymbolOccurrence): string {
    const line = this.workspace.files.get(occurrence.path)!.split(/\r?\n/)[occurrence.position.line]!;
    return line.slice(0, occurrence.position.character);
  }
}

export const signal = new AbortController().signal;

export function propose(workspace: Workspace, cursor: Cursor, options: ProposeOptions = {}): Suggestion[] {
  return [...proposeOutcome(workspace, cursor, options).suggestions];
}

export interface ProposeOptions {
  readonly index?: boolean;
  readonly scopes?: Scope[];
  /** Milliseconds since the last keystroke. */
  readonly pausedMs?: number;
}

export function proposeOutcome(workspace: Workspace, cursor: Cursor, options: ProposeOptions = {}): CandidateOutcome {
  const predictor = new PropagationPredictor({
    readText: workspace.readText,
    ...(options.index ? { index: new FakeIndex(workspace, options.scopes) } : {}),
    clock: () => workspace.clockMs + (options.pausedMs ?? 0),
  });
  const outcome = predictor.propose({ cursor, history: workspace.history }, signal);
  for (const suggestion of outcome.suggestions) expectWellFormed(workspace, suggestion);
  return outcome;
}

/** No overlapping edits within a file, no edit that changes nothing, scores in [0, 1]. */
export function expectWellFormed(workspace: Workspace, suggestion: Suggestion): void {
  expect(suggestion.source).toBe('propagation');
  expect(suggestion.score).toBeGreaterThanOrEqual(0);
  expect(suggestion.score).toBeLessThanOrEqual(1);
  expect(suggestion.explanation.followsFrom).toBe(workspace.history[workspace.history.length - 1]);
  const byPath = new Map<string, TextEdit[]>();
  for (const edit of suggestion.edits) {
    const text = workspace.files.get(edit.path)!;
    expect(text.slice(offsetAt(text, edit.range.start), offsetAt(text, edit.range.end))).not.toBe(edit.text);
    byPath.set(edit.path, [...(byPath.get(edit.path) ?? []), edit]);
  }
  for (const [path, edits] of byPath) {
    const text = workspace.files.get(path)!;
    const spans = edits.map((edit) => [offsetAt(text, edit.range.start), offsetAt(text, edit.range.end)] as const).sort((a, b) => a[0] - b[0]);
    for (let index = 1; index < spans.length; index++) expect(spans[index]![0]).toBeGreaterThanOrEqual(spans[index - 1]![1]);
  }
}

export function applySuggestion(workspace: Workspace, suggestion: Suggestion, path: string): string {
  return applyEdits(workspace.files.get(path)!, suggestion.edits.filter((edit) => edit.path === path));
}

export function applyFirst(workspace: Workspace, suggestion: Suggestion): string {
  const first = suggestion.edits[0]!;
  return applyEdits(workspace.files.get(first.path)!, [first]);
}
