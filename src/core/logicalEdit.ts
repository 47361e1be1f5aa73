// Which recorded edits form the user's latest change, and that change's whole lines before and
// after. Keystroke-level edits that continue one another (delete `count`, then type `total`) are
// merged back into one change; its lines are rebuilt from the current document so that the view
// never depends on how the history trimmed the edit.

import { SourceText } from './codeTokens';
import { advancePosition, splitLines } from './text';
import { comparePositions, type Position, type Range, type RecordedEdit } from './types';

/** Consecutive edits closer than this in time, touching the same text, form one change. */
export const MERGE_GAP_MS = 3000;
export const MAX_MERGED_EDITS = 8;
/** The newest change as one unit: keystrokes on the same span are merged back together. */
export interface LogicalEdit {
  readonly path: string;
  /** Range in the document before the first merged edit. */
  readonly range: Range;
  readonly removedText: string;
  readonly insertedText: string;
  readonly timestampMs: number;
  readonly newest: RecordedEdit;
  readonly mergedCount: number;
}

/** The changed lines of a logical edit, before and after, plus where the new text lies now. */
export interface EditView {
  readonly before: SourceText;
  readonly after: SourceText;
  /** Document line of the first line of both views. */
  readonly startLine: number;
  /** Offsets in the current document of the inserted text. */
  readonly insertedStart: number;
  readonly insertedEnd: number;
  /** The edit lies inside a comment: the lines alone cannot tell a block comment from code. */
  readonly inComment: boolean;
}

/** Merges the newest edits that continue one another back into one change. */
export function logicalEdit(history: readonly RecordedEdit[]): LogicalEdit | undefined {
  const newest = history[history.length - 1];
  if (!newest) return undefined;
  let merged: LogicalEdit = { ...newest, newest, mergedCount: 1 };
  for (let index = history.length - 2; index >= 0 && merged.mergedCount < MAX_MERGED_EDITS; index--) {
    const previous = history[index]!;
    if (previous.path !== merged.path || merged.timestampMs - previous.timestampMs > MERGE_GAP_MS) break;
    const insertedEnd = advancePosition(previous.range.start, previous.insertedText);
    if (comparePositions(merged.range.start, previous.range.start) < 0 || comparePositions(merged.range.end, insertedEnd) > 0) break;
    const from = offsetWithin(previous.insertedText, previous.range.start, merged.range.start);
    const to = offsetWithin(previous.insertedText, previous.range.start, merged.range.end);
    if (from === undefined || to === undefined) break;
    merged = {
      ...merged,
      range: previous.range,
      removedText: previous.removedText,
      insertedText: previous.insertedText.slice(0, from) + merged.insertedText + previous.insertedText.slice(to),
      mergedCount: merged.mergedCount + 1,
    };
  }
  return merged;
}

/** Rebuilds the edit's whole lines from the current document; undefined when they disagree. */
export function editView(edit: LogicalEdit, document: SourceText): EditView | undefined {
  const insertedStart = document.offsetAt(edit.range.start);
  const insertedEnd = insertedStart + edit.insertedText.length;
  if (document.positionAt(insertedStart).character !== edit.range.start.character) return undefined;
  if (document.text.slice(insertedStart, insertedEnd) !== edit.insertedText) return undefined;
  const lineStart = document.lineStart(edit.range.start.line);
  const lineEnd = document.lineEnd(document.lineOf(insertedEnd));
  const afterText = document.text.slice(lineStart, lineEnd);
  const beforeText = document.text.slice(lineStart, insertedStart) + edit.removedText + document.text.slice(insertedEnd, lineEnd);
  const inComment =
    !edit.insertedText.includes('\n') && !edit.removedText.includes('\n') && document.inComment(insertedStart) && document.inComment(Math.max(insertedStart, insertedEnd - 1));
  return { ...viewOf(document.path, beforeText, afterText, edit.range.start.line, insertedStart, insertedEnd), inComment };
}

/** A view from an old edit's recorded hunk, for comparing patterns across the history. */
export function hunkView(edit: RecordedEdit): EditView {
  return viewOf(edit.path, edit.hunk.beforeText, edit.hunk.afterText, edit.hunk.startLine, -1, -1);
}

function viewOf(path: string, before: string, after: string, startLine: number, insertedStart: number, insertedEnd: number): EditView {
  return { before: new SourceText(path, before), after: new SourceText(path, after), startLine, insertedStart, insertedEnd, inComment: false };
}



/** Offset into `text` (inserted at `origin`) of a document position, if it lies inside it. */
function offsetWithin(text: string, origin: Position, position: Position): number | undefined {
  if (position.line === origin.line) return position.character >= origin.character ? position.character - origin.character : undefined;
  let offset = 0;
  for (let line = origin.line; line < position.line; line++) {
    const newline = text.slice(offset).search(/\r\n|\r|\n/);
    if (newline === -1) return undefined;
    offset += newline + (text.startsWith('\r\n', offset + newline) ? 2 : 1);
  }
  const lineLength = splitLines(text.slice(offset))[0]!.length;
  return position.character <= lineLength ? offset + position.character : undefined;
}
