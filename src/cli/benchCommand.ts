// `ripple bench`: many predictions in one process, as the editor would make them (index built
// and model loaded beforehand), one JSON line per case, and a latency/accuracy summary.

import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { applyEdits } from '../core/edits';
import type { Logger } from '../core/ports';
import type { ChangeEvent, Cursor, ScoredEdit } from '../core/types';
import { createEngine, openWorkspace, type Workspace } from '../node/createEngine';
import { parseCursorObject, parseEvents, parseJson, requireFlag, unitIntervalFlag, UsageError } from './inputs';
import { existingDirectory, parseSources, round } from './predictCommand';
import { replayAndPredict } from './replay';
import { percentile } from './statistics';
import { measureTypingThrough } from './typingThrough';

export const BENCH_TOP_EDITS = 5;

interface BenchCase {
  readonly id: string;
  readonly workspace: string;
  readonly events: ChangeEvent[];
  readonly cursor?: Cursor;
  /** The edited file as each acceptable next edit leaves it: its full text or its sha256. */
  readonly expectedFiles?: readonly ExpectedFile[];
}

interface ExpectedFile {
  readonly path: string;
  readonly text?: string;
  readonly sha256?: string;
}

interface CaseOutcome {
  readonly latencyMs: number;
  readonly shown: boolean;
  readonly exact?: boolean;
  readonly cacheHitMs?: number;
}

export async function benchCommand(flags: ReadonlyMap<string, string>, logger: Logger): Promise<string> {
  const casesPath = requireFlag(flags, 'cases');
  const outPath = requireFlag(flags, 'out');
  const rawSources = flags.get('sources');
  const baseline = rawSources === 'baseline';
  const sources = baseline ? 'symbolic' : parseSources(rawSources);
  // Below the shown threshold too (0 shows everything): for calibrating confidence gates.
  const minScore = unitIntervalFlag(flags, 'min-score');
  const cases = await readCases(casesPath);
  const output = createWriteStream(outPath);
  const outcomes: CaseOutcome[] = [];

  for (const [workspacePath, group] of groupByWorkspace(cases)) {
    const workspaceRoot = await existingDirectory(workspacePath);
    const workspace = openWorkspace({ workspaceRoot, logger, modelDirectory: flags.get('model') }, new AbortController().signal);
    try {
      await workspace.ready;
      await workspace.warmUp();
      for (const benchCase of group) {
        outcomes.push(await runCase(workspace, benchCase, { baseline, sources, logger, ...(minScore === undefined ? {} : { minScore }) }, output));
      }
    } finally {
      workspace.dispose();
    }
  }
  await new Promise<void>((done, fail) => output.end((error?: Error | null) => (error ? fail(error) : done())));
  return summarize(outcomes);
}

async function runCase(
  workspace: Workspace,
  benchCase: BenchCase,
  options: { baseline: boolean; sources: 'symbolic' | 'model' | 'all'; logger: Logger; minScore?: number },
  output: NodeJS.WritableStream,
): Promise<CaseOutcome> {
  const engine = createEngine(workspace, {
    logger: options.logger,
    baseline: options.baseline,
    ...(options.minScore === undefined ? {} : { minScore: options.minScore }),
  });
  try {
    const outcome = await replayAndPredict(
      engine,
      {
        workspaceRoot: workspace.root,
        events: benchCase.events,
        ...(benchCase.cursor ? { cursor: benchCase.cursor } : {}),
        sources: options.sources,
        top: BENCH_TOP_EDITS,
      },
      workspace.clock,
      new AbortController().signal,
    );
    output.write(`${JSON.stringify({ id: benchCase.id, edits: outcome.edits, latencyMs: round(outcome.latencyMs) })}\n`);
    const exact = benchCase.expectedFiles ? isExact(engine.documentText.bind(engine), outcome.edits[0], benchCase.expectedFiles) : undefined;
    const cacheHitMs = await measureTypingThrough(engine, outcome, options.sources, workspace.clock);
    // The index is shared by the cases of a workspace: put back what this case's events changed.
    for (const [path, text] of outcome.originalTexts) await workspace.index.update(path, text);
    return {
      latencyMs: outcome.latencyMs,
      shown: outcome.edits.length > 0,
      ...(exact === undefined ? {} : { exact }),
      ...(cacheHitMs === undefined ? {} : { cacheHitMs }),
    };
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`case ${benchCase.id}: ${error.message}`);
    throw error;
  } finally {
    engine.dispose();
  }
}

