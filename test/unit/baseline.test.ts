import { describe, expect, it } from 'vitest';
import { repeatLastEdit } from '../../src/core/baseline';
import type { Position, RecordedEdit, TextEdit } from '../../src/core/types';

function positionAt(text: string, offset: number): Position {
  const lines = text.slice(0, offset).split(/\r\n|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

function offsetAt(text: string, position: Position): number {
  const lines = text.split(/(?<=\n)/);
  let offset = 0;
  for (let line = 0; line < position.line; line++) offset += lines[line]!.length;
  return offset + position.character;
}

function apply(text: string, edit: TextEdit): string {
  return text.slice(0, offsetAt(text, edit.range.start)) + edit.text + text.slice(offsetAt(text, edit.range.end));
}

/** The user replaced [start, end) of `before`; returns the current text and the recorded edit. */
function userEdit(path: string, before: string, start: number, end: number, inserted: string): { text: string; edit: RecordedEdit } {
  const text = before.slice(0, start) + inserted + before.slice(end);
  const startPosition = positionAt(before, start);
  return {
    text,
    edit: {
      path,
      range: { start: startPosition, end: positionAt(before, end) },
      removedText: before.slice(start, end),
      insertedText: inserted,
      hunk: { path, startLine: startPosition.line, beforeText: '', afterText: '' },
      timestampMs: 0,
    },
  };
}

describe('repeatLastEdit', () => {
  it('replaces the next literal occurrence after the edit', () => {
    const before = 'a = foo(1);\nb = foo(2);\nc = foo(3);\n';
    const { text, edit } = userEdit('x.js', before, before.indexOf('foo(2)'), before.indexOf('foo(2)') + 3, 'bar');
    const [next] = repeatLastEdit([edit], (path) => (path === 'x.js' ? text : undefined));
    expect(next).toMatchObject({ path: 'x.js', text: 'bar', score: 1, source: 'propagation', range: { start: { line: 2, character: 4 }, end: { line: 2, character: 7 } } });
    expect(apply(text, next!)).toBe('a = foo(1);\nb = bar(2);\nc = bar(3);\n');
  });

  it('wraps around to the start of the file', () => {
    const before = 'x = old;\ny = old;\n';
    const { text, edit } = userEdit('w.js', before, before.lastIndexOf('old'), before.lastIndexOf('old') + 3, 'new');
    const [next] = repeatLastEdit([edit], () => text);
    expect(apply(text, next!)).toBe('x = new;\ny = new;\n');
  });

  it('anchors a pure insertion on the text before it on its line', () => {
    const before = 'fn(a);\nfn(b);\nfn(c);\n';
    const at = before.indexOf('fn(') + 3;
    const { text, edit } = userEdit('i.js', before, at, at, 'ctx, ');
    const [next] = repeatLastEdit([edit], () => text);
    expect(apply(text, next!)).toBe('fn(ctx, a);\nfn(ctx, b);\nfn(c);\n');
  });

  it('keeps CRLF line positions right', () => {
    const before = 'let a = 1;\r\nlet b = 2;\r\n';
    const { text, edit } = userEdit('c.ts', before, 0, 3, 'const');
    const [next] = repeatLastEdit([edit], () => text);
    expect(next!.range.start).toEqual({ line: 1, character: 0 });
    expect(apply(text, next!)).toBe('const a = 1;\r\nconst b = 2;\r\n');
  });

  it('returns nothing when there is no history, no text, or no other occurrence', () => {
    expect(repeatLastEdit([], () => '')).toEqual([]);
    const before = 'unique();\n';
    const { text, edit } = userEdit('u.js', before, 0, 6, 'single');
    expect(repeatLastEdit([edit], () => undefined)).toEqual([]);
    expect(repeatLastEdit([edit], () => text)).toEqual([]);
    const insertion = userEdit('u.js', before, 0, 0, '// ');
    expect(repeatLastEdit([insertion.edit], () => insertion.text)).toEqual([]);
  });
});
