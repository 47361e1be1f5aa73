// One prediction at a time for the editor: debounced after typing, shared between the debounced
// path and the inline-completion provider (so they never run the engine twice for the same state),
// newest request wins and cancelled requests end silently.

import type { NextEditEngine, PredictOptions } from '../core/engineApi';
import type { Cursor, PredictionResult } from '../core/types';
import type { Debouncer } from './debouncer';

/** The editor state a prediction is for: a cursor in one version of one document. */
export interface PredictionTarget {
  readonly cursor: Cursor;
  readonly documentVersion: number;
}

export interface PredictionOutcome {
  readonly target: PredictionTarget;
  readonly result: PredictionResult;
}

export interface PredictionSchedulerOptions {
  readonly engine: Pick<NextEditEngine, 'predict'>;
  readonly debouncer: Pick<Debouncer, 'delayMs'>;
  /** Read at run time so that setting changes apply to the next prediction. */
  readonly predictOptions: () => PredictOptions;
  /** Called once per finished, non-cancelled prediction. */
  readonly onOutcome: (outcome: PredictionOutcome) => void;
  readonly onError?: (error: unknown) => void;
}

/** Added to an engine's retryAfterMs so the retry lands after the pause, not just before it. */
export const RETRY_MARGIN_MS = 25;
/** A retry further away than this is not worth a timer: the user will have moved on. */
export const MAX_RETRY_DELAY_MS = 5_000;

interface PendingPrediction {
  readonly key: string;
  readonly target: PredictionTarget;
  readonly controller: AbortController;
  readonly promise: Promise<PredictionOutcome | undefined>;
  readonly resolve: (outcome: PredictionOutcome | undefined) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class PredictionScheduler {
  private pending: PendingPrediction | undefined;
  private latestOutcome: { readonly key: string; readonly outcome: PredictionOutcome } | undefined;
  /** Asks again for the latest state once the engine's typing pause has passed. */
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly options: PredictionSchedulerOptions) {
    if (typeof options.predictOptions !== 'function') throw new TypeError('predictOptions must be a function');
    if (typeof options.onOutcome !== 'function') throw new TypeError('onOutcome must be a function');
  }

  /** Predict for `target` after the debounce delay, unless that exact state is already handled. */
  schedule(target: PredictionTarget): void {
    if (this.disposed) return;
    const key = targetKey(target);
    if (this.pending?.key === key || this.latestOutcome?.key === key) return;
    this.start(key, target, this.options.debouncer.delayMs);
  }

  /**
   * The outcome for `target`: the finished one, the pending one, or a new prediction started at
   * once. Resolves to undefined when `signal` aborts or a newer request supersedes this one.
   */
  request(target: PredictionTarget, signal: AbortSignal): Promise<PredictionOutcome | undefined> {
    if (this.disposed || signal.aborted) return Promise.resolve(undefined);
    const key = targetKey(target);
    if (this.latestOutcome?.key === key) return Promise.resolve(this.latestOutcome.outcome);
    let pending = this.pending;
    if (pending?.key !== key) {
      pending = this.start(key, target, 0);
      // Nobody but this caller wants it, so its cancellation may stop the engine too.
      const owned = pending;
      signal.addEventListener('abort', () => this.cancelPending(owned), { once: true });
    }
    return raceAbort(pending.promise, signal);
  }

  /** The newest finished outcome, if it is still for `target`. */
  latestFor(target: PredictionTarget): PredictionOutcome | undefined {
    const latest = this.latestOutcome;
    return latest?.key === targetKey(target) ? latest.outcome : undefined;
  }

  /** Drops the pending prediction and forgets the finished one (for example after a dismissal). */
  cancel(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.pending) this.cancelPending(this.pending);
  }

  forgetLatest(): void {
    this.latestOutcome = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
    this.latestOutcome = undefined;
  }

  private start(key: string, target: PredictionTarget, delayMs: number): PendingPrediction {
    this.cancel();
    let resolve: (outcome: PredictionOutcome | undefined) => void = () => undefined;
    const promise = new Promise<PredictionOutcome | undefined>((done) => {
      resolve = done;
    });
    const pending: PendingPrediction = { key, target, controller: new AbortController(), promise, resolve, timer: undefined };
    this.pending = pending;
    pending.timer = setTimeout(() => {
      pending.timer = undefined;
      void this.run(pending);
    }, delayMs);
    return pending;
  }

  private async run(pending: PendingPrediction): Promise<void> {
    let result: PredictionResult;
    try {
      result = await this.options.engine.predict(pending.target.cursor, this.options.predictOptions(), pending.controller.signal);
    } catch (error) {
      // The engine promises not to reject; if it does anyway, this keystroke gets no suggestion.
      this.options.onError?.(error);
      result = { kind: 'none', reason: 'internal error', latencyMs: 0 };
    }
    if (this.pending === pending) this.pending = undefined;
    if (pending.controller.signal.aborted || this.disposed) {
      pending.resolve(undefined);
      return;
    }
    const outcome: PredictionOutcome = { target: pending.target, result };
    this.latestOutcome = { key: pending.key, outcome };
    if (result.kind === 'none' && result.retryAfterMs !== undefined) this.retryLater(pending.key, pending.target, result.retryAfterMs);
    try {
      this.options.onOutcome(outcome);
    } catch (error) {
      this.options.onError?.(error);
    }
    pending.resolve(outcome);
  }

  /**
   * The engine held something back until the user pauses typing. VS Code asks for inline
   * completions only on changes, so nothing else would ask again once the pause has passed.
   * Any newer request cancels the retry (start cancels), and a retry runs at most once per outcome.
   */
  private retryLater(key: string, target: PredictionTarget, retryAfterMs: number): void {
    if (!Number.isFinite(retryAfterMs) || retryAfterMs < 0 || retryAfterMs > MAX_RETRY_DELAY_MS) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.disposed || this.pending || this.latestOutcome?.key !== key) return;
      this.start(key, target, 0);
    }, retryAfterMs + RETRY_MARGIN_MS);
  }

  private cancelPending(pending: PendingPrediction): void {
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    pending.timer = undefined;
    pending.controller.abort();
    pending.resolve(undefined);
    if (this.pending === pending) this.pending = undefined;
  }
}

export function targetKey(target: PredictionTarget): string {
  const { path, position } = target.cursor;
  return `${path}@${target.documentVersion}:${position.line}:${position.character}`;
}

function raceAbort<T>(promise: Promise<T | undefined>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then((value) => {
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
  });
}
