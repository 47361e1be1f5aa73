// Turns "these window lines become those lines" into the smallest exact TextEdit, so that an
// insertion at the cursor stays a pure insertion (ghost text) instead of a whole-line rewrite.

import type { EditWindow } from './ports';
import { normalizeEol, splitLines, type EndOfLine } from './text';
import type { Position, TextEdit } from './types';

export const MAX_WINDOW_LINES = 32;

export function buildWindow(
  path: string,
  text: string,
  cursor: Position | undefined,
  centerLine: number,
  linesAbove: number,
  linesBelow: number,
): EditWindow {
  const lines = splitLines(text);
  const startLine = clamp(centerLine - linesAbove, 0, Math.max(0, lines.length - 1));
  const endLine = Math.min(lines.length, centerLine + linesBelow + 1, startLine + MAX_WINDOW_LINES);
  return {
    path,
    startLine,
    lines: lines.slice(startLine, endLine),
    ...(cursor && cursor.line >= startLine && cursor.line < endLine ? { cursor } : {}),
  };
}

/**
 * The edit that rewrites `window.lines` into `newLines`, trimmed to the changed characters.
 * Returns undefined when nothing changes.
 */
export function windowEdit(window: EditWindow, newLines: readonly string[], eol: EndOfLine): TextEdit | undefined {
  const before = window.lines.join('\n');
  const after = newLines.join('\n');
  if (before === after) return undefined;

  let prefix = 0;
  const maxPrefix = Math.min(before.length, after.length);
  while (prefix < maxPrefix && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const maxSuffix = Math.min(before.length, after.length) - prefix;
  while (
    suffix < maxSuffix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Never split a surrogate pair: widen the changed span to whole code points.
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;

  const start = positionInJoined(before, prefix, window.startLine);
  const end = positionInJoined(before, before.length - suffix, window.startLine);
  const inserted = after.slice(prefix, after.length - suffix);
  return { path: window.path, range: { start, end }, text: normalizeEol(inserted, eol) };
}

/**
 * The same change as an insertion at the cursor, when it is one: everything before and after
 * the cursor stays as it was. The smallest diff may place such an insertion further along the
 * line ("fo|o" + "o"); as a cursor insertion it shows as ghost text where the user types.
 */
export function cursorCompletion(window: EditWindow, newLines: readonly string[], eol: EndOfLine): TextEdit | undefined {
  if (!window.cursor) return undefined;
  const slot = window.cursor.line - window.startLine;
  const line = window.lines[slot];
  if (line === undefined) return undefined;
  const character = Math.min(Math.max(0, window.cursor.character), line.length);
  const before = window.lines.join('\n');
  const after = newLines.join('\n');
  if (after.length <= before.length) return undefined;
  const offset = window.lines.slice(0, slot).reduce((sum, text) => sum + text.length + 1, 0) + character;
  if (!after.startsWith(before.slice(0, offset)) || !after.endsWith(before.slice(offset))) return undefined;
  const inserted = after.slice(offset, offset + after.length - before.length);
  // A cursor between the halves of a surrogate pair, or an insertion that would split one.
  if (isLowSurrogate(before.charCodeAt(offset)) || isLowSurrogate(inserted.charCodeAt(0)) || isHighSurrogate(inserted.charCodeAt(inserted.length - 1))) {
    return undefined;
  }
  const position = { line: window.cursor.line, character };
  return { path: window.path, range: { start: position, end: position }, text: normalizeEol(inserted, eol) };
}

function positionInJoined(joined: string, offset: number, firstLine: number): Position {
  let line = firstLine;
  let lineStart = 0;
  for (let index = joined.indexOf('\n'); index !== -1 && index < offset; index = joined.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, character: offset - lineStart };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
