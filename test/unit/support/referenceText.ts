// Plain offset arithmetic over document text, written apart from src/core/text so that tests can
// check the engine's positions against an independent reading of the same text. Lines end at
// '\n' or '\r\n' (the only breaks VS Code keeps); positions count UTF-16 code units.

import type { Position, Range } from '../../../src/core/types';

const LINE_BREAK = /\r\n|\n/g;
/** A code point, or a whole '\r\n': the units a caret steps over and a keystroke inserts. */
const CARET_UNIT = /\r\n|[\s\S]/gu;

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(LINE_BREAK)) starts.push(match.index + match[0].length);
  return starts;
}

export function positionAt(text: string, offset: number): Position {
  const starts = lineStarts(text);
  let line = 0;
  while (line + 1 < starts.length && (starts[line + 1] as number) <= offset) line++;
  return { line, character: offset - (starts[line] as number) };
}

export function offsetAt(text: string, position: Position): number {
  return (lineStarts(text)[position.line] as number) + position.character;
}

/** Length of a line without its line break. */
export function lineLength(text: string, line: number): number {
  const starts = lineStarts(text);
  const start = starts[line] as number;
  const next = starts[line + 1];
  if (next === undefined) return text.length - start;
  return next - start - (text.charAt(next - 2) === '\r' ? 2 : 1);
}

/** Why `range` is not a range a VS Code document could hold, or undefined when it is one. */
export function rangeProblem(text: string, range: Range): string | undefined {
  const lines = lineStarts(text).length;
  for (const position of [range.start, range.end]) {
    if (!Number.isInteger(position.line) || !Number.isInteger(position.character)) return 'not integral';
    if (position.line < 0 || position.line >= lines) return `line ${position.line} outside ${lines} lines`;
    if (position.character < 0 || position.character > lineLength(text, position.line)) return `character ${position.character} outside line ${position.line}`;
    const offset = offsetAt(text, position);
    if (isHighSurrogate(text.charCodeAt(offset - 1)) && isLowSurrogate(text.charCodeAt(offset))) return `splits a surrogate pair at ${offset}`;
  }
  if (offsetAt(text, range.start) > offsetAt(text, range.end)) return 'ends before it starts';
  return undefined;
}

export function textIn(text: string, range: Range): string {
  return text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
}

/** What an edit over `range` replaces, with the rest of its lines: the shape of ScoredEdit.replaced. */
export function replacedIn(text: string, range: Range): { text: string; before: string; after: string } {
  const endLineEnd = offsetAt(text, { line: range.end.line, character: lineLength(text, range.end.line) });
  return {
    text: textIn(text, range),
    before: text.slice(offsetAt(text, { line: range.start.line, character: 0 }), offsetAt(text, range.start)),
    after: text.slice(offsetAt(text, range.end), endLineEnd),
  };
}

/** Offsets a caret can stand at: never inside a surrogate pair or a '\r\n'. */
export function caretOffsets(text: string): number[] {
  const offsets = [0];
  for (const match of text.matchAll(CARET_UNIT)) offsets.push(match.index + match[0].length);
  return offsets;
}

/** The text as keystrokes: code points, with '\r\n' as one. */
export function caretUnits(text: string): string[] {
  return text.match(CARET_UNIT) ?? [];
}

export function splice(text: string, start: number, end: number, inserted: string): string {
  return text.slice(0, start) + inserted + text.slice(end);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
