// Adaptive debounce: how long to wait after the last keystroke before predicting. People who keep
// rejecting suggestions are interrupted less often; people who accept them get them sooner.

export interface DebouncerOptions {
  /** Delay to start from and to drift back to, in milliseconds. */
  readonly baseDelayMs: number;
  /** Lower bound after a streak of accepts, in milliseconds. */
  readonly minDelayMs?: number;
  /** Upper bound after a streak of rejections, in milliseconds. */
  readonly maxDelayMs?: number;
  /** Factor applied per rejection (> 1). */
  readonly rejectionFactor?: number;
  /** Factor applied per accept (in (0, 1)). */
  readonly acceptFactor?: number;
}

export const DEFAULT_MIN_DELAY_MS = 25;
export const DEFAULT_MAX_DELAY_MS = 1_000;
export const DEFAULT_REJECTION_FACTOR = 1.5;
export const DEFAULT_ACCEPT_FACTOR = 0.75;
export const MAX_DEBOUNCE_MS = 5_000;

export class Debouncer {
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly rejectionFactor: number;
  private readonly acceptFactor: number;
  private baseDelayMs: number;
  private currentDelayMs: number;

  constructor(options: DebouncerOptions) {
    this.minDelayMs = options.minDelayMs ?? DEFAULT_MIN_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.rejectionFactor = options.rejectionFactor ?? DEFAULT_REJECTION_FACTOR;
    this.acceptFactor = options.acceptFactor ?? DEFAULT_ACCEPT_FACTOR;
    requireDelay('minDelayMs', this.minDelayMs);
    requireDelay('maxDelayMs', this.maxDelayMs);
    if (this.minDelayMs > this.maxDelayMs) {
      throw new TypeError(`minDelayMs (${this.minDelayMs}) must not exceed maxDelayMs (${this.maxDelayMs})`);
    }
    if (!Number.isFinite(this.rejectionFactor) || this.rejectionFactor <= 1) {
      throw new TypeError(`rejectionFactor must be a finite number > 1, got ${String(options.rejectionFactor)}`);
    }
    if (!Number.isFinite(this.acceptFactor) || this.acceptFactor <= 0 || this.acceptFactor >= 1) {
      throw new TypeError(`acceptFactor must be in (0, 1), got ${String(options.acceptFactor)}`);
    }
    requireDelay('baseDelayMs', options.baseDelayMs);
    this.baseDelayMs = this.clamp(options.baseDelayMs);
    this.currentDelayMs = this.baseDelayMs;
  }

  /** The delay to wait now, in milliseconds. */
  get delayMs(): number {
    return this.currentDelayMs;
  }

  accepted(): void {
    this.currentDelayMs = this.clamp(this.currentDelayMs * this.acceptFactor);
  }

  rejected(): void {
    this.currentDelayMs = this.clamp(this.currentDelayMs * this.rejectionFactor);
  }

  /** A new base from settings; earlier feedback no longer says anything about it. */
  setBaseDelay(baseDelayMs: number): void {
    requireDelay('baseDelayMs', baseDelayMs);
    this.baseDelayMs = this.clamp(baseDelayMs);
    this.currentDelayMs = this.baseDelayMs;
  }

  reset(): void {
    this.currentDelayMs = this.baseDelayMs;
  }

  private clamp(delayMs: number): number {
    return Math.min(this.maxDelayMs, Math.max(this.minDelayMs, Math.round(delayMs)));
  }
}

function requireDelay(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_DEBOUNCE_MS) {
    throw new TypeError(`${name} must be a number of milliseconds in [0, ${MAX_DEBOUNCE_MS}], got ${String(value)}`);
  }
}
