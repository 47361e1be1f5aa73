// Measures the cache's promise: after a suggestion that inserts at the cursor, typing its first
// character must be answered from the cache, without a new prediction.

import type { NextEditEngine } from '../core/engineApi';
import type { Cursor, SourceSelection, TextEdit } from '../core/types';
import { comparePositions, isEmptyRange } from '../core/types';
import type { ReplayOutcome } from './replay';

/** Milliseconds of the follow-up prediction when it was a cache hit; undefined otherwise. */
export async function measureTypingThrough(
  engine: NextEditEngine,
  outcome: ReplayOutcome,
  sources: SourceSelection,
  clock: () => number,
): Promise<number | undefined> {
  if (outcome.result.kind !== 'suggestions') return undefined;
  const first = outcome.result.suggestions[0]?.edits[0];
  if (!first) return undefined;
  return typeIntoInsertion(engine, outcome.cursor, first, sources, clock);
}

/**
 * Types the first character of `insertion` (an insertion at `cursor`) and predicts again;
 * resolves to that prediction's latency when the cache answered it.
 */
export async function typeIntoInsertion(
  engine: NextEditEngine,
  cursor: Cursor,
  insertion: TextEdit,
  sources: SourceSelection,
  clock: () => number,
): Promise<number | undefined> {
  if (!isInsertionAt(insertion, cursor) || insertion.text.length < 2) return undefined;
  const typed = insertion.text.slice(0, insertion.text.codePointAt(0)! > 0xffff ? 2 : 1);
  if (typed === '\n' || typed === '\r') return undefined;
  const at = cursor.position;
  if (!engine.recordChange({ path: cursor.path, range: { start: at, end: at }, text: typed }, clock())) return undefined;
  const next = { path: cursor.path, position: { line: at.line, character: at.character + typed.length } };
  const followUp = await engine.predict(next, { sources }, new AbortController().signal);
  if (followUp.kind !== 'suggestions' || followUp.suggestions[0]?.source !== 'cache') return undefined;
  return followUp.latencyMs;
}

function isInsertionAt(edit: TextEdit, cursor: Cursor): boolean {
  return edit.path === cursor.path && isEmptyRange(edit.range) && comparePositions(edit.range.start, cursor.position) === 0;
}
