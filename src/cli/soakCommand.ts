// `ripple soak`: load and long-use checks. A keystroke burst where every keystroke aborts the
// previous prediction (as the VS Code layer does), a long run of edits and predictions watching
// memory, and optionally a huge generated workspace watching the index cap and the event loop.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NextEditEngine } from '../core/engineApi';
import type { Logger } from '../core/ports';
import type { ChangeEvent, Cursor, PredictionResult, SourceSelection } from '../core/types';
import { createEngine, openWorkspace } from '../node/createEngine';
import { positiveIntegerFlag, requireFlag, UsageError } from './inputs';
import { existingDirectory, parseSources, round } from './predictCommand';
import { percentile } from './statistics';

export const DEFAULT_SOAK_KEYSTROKES = 1_000;
export const DEFAULT_SOAK_INTERVAL_MS = 10;
export const DEFAULT_SOAK_PREDICTIONS = 10_000;
export const MEMORY_SAMPLE_EVERY_PREDICTIONS = 1_000;
/** Typing this many characters and then deleting them keeps the document's size bounded. */
export const TYPING_CYCLE_CHARS = 8;
export const BIG_WORKSPACE_FILES = 50_000;
export const BIG_WORKSPACE_MAX_INDEXED_FILES = 5_000;
export const EVENT_LOOP_PROBE_INTERVAL_MS = 10;
const FILES_PER_DIRECTORY = 500;
const BYTES_PER_MEGABYTE = 1024 * 1024;

export interface MemorySample {
  readonly rssMb: number;
  readonly heapUsedMb: number;
}

export interface BurstReport {
  readonly keystrokes: number;
  readonly intervalMs: number;
  /** Wall time of the burst: above keystrokes × intervalMs when predictions hold the event loop. */
  readonly durationMs: number;
  /** Predictions not yet resolved when the last keystroke was sent; 0 or 1 means no queue. */
  readonly unresolvedAtEnd: number;
  readonly rejected: number;
  readonly completed: number;
  readonly cancelled: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly max: number };
  readonly before: MemorySample;
  readonly after: MemorySample;
  readonly documentLengthOk: boolean;
}

export interface SustainedReport {
  readonly predictions: number;
  readonly rejected: number;
  readonly samples: readonly MemorySample[];
  readonly rssGrowthMb: number;
  readonly heapUsedGrowthMb: number;
  readonly documentLengthOk: boolean;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly max: number };
}

export interface BigWorkspaceReport {
  readonly files: number;
  readonly maxIndexedFiles: number;
  readonly indexed: number;
  readonly generateMs: number;
  readonly indexMs: number;
  readonly maxEventLoopDelayMs: number;
  readonly after: MemorySample;
}

export function memorySample(): MemorySample {
  const usage = process.memoryUsage();
  return { rssMb: round(usage.rss / BYTES_PER_MEGABYTE), heapUsedMb: round(usage.heapUsed / BYTES_PER_MEGABYTE) };
}

/** One edit of a sustained run: the change, how it changes the document's length, and where to predict next. */
export interface SustainedEdit {
  readonly event: ChangeEvent;
  readonly lengthDelta: number;
  readonly cursor: Cursor;
}

/**
 * The edit a keystroke makes at step `step` of a type-then-delete cycle, starting at `origin`:
 * the first half types characters, the second half deletes them again, last first.
 */
export function cycleEdit(path: string, origin: Cursor['position'], step: number): SustainedEdit {
  const phase = step % (2 * TYPING_CYCLE_CHARS);
  const line = origin.line;
  if (phase < TYPING_CYCLE_CHARS) {
    const at = { line, character: origin.character + phase };
    const event = { path, range: { start: at, end: at }, text: String.fromCharCode(97 + phase) };
    return { event, lengthDelta: 1, cursor: { path, position: { line, character: at.character + 1 } } };
  }
  const typed = 2 * TYPING_CYCLE_CHARS - phase;
  const start = { line, character: origin.character + typed - 1 };
  const event = { path, range: { start, end: { line, character: start.character + 1 } }, text: '' };
  return { event, lengthDelta: -1, cursor: { path, position: start } };
}

