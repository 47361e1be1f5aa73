// Exact text edits as small composable functions: apply, invert, rebase over the user's changes,
// and view as whole-line hunks. Ranges refer to the document before the edits, as in VS Code's
// WorkspaceEdit, and edits of one batch apply as if simultaneously.

import { rebaseReplacedText } from './replacedText';
import type { ChangeEvent, Hunk, Position, Range, ReplacedText, TextEdit } from './types';
import { comparePositions } from './types';
import {
  type EndOfLine,
  LineIndex,
  advancePosition,
  isAfter,
  isBefore,
  isSamePosition,
  normalizeEol,
  uniformEol,
} from './text';

export interface Conflict {
  readonly kind: 'conflict';
  readonly reason: string;
}

export type ApplyResult = { readonly kind: 'applied'; readonly text: string } | Conflict;

export type WorkspaceApplyResult =
  | { readonly kind: 'applied'; readonly texts: ReadonlyMap<string, string> }
  | Conflict;

export type InvertResult = { readonly kind: 'inverted'; readonly edits: readonly TextEdit[] } | Conflict;

export interface ApplyOptions {
  /**
   * Line breaks of inserted text: 'auto' (the default) normalizes them to the document's line
   * break when it uses one kind throughout, as VS Code does; 'literal' inserts text unchanged
   * (what undo needs); an explicit EndOfLine always normalizes to it.
   */
  readonly eol?: EndOfLine | 'auto' | 'literal';
}

/** Which side of an insertion at exactly its position a position sticks to. */
export type Bias = 'before' | 'after';

interface ResolvedEdit {
  readonly edit: TextEdit;
  readonly startOffset: number;
  readonly endOffset: number;
  /** The text that lands in the document, after line-break normalization. */
  readonly inserted: string;
}

/**
 * Applies edits to one document as VS Code applies a WorkspaceEdit: ranges are clamped into the
 * document, touching edits are fine, overlapping ones are a conflict, edits at the same position
 * apply in the order given, and inserted line breaks take the document's line break. A document
 * without line breaks, or with mixed ones (which VS Code never holds), takes inserted text literally.
 */
export function applyEdits(text: string, edits: readonly TextEdit[], options: ApplyOptions = {}): ApplyResult {
  const resolved = resolveEdits(text, edits, options);
  if (!Array.isArray(resolved)) return resolved;
  return { kind: 'applied', text: splice(text, resolved) };
}

/** Applies edits grouped by path, in the order given; every path must be present in `texts`. */
export function applyWorkspaceEdits(
  texts: ReadonlyMap<string, string>,
  edits: readonly TextEdit[],
  options: ApplyOptions = {},
): WorkspaceApplyResult {
  const byPath = groupByPath(edits);
  const result = new Map(texts);
  for (const [path, pathEdits] of byPath) {
    const text = texts.get(path);
    if (text === undefined) return { kind: 'conflict', reason: `no text for ${path}` };
    const applied = applyEdits(text, pathEdits, options);
    if (applied.kind === 'conflict') return { kind: 'conflict', reason: `${path}: ${applied.reason}` };
    result.set(path, applied.text);
  }
  return { kind: 'applied', texts: result };
}

/**
 * Edits that turn applyEdits(text, edits, options) back into `text`: their ranges refer to the
 * edited document and each restores the text its counterpart removed. The round trip is exact
 * when the inverse applies with { eol: 'literal' } (the restored text may mix line breaks).
 */
export function invertEdits(text: string, edits: readonly TextEdit[], options: ApplyOptions = {}): InvertResult {
  const resolved = resolveEdits(text, edits, options);
  if (!Array.isArray(resolved)) return resolved;
  const resultIndex = new LineIndex(splice(text, resolved));
  const inverse: TextEdit[] = [];
  let shift = 0;
  for (const item of resolved) {
    const start = item.startOffset + shift;
    const end = start + item.inserted.length;
    inverse.push({
      path: item.edit.path,
      range: { start: resultIndex.positionAt(start), end: resultIndex.positionAt(end) },
      text: text.slice(item.startOffset, item.endOffset),
    });
    shift += item.inserted.length - (item.endOffset - item.startOffset);
  }
  return { kind: 'inverted', edits: inverse };
}

/** Where the range `replaced` ends up after being replaced by `inserted`. */
export function insertedRange(replaced: Range, inserted: string): Range {
  return { start: replaced.start, end: advancePosition(replaced.start, inserted) };
}

/**
 * Maps a position of the document before `over` to the document after it. A position inside the
 * replaced range (or exactly at an insertion) goes to the start of the change with bias 'before'
 * and to the end of the inserted text with bias 'after'. The change's path is not checked.
 */
export function transformPosition(position: Position, over: ChangeEvent, bias: Bias): Position {
  const { start, end } = over.range;
  if (isBefore(position, start)) return position;
  if (isAfter(position, end)) return shiftAfter(position, over);
  return bias === 'before' ? start : advancePosition(start, over.text);
}

/**
 * The edit moved to the document after the user's change `over`, or undefined when the change
 * overlapped it (shared characters, an insertion strictly inside it, or two insertions at the
 * same point, whose relative order is ambiguous). Changes touching the edit from outside do not
 * overlap it. Extra fields of the edit (score, source) are kept, and what it replaces is kept
 * exact; an edit for which that can no longer be known is dropped too.
 */
