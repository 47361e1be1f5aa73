// Deciding how a suggestion is shown, as a pure function of the suggestion, the cursor and what is
// on screen: ghost text for an insertion at the cursor, an inline diff for edits in view, and a
// "Tab to jump" hint for anything elsewhere.

import { rebaseReplacedText } from '../core/replacedText';
import { comparePositions, isEmptyRange, type ChangeEvent, type Cursor, type Position, type Range, type ScoredEdit, type Suggestion } from '../core/types';

/** A line span on screen, inclusive start and inclusive end (like VS Code's visibleRanges). */
export interface VisibleLines {
  readonly startLine: number;
  readonly endLine: number;
}

export type Presentation =
  | { readonly kind: 'ghost'; readonly edit: ScoredEdit }
  | { readonly kind: 'inline'; readonly edits: readonly ScoredEdit[] }
  | { readonly kind: 'jump'; readonly target: ScoredEdit; readonly inView: readonly ScoredEdit[] };

export function choosePresentation(
  suggestion: Suggestion,
  cursor: Cursor,
  visible: readonly VisibleLines[],
): Presentation | undefined {
  const first = suggestion.edits[0];
  if (!first) return undefined;
  if (suggestion.edits.length === 1 && isInsertionAt(first, cursor)) return { kind: 'ghost', edit: first };
  const inView = suggestion.edits.filter((edit) => edit.path === cursor.path && isVisible(edit.range, visible));
  if (inView.length === suggestion.edits.length) return { kind: 'inline', edits: inView };
  const target = suggestion.edits.find((edit) => !inView.includes(edit)) ?? first;
  return { kind: 'jump', target, inView };
}

export function isInsertionAt(edit: ScoredEdit, cursor: Cursor): boolean {
  return edit.path === cursor.path && isEmptyRange(edit.range) && comparePositions(edit.range.start, cursor.position) === 0 && edit.text.length > 0;
}

function isVisible(range: Range, visible: readonly VisibleLines[]): boolean {
  return visible.some((lines) => range.start.line >= lines.startLine && range.end.line <= lines.endLine);
}

/**
 * Moves the edits of a shown suggestion past one change the user made, or returns undefined when
 * the change touches one of them, or joins one's line to a line whose text is unknown here (the
 * suggestion no longer applies as shown). What each edit replaces moves along, exactly.
 */
export function rebaseEdits(edits: readonly ScoredEdit[], change: ChangeEvent): ScoredEdit[] | undefined {
  const rebased: ScoredEdit[] = [];
  for (const edit of edits) {
    if (edit.path !== change.path) {
      rebased.push(edit);
      continue;
    }
    if (overlapsOrTouches(edit.range, change.range)) return undefined;
    const replaced = edit.replaced && rebaseReplacedText(edit.replaced, edit.range, change);
    if (edit.replaced && !replaced) return undefined;
    const carried = replaced === edit.replaced ? edit : { ...edit, replaced };
    if (comparePositions(change.range.end, edit.range.start) <= 0) {
      rebased.push({ ...carried, range: { start: shift(edit.range.start, change), end: shift(edit.range.end, change) } });
    } else {
      rebased.push(carried);
    }
  }
  return rebased;
}

function overlapsOrTouches(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

/** Where `position` (at or after the change's end) lands once the change is applied. */
export function shift(position: Position, change: ChangeEvent): Position {
  const insertedLines = change.text.split('\n');
  const lastInserted = insertedLines[insertedLines.length - 1] ?? '';
  const lineDelta = insertedLines.length - 1 - (change.range.end.line - change.range.start.line);
  if (position.line !== change.range.end.line) return { line: position.line + lineDelta, character: position.character };
  const baseCharacter = insertedLines.length === 1 ? change.range.start.character + lastInserted.length : lastInserted.length;
  return { line: position.line + lineDelta, character: baseCharacter + (position.character - change.range.end.character) };
}

/** "utils.ts:42": the file's base name and 1-based line, as people read locations. */
export function describeLocation(edit: ScoredEdit): string {
  const name = edit.path.slice(edit.path.lastIndexOf('/') + 1);
  return `${name}:${edit.range.start.line + 1}`;
}

/** Suggestions the user asked to see, by eagerness: the best first, weak ones dropped. */
export function confidentSuggestions(suggestions: readonly Suggestion[], minConfidence: number): Suggestion[] {
  return suggestions.filter((suggestion) => suggestion.score >= minConfidence && suggestion.edits.length > 0);
}
