// Measures the cache's promise: after a suggestion that inserts at the cursor, typing its first
// character must be answered from the cache, without a new prediction.

import type { NextEditEngine } from '../core/engineApi';
import type { SourceSelection } from '../core/types';
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
  if (!first || !isEmptyRange(first.range) || first.path !== outcome.cursor.path) return undefined;
  if (comparePositions(first.range.start, outcome.cursor.position) !== 0 || first.text.length < 2) return undefined;
  const typed = first.text.slice(0, first.text.codePointAt(0)! > 0xffff ? 2 : 1);
  if (typed === '\n' || typed === '\r') return undefined;
  const at = outcome.cursor.position;
  const applied = engine.recordChange({ path: first.path, range: { start: at, end: at }, text: typed }, clock());
  if (!applied) return undefined;
  const cursor = { path: first.path, position: { line: at.line, character: at.character + typed.length } };
  const followUp = await engine.predict(cursor, { sources }, new AbortController().signal);
  if (followUp.kind !== 'suggestions' || followUp.suggestions[0]?.source !== 'cache') return undefined;
  return followUp.latencyMs;
}
