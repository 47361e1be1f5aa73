// The line model of a document, matching VS Code's extension host (ExtHostDocumentData):
// lines end at '\r\n', '\n' or a lone '\r'; a Position's character counts UTF-16 code units
// within its line, not counting the line break.
//
// Clamping follows VS Code's validatePosition: a line before the document clamps to (0, 0), a line
// past the end clamps to the end of the document, a character past the end of its line clamps to
// the line's end. Like the extension host (and unlike the editor's internal model), clamping does
// NOT move a character that lands inside a surrogate pair: offsets stay plain UTF-16 arithmetic,
// so every layer computes the same offset for the same position.

import type { Position, Range } from './types';

export type EndOfLine = '\n' | '\r\n';

const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;

/** One line of a document, shaped after VS Code's TextLine. Offsets are UTF-16 code units. */
export interface TextLine {
  readonly lineNumber: number;
  /** The line's text without its line break. */
  readonly text: string;
  readonly range: Range;
  readonly rangeIncludingLineBreak: Range;
  /** Offset of the line's first character. */
  readonly startOffset: number;
  /** Offset just past the line's last character, before its line break. */
  readonly endOffset: number;
  /** Length of the line break after the line: 0 on the last line, 1 or 2 otherwise. */
  readonly lineBreakLength: number;
}

/**
 * Line starts of one text, found on demand and remembered, so repeated offset/position queries
 * cost a binary search instead of a scan, and a query near the top of a large document scans only
 * that far. Build one per document version; it does not observe changes.
 */
export class LineIndex {
  readonly text: string;
  /** lineStarts[i] is the offset of line i; grows as queries need later lines. */
  private readonly lineStarts: number[] = [0];
  private readonly scanner: LineBreakScanner;
  /** True once every line start is known. */
  private complete = false;

  constructor(text: string) {
    this.text = text;
    this.scanner = new LineBreakScanner(text);
  }

  get lineCount(): number {
    this.scanAll();
    return this.lineStarts.length;
  }

  /** The end of the document, where an append would go. */
  get end(): Position {
    const lastLine = this.lineCount - 1;
    return { line: lastLine, character: this.lineLength(lastLine) };
  }

  lineStart(line: number): number {
    return this.lineStarts[this.clampLine(line)] as number;
  }

  /** Length of a line in UTF-16 code units, without its line break. */
  lineLength(line: number): number {
    const index = this.clampLine(line);
    return this.contentEnd(index) - (this.lineStarts[index] as number);
  }

  /** The line, or undefined when `line` is not a line of this text (VS Code would throw). */
  lineAt(line: number): TextLine | undefined {
    if (!Number.isInteger(line) || line < 0 || !this.hasLine(line)) return undefined;
    const startOffset = this.lineStarts[line] as number;
    const endOffset = this.contentEnd(line);
    const isLast = !this.hasLine(line + 1);
    const nextStart = isLast ? endOffset : (this.lineStarts[line + 1] as number);
    return {
      lineNumber: line,
      text: this.text.slice(startOffset, endOffset),
      range: { start: { line, character: 0 }, end: { line, character: endOffset - startOffset } },
      rangeIncludingLineBreak: {
        start: { line, character: 0 },
        end: isLast ? { line, character: endOffset - startOffset } : { line: line + 1, character: 0 },
      },
      startOffset,
      endOffset,
      lineBreakLength: nextStart - endOffset,
    };
  }

  /** The position clamped into the document, VS Code style (see the file comment). */
  validatePosition(position: Position): Position {
    const line = Math.floor(position.line);
    if (!(line >= 0)) return { line: 0, character: 0 };
    if (!this.hasLine(line)) return this.end;
    const character = Math.floor(position.character);
    if (!(character >= 0)) return { line, character: 0 };
    return { line, character: Math.min(character, this.lineLength(line)) };
  }

  /** The range with both ends clamped, and swapped when start comes after end (as vscode.Range does). */
  validateRange(range: Range): Range {
    const start = this.validatePosition(range.start);
    const end = this.validatePosition(range.end);
    return isAfter(start, end) ? { start: end, end: start } : { start, end };
  }

