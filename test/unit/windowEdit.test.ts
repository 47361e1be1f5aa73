import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { buildWindow, cursorCompletion, windowEdit } from '../../src/core/windowEdit';
import { isTypingAt, modelSuggestions, modelWindows } from '../../src/core/modelCandidates';
import type { RecordedEdit } from '../../src/core/types';
import type { EditWindow } from '../../src/core/ports';
import type { Position, TextEdit } from '../../src/core/types';

/** Applies a single-range edit to the window's lines (document coordinates). */
function applyToWindow(window: EditWindow, edit: TextEdit): string[] {
  const offsetOf = (position: Position): number =>
    window.lines.slice(0, position.line - window.startLine).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
  const text = window.lines.join('\n');
  return (text.slice(0, offsetOf(edit.range.start)) + edit.text + text.slice(offsetOf(edit.range.end))).split('\n');
}

const window: EditWindow = { path: 'a.ts', startLine: 10, lines: ['const foo = 1;', 'retu', '}'], cursor: { line: 11, character: 4 } };

describe('windowEdit', () => {
  it('trims a rewrite to the changed characters', () => {
    const edit = windowEdit(window, ['const bar = 1;', 'retu', '}'], '\n');
    expect(edit).toEqual({ path: 'a.ts', range: { start: { line: 10, character: 6 }, end: { line: 10, character: 9 } }, text: 'bar' });
  });

  it('says nothing when nothing changes and writes the file line break', () => {
    expect(windowEdit(window, window.lines, '\n')).toBeUndefined();
    expect(windowEdit(window, ['const foo = 1;', 'return x;', '', '}'], '\r\n')?.text).toBe('rn x;\r\n');
  });
});

describe('cursorCompletion', () => {
  it('offers text typed at the cursor as an insertion there', () => {
    const edit = cursorCompletion(window, ['const foo = 1;', 'return foo;', '}'], '\n');
    expect(edit).toEqual({ path: 'a.ts', range: { start: { line: 11, character: 4 }, end: { line: 11, character: 4 } }, text: 'rn foo;' });
  });

  it('keeps the insertion at the cursor where the smallest diff would move it along the line', () => {
    const typing: EditWindow = { path: 'a.ts', startLine: 0, lines: ['foo'], cursor: { line: 0, character: 2 } };
    expect(windowEdit(typing, ['fooo'], '\n')?.range.start.character).toBe(3);
    expect(cursorCompletion(typing, ['fooo'], '\n')?.range.start.character).toBe(2);
  });

  it('crosses lines and writes the file line break', () => {
    const edit = cursorCompletion(window, ['const foo = 1;', 'return {', '  foo,', '};', '}'], '\r\n');
    expect(edit?.text).toBe('rn {\r\n  foo,\r\n};');
  });

  it('refuses changes that are not a pure insertion at the cursor', () => {
    expect(cursorCompletion(window, ['const bar = 1;', 'return', '}'], '\n')).toBeUndefined();
    expect(cursorCompletion(window, ['const foo = 1;', 'ret', '}'], '\n')).toBeUndefined();
    expect(cursorCompletion(window, ['const foo = 1;', 'retu', '};'], '\n')).toBeUndefined();
    expect(cursorCompletion({ ...window, cursor: undefined }, ['const foo = 1;', 'return', '}'], '\n')).toBeUndefined();
  });

  it('never splits a surrogate pair', () => {
    const emoji: EditWindow = { path: 'a.ts', startLine: 0, lines: ['a😀b'], cursor: { line: 0, character: 2 } };
    expect(cursorCompletion(emoji, ['a\ud83dx\ude00b'], '\n')).toBeUndefined();
  });

  it('agrees with windowEdit on the resulting text (property)', () => {
    const line = fc.stringMatching(/^[a-z😀 ]{0,6}$/);
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), fc.nat(), fc.nat(), fc.array(line, { minLength: 1, maxLength: 5 }), (lines, lineSeed, characterSeed, newLines) => {
        const cursorLine = lineSeed % lines.length;
        const built = buildWindow('p', lines.join('\n'), { line: cursorLine, character: characterSeed % (lines[cursorLine]!.length + 1) }, cursorLine, 5, 5);
        const completion = cursorCompletion(built, newLines, '\n');
        if (completion) {
          expect(completion.range.start).toEqual(built.cursor);
          expect(applyToWindow(built, completion)).toEqual(newLines);
        }
        const edit = windowEdit(built, newLines, '\n');
        expect(edit ? applyToWindow(built, edit) : built.lines).toEqual(newLines);
      }),
      { numRuns: 300 },
    );
  });
});

describe('typing windows', () => {
  const typed = (start: Position, insertedText: string): RecordedEdit => ({
    path: 'a.ts',
    range: { start, end: start },
    removedText: '',
    insertedText,
    hunk: { path: 'a.ts', startLine: start.line, beforeText: '', afterText: insertedText },
    timestampMs: 0,
  });
  const cursor = { path: 'a.ts', position: { line: 1, character: 4 } };

  it('knows the user is typing when the newest edit inserted text ending at the cursor', () => {
    expect(isTypingAt(cursor, [typed({ line: 1, character: 2 }, 'tu')])).toBe(true);
    expect(isTypingAt(cursor, [typed({ line: 0, character: 14 }, '\nretu')])).toBe(true);
    expect(isTypingAt(cursor, [typed({ line: 1, character: 1 }, 'tu')])).toBe(false);
    expect(isTypingAt(cursor, [typed({ line: 1, character: 2 }, 'tu'), typed({ line: 5, character: 0 }, 'x')])).toBe(false);
    expect(isTypingAt({ ...cursor, path: 'b.ts' }, [typed({ line: 1, character: 2 }, 'tu')])).toBe(false);
    expect(isTypingAt(cursor, [])).toBe(false);
  });

  it('marks only the cursor window as typing', () => {
    const text = window.lines.join('\n');
    const [first] = modelWindows(cursor, text, [], [typed({ line: 1, character: 2 }, 'tu')]);
    expect(first?.typing).toBe(true);
    expect(modelWindows(cursor, text, [], [])[0]?.typing).toBeUndefined();
  });

  it('offers a typing window only a completion at the cursor', () => {
    const typing: EditWindow = { ...window, typing: true };
    const readText = (): string => window.lines.join('\n');
    const completion = modelSuggestions([{ window: typing, newLines: ['const foo = 1;', 'return foo;', '}'], score: 0.9 }], [], readText);
    expect(completion.map((suggestion) => suggestion.edits[0]?.text)).toEqual(['rn foo;']);
    expect(completion[0]?.explanation.pattern).toMatch(/^completes what you are typing/);
    // Rewriting what was typed, or a change elsewhere in the window, is not a completion.
    const rewrite = modelSuggestions([{ window: typing, newLines: ['const foo = 1;', 'throw foo;', '}'], score: 0.9 }], [], readText);
    const elsewhere = modelSuggestions([{ window: typing, newLines: ['const bar = 1;', 'retu', '}'], score: 0.9 }], [], readText);
    expect([...rewrite, ...elsewhere]).toEqual([]);
    expect(modelSuggestions([{ window, newLines: ['const bar = 1;', 'retu', '}'], score: 0.9 }], [], readText)).toHaveLength(1);
  });
});
