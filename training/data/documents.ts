// Shared vocabulary of the data pipeline: a seeded random source, text/offset helpers, and the
// training example, which is exactly the serializer's input plus the window's new lines.

import type { EditWindow } from '../../src/core/ports';
import type { Position, RecordedEdit, Snippet } from '../../src/core/types';
import { buildWindow } from '../../src/core/windowEdit';

export type ExampleKind =
  | 'rename'
  | 'member'
  | 'add_parameter'
  | 'remove_parameter'
  | 'insert_statement'
  | 'delete_statement'
  | 'complete_line'
  | 'type_into'
  | 'real_edit'
  | 'real_typing'
  | 'no_change';

export interface Example {
  readonly kind: ExampleKind;
  /** The corpus source (package) the example came from; the split is decided by it. */
  readonly source: string;
  readonly history: readonly RecordedEdit[];
  readonly snippets: readonly Snippet[];
  readonly window: EditWindow;
  /** The window's lines after the next edit, or null for "no change". */
  readonly newLines: readonly string[] | null;
}

export interface CorpusFile {
  readonly source: string;
  /** Path inside its source, '/' separated. */
  readonly path: string;
  readonly text: string;
}

/** Mirrors modelWindows in src/core/modelCandidates.ts: the runtime's window shapes. */
export const CURSOR_LINES_ABOVE = 10;
export const CURSOR_LINES_BELOW = 10;
export const SITE_LINES_AROUND = 5;

/** mulberry32: tiny, fast and the same on every platform, so a seed reproduces a data set. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new TypeError(`seed must be an integer, got ${seed}`);
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  }

  int(exclusiveMax: number): number {
    return Math.floor(this.next() * exclusiveMax);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** A fresh generator derived from this one and a label, so one source's examples do not shift another's. */
  fork(label: string): Rng {
    return new Rng((this.int(2 ** 31) ^ hashString(label)) >>> 0);
  }
}

export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, character: offset - lineStart };
}

export function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

/** One replacement of text[start, end) by `inserted`, recorded the way the engine's history records it. */
export function recordEdit(
  path: string,
  text: string,
  start: number,
  end: number,
  inserted: string,
  timestampMs: number,
): { readonly edit: RecordedEdit; readonly text: string } {
  const after = text.slice(0, start) + inserted + text.slice(end);
  const startPosition = positionAt(text, start);
  const endPosition = positionAt(text, end);
  const beforeLines = splitLines(text);
  const afterLines = splitLines(after);
  const insertedLineCount = splitLines(inserted).length - 1;
  const edit: RecordedEdit = {
    path,
    range: { start: startPosition, end: endPosition },
    removedText: text.slice(start, end),
    insertedText: inserted,
    hunk: {
      path,
      startLine: startPosition.line,
      beforeText: beforeLines.slice(startPosition.line, endPosition.line + 1).join('\n'),
      afterText: afterLines.slice(startPosition.line, startPosition.line + insertedLineCount + 1).join('\n'),
    },
    timestampMs,
  };
  return { edit, text: after };
}

/** A change the user makes somewhere: text[start, end) becomes `replacement`. */
export interface Site {
  readonly start: number;
  readonly end: number;
  readonly replacement: string;
}

export function applySites(text: string, sites: readonly Site[]): string {
  const ordered = [...sites].sort((a, b) => b.start - a.start);
  let result = text;
  for (const site of ordered) result = result.slice(0, site.start) + site.replacement + result.slice(site.end);
  return result;
}

/**
 * The window the runtime would show around `centerLine` of `text`, and its lines after the sites
 * that lie inside it are applied (sites outside are someone else's window). Undefined when a
 * site straddles the window's edge.
 */
export function windowAfterSites(
  path: string,
  text: string,
  sites: readonly Site[],
  centerLine: number,
  cursor: Position | undefined,
): { readonly window: EditWindow; readonly newLines: string[]; readonly applied: number } | undefined {
  const window = cursor
    ? buildWindow(path, text, cursor, centerLine, CURSOR_LINES_ABOVE, CURSOR_LINES_BELOW)
    : buildWindow(path, text, undefined, centerLine, SITE_LINES_AROUND, SITE_LINES_AROUND);
  const lastLine = window.startLine + window.lines.length - 1;
  const inside: Site[] = [];
  for (const site of sites) {
    const first = positionAt(text, site.start).line;
    const last = positionAt(text, site.end).line;
    if (last < window.startLine || first > lastLine) continue;
    if (first < window.startLine || last > lastLine) return undefined;
    inside.push(site);
  }
  const after = splitLines(applySites(text, inside));
  const delta = after.length - splitLines(text).length;
  const newLines = after.slice(window.startLine, window.startLine + window.lines.length + delta);
  return { window, newLines, applied: inside.length };
}

export const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

export const KEYWORDS = new Set(
  (
    'abstract as async await break case catch class const continue debugger declare default delete do else enum export ' +
    'extends false finally for from function get if implements import in instanceof interface let new null of package ' +
    'private protected public readonly return set static super switch this throw true try type typeof undefined var void ' +
    'while with yield def elif except lambda nonlocal global pass raise None True False and or not is self cls print ' +
    'string number boolean any unknown never object require module exports console'
  ).split(' '),
);
