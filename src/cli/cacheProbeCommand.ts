// `ripple cache-probe`: how fast typing into a shown suggestion is answered, on the benchmark's
// real documents. For each typing case the expected completion is stored as if it had just been
// predicted, its first character is typed, and the follow-up prediction must come from the cache.

import { readFile } from 'node:fs/promises';
import type { Logger } from '../core/ports';
import type { Suggestion, TextEdit } from '../core/types';
import { createEngine, openWorkspace } from '../node/createEngine';
import { parseCursorObject, parseEvents, parseJson, positiveIntegerFlag, requireFlag } from './inputs';
import { existingDirectory, round } from './predictCommand';
import { replayEvents } from './replay';
import { percentile } from './statistics';
import { typeIntoInsertion } from './typingThrough';

export const DEFAULT_PROBE_LIMIT = 100;

export async function cacheProbeCommand(flags: ReadonlyMap<string, string>, logger: Logger): Promise<string> {
  const casesPath = requireFlag(flags, 'cases');
  const limit = positiveIntegerFlag(flags, 'limit', DEFAULT_PROBE_LIMIT);
  const lines = (await readFile(casesPath, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  const probes = lines
    .map((line, index) => parseJson(line, `${casesPath}:${index + 1}`) as Record<string, unknown>)
    .filter((item) => item.kind === 'typing' && Array.isArray(item.expected))
    .slice(0, limit);
  const latencies: number[] = [];
  let misses = 0;
  for (const probe of probes) {
    const workspaceRoot = await existingDirectory(String(probe.workspace));
    const workspace = openWorkspace({ workspaceRoot, logger, modelDirectory: flags.get('model') }, new AbortController().signal);
    const engine = createEngine(workspace, { logger });
    try {
      const events = parseEvents(probe.events, `${probe.id}: events`);
      const { cursor } = await replayEvents(engine, { workspaceRoot, events, ...optionalCursor(probe) }, workspace.clock);
      const expected = (probe.expected as TextEdit[])[0];
      if (!expected) continue;
      engine.primeCache(cursor, expectedSuggestion(expected));
      const latency = await typeIntoInsertion(engine, cursor, expected, 'symbolic', workspace.clock);
      if (latency === undefined) misses++;
      else latencies.push(latency);
    } finally {
      engine.dispose();
      workspace.dispose();
    }
  }
  return [
    `cache probes ${latencies.length + misses}: hits ${latencies.length}, misses ${misses}`,
    `typing-through cache hits ${latencies.length}: p50 ${round(percentile(latencies, 50))} ms, p95 ${round(percentile(latencies, 95))} ms, max ${round(Math.max(0, ...latencies))} ms`,
  ].join('\n');
}

function optionalCursor(probe: Record<string, unknown>): { cursor?: ReturnType<typeof parseCursorObject> & object } {
  const cursor = parseCursorObject(probe.cursor, `${String(probe.id)}: cursor`);
  return cursor ? { cursor } : {};
}

function expectedSuggestion(edit: TextEdit): Suggestion {
  return {
    id: `probe-${edit.path}-${edit.range.start.line}-${edit.range.start.character}`,
    edits: [{ ...edit, score: 1, source: 'model' }],
    score: 1,
    source: 'model',
    explanation: { snippets: [], confidence: 1, stageTimingsMs: {} },
  };
}
