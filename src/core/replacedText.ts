// What a suggested edit replaces, kept exact from the moment the engine makes the suggestion to the
// moment the editor applies it: stamped from the engine's copy of the document, carried through
// every change the user makes around it, and checked against the document at accept. An edit whose
// replaced text can no longer be known exactly is dropped, never guessed.

import { LineIndex, isAfter, isBefore, isSamePosition } from './text';
import type { ChangeEvent, Range, ReplacedText, ScoredEdit } from './types';

/**
 * Stamps suggested edits, as they leave the engine, with what each one replaces in `textOf(path)`.
 * A batch with an edit whose document is unknown, or whose range is not a valid range of it, gets
 * undefined: nothing could ever check such an edit before applying it. Each document is read and
 * indexed once per reader.
 */
export function replacedTextReader(
  textOf: (path: string) => string | undefined,
): <T extends ScoredEdit>(edits: readonly T[]) => T[] | undefined {
  const indexes = new Map<string, LineIndex | undefined>();
  const indexOf = (path: string): LineIndex | undefined => {
    if (!indexes.has(path)) {
      const text = textOf(path);
      indexes.set(path, text === undefined ? undefined : new LineIndex(text));
    }
    return indexes.get(path);
  };
  return (edits) => {
    const stamped = [];
    for (const edit of edits) {
      const index = indexOf(edit.path);
      const replaced = index && replacedIn(index, edit.range);
      if (!replaced) return undefined;
      stamped.push({ ...edit, replaced });
    }
    return stamped;
  };
}

/** What `range` replaces in the indexed document, or undefined when it is not a valid range there. */
export function replacedIn(index: LineIndex, range: Range): ReplacedText | undefined {
  const valid = index.validateRange(range);
  if (!isSamePosition(valid.start, range.start) || !isSamePosition(valid.end, range.end)) return undefined;
  return {
    text: index.getText(range),
    before: index.getText({ start: { line: range.start.line, character: 0 }, end: range.start }),
    after: index.getText({ start: range.end, end: { line: range.end.line, character: Number.MAX_SAFE_INTEGER } }),
  };
}

/** Whether the indexed document still holds what `edit` replaces, exactly where it was. */
export function holdsReplacedText(index: LineIndex, edit: ScoredEdit): boolean {
  const expected = edit.replaced;
  const actual = replacedIn(index, edit.range);
  return (
    expected !== undefined &&
    actual !== undefined &&
    actual.text === expected.text &&
    actual.before === expected.before &&
    actual.after === expected.after
  );
}

/**
 * What an edit at `range` replaces once `over` is applied, for a change that does not overlap the
 * range: it ends at or before the range's start, or starts at or after its end. Undefined when the
 * change overlaps it after all, or joins the edit's line to a line whose text is not known here
 * (a line break deleted next to it, say).
 */
export function rebaseReplacedText(replaced: ReplacedText, range: Range, over: ChangeEvent): ReplacedText | undefined {
  const { start, end } = over.range;
  if (end.line < range.start.line || start.line > range.end.line) return replaced;
  if (!isAfter(end, range.start)) {
    // The change ends on the range's first line, before the range.
    const kept = replaced.before.slice(end.character);
    const lastLine = lastLineOf(over.text);
    if (lastLine !== undefined) return { ...replaced, before: lastLine + kept };
    if (start.line !== range.start.line) return undefined;
    return { ...replaced, before: replaced.before.slice(0, start.character) + over.text + kept };
  }
  if (isBefore(start, range.end)) return undefined;
  // The change starts on the range's last line, after the range.
  const kept = replaced.after.slice(0, start.character - range.end.character);
  const firstLine = firstLineOf(over.text);
  if (firstLine !== undefined) return { ...replaced, after: kept + firstLine };
  if (end.line !== range.end.line) return undefined;
  return { ...replaced, after: kept + over.text + replaced.after.slice(end.character - range.end.character) };
}

/** The text after the last line break, or undefined when there is none. */
function lastLineOf(text: string): string | undefined {
  const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  return lastBreak < 0 ? undefined : text.slice(lastBreak + 1);
}

/** The text before the first line break, or undefined when there is none. */
function firstLineOf(text: string): string | undefined {
  const firstBreak = text.search(/[\r\n]/);
  return firstBreak < 0 ? undefined : text.slice(0, firstBreak);
}
