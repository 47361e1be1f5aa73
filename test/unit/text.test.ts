import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LineIndex,
  advancePosition,
  countLineBreaks,
  detectEol,
  getText,
  lineAt,
  lineCount,
  normalizeEol,
  offsetAt,
  positionAt,
  sliceLines,
  leadingLines,
  splitLines,
  uniformEol,
} from '../../src/core/text';

const SAMPLES = [
  '',
  'single line',
  'a\nb\nc',
  'a\r\nb\r\nc\r\n',
  'a\rb\rc',
  'mixed\r\nline\nbreaks\rhere',
  '\tindented\n\t\tdeeper\n',
  'café\n中文字\n😀 smile\n',
  '\n\n\n',
];

describe('LineIndex', () => {
  it('splits lines on \\r\\n, \\n and a lone \\r', () => {
    expect(new LineIndex('a\r\nb\nc\rd').lineCount).toBe(4);
    expect(splitLines('a\r\nb\nc\rd')).toEqual(['a', 'b', 'c', 'd']);
    expect(lineCount('')).toBe(1);
    expect(lineCount('x\n')).toBe(2);
  });

  it('round-trips every offset that is not inside a line break', () => {
    for (const text of SAMPLES) {
      const index = new LineIndex(text);
      for (let offset = 0; offset <= text.length; offset++) {
        const insideCrlf = text[offset - 1] === '\r' && text[offset] === '\n';
        const position = index.positionAt(offset);
        if (insideCrlf) {
          // VS Code maps an offset between \r and \n to the end of that line.
          expect(index.offsetAt(position)).toBe(offset - 1);
        } else {
          expect(index.offsetAt(position)).toBe(offset);
        }
        expect(positionAt(text, offset)).toEqual(position);
        expect(offsetAt(text, position)).toBe(index.offsetAt(position));
      }
    }
  });

  it('counts characters in UTF-16 code units', () => {
    const text = 'x😀y\n中文é';
    const index = new LineIndex(text);
    expect(index.lineLength(0)).toBe(4);
    expect(index.offsetAt({ line: 0, character: 3 })).toBe(3);
    expect(index.positionAt(text.indexOf('y'))).toEqual({ line: 0, character: 3 });
    expect(index.lineLength(1)).toBe(3);
    expect(index.getText({ start: { line: 1, character: 1 }, end: { line: 1, character: 3 } })).toBe('文é');
  });

  it('does not move a position that lands inside a surrogate pair (extension host semantics)', () => {
    const text = 'a😀b';
    expect(offsetAt(text, { line: 0, character: 2 })).toBe(2);
    expect(getText(text, { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } })).toBe('a\ud83d');
  });

  it('clamps like VS Code', () => {
    const text = 'abc\r\nde\r\n';
    const index = new LineIndex(text);
    expect(index.validatePosition({ line: 0, character: 99 })).toEqual({ line: 0, character: 3 });
    expect(index.validatePosition({ line: 7, character: 1 })).toEqual({ line: 2, character: 0 });
    expect(index.validatePosition({ line: -1, character: 5 })).toEqual({ line: 0, character: 0 });
    expect(index.validatePosition({ line: 1, character: -4 })).toEqual({ line: 1, character: 0 });
    expect(offsetAt(text, { line: 0, character: 99 })).toBe(3);
    expect(offsetAt(text, { line: 1, character: 99 })).toBe(7);
    expect(offsetAt(text, { line: 9, character: 0 })).toBe(text.length);
    expect(positionAt(text, 999)).toEqual({ line: 2, character: 0 });
    expect(positionAt(text, -3)).toEqual({ line: 0, character: 0 });
    expect(index.validateRange({ start: { line: 1, character: 1 }, end: { line: 0, character: 1 } })).toEqual({
      start: { line: 0, character: 1 },
      end: { line: 1, character: 1 },
    });
  });

  it('handles an empty document and one without a final newline', () => {
    const empty = new LineIndex('');
    expect(empty.lineCount).toBe(1);
    expect(empty.end).toEqual({ line: 0, character: 0 });
    expect(empty.positionAt(5)).toEqual({ line: 0, character: 0 });
    expect(empty.getText({ start: { line: 0, character: 0 }, end: { line: 3, character: 3 } })).toBe('');
    const noFinal = new LineIndex('one\ntwo');
    expect(noFinal.end).toEqual({ line: 1, character: 3 });
    expect(noFinal.lineAt(1)?.lineBreakLength).toBe(0);
  });
});