/** Where to type: the end of the first non-empty line, so edits stay inside the document. */
export function typingOrigin(text: string): Cursor['position'] {
  const lines = text.split('\n');
  const line = Math.max(0, lines.findIndex((candidate) => candidate.trim().length > 0));
  return { line, character: (lines[line] ?? '').replace(/\r$/, '').length };
}

function latencySummary(values: readonly number[]): BurstReport['latencyMs'] {
  if (values.length === 0) return { p50: 0, p95: 0, max: 0 };
  return { p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), max: round(Math.max(...values)) };
}

const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

export interface BurstOptions {
  readonly path: string;
  readonly keystrokes: number;
  readonly intervalMs: number;
  readonly sources: SourceSelection;
  readonly clock: () => number;
}

/** Newest wins: each keystroke aborts the prediction before it and starts a fresh one. */
export async function runBurst(engine: NextEditEngine, options: BurstOptions): Promise<BurstReport> {
  const initial = engine.documentText(options.path);
  if (initial === undefined) throw new UsageError(`${options.path} is not open`);
  const origin = typingOrigin(initial);
  const before = memorySample();
  const pending = new Set<Promise<PredictionResult>>();
  const settled: Promise<PredictionResult | 'rejected'>[] = [];
  let controller: AbortController | undefined;
  let expectedLength = initial.length;
  const startMs = performance.now();
  for (let step = 0; step < options.keystrokes; step++) {
    const { event, lengthDelta, cursor } = cycleEdit(options.path, origin, step);
    if (!engine.recordChange(event, options.clock())) throw new Error(`keystroke ${step} did not apply`);
    expectedLength += lengthDelta;
    controller?.abort();
    controller = new AbortController();
    const prediction = engine.predict(cursor, { sources: options.sources }, controller.signal);
    pending.add(prediction);
    settled.push(
      prediction.then(
        (result) => (pending.delete(prediction), result),
        () => (pending.delete(prediction), 'rejected' as const),
      ),
    );
    await sleep(options.intervalMs);
  }
  const unresolvedAtEnd = pending.size;
  const durationMs = round(performance.now() - startMs);
  const outcomes = await Promise.all(settled);
  const results = outcomes.filter((outcome): outcome is PredictionResult => outcome !== 'rejected');
  const cancelled = results.filter((result) => result.kind === 'none' && result.reason === 'cancelled');
  const completed = results.filter((result) => !(result.kind === 'none' && result.reason === 'cancelled'));
  return {
    keystrokes: options.keystrokes,
    intervalMs: options.intervalMs,
    durationMs,
    unresolvedAtEnd,
    rejected: outcomes.length - results.length,
    completed: completed.length,
    cancelled: cancelled.length,
    latencyMs: latencySummary(completed.map((result) => result.latencyMs)),
    before,
    after: memorySample(),
    documentLengthOk: engine.documentText(options.path)?.length === expectedLength,
  };
}

export interface SustainedOptions {
  readonly path: string;
  readonly predictions: number;
  readonly sources: SourceSelection;
  readonly clock: () => number;
  /** Called with each memory sample, e.g. to check the engine's own bounded structures. */
  readonly onSample?: (sample: MemorySample, predictions: number) => void;
  /** The edit before each prediction; typing and deleting a few characters (cycleEdit) by default. */
  readonly edit?: (step: number) => SustainedEdit;
  /**
   * Runs before each memory sample, so that the heap counts live objects only and growth means a
   * leak rather than garbage not yet collected (global.gc under node --expose-gc).
   */
  readonly collectGarbage?: () => void;
}