  offsetAt(position: Position): number {
    const valid = this.validatePosition(position);
    return (this.lineStarts[valid.line] as number) + valid.character;
  }

  /** The position of an offset; an offset inside a line break maps to the end of that line. */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(Math.floor(offset) || 0, this.text.length));
    while (!this.complete && (this.lineStarts[this.lineStarts.length - 1] as number) <= clamped) this.scanLine();
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] as number) <= clamped) low = middle;
      else high = middle - 1;
    }
    const lineStart = this.lineStarts[low] as number;
    return { line: low, character: Math.min(clamped - lineStart, this.lineLength(low)) };
  }

  getText(range?: Range): string {
    if (!range) return this.text;
    const valid = this.validateRange(range);
    return this.text.slice(this.offsetAt(valid.start), this.offsetAt(valid.end));
  }

  /** Whether `line` exists, scanning just far enough to know. */
  private hasLine(line: number): boolean {
    while (this.lineStarts.length <= line && !this.complete) this.scanLine();
    return line < this.lineStarts.length;
  }

  private clampLine(line: number): number {
    const wanted = Math.max(0, Math.floor(line) || 0);
    return this.hasLine(wanted) ? wanted : this.lineStarts.length - 1;
  }

  /** Offset just past the last character of a line, before its line break. */
  private contentEnd(line: number): number {
    if (!this.hasLine(line + 1)) return this.text.length;
    const nextStart = this.lineStarts[line + 1] as number;
    const crlf =
      nextStart >= 2 &&
      this.text.charCodeAt(nextStart - 1) === LINE_FEED &&
      this.text.charCodeAt(nextStart - 2) === CARRIAGE_RETURN;
    return nextStart - (crlf ? 2 : 1);
  }

  private scanLine(): void {
    const next = this.scanner.nextLineStart(this.lineStarts[this.lineStarts.length - 1] as number);
    if (next === undefined) this.complete = true;
    else this.lineStarts.push(next);
  }

  private scanAll(): void {
    while (!this.complete) this.scanLine();
  }
}

// One-off queries. Each builds a lazy LineIndex, so it scans the text only as far as it needs;
// build a LineIndex yourself for several queries on one text.

export function offsetAt(text: string, position: Position): number {
  return new LineIndex(text).offsetAt(position);
}

export function positionAt(text: string, offset: number): Position {
  return new LineIndex(text).positionAt(offset);
}

export function lineAt(text: string, line: number): TextLine | undefined {
  return new LineIndex(text).lineAt(line);
}

/** The text of a range, clamped and ordered; scans only up to the range. */
export function getText(text: string, range: Range): string {
  return new LineIndex(text).getText(range);
}

/**
 * Whole lines `firstLine` to `lastLine` (inclusive, clamped) joined by their original line
 * breaks, found by scanning only up to `lastLine`.
 */
export function sliceLines(text: string, firstLine: number, lastLine: number): string {
  const index = new LineIndex(text);
  const start = index.offsetAt({ line: Math.max(0, firstLine), character: 0 });
  const end = index.offsetAt({ line: lastLine, character: Number.MAX_SAFE_INTEGER });
  return start <= end ? text.slice(start, end) : '';
}

/** The lines of a text without their line breaks; an empty text has one empty line. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The first `count` lines of `text`, as splitLines gives them, without splitting the rest. */
export function leadingLines(text: string, count: number): string[] {
  const lines: string[] = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let found = breaks.exec(text); found && lines.length < count; found = breaks.exec(text)) {
    lines.push(text.slice(start, found.index));
    start = found.index + found[0].length;
  }
  if (lines.length < count) lines.push(text.slice(start));
  return lines;
}

/** `text` as a regular expression that matches exactly it. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function lineCount(text: string): number {
  return countLineBreaks(text) + 1;
}

/**
 * The document's line break. Like VS Code when it loads a file, the majority wins (CRLF when more
 * than half of the breaks are CRLF); a text without any line break gets `fallback`.
 */
