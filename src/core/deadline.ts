// Time and cancellation plumbing for one prediction: a hard budget plus the caller's signal,
// folded into one AbortSignal that every stage checks.
//
// The signal aborts on a timer, and no timer fires while a synchronous stage holds the event
// loop: such a stage would never see its budget run out. So a deadline also offers `check`,
// which reads the clock, for synchronous stages to poll inside their long loops.

import type { Clock } from './ports';

export const DEFAULT_BUDGET_MS = 300;
export const MAX_BUDGET_MS = 5_000;

/**
 * What a synchronous stage polls to learn it should stop. An AbortSignal is one; a deadline's
 * `check` is one that is also aborted once the clock passes the deadline.
 */
export interface StopCheck {
  readonly aborted: boolean;
}

export interface Deadline {
  /** Absolute time on the clock when the budget runs out. */
  readonly atMs: number;
  /** Aborts when the caller aborts, when the budget runs out, or on dispose. */
  readonly signal: AbortSignal;
  remainingMs(): number;
  /** True once the signal aborted or the clock reached `atMs`, timer fired or not. */
  expired(): boolean;
  /** `expired()` as a StopCheck, for synchronous stages. */
  readonly check: StopCheck;
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
  // Timers may fire a fraction of a millisecond before the clock reaches atMs; once this one has
  // fired no time is left, so a budget that ran out is never mistaken for a cancellation.
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort();
  }, budgetMs);
  const expired = (): boolean => controller.signal.aborted || clock() >= atMs;

  return {
    atMs,
    signal: controller.signal,
    remainingMs: () => (timedOut ? 0 : Math.max(0, atMs - clock())),
    expired,
    check: {
      get aborted(): boolean {
        return expired();
      },
    },
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