/** One edit, then one awaited prediction, many times over; memory sampled at intervals. */
export async function runSustained(engine: NextEditEngine, options: SustainedOptions): Promise<SustainedReport> {
  const initial = engine.documentText(options.path);
  if (initial === undefined) throw new UsageError(`${options.path} is not open`);
  const origin = typingOrigin(initial);
  const edit = options.edit ?? ((step: number) => cycleEdit(options.path, origin, step));
  const sampleMemory = (): MemorySample => {
    options.collectGarbage?.();
    return memorySample();
  };
  const samples: MemorySample[] = [sampleMemory()];
  const latencies: number[] = [];
  let expectedLength = initial.length;
  let rejected = 0;
  for (let step = 0; step < options.predictions; step++) {
    const { event, lengthDelta, cursor } = edit(step);
    if (!engine.recordChange(event, options.clock())) throw new Error(`edit ${step} did not apply`);
    expectedLength += lengthDelta;
    try {
      latencies.push((await engine.predict(cursor, { sources: options.sources }, new AbortController().signal)).latencyMs);
    } catch {
      rejected++;
    }
    if ((step + 1) % MEMORY_SAMPLE_EVERY_PREDICTIONS === 0) {
      const sample = sampleMemory();
      samples.push(sample);
      options.onSample?.(sample, step + 1);
    }
  }
  const first = samples[0] ?? sampleMemory();
  const last = samples[samples.length - 1] ?? first;
  return {
    predictions: options.predictions,
    rejected,
    samples,
    rssGrowthMb: round(last.rssMb - first.rssMb),
    heapUsedGrowthMb: round(last.heapUsedMb - first.heapUsedMb),
    documentLengthOk: engine.documentText(options.path)?.length === expectedLength,
    latencyMs: latencySummary(latencies),
  };
}

/** Writes `count` small TypeScript files in folders of FILES_PER_DIRECTORY; returns the root. */
export function generateWorkspace(count: number, root = mkdtempSync(join(tmpdir(), 'ripple-soak-'))): string {
  for (let file = 0; file < count; file++) {
    const directory = join(root, 'src', `package${Math.floor(file / FILES_PER_DIRECTORY)}`);
    if (file % FILES_PER_DIRECTORY === 0) mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, `module${file}.ts`), `export function compute${file}(value: number): number {\n  return value + ${file};\n}\n`);
  }
  return root;
}

/** Tracks the longest gap between ticks of a short interval timer: how long the loop was blocked. */
export function probeEventLoop(): { stop(): number } {
  let last = performance.now();
  let maxDelayMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxDelayMs = Math.max(maxDelayMs, now - last - EVENT_LOOP_PROBE_INTERVAL_MS);
    last = now;
  }, EVENT_LOOP_PROBE_INTERVAL_MS);
  return {
    stop(): number {
      clearInterval(timer);
      return round(Math.max(maxDelayMs, performance.now() - last - EVENT_LOOP_PROBE_INTERVAL_MS));
    },
  };
}

