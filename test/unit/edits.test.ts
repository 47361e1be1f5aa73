import { describe, expect, it } from 'vitest';
import {
  applyEdits,
  applyWorkspaceEdits,
  editToHunk,
  invertEdits,
  isNoOpEdit,
  rebaseEdit,
  rebaseEdits,
  relate,
  transformPosition,
} from '../../src/core/edits';
import type { ChangeEvent, Position, Range, ScoredEdit, TextEdit } from '../../src/core/types';

const pointAt = (line: number, character: number): Position => ({ line, character });
const rangeOf = (startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range => ({
  start: pointAt(startLine, startCharacter),
  end: pointAt(endLine, endCharacter),
});
const edit = (range: Range, text: string, path = 'a.ts'): TextEdit => ({ path, range, text });

function applied(text: string, edits: TextEdit[], eol?: 'literal'): string {
  const result = applyEdits(text, edits, eol ? { eol } : {});
  if (result.kind !== 'applied') throw new Error(`expected applied, got ${result.reason}`);
  return result.text;
}

describe('applyEdits', () => {
  it('applies edits as if simultaneous, whatever their order', () => {
    const text = 'let count = 0;\ncount += 1;\nreturn count;';
    const edits = [
      edit(rangeOf(2, 7, 2, 12), 'total'),
      edit(rangeOf(0, 4, 0, 9), 'total'),
      edit(rangeOf(1, 0, 1, 5), 'total'),
    ];
    expect(applied(text, edits)).toBe('let total = 0;\ntotal += 1;\nreturn total;');
    expect(applied(text, [...edits].reverse())).toBe('let total = 0;\ntotal += 1;\nreturn total;');
  });

  it('allows touching edits and keeps the given order for insertions at one point', () => {
    const atOne = [edit(rangeOf(0, 1, 0, 1), 'X'), edit(rangeOf(0, 1, 0, 1), 'Y'), edit(rangeOf(0, 1, 0, 2), '-')];
    expect(applied('abc', atOne)).toBe('aXY-c');
    expect(applied('abc', [edit(rangeOf(0, 0, 0, 1), '1'), edit(rangeOf(0, 1, 0, 2), '2')])).toBe('12c');
  });

  it('reports overlapping edits as a conflict value', () => {
    const result = applyEdits('abcdef', [edit(rangeOf(0, 0, 0, 3), 'x'), edit(rangeOf(0, 2, 0, 4), 'y')]);
    expect(result.kind).toBe('conflict');
  });

  it('rejects edits for several paths', () => {
    const twoPaths = [edit(rangeOf(0, 0, 0, 0), 'x', 'a.ts'), edit(rangeOf(0, 0, 0, 0), 'y', 'b.ts')];
    expect(applyEdits('abc', twoPaths).kind).toBe('conflict');
  });

  it('normalizes inserted line breaks to a CRLF document, as VS Code does', () => {
    expect(applied('a\r\nb', [edit(rangeOf(0, 1, 0, 1), '\nx\ny')])).toBe('a\r\nx\r\ny\r\nb');
    expect(applied('a\nb', [edit(rangeOf(0, 1, 0, 1), '\r\nx')])).toBe('a\nx\nb');
    expect(applied('a\r\nb', [edit(rangeOf(0, 1, 0, 1), '\nx')], 'literal')).toBe('a\nx\r\nb');
    expect(applied('ab', [edit(rangeOf(0, 1, 0, 1), '\r\n')])).toBe('a\r\nb');
  });

  it('throws TypeError for an unknown eol option', () => {
    expect(() => applyEdits('a', [edit(rangeOf(0, 0, 0, 0), 'x')], { eol: 'cr' as never })).toThrow(TypeError);
  });

  it('clamps ranges into the document', () => {
    expect(applied('ab\ncd', [edit(rangeOf(0, 1, 0, 99), 'X')])).toBe('aX\ncd');
    expect(applied('ab\ncd', [edit(rangeOf(5, 0, 6, 0), '!')])).toBe('ab\ncd!');
  });

  it('works on empty documents and with tabs and non-ASCII text', () => {
    expect(applied('', [edit(rangeOf(0, 0, 0, 0), 'x')])).toBe('x');
    const edits = [edit(rangeOf(0, 5, 0, 7), '🙂'), edit(rangeOf(0, 0, 0, 1), '  ')];
    expect(applied('\tcafé😀中', edits)).toBe('  café🙂中');
  });
});

describe('applyWorkspaceEdits', () => {
  it('applies edits grouped by path', () => {
    const texts = new Map([
      ['a.ts', 'one\ntwo'],
      ['b.ts', 'three'],
    ]);
    const result = applyWorkspaceEdits(texts, [
      edit(rangeOf(0, 0, 0, 3), 'ONE', 'a.ts'),
      edit(rangeOf(0, 5, 0, 5), '!', 'b.ts'),
      edit(rangeOf(1, 0, 1, 3), 'TWO', 'a.ts'),
    ]);
    expect(result.kind).toBe('applied');
    if (result.kind !== 'applied') return;
    expect(result.texts.get('a.ts')).toBe('ONE\nTWO');
    expect(result.texts.get('b.ts')).toBe('three!');
    expect(texts.get('a.ts')).toBe('one\ntwo');
  });

  it('reports a missing document or a conflict in one file', () => {
    expect(applyWorkspaceEdits(new Map(), [edit(rangeOf(0, 0, 0, 0), 'x', 'missing.ts')]).kind).toBe('conflict');
    const conflict = applyWorkspaceEdits(new Map([['a.ts', 'abc']]), [
      edit(rangeOf(0, 0, 0, 2), 'x'),
      edit(rangeOf(0, 1, 0, 3), 'y'),
    ]);
    expect(conflict).toMatchObject({ kind: 'conflict' });
    if (conflict.kind === 'conflict') expect(conflict.reason).toContain('a.ts');
  });
});

describe('invertEdits', () => {
  it('undoes edits exactly, multi-line and CRLF included', () => {
    const text = 'first\r\nsecond\r\nthird';
    const edits = [edit(rangeOf(0, 5, 1, 3), ' and\r\nx\r\ny'), edit(rangeOf(2, 0, 2, 5), '')];
    const after = applied(text, edits);
    expect(after).toBe('first and\r\nx\r\nyond\r\n');
    const inverse = invertEdits(text, edits);
    expect(inverse.kind).toBe('inverted');
    if (inverse.kind !== 'inverted') return;
    expect(inverse.edits).toEqual([edit(rangeOf(0, 5, 2, 1), '\r\nsec'), edit(rangeOf(3, 0, 3, 0), 'third')]);
    expect(applied(after, [...inverse.edits], 'literal')).toBe(text);
  });

  it('passes conflicts through', () => {
    expect(invertEdits('abc', [edit(rangeOf(0, 0, 0, 2), ''), edit(rangeOf(0, 1, 0, 3), '')]).kind).toBe('conflict');
  });
});

describe('transformPosition', () => {
  const insertion: ChangeEvent = edit(rangeOf(1, 2, 1, 2), 'xy\nz');

  it('leaves positions before the change', () => {
    expect(transformPosition(pointAt(1, 1), insertion, 'after')).toEqual(pointAt(1, 1));
    expect(transformPosition(pointAt(0, 9), insertion, 'after')).toEqual(pointAt(0, 9));
  });

  it('shifts positions after the change by lines and characters', () => {
    expect(transformPosition(pointAt(1, 5), insertion, 'before')).toEqual(pointAt(2, 4));
    expect(transformPosition(pointAt(3, 5), insertion, 'before')).toEqual(pointAt(4, 5));
  });

  it('uses the bias at an insertion point and inside a replaced range', () => {
    expect(transformPosition(pointAt(1, 2), insertion, 'before')).toEqual(pointAt(1, 2));
    expect(transformPosition(pointAt(1, 2), insertion, 'after')).toEqual(pointAt(2, 1));
    const replacement = edit(rangeOf(0, 2, 2, 1), 'Q');
    expect(transformPosition(pointAt(1, 0), replacement, 'before')).toEqual(pointAt(0, 2));
    expect(transformPosition(pointAt(1, 0), replacement, 'after')).toEqual(pointAt(0, 3));
    expect(transformPosition(pointAt(2, 4), replacement, 'after')).toEqual(pointAt(0, 6));
  });
});

describe('rebaseEdit', () => {
  const suggestion: ScoredEdit = { path: 'a.ts', range: rangeOf(5, 4, 5, 9), text: 'total', score: 0.8, source: 'model' };

  it('shifts an edit below a change that adds lines, keeping extra fields', () => {
    const rebased = rebaseEdit(suggestion, edit(rangeOf(1, 0, 1, 0), 'a\nb\n'));
    expect(rebased).toEqual({ ...suggestion, range: rangeOf(7, 4, 7, 9) });
  });

  it('shifts characters for a change earlier on the same line', () => {
    expect(rebaseEdit(suggestion, edit(rangeOf(5, 0, 5, 2), ''))?.range).toEqual(rangeOf(5, 2, 5, 7));
    expect(rebaseEdit(suggestion, edit(rangeOf(3, 1, 5, 0), 'é'))?.range).toEqual(rangeOf(3, 6, 3, 11));
  });

  it('keeps an edit when the change is after it, touching or not', () => {
    expect(rebaseEdit(suggestion, edit(rangeOf(5, 9, 5, 9), ';'))).toBe(suggestion);
    expect(rebaseEdit(suggestion, edit(rangeOf(9, 0, 9, 0), 'x'))).toBe(suggestion);
  });

  it('keeps an edit on another path', () => {
    expect(rebaseEdit(suggestion, edit(rangeOf(0, 0, 9, 0), '', 'b.ts'))).toBe(suggestion);
  });

  it('drops an edit the change overlapped', () => {
    expect(rebaseEdit(suggestion, edit(rangeOf(5, 5, 5, 6), 'x'))).toBeUndefined();
    expect(rebaseEdit(suggestion, edit(rangeOf(5, 6, 5, 6), 'x'))).toBeUndefined();
    expect(rebaseEdit(suggestion, edit(rangeOf(4, 0, 5, 5), ''))).toBeUndefined();
    const insertion = edit(rangeOf(2, 2, 2, 2), 'x');
    expect(rebaseEdit(insertion, edit(rangeOf(2, 2, 2, 2), 'y'))).toBeUndefined();
  });

  it('relates touching ranges as outside', () => {
    expect(relate(rangeOf(0, 2, 0, 4), rangeOf(0, 0, 0, 2))).toBe('before');
    expect(relate(rangeOf(0, 2, 0, 4), rangeOf(0, 4, 0, 6))).toBe('after');
    expect(relate(rangeOf(0, 2, 0, 2), rangeOf(0, 2, 0, 5))).toBe('after');
    expect(relate(rangeOf(0, 2, 0, 2), rangeOf(0, 0, 0, 2))).toBe('before');
  });

  it('rebases a list over several events, dropping overlapped edits', () => {
    const edits = [suggestion, { ...suggestion, range: rangeOf(8, 0, 8, 1) }, { ...suggestion, path: 'b.ts' }];
    const result = rebaseEdits(edits, [edit(rangeOf(0, 0, 0, 0), '\n'), edit(rangeOf(9, 0, 9, 1), 'y')]);
    expect(result.map((item) => [item.path, item.range])).toEqual([
      ['a.ts', rangeOf(6, 4, 6, 9)],
      ['b.ts', rangeOf(5, 4, 5, 9)],
    ]);
  });
});

describe('editToHunk', () => {
  it('shows the whole affected lines before and after', () => {
    const text = 'function f() {\r\n  return count;\r\n}\r\n';
    expect(editToHunk(text, edit(rangeOf(1, 9, 1, 14), 'total'))).toEqual({
      path: 'a.ts',
      startLine: 1,
      beforeText: '  return count;',
      afterText: '  return total;',
    });
    expect(editToHunk(text, edit(rangeOf(0, 14, 1, 0), '\r\n  const x = 1;\r\n'))).toEqual({
      path: 'a.ts',
      startLine: 0,
      beforeText: 'function f() {\n  return count;',
      afterText: 'function f() {\n  const x = 1;\n  return count;',
    });
  });

  it('handles an empty document', () => {
    expect(editToHunk('', edit(rangeOf(0, 0, 0, 0), 'x'))).toEqual({
      path: 'a.ts',
      startLine: 0,
      beforeText: '',
      afterText: 'x',
    });
  });

  it('tells a no-op edit', () => {
    expect(isNoOpEdit('abc', edit(rangeOf(0, 1, 0, 2), 'b'))).toBe(true);
    expect(isNoOpEdit('abc', edit(rangeOf(0, 1, 0, 2), 'B'))).toBe(false);
  });
});
