// The benchmark's baseline: "do the last edit again at the next place it literally fits".
// Deliberately naive (exact text, no tokens, no context) so that the symbolic and learned
// predictors have a floor to beat.

import { SourceText } from './codeTokens';
import type { RecordedEdit, ScoredEdit } from './types';

/**
 * Replays the newest edit once: its removed text is found again after the edit (wrapping to the
 * start of the file) and replaced by its inserted text. A pure insertion is anchored on the text
 * before it on its line: the next occurrence of that prefix gets the same text inserted after it.
 * Returns no edit when the file is unknown or nothing fits.
 */
export function repeatLastEdit(history: readonly RecordedEdit[], readText: (path: string) => string | undefined): ScoredEdit[] {
  const edit = history[history.length - 1];
  if (!edit) return [];
  const text = readText(edit.path);
  if (text === undefined) return [];
  const document = new SourceText(edit.path, text);
  const editStart = document.offsetAt(edit.range.start);
  const editEnd = editStart + edit.insertedText.length;
  if (text.slice(editStart, editEnd) !== edit.insertedText) return [];

  const anchor = edit.removedText !== '' ? edit.removedText : text.slice(document.lineStart(edit.range.start.line), editStart);
  if (anchor.trim() === '') return [];
  const isInsertion = edit.removedText === '';
  const fits = (found: number): boolean => {
    const start = isInsertion ? found + anchor.length : found;
    const end = isInsertion ? start : found + anchor.length;
    // Not the edited text itself, and not a place that already reads like the result.
    if (found < editEnd && found + anchor.length > editStart - (isInsertion ? anchor.length : 0)) return false;
    return !(isInsertion && text.startsWith(edit.insertedText, start)) && end <= text.length;
  };
  const found = nextOccurrence(text, anchor, editEnd, fits) ?? nextOccurrence(text, anchor, 0, (offset) => offset < editStart && fits(offset));
  if (found === undefined) return [];
  const start = isInsertion ? found + anchor.length : found;
  const end = isInsertion ? start : found + anchor.length;
  return [
    {
      path: edit.path,
      range: { start: document.positionAt(start), end: document.positionAt(end) },
      text: edit.insertedText,
      score: 1,
      source: 'propagation',
    },
  ];
}

function nextOccurrence(text: string, needle: string, from: number, fits: (offset: number) => boolean): number | undefined {
  for (let found = text.indexOf(needle, from); found !== -1; found = text.indexOf(needle, found + 1)) {
    if (fits(found)) return found;
  }
  return undefined;
}