export function detectEol(text: string, fallback: EndOfLine = '\n'): EndOfLine {
  const counts = countLineBreakKinds(text);
  const total = counts.crlf + counts.lf + counts.cr;
  if (total === 0) return fallback;
  return counts.crlf > total / 2 ? '\r\n' : '\n';
}

/** The single line break a text uses throughout, or undefined when it has none or mixes kinds. */
export function uniformEol(text: string): EndOfLine | undefined {
  const counts = countLineBreakKinds(text);
  if (counts.cr > 0) return undefined;
  if (counts.crlf > 0 && counts.lf === 0) return '\r\n';
  if (counts.lf > 0 && counts.crlf === 0) return '\n';
  return undefined;
}

/** Every line break ('\r\n', '\r' or '\n') replaced by `eol`. */
export function normalizeEol(text: string, eol: EndOfLine): string {
  return text.replace(/\r\n|\r|\n/g, eol);
}

export function countLineBreaks(text: string): number {
  const counts = countLineBreakKinds(text);
  return counts.crlf + counts.lf + counts.cr;
}

/** Where the cursor ends up after typing `inserted` at `start`. */
export function advancePosition(start: Position, inserted: string): Position {
  let line = start.line;
  let lastLineStart = -1;
  for (let index = 0; index < inserted.length; index++) {
    const code = inserted.charCodeAt(index);
    if (code === CARRIAGE_RETURN) {
      if (inserted.charCodeAt(index + 1) === LINE_FEED) index++;
      line++;
      lastLineStart = index + 1;
    } else if (code === LINE_FEED) {
      line++;
      lastLineStart = index + 1;
    }
  }
  if (lastLineStart === -1) return { line, character: start.character + inserted.length };
  return { line, character: inserted.length - lastLineStart };
}

export function isBefore(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

export function isAfter(a: Position, b: Position): boolean {
  return isBefore(b, a);
}

export function isSamePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}

/**
 * Finds line breaks left to right with one indexOf per kind of break, remembering the next
 * occurrence of each so a scan stays linear even when one kind never occurs.
 */
class LineBreakScanner {
  private nextLineFeed = -2;
  private nextCarriageReturn = -2;

  constructor(private readonly text: string) {}

  /** The offset of the line after the one starting at `lineStart`, or undefined on the last line. */
  nextLineStart(lineStart: number): number | undefined {
    const breakOffset = this.nextBreak(lineStart);
    if (breakOffset === -1) return undefined;
    const crlf =
      this.text.charCodeAt(breakOffset) === CARRIAGE_RETURN && this.text.charCodeAt(breakOffset + 1) === LINE_FEED;
    return breakOffset + (crlf ? 2 : 1);
  }

  /** Offset just past the content of the line starting at `lineStart`. */
  contentEnd(lineStart: number): number {
    const breakOffset = this.nextBreak(lineStart);
    return breakOffset === -1 ? this.text.length : breakOffset;
  }

  private nextBreak(from: number): number {
    if (this.nextLineFeed !== -1 && this.nextLineFeed < from) this.nextLineFeed = this.text.indexOf('\n', from);
    if (this.nextCarriageReturn !== -1 && this.nextCarriageReturn < from) {
      this.nextCarriageReturn = this.text.indexOf('\r', from);
    }
    if (this.nextLineFeed === -1) return this.nextCarriageReturn;
    if (this.nextCarriageReturn === -1) return this.nextLineFeed;
    return Math.min(this.nextLineFeed, this.nextCarriageReturn);
  }
}

function countLineBreakKinds(text: string): { crlf: number; lf: number; cr: number } {
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === CARRIAGE_RETURN) {
      if (text.charCodeAt(index + 1) === LINE_FEED) {
        crlf++;
        index++;
      } else {
        cr++;
      }
    } else if (code === LINE_FEED) {
      lf++;
    }
  }
  return { crlf, lf, cr };
}
