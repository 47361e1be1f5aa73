// Deciding how a suggestion is shown, as a pure function of the suggestion, the cursor and what is
// on screen: ghost text for an insertion at the cursor, an inline diff for edits in view, and a
// "Tab to jump" hint for anything elsewhere.

import { rebaseEdit } from '../core/edits';
import { comparePositions, isEmptyRange, type ChangeEvent, type Cursor, type Range, type ScoredEdit, type Suggestion } from '../core/types';

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
 * suggestion no longer applies as shown). What each edit replaces moves along, exactly: the
 * moving is the core's rebaseEdit; only "touching" is stricter here, because a change right
 * next to a shown edit means the user is working on it.
 */
export function rebaseEdits(edits: readonly ScoredEdit[], change: ChangeEvent): ScoredEdit[] | undefined {
  const rebased: ScoredEdit[] = [];
  for (const edit of edits) {
    if (edit.path === change.path && overlapsOrTouches(edit.range, change.range)) return undefined;
    const moved = rebaseEdit(edit, change);
    if (!moved) return undefined;
    rebased.push(moved);
  }
  return rebased;
}

function overlapsOrTouches(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
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