describe('lineAt', () => {
  it('describes a CRLF line like VS Code TextLine', () => {
    const line = lineAt('first\r\n\tsecond\r\nthird', 1);
    expect(line).toEqual({
      lineNumber: 1,
      text: '\tsecond',
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 7 } },
      rangeIncludingLineBreak: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } },
      startOffset: 7,
      endOffset: 14,
      lineBreakLength: 2,
    });
  });

  it('returns undefined for lines outside the document', () => {
    expect(lineAt('a\nb', 2)).toBeUndefined();
    expect(lineAt('a\nb', -1)).toBeUndefined();
    expect(lineAt('a\nb', 0.5)).toBeUndefined();
  });
});

describe('getText and sliceLines', () => {
  it('reads ranges across CRLF line breaks', () => {
    const text = 'ab\r\ncd\r\nef';
    expect(getText(text, { start: { line: 0, character: 1 }, end: { line: 2, character: 1 } })).toBe('b\r\ncd\r\ne');
    expect(getText(text, { start: { line: 2, character: 1 }, end: { line: 0, character: 1 } })).toBe('b\r\ncd\r\ne');
  });

  it('slices whole lines, clamped', () => {
    const text = 'l0\nl1\r\nl2\nl3';
    expect(sliceLines(text, 1, 2)).toBe('l1\r\nl2');
    expect(sliceLines(text, -2, 0)).toBe('l0');
    expect(sliceLines(text, 3, 10)).toBe('l3');
  });
});

describe('line breaks', () => {
  it('detects the majority line break like VS Code', () => {
    expect(detectEol('a\r\nb\r\nc\nd')).toBe('\r\n');
    expect(detectEol('a\r\nb\nc')).toBe('\n');
    expect(detectEol('no breaks')).toBe('\n');
    expect(detectEol('no breaks', '\r\n')).toBe('\r\n');
  });

  it('tells uniform from mixed line breaks', () => {
    expect(uniformEol('a\r\nb\r\n')).toBe('\r\n');
    expect(uniformEol('a\nb\n')).toBe('\n');
    expect(uniformEol('a\nb\r\n')).toBeUndefined();
    expect(uniformEol('a\rb')).toBeUndefined();
    expect(uniformEol('ab')).toBeUndefined();
  });

  it('normalizes every kind of line break', () => {
    expect(normalizeEol('a\r\nb\nc\rd', '\r\n')).toBe('a\r\nb\r\nc\r\nd');
    expect(normalizeEol('a\r\nb\nc\rd', '\n')).toBe('a\nb\nc\nd');
    expect(countLineBreaks('a\r\nb\nc\rd')).toBe(3);
  });
});

describe('advancePosition', () => {
  it('moves along one line by UTF-16 length', () => {
    expect(advancePosition({ line: 2, character: 3 }, 'é😀')).toEqual({ line: 2, character: 6 });
  });

  it('moves to the last inserted line, counting \\r\\n once', () => {
    expect(advancePosition({ line: 2, character: 3 }, 'a\r\nbc\ndef')).toEqual({ line: 4, character: 3 });
    expect(advancePosition({ line: 0, character: 5 }, '\r')).toEqual({ line: 1, character: 0 });
    expect(advancePosition({ line: 0, character: 5 }, '')).toEqual({ line: 0, character: 5 });
  });
});

describe('leadingLines', () => {
  it('gives the first lines as splitLines does, for every kind of line break', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', ' ', '\n', '\r', '\r\n')), fc.integer({ min: 1, max: 6 }), (pieces, count) => {
        const text = pieces.join('');
        expect(leadingLines(text, count)).toEqual(splitLines(text).slice(0, count));
      }),
    );
  });
});
