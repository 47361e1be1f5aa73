import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PredictOptions } from '../../../src/core/engineApi';
import type { Cursor, PredictionResult } from '../../../src/core/types';
import { MAX_RETRY_DELAY_MS, PredictionScheduler, RETRY_MARGIN_MS, type PredictionOutcome, type PredictionTarget } from '../../../src/vscode/predictionScheduler';

interface Call {
  readonly cursor: Cursor;
  readonly signal: AbortSignal;
  readonly finish: (result: PredictionResult) => void;
}

function fakeEngine() {
  const calls: Call[] = [];
  return {
    calls,
    predict(cursor: Cursor, _options: PredictOptions, signal: AbortSignal): Promise<PredictionResult> {
      return new Promise((finish) => calls.push({ cursor, signal, finish }));
    },
  };
}

function target(character: number, documentVersion = 1): PredictionTarget {
  return { cursor: { path: 'a.ts', position: { line: 0, character } }, documentVersion };
}

const none: PredictionResult = { kind: 'none', reason: 'nothing predictable', latencyMs: 3 };

describe('PredictionScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup(delayMs = 50) {
    const engine = fakeEngine();
    const outcomes: PredictionOutcome[] = [];
    const scheduler = new PredictionScheduler({
      engine,
      debouncer: { delayMs },
      predictOptions: () => ({ budgetMs: 100 }),
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    return { engine, outcomes, scheduler };
  }

  it('waits for the debounce delay before predicting', async () => {
    const { engine, scheduler } = setup(50);
    scheduler.schedule(target(1));
    await vi.advanceTimersByTimeAsync(49);
    expect(engine.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(engine.calls).toHaveLength(1);
  });

  it('lets the newest request win and aborts the older one silently', async () => {
    const { engine, outcomes, scheduler } = setup(10);
    scheduler.schedule(target(1));
    await vi.advanceTimersByTimeAsync(10);
    scheduler.schedule(target(2));
    expect(engine.calls[0]?.signal.aborted).toBe(true);
    engine.calls[0]?.finish(none);
    await vi.advanceTimersByTimeAsync(10);
    engine.calls[1]?.finish(none);
    await vi.advanceTimersByTimeAsync(0);
    expect(outcomes.map((outcome) => outcome.target.cursor.position.character)).toEqual([2]);
  });

  it('coalesces typing bursts into one prediction', async () => {
    const { engine, scheduler } = setup(30);
    for (let character = 1; character <= 5; character++) {
      scheduler.schedule(target(character, character));
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(30);
    expect(engine.calls.map((call) => call.cursor.position.character)).toEqual([5]);
  });

  it('shares one engine run between the debounced path and a request for the same state', async () => {
    const { engine, outcomes, scheduler } = setup(20);
    scheduler.schedule(target(4));
    const requested = scheduler.request(target(4), new AbortController().signal);
    await vi.advanceTimersByTimeAsync(20);
    engine.calls[0]?.finish(none);
    expect(await requested).toEqual({ target: target(4), result: none });
    expect(engine.calls).toHaveLength(1);
    expect(outcomes).toHaveLength(1);
    // The same state again is answered from the finished outcome.
    expect(await scheduler.request(target(4), new AbortController().signal)).toEqual({ target: target(4), result: none });
    scheduler.schedule(target(4));
    await vi.advanceTimersByTimeAsync(50);
    expect(engine.calls).toHaveLength(1);
  });

  it('starts a request for a new state at once, and its cancellation stops the engine', async () => {
    const { engine, outcomes, scheduler } = setup(1_000);
    const controller = new AbortController();
    const requested = scheduler.request(target(7), controller.signal);
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.calls).toHaveLength(1);
    controller.abort();
    expect(await requested).toBeUndefined();
    expect(engine.calls[0]?.signal.aborted).toBe(true);
    engine.calls[0]?.finish(none);
    await vi.advanceTimersByTimeAsync(0);
    expect(outcomes).toHaveLength(0);
  });

  it('turns an engine that rejects into an outcome with no suggestion', async () => {
    const errors: unknown[] = [];
    const outcomes: PredictionOutcome[] = [];
    const scheduler = new PredictionScheduler({
      engine: { predict: () => Promise.reject(new Error('boom')) },
      debouncer: { delayMs: 0 },
      predictOptions: () => ({}),
      onOutcome: (outcome) => outcomes.push(outcome),
      onError: (error) => errors.push(error),
    });
    scheduler.schedule(target(1));
    await vi.advanceTimersByTimeAsync(1);
    expect(errors).toHaveLength(1);
    expect(outcomes[0]?.result).toMatchObject({ kind: 'none', reason: 'internal error' });
  });

  it('asks again for the same state once the typing pause the engine waits for has passed', async () => {
    const { engine, outcomes, scheduler } = setup(10);
    scheduler.schedule(target(4));
    await vi.advanceTimersByTimeAsync(10);
    engine.calls[0]?.finish({ kind: 'none', reason: 'waiting for a typing pause', latencyMs: 2, retryAfterMs: 300 });
    await vi.advanceTimersByTimeAsync(300 + RETRY_MARGIN_MS - 1);
    expect(engine.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2);
    expect(engine.calls).toHaveLength(2);
    expect(engine.calls[1]?.cursor).toEqual(target(4).cursor);
    engine.calls[1]?.finish(none);
    await vi.advanceTimersByTimeAsync(10_000);
    // One retry per held-back outcome; a plain "none" is final.
    expect(engine.calls).toHaveLength(2);
    expect(outcomes.map((outcome) => outcome.result.kind)).toEqual(['none', 'none']);
  });

  it('drops the retry when the user moves on, is dismissed or the delay is absurd', async () => {
    const waiting: PredictionResult = { kind: 'none', reason: 'waiting for a typing pause', latencyMs: 2, retryAfterMs: 200 };
    const { engine, scheduler } = setup(10);
    scheduler.schedule(target(1));
    await vi.advanceTimersByTimeAsync(10);
    engine.calls[0]?.finish(waiting);
    await vi.advanceTimersByTimeAsync(100);
    scheduler.schedule(target(2));
    await vi.advanceTimersByTimeAsync(10);
    expect(engine.calls.map((call) => call.cursor.position.character)).toEqual([1, 2]);
    engine.calls[1]?.finish(waiting);
    await vi.advanceTimersByTimeAsync(0);
    scheduler.cancel();
    engine.calls.length = 0;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(engine.calls).toHaveLength(0);
    scheduler.schedule(target(3));
    await vi.advanceTimersByTimeAsync(10);
    engine.calls[0]?.finish({ ...waiting, retryAfterMs: MAX_RETRY_DELAY_MS + 1 });
    await vi.advanceTimersByTimeAsync(2 * MAX_RETRY_DELAY_MS);
    expect(engine.calls).toHaveLength(1);
  });

  it('does nothing after dispose', async () => {
    const { engine, scheduler } = setup(5);
    scheduler.dispose();
    scheduler.schedule(target(1));
    expect(await scheduler.request(target(1), new AbortController().signal)).toBeUndefined();
    await vi.advanceTimersByTimeAsync(10);
    expect(engine.calls).toHaveLength(0);
  });
});
