// Time and cancellation plumbing for one prediction: a hard budget plus the caller's signal,
// folded into one AbortSignal that every stage checks.

import type { Clock } from './ports';

export const DEFAULT_BUDGET_MS = 300;
export const MAX_BUDGET_MS = 5_000;

export interface Deadline {
  /** Absolute time on the clock when the budget runs out. */
  readonly atMs: number;
  /** Aborts when the caller aborts, when the budget runs out, or on dispose. */
  readonly signal: AbortSignal;
  remainingMs(): number;
  /** Resolves to undefined when the deadline passes first, so late work is dropped silently. */
  race<T>(work: Promise<T>): Promise<T | undefined>;
  dispose(): void;
}

export function createDeadline(clock: Clock, budgetMs: number, parent: AbortSignal): Deadline {
  if (!Number.isFinite(budgetMs) || budgetMs <= 0 || budgetMs > MAX_BUDGET_MS) {
    throw new RangeError(`budgetMs must be in (0, ${MAX_BUDGET_MS}], got ${budgetMs}`);
  }
  const atMs = clock() + budgetMs;
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  if (parent.aborted) abort();
  parent.addEventListener('abort', abort, { once: true });
  const timer = setTimeout(abort, budgetMs);

  return {
    atMs,
    signal: controller.signal,
    remainingMs: () => Math.max(0, atMs - clock()),
    race<T>(work: Promise<T>): Promise<T | undefined> {
      if (controller.signal.aborted) return Promise.resolve(undefined);
      return new Promise<T | undefined>((resolve) => {
        const onAbort = (): void => resolve(undefined);
        controller.signal.addEventListener('abort', onAbort, { once: true });
        work.then(
          (value) => {
            controller.signal.removeEventListener('abort', onAbort);
            resolve(value);
          },
          () => {
            controller.signal.removeEventListener('abort', onAbort);
            resolve(undefined);
          },
        );
      });
    },
    dispose(): void {
      clearTimeout(timer);
      parent.removeEventListener('abort', abort);
      controller.abort();
    },
  };
}
