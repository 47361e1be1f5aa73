// `ripple predict`: one next-edit prediction for a workspace and a recorded edit sequence,
// printed as one JSON object (the contract the benchmark and scripts rely on).

import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SourceSelection } from '../core/types';
import type { Logger } from '../core/ports';
import { createEngine, openWorkspace } from '../node/createEngine';
import { parseCursorFlag, parseEvents, parseJson, positiveIntegerFlag, requireFlag, UsageError } from './inputs';
import { replayAndPredict } from './replay';

export const DEFAULT_TOP_EDITS = 5;

export async function predictCommand(flags: ReadonlyMap<string, string>, logger: Logger): Promise<string> {
  const workspaceRoot = await existingDirectory(requireFlag(flags, 'workspace'));
  const eventsPath = requireFlag(flags, 'events');
  const eventsText = await readFile(eventsPath, 'utf8').catch(() => {
    throw new UsageError(`cannot read events file ${eventsPath}`);
  });
  const events = parseEvents(parseJson(eventsText, `events file ${eventsPath}`), 'events');
  const cursorFlag = flags.get('cursor');
  const cursor = cursorFlag === undefined ? undefined : parseCursorFlag(cursorFlag);
  const top = positiveIntegerFlag(flags, 'top', DEFAULT_TOP_EDITS);
  const sources = parseSources(flags.get('sources'));

  const workspace = openWorkspace({ workspaceRoot, logger, modelDirectory: flags.get('model') }, new AbortController().signal);
  try {
    await workspace.ready;
    await workspace.warmUp();
    const engine = createEngine(workspace, { logger });
    const outcome = await replayAndPredict(
      engine,
      { workspaceRoot, events, ...(cursor ? { cursor } : {}), sources, top },
      workspace.clock,
      new AbortController().signal,
    );
    engine.dispose();
    return JSON.stringify({ edits: outcome.edits, latencyMs: round(outcome.latencyMs) });
  } finally {
    workspace.dispose();
  }
}

export function parseSources(raw: string | undefined): SourceSelection {
  if (raw === undefined) return 'all';
  if (raw === 'symbolic' || raw === 'model' || raw === 'all') return raw;
  throw new UsageError(`--sources must be symbolic, model or all, got '${raw}'`);
}

export async function existingDirectory(path: string): Promise<string> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`workspace ${path} is not a directory`);
  return absolute;
}

export function round(milliseconds: number): number {
  return Math.round(milliseconds * 100) / 100;
}