function isExact(
  documentText: (path: string) => string | undefined,
  first: ScoredEdit | undefined,
  expectedFiles: readonly ExpectedFile[],
): boolean {
  if (!first) return false;
  const current = documentText(first.path);
  if (current === undefined) return false;
  const applied = applyEdits(current, [first]);
  if (applied.kind !== 'applied') return false;
  const digest = createHash('sha256').update(applied.text, 'utf8').digest('hex');
  return expectedFiles.some(
    (expected) => expected.path === first.path && (expected.text === undefined ? expected.sha256 === digest : expected.text === applied.text),
  );
}

function summarize(outcomes: readonly CaseOutcome[]): string {
  const latencies = outcomes.map((outcome) => outcome.latencyMs);
  const shown = outcomes.filter((outcome) => outcome.shown).length;
  const scored = outcomes.filter((outcome) => outcome.exact !== undefined);
  const exact = scored.filter((outcome) => outcome.exact).length;
  const shownScored = scored.filter((outcome) => outcome.shown).length;
  const cacheHits = outcomes.flatMap((outcome) => (outcome.cacheHitMs === undefined ? [] : [outcome.cacheHitMs]));
  const lines = [
    `cases ${outcomes.length}, shown ${shown} (coverage ${ratio(shown, outcomes.length)})`,
    `latency p50 ${round(percentile(latencies, 50))} ms, p95 ${round(percentile(latencies, 95))} ms, max ${round(Math.max(0, ...latencies))} ms`,
  ];
  if (scored.length > 0) {
    lines.push(`exact@1 ${ratio(exact, scored.length)} (${exact}/${scored.length}), precision when shown ${ratio(exact, shownScored)}`);
  }
  if (cacheHits.length > 0) {
    lines.push(`typing-through cache hits ${cacheHits.length}: p50 ${round(percentile(cacheHits, 50))} ms, p95 ${round(percentile(cacheHits, 95))} ms`);
  }
  return lines.join('\n');
}

function ratio(numerator: number, denominator: number): string {
  return denominator === 0 ? 'n/a' : (numerator / denominator).toFixed(3);
}

function groupByWorkspace(cases: readonly BenchCase[]): Map<string, BenchCase[]> {
  const groups = new Map<string, BenchCase[]>();
  for (const benchCase of cases) {
    const key = resolve(benchCase.workspace);
    groups.set(key, [...(groups.get(key) ?? []), benchCase]);
  }
  return groups;
}

async function readCases(path: string): Promise<BenchCase[]> {
  const cases: BenchCase[] = [];
  const lines = createInterface({ input: createReadStream(path).on('error', () => undefined), crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      cases.push(parseCase(parseJson(line, `${path}:${lineNumber}`), `${path}:${lineNumber}`));
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read cases file ${path}`);
  }
  if (cases.length === 0) throw new UsageError(`cases file ${path} holds no cases`);
  return cases;
}

function parseCase(value: unknown, where: string): BenchCase {
  if (typeof value !== 'object' || value === null) throw new UsageError(`${where}: a case must be an object`);
  const record = value as Record<string, unknown>;
  if (typeof record.id !== 'string' && typeof record.id !== 'number') throw new UsageError(`${where}: id is required`);
  if (typeof record.workspace !== 'string') throw new UsageError(`${where}: workspace must be a path`);
  const cursor = parseCursorObject(record.cursor, `${where}: cursor`);
  const expectedFiles = Array.isArray(record.expectedFiles)
    ? record.expectedFiles.filter(
        (item): item is ExpectedFile =>
          typeof item === 'object' &&
          item !== null &&
          typeof item.path === 'string' &&
          (typeof item.text === 'string' || typeof item.sha256 === 'string'),
      )
    : undefined;
  return {
    id: String(record.id),
    workspace: record.workspace,
    events: parseEvents(record.events, `${where}: events`),
    ...(cursor ? { cursor } : {}),
    ...(expectedFiles ? { expectedFiles } : {}),
  };
}
