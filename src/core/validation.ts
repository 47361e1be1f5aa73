// Loud option validation shared by every component that takes limits: a bad option is a
// programming error, reported once at construction with the option's name.

/** `value` when it is an integer in [1, max]; otherwise a TypeError naming `name`. */
export function positiveInteger(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (Number.isInteger(value) && value >= 1 && value <= max) return value;
  const expected = max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer in [1, ${max}]`;
  throw new TypeError(`${name} must be ${expected}, got ${String(value)}`);
}

/** `value` when it is undefined or a non-empty string; otherwise a TypeError naming `name`. */
export function optionalNonEmptyString(name: string, value: unknown): string | undefined {
  if (value === undefined || (typeof value === 'string' && value !== '')) return value;
  throw new TypeError(`${name} must be a non-empty string, got ${String(value)}`);
}

/** `value` when it is a number in [0, 1]; otherwise a TypeError naming `name`. */
export function unitInterval(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1) return value;
  throw new TypeError(`${name} must be a number in [0, 1], got ${String(value)}`);
}