export async function measureBigWorkspace(files: number, maxIndexedFiles: number, logger: Logger): Promise<BigWorkspaceReport> {
  const generateStart = performance.now();
  const root = generateWorkspace(files);
  const generateMs = round(performance.now() - generateStart);
  try {
    const probe = probeEventLoop();
    const indexStart = performance.now();
    // No model: this measures the scan and the index, and loading a model would only add noise.
    const workspace = openWorkspace({ workspaceRoot: root, logger, maxIndexedFiles, modelDirectory: join(root, 'no-model') }, new AbortController().signal);
    const summary = await workspace.ready;
    const indexMs = round(performance.now() - indexStart);
    const maxEventLoopDelayMs = probe.stop();
    const after = memorySample();
    workspace.dispose();
    return { files, maxIndexedFiles, indexed: summary?.indexed ?? 0, generateMs, indexMs, maxEventLoopDelayMs, after };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A real ~900-line TypeScript file from the benchmark workspaces, when they have been fetched. */
function bigBenchFile(): { root: string; path: string } | undefined {
  const root = join(__dirname, '..', 'bench', '.cache', 'workspaces', 'ajv@8.15.0');
  const path = 'lib/core.ts';
  return existsSync(join(root, path)) ? { root, path } : undefined;
}

async function soakFile(root: string, path: string, flags: ReadonlyMap<string, string>, logger: Logger): Promise<unknown> {
  const sources = parseSources(flags.get('sources'));
  const workspace = openWorkspace({ workspaceRoot: root, logger }, new AbortController().signal);
  try {
    const summary = await workspace.ready;
    await workspace.warmUp();
    const engine = createEngine(workspace, { logger });
    const text = readFileSync(join(root, path), 'utf8');
    engine.openDocument(path, text);
    const burst = await runBurst(engine, {
      path,
      keystrokes: positiveIntegerFlag(flags, 'keystrokes', DEFAULT_SOAK_KEYSTROKES),
      intervalMs: positiveIntegerFlag(flags, 'interval-ms', DEFAULT_SOAK_INTERVAL_MS),
      sources,
      clock: workspace.clock,
    });
    logger.info(`burst on ${path}: ${JSON.stringify(burst)}`);
    const collectGarbage = exposedGarbageCollector();
    const sustained = await runSustained(engine, {
      path,
      predictions: positiveIntegerFlag(flags, 'predictions', DEFAULT_SOAK_PREDICTIONS),
      sources,
      clock: workspace.clock,
      onSample: (sample, done) => logger.info(`${path}: ${done} predictions, rss ${sample.rssMb} MB, heap ${sample.heapUsedMb} MB`),
      ...(collectGarbage ? { collectGarbage } : {}),
    });
    logger.info(`sustained on ${path}: ${JSON.stringify(sustained)}`);
    engine.dispose();
    return { root, path, lines: text.split('\n').length, indexedFiles: summary?.indexed ?? 0, sources, burst, sustained };
  } finally {
    workspace.dispose();
  }
}

/** global.gc, present when node runs with --expose-gc (bench/soak.mjs does). */
function exposedGarbageCollector(): (() => void) | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  return typeof gc === 'function' ? gc : undefined;
}

/** The first .ts/.js/.py file under the root, in sorted order. */
function firstSourceFile(root: string): string {
  const entries = readdirSync(root, { recursive: true, encoding: 'utf8' }).map((entry) => entry.split(sep).join('/')).sort();
  const found = entries.find((entry) => /\.(ts|js|py)$/.test(entry) && !entry.includes('node_modules/'));
  if (!found) throw new UsageError(`no source file under ${root}`);
  return found;
}

export async function soakCommand(flags: ReadonlyMap<string, string>, logger: Logger): Promise<string> {
  const root = await existingDirectory(requireFlag(flags, 'workspace'));
  const runs: unknown[] = [await soakFile(root, flags.get('file') ?? firstSourceFile(root), flags, logger)];
  const bench = bigBenchFile();
  if (bench && !flags.has('file')) runs.push(await soakFile(bench.root, bench.path, flags, logger));
  const bigWorkspace = flags.has('big-workspace')
    ? await measureBigWorkspace(
        bigWorkspaceFiles(flags.get('big-workspace')),
        positiveIntegerFlag(flags, 'max-indexed-files', BIG_WORKSPACE_MAX_INDEXED_FILES),
        logger,
      )
    : undefined;
  return JSON.stringify({ runs, ...(bigWorkspace ? { bigWorkspace } : {}), final: memorySample() }, null, 2);
}

/** `--big-workspace=N` asks for N files; `--big-workspace=true` (or any non-number) for the default. */
function bigWorkspaceFiles(raw: string | undefined): number {
  const files = Number(raw);
  return Number.isInteger(files) && files > 0 ? files : BIG_WORKSPACE_FILES;
}
