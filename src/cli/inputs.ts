// Parsing and validating what the CLI reads: arguments, change events and cursors. Every
// problem becomes a UsageError with a one-line message; main() prints it and exits non-zero.

import { advancePosition } from '../core/text';
import type { ChangeEvent, Cursor, Position, Range } from '../core/types';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArguments {
  readonly command: string | undefined;
  readonly flags: ReadonlyMap<string, string>;
}

const BOOLEAN_FLAGS = new Set(['help', 'no-color', 'quiet', 'big-workspace']);

export function parseArguments(argv: readonly string[]): ParsedArguments {
  const [command, ...rest] = argv;
  const flags = new Map<string, string>();
  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index] ?? '';
    if (!argument.startsWith('--')) throw new UsageError(`unexpected argument '${argument}'`);
    const equals = argument.indexOf('=');
    const name = equals === -1 ? argument.slice(2) : argument.slice(2, equals);
    if (equals !== -1) {
      flags.set(name, argument.slice(equals + 1));
    } else if (BOOLEAN_FLAGS.has(name)) {
      flags.set(name, 'true');
    } else {
      const value = rest[index + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
      index++;
    }
  }
  return { command, flags };
}

export function requireFlag(flags: ReadonlyMap<string, string>, name: string): string {
  const value = flags.get(name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function positiveIntegerFlag(flags: ReadonlyMap<string, string>, name: string, fallback: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${name} must be a positive integer, got '${raw}'`);
  return value;
}

/** A probability-like flag: a number in [0, 1]. */
export function unitIntervalFlag(flags: ReadonlyMap<string, string>, name: string): number | undefined {
  const raw = flags.get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) throw new UsageError(`--${name} must be a number in [0, 1], got '${raw}'`);
  return value;
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function parseEvents(value: unknown, what: string): ChangeEvent[] {
  if (!Array.isArray(value)) throw new UsageError(`${what} must be a JSON array of change events`);
  return value.map((item, index) => parseEvent(item, `${what}[${index}]`));
}

function parseEvent(value: unknown, what: string): ChangeEvent {
  if (!isRecord(value)) throw new UsageError(`${what} must be an object`);
  const { path, range, text } = value;
  if (typeof path !== 'string' || path === '') throw new UsageError(`${what}.path must be a non-empty string`);
  if (typeof text !== 'string') throw new UsageError(`${what}.text must be a string`);
  return { path: normalizePath(path, `${what}.path`), range: parseRange(range, `${what}.range`), text };
}

function parseRange(value: unknown, what: string): Range {
  if (!isRecord(value)) throw new UsageError(`${what} must be an object with start and end`);
  const start = parsePosition(value.start, `${what}.start`);
  const end = parsePosition(value.end, `${what}.end`);
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) {
    throw new UsageError(`${what} ends before it starts`);
  }
  return { start, end };
}

export function parsePosition(value: unknown, what: string): Position {
  if (!isRecord(value)) throw new UsageError(`${what} must be an object with line and character`);
  const { line, character } = value;
  if (!isNonNegativeInteger(line) || !isNonNegativeInteger(character)) {
    throw new UsageError(`${what} needs non-negative integer line and character`);
  }
  return { line, character };
}

/** `PATH:LINE:COL`, 0-based like every position in the contract. */
export function parseCursorFlag(raw: string): Cursor {
  const match = /^(.+):(\d+):(\d+)$/.exec(raw);
  if (!match) throw new UsageError(`--cursor must look like PATH:LINE:COL, got '${raw}'`);
  const [, path = '', line = '0', character = '0'] = match;
  return { path: normalizePath(path, '--cursor'), position: { line: Number(line), character: Number(character) } };
}

export function parseCursorObject(value: unknown, what: string): Cursor | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || typeof value.path !== 'string') throw new UsageError(`${what} must be {"path","line","character"}`);
  return { path: normalizePath(value.path, `${what}.path`), position: parsePosition(value, what) };
}

/** The end of the last event's inserted text, where a user's cursor would be. */
export function cursorAfter(event: ChangeEvent): Cursor {
  return { path: event.path, position: advancePosition(event.range.start, event.text) };
}

function normalizePath(path: string, what: string): string {
  const normalized = path.replace(/\\/g, '/').replace(/^\.\//, '');
  if (normalized.startsWith('/') || normalized.split('/').includes('..')) {
    throw new UsageError(`${what} must be relative to the workspace and stay inside it, got '${path}'`);
  }
  return normalized;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
