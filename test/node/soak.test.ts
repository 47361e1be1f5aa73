// A small soak over real components: keystroke bursts must not queue predictions, long use must
// keep the engine's bounded structures bounded, and a big workspace must respect the index cap
// without blocking the event loop.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleEdit, measureBigWorkspace, runBurst, runSustained, typingOrigin, TYPING_CYCLE_CHARS } from '../../src/cli/soakCommand';
import { Engine } from '../../src/core/engine';
import { DEFAULT_MAX_EDITS, EditHistory } from '../../src/core/history';
import type { Logger } from '../../src/core/ports';
import { applyEdits } from '../../src/core/edits';
import type { NextEditEngine } from '../../src/core/engineApi';
import { createEngine, openWorkspace, type Workspace } from '../../src/node/createEngine';

const WORKSPACE_ROOT = join(__dirname, '..', '..', 'demo', 'workspace');
const FILE_PATH = 'src/geometry.ts';
const BURST_KEYSTROKES = 200;
const BURST_INTERVAL_MS = 2;
const SUSTAINED_PREDICTIONS = 1_000;
const MAX_HEAP_GROWTH_MB = 64;
const MAX_EVENT_LOOP_DELAY_MS = 1_000;

const silent: Logger = { info: () => undefined, warn: () => undefined };

/** The engine createEngine builds, recording into a history the test keeps, to watch its size. */
function engineWithHistory(workspace: Workspace): { engine: Engine; history: EditHistory } {
  const history = new EditHistory();
  return { engine: createEngine(workspace, { logger: silent, history }), history };
}

describe('cycleEdit', () => {
  it('types a cycle of characters and deletes them again, leaving the text as it was', () => {
    const original = 'const total = 1;\nexport { total };\n';
    const origin = typingOrigin(original);
    let text = original;
    const lengths: number[] = [];
    for (let step = 0; step < 2 * TYPING_CYCLE_CHARS; step++) {
      const applied = applyEdits(text, [cycleEdit('a.ts', origin, step).event]);
      if (applied.kind !== 'applied') throw new Error(`step ${step} did not apply`);
      text = applied.text;
      lengths.push(text.length);
    }
    expect(Math.max(...lengths)).toBe(original.length + TYPING_CYCLE_CHARS);
    expect(text).toBe(original);
  });
});

/** An engine that ignores aborts and answers late: the queue runBurst must be able to see. */
function stubbornEngine(text: string, answerAfterMs: number): NextEditEngine {
  let current = text;
  return {
    openDocument: () => undefined,
    closeDocument: () => undefined,
    deleteDocument: () => undefined,
    recordChange: (event) => {
      const applied = applyEdits(current, [event]);
      if (applied.kind !== 'applied') return false;
      current = applied.text;
      return true;
    },
    predict: () => new Promise((resolve) => setTimeout(() => resolve({ kind: 'none', reason: 'no suggestion', latencyMs: answerAfterMs }), answerAfterMs)),
    accepted: () => undefined,
    rejected: () => undefined,
    suggestion: () => undefined,
    explain: () => undefined,
    documentText: () => current,
    dispose: () => undefined,
  };
}

describe('runBurst', () => {
  it('sees the queue of an engine that ignores aborts', async () => {
    const engine = stubbornEngine('const total = 1;\n', 50);
    const burst = await runBurst(engine, { path: 'a.ts', keystrokes: 20, intervalMs: 2, sources: 'all', clock: () => performance.now() });
    expect(burst.unresolvedAtEnd).toBeGreaterThan(1);
    expect(burst.cancelled).toBe(0);
    expect(burst.completed).toBe(20);
    expect(burst.documentLengthOk).toBe(true);
  });
});

describe('soak on the demo workspace', () => {
  let workspace: Workspace;

  beforeAll(async () => {
    workspace = openWorkspace({ workspaceRoot: WORKSPACE_ROOT, logger: silent }, new AbortController().signal);
    await workspace.ready;
    await workspace.warmUp();
  });

  afterAll(() => workspace.dispose());

  it('keeps at most one prediction in flight through a burst and bounds history and memory over long use', async () => {
    const { engine, history } = engineWithHistory(workspace);
    const text = readFileSync(join(WORKSPACE_ROOT, FILE_PATH), 'utf8');
    engine.openDocument(FILE_PATH, text);

    const burst = await runBurst(engine, { path: FILE_PATH, keystrokes: BURST_KEYSTROKES, intervalMs: BURST_INTERVAL_MS, sources: 'all', clock: workspace.clock });
    expect(burst.unresolvedAtEnd).toBeLessThanOrEqual(1);
    expect(burst.rejected).toBe(0);
    expect(burst.completed + burst.cancelled).toBe(BURST_KEYSTROKES);
    // The newest prediction is never aborted, so at least it completes.
    expect(burst.completed).toBeGreaterThanOrEqual(1);
    expect(burst.documentLengthOk).toBe(true);
    const typedDuringBurst = Array.from({ length: BURST_KEYSTROKES }, (_, step) => cycleEdit(FILE_PATH, typingOrigin(text), step).lengthDelta).reduce((sum, delta) => sum + delta, 0);
    expect(engine.documentText(FILE_PATH)?.length).toBe(text.length + typedDuringBurst);
    expect(history.edits().length).toBeGreaterThanOrEqual(1);
    expect(history.edits().length).toBeLessThanOrEqual(DEFAULT_MAX_EDITS);

    const historySizes: number[] = [];
    const sustained = await runSustained(engine, {
      path: FILE_PATH,
      predictions: SUSTAINED_PREDICTIONS,
      sources: 'all',
      clock: workspace.clock,
      onSample: () => historySizes.push(history.edits().length),
    });
    expect(sustained.rejected).toBe(0);
    expect(sustained.documentLengthOk).toBe(true);
    expect(historySizes.length).toBe(SUSTAINED_PREDICTIONS / 1_000);
    for (const size of historySizes) expect(size).toBeLessThanOrEqual(DEFAULT_MAX_EDITS);
    expect(history.edits().length).toBeLessThanOrEqual(DEFAULT_MAX_EDITS);
    expect(sustained.heapUsedGrowthMb).toBeLessThan(MAX_HEAP_GROWTH_MB);
    engine.dispose();
  });
});

describe('big workspace', () => {
  it('indexes no more than the cap and never blocks the event loop for long', async () => {
    const report = await measureBigWorkspace(2_000, 500, silent);
    expect(report.indexed).toBeGreaterThan(0);
    expect(report.indexed).toBeLessThanOrEqual(500);
    expect(report.maxEventLoopDelayMs).toBeLessThan(MAX_EVENT_LOOP_DELAY_MS);
  });
});