export function rebaseEdit<T extends TextEdit & { readonly replaced?: ReplacedText }>(edit: T, over: ChangeEvent): T | undefined {
  if (edit.path !== over.path) return edit;
  const relation = relate(edit.range, over.range);
  if (relation === 'overlap') return undefined;
  const replaced = edit.replaced && rebaseReplacedText(edit.replaced, edit.range, over);
  if (edit.replaced && !replaced) return undefined;
  const carried = replaced === edit.replaced ? edit : { ...edit, replaced };
  if (relation === 'after') return carried;
  return {
    ...carried,
    range: { start: shiftAfter(edit.range.start, over), end: shiftAfter(edit.range.end, over) },
  };
}

/** Rebases every edit over each change in turn, dropping the ones a change overlapped. */
export function rebaseEdits<T extends TextEdit & { readonly replaced?: ReplacedText }>(edits: readonly T[], overEvents: readonly ChangeEvent[]): T[] {
  let current: T[] = [...edits];
  for (const over of overEvents) {
    const next: T[] = [];
    for (const edit of current) {
      const rebased = rebaseEdit(edit, over);
      if (rebased) next.push(rebased);
    }
    current = next;
  }
  return current;
}

/**
 * Where `change` sits relative to `edit`: wholly before it (the edit must shift), wholly after it
 * (the edit stays), or overlapping it.
 */
export function relate(edit: Range, change: Range): 'before' | 'after' | 'overlap' {
  const bothEmptyAtSamePoint =
    isSamePosition(edit.start, edit.end) &&
    isSamePosition(change.start, change.end) &&
    isSamePosition(edit.start, change.start);
  if (bothEmptyAtSamePoint) return 'overlap';
  if (!isAfter(change.end, edit.start)) return 'before';
  if (!isBefore(change.start, edit.end)) return 'after';
  return 'overlap';
}

/**
 * The whole lines an edit touches, before and after it. Line breaks inside the hunk are '\n'
 * whatever the document uses; the range is clamped into the document.
 */
export function editToHunk(text: string, edit: TextEdit): Hunk {
  return hunkFromIndex(new LineIndex(text), edit);
}

/** editToHunk over a prebuilt index, for callers that already hold one. */
export function hunkFromIndex(index: LineIndex, edit: TextEdit): Hunk {
  const range = index.validateRange(edit.range);
  const firstLine = index.lineAt(range.start.line);
  const lastLine = index.lineAt(range.end.line);
  const linesStart = firstLine ? firstLine.startOffset : 0;
  const linesEnd = lastLine ? lastLine.endOffset : index.text.length;
  const before = index.text.slice(linesStart, linesEnd);
  const after =
    index.text.slice(linesStart, index.offsetAt(range.start)) +
    edit.text +
    index.text.slice(index.offsetAt(range.end), linesEnd);
  return {
    path: edit.path,
    startLine: range.start.line,
    beforeText: normalizeEol(before, '\n'),
    afterText: normalizeEol(after, '\n'),
  };
}

/** True when applying the edit would not change the text. */
export function isNoOpEdit(text: string, edit: TextEdit): boolean {
  return new LineIndex(text).getText(edit.range) === edit.text;
}

function resolveEdits(text: string, edits: readonly TextEdit[], options: ApplyOptions): ResolvedEdit[] | Conflict {
  if (edits.length === 0) return [];
  const path = edits[0]?.path;
  if (edits.some((edit) => edit.path !== path)) {
    return { kind: 'conflict', reason: 'edits for more than one path; use applyWorkspaceEdits' };
  }
  const index = new LineIndex(text);
  const eol = targetEol(text, options);
  const ordered = edits
    .map((edit, order) => ({ edit, order, range: index.validateRange(edit.range) }))
    .sort(
      (a, b) =>
        comparePositions(a.range.start, b.range.start) ||
        comparePositions(a.range.end, b.range.end) ||
        a.order - b.order,
    );
  const resolved: ResolvedEdit[] = [];
  let previousEnd = 0;
  for (const { edit, range } of ordered) {
    const startOffset = index.offsetAt(range.start);
    const endOffset = index.offsetAt(range.end);
    if (startOffset < previousEnd) {
      return { kind: 'conflict', reason: `overlapping edits at line ${range.start.line + 1}` };
    }
    previousEnd = endOffset;
    resolved.push({ edit, startOffset, endOffset, inserted: eol ? normalizeEol(edit.text, eol) : edit.text });
  }
  return resolved;
}

function targetEol(text: string, options: ApplyOptions): EndOfLine | undefined {
  const eol = options.eol ?? 'auto';
  if (eol === 'literal') return undefined;
  if (eol === 'auto') return uniformEol(text);
  if (eol === '\n' || eol === '\r\n') return eol;
  throw new TypeError(`eol must be 'auto', 'literal', '\\n' or '\\r\\n', got ${JSON.stringify(eol)}`);
}

function splice(text: string, resolved: readonly ResolvedEdit[]): string {
  const parts: string[] = [];
  let cursor = 0;
  for (const item of resolved) {
    parts.push(text.slice(cursor, item.startOffset), item.inserted);
    cursor = item.endOffset;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}

/** Moves a position at or after the end of `over`'s range to follow the inserted text. */
function shiftAfter(position: Position, over: ChangeEvent): Position {
  const end = over.range.end;
  const insertedEnd = advancePosition(over.range.start, over.text);
  if (position.line === end.line) {
    return { line: insertedEnd.line, character: insertedEnd.character + position.character - end.character };
  }
  return { line: position.line + insertedEnd.line - end.line, character: position.character };
}

function groupByPath(edits: readonly TextEdit[]): Map<string, TextEdit[]> {
  const groups = new Map<string, TextEdit[]>();
  for (const edit of edits) {
    const group = groups.get(edit.path);
    if (group) group.push(edit);
    else groups.set(edit.path, [edit]);
  }
  return groups;
}
