// Replays recorded change events on a fresh engine and asks for the next edit: the shared core
// of `predict`, `bench` and `demo`, so all three measure exactly the same thing.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NextEditEngine } from '../core/engineApi';
import type { ChangeEvent, Cursor, PredictionResult, ScoredEdit, SourceSelection } from '../core/types';
import { cursorAfter, UsageError } from './inputs';

/** Spacing of replayed keystrokes on the engine's clock, so coalescing sees one typing burst. */
export const REPLAY_KEYSTROKE_INTERVAL_MS = 40;
/**
 * The prediction is asked for this long after the last replayed keystroke: the moment the user
 * pauses after an edit, when a next-edit suggestion matters (and a half-typed name is finished).
 */
export const REPLAY_PAUSE_MS = 1_000;

export interface ReplayRequest {
  readonly workspaceRoot: string;
  readonly events: readonly ChangeEvent[];
  readonly cursor?: Cursor;
  readonly sources: SourceSelection;
  readonly top: number;
}

export interface ReplayOutcome {
  readonly edits: ScoredEdit[];
  readonly latencyMs: number;
  readonly result: PredictionResult;
  readonly cursor: Cursor;
  /** The texts of the files the events touched, before the events, for restoring shared state. */
  readonly originalTexts: ReadonlyMap<string, string>;
}

export async function replayAndPredict(
  engine: NextEditEngine,
  request: ReplayRequest,
  clock: () => number,
  signal: AbortSignal,
): Promise<ReplayOutcome> {
  const { originalTexts, cursor } = await replayEvents(engine, request, clock);
  const result = await engine.predict(cursor, { sources: request.sources }, signal);
  const edits = result.kind === 'suggestions' ? flattenEdits(result, request.top) : [];
  return { edits, latencyMs: result.latencyMs, result, cursor, originalTexts };
}

/** Opens the touched documents and replays the events; returns the cursor to predict at. */
export async function replayEvents(
  engine: NextEditEngine,
  request: Pick<ReplayRequest, 'workspaceRoot' | 'events' | 'cursor'>,
  clock: () => number,
): Promise<{ originalTexts: Map<string, string>; cursor: Cursor }> {
  const originalTexts = await openTouchedDocuments(engine, request.workspaceRoot, request.events, request.cursor);
  let clockMs = clock() - REPLAY_PAUSE_MS - request.events.length * REPLAY_KEYSTROKE_INTERVAL_MS;
  request.events.forEach((event, index) => {
    clockMs += REPLAY_KEYSTROKE_INTERVAL_MS;
    if (!engine.recordChange(event, clockMs)) {
      throw new UsageError(`event ${index} does not apply to ${event.path} (range outside the document)`);
    }
  });
  const lastEvent = request.events[request.events.length - 1];
  const cursor = request.cursor ?? (lastEvent ? cursorAfter(lastEvent) : undefined);
  if (!cursor) throw new UsageError('no events and no --cursor: nothing to predict from');
  if (engine.documentText(cursor.path) === undefined) {
    const text = await readWorkspaceFile(request.workspaceRoot, cursor.path);
    engine.openDocument(cursor.path, text);
  }
  return { originalTexts, cursor };
}

/** Suggestions in rank order, each suggestion's edits in its own order, at most `top` edits. */
export function flattenEdits(result: PredictionResult, top: number): ScoredEdit[] {
  if (result.kind !== 'suggestions') return [];
  return result.suggestions.flatMap((suggestion) => suggestion.edits).slice(0, top);
}

async function openTouchedDocuments(
  engine: NextEditEngine,
  root: string,
  events: readonly ChangeEvent[],
  cursor: Cursor | undefined,
): Promise<Map<string, string>> {
  const originals = new Map<string, string>();
  const paths = new Set(events.map((event) => event.path));
  if (cursor) paths.add(cursor.path);
  for (const path of paths) {
    // A file the events create does not exist yet: it starts empty.
    const text = events.some((event) => event.path === path)
      ? await readWorkspaceFile(root, path).catch(() => '')
      : await readWorkspaceFile(root, path);
    originals.set(path, text);
    engine.openDocument(path, text);
  }
  return originals;
}

export async function readWorkspaceFile(root: string, path: string): Promise<string> {
  try {
    return await readFile(join(root, path), 'utf8');
  } catch {
    throw new UsageError(`cannot read ${path} in workspace ${root}`);
  }
}
