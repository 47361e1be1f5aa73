// The one way Node-side work gives the event loop a turn.

/**
 * setImmediate lets pending I/O run (a keystroke, a cancellation, a model reply) and resumes
 * before the next round of timers, so a yield does not hand the time to whatever timer is due.
 * Long scans and walks await it between pieces of work; the engine awaits it between stages.
 */
export function yieldWithSetImmediate(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
