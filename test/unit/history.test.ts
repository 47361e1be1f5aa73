import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocumentStore } from '../../src/core/documents';
import { applyEdits } from '../../src/core/edits';
import { EditHistory, type EditHistoryOptions } from '../../src/core/history';
import { advancePosition, getText, splitLines } from '../../src/core/text';
import type { ChangeEvent, Position, Range, RecordedEdit } from '../../src/core/types';

const pointAt = (line: number, character: number): Position => ({ line, character });
const rangeOf = (start: Position, end: Position = start): Range => ({ start, end });

/** A document store and a history wired as the engine wires them, with a keyboard. */
class Session {
  readonly documents = new DocumentStore();
  readonly history: EditHistory;
  now = 0;

  constructor(options: EditHistoryOptions = {}) {
    this.history = new EditHistory(options);
  }

  change(path: string, range: Range, text: string, elapsedMs = 50): void {
    this.now += elapsedMs;
    const event: ChangeEvent = { path, range, text };
    const result = this.documents.apply(event);
    if (result.kind !== 'applied') throw new Error(result.reason);
    this.history.record(event, result.before, result.after, this.now);
  }

  /** Types `text` one character per event from `at`, like a person. */
  type(path: string, at: Position, text: string, elapsedMs = 50): Position {
    let position = at;
    for (const character of text) {
      this.change(path, rangeOf(position), character, elapsedMs);
      position = advancePosition(position, character);
    }
    return position;
  }

  /** Presses backspace `count` times with the cursor at `at` on one line. */
  backspace(path: string, at: Position, count: number, elapsedMs = 50): Position {
    let position = at;
    for (let index = 0; index < count; index++) {
      const previous = pointAt(position.line, position.character - 1);
      this.change(path, rangeOf(previous, position), '', elapsedMs);
      position = previous;
    }
    return position;
  }

  text(path: string): string {
    return this.documents.get(path) ?? '';
  }
}

/** Every recorded edit's text is where it says, and its hunk shows the current lines. */
function expectTrueInCurrentDocument(session: Session, edit: RecordedEdit): void {
  const text = session.text(edit.path);
  const footprint = rangeOf(edit.range.start, advancePosition(edit.range.start, edit.insertedText));
  expect(getText(text, footprint)).toBe(edit.insertedText);
  const afterLines = edit.hunk.afterText.split('\n');
  const lines = splitLines(text).slice(edit.hunk.startLine, edit.hunk.startLine + afterLines.length);
  expect(lines).toEqual(afterLines);
}

describe('EditHistory coalescing', () => {
  it('turns per-keystroke typing into one edit', () => {
    const session = new Session();
    session.documents.open('a.ts', 'let x = 1;\nlet y = 2;\n');
    session.type('a.ts', pointAt(0, 5), 'abc');
    const edits = session.history.edits();
    expect(edits).toHaveLength(1);
    expect(edits[0]).toEqual({
      path: 'a.ts',
      range: rangeOf(pointAt(0, 5)),
      removedText: '',
      insertedText: 'abc',
      hunk: { path: 'a.ts', startLine: 0, beforeText: 'let x = 1;', afterText: 'let xabc = 1;' },
      timestampMs: 150,
    });
  });

  it('turns backspaces into one deletion', () => {
    const session = new Session();
    session.documents.open('a.ts', 'const counter = 0;');
    session.backspace('a.ts', pointAt(0, 13), 7);
    expect(session.history.edits()).toMatchObject([
      { range: rangeOf(pointAt(0, 6), pointAt(0, 13)), removedText: 'counter', insertedText: '' },
    ]);
    expect(session.text('a.ts')).toBe('const  = 0;');
  });

  it('records nothing when typing is deleted again', () => {
    const session = new Session();
    session.documents.open('a.ts', 'value');
    const end = session.type('a.ts', pointAt(0, 5), 'xyz');
    session.backspace('a.ts', end, 3);
    expect(session.history.edits()).toEqual([]);
    expect(session.history.last()).toBeUndefined();
  });

  it('describes a retyped word as one replacement of the original text', () => {
    const session = new Session();
    session.documents.open('a.ts', 'return count;\n');
    session.change('a.ts', rangeOf(pointAt(0, 7), pointAt(0, 12)), 't');
    session.type('a.ts', pointAt(0, 8), 'otal');
    expect(session.history.edits()).toMatchObject([
      { range: rangeOf(pointAt(0, 7), pointAt(0, 12)), removedText: 'count', insertedText: 'total' },
    ]);
    const backAndForth = new Session();
    backAndForth.documents.open('a.ts', 'return count;\n');
    const at = backAndForth.backspace('a.ts', pointAt(0, 12), 5);
    backAndForth.type('a.ts', at, 'total');
    expect(backAndForth.history.edits()).toMatchObject([{ removedText: 'count', insertedText: 'total' }]);
  });

  it('keeps typing across new lines in one edit', () => {
    const session = new Session();
    session.documents.open('a.ts', 'function f() {\n}\n');
    session.type('a.ts', pointAt(0, 14), '\n  return 1;\n  // done');
    const edits = session.history.edits();
    expect(edits).toHaveLength(1);
    const afterText = 'function f() {\n  return 1;\n  // done';
    expect(edits[0]?.hunk).toEqual({ path: 'a.ts', startLine: 0, beforeText: 'function f() {', afterText });
  });

  it('starts a new edit after a pause', () => {
    const session = new Session({ coalesceWindowMs: 1000 });
    session.documents.open('a.ts', 'ab');
    session.type('a.ts', pointAt(0, 1), 'x');
    session.type('a.ts', pointAt(0, 2), 'y', 1500);
    expect(session.history.edits().map((edit) => edit.insertedText)).toEqual(['x', 'y']);
  });

  it('starts a new edit in a separate region', () => {
    const lines = Array.from({ length: 12 }, (_, line) => `line ${line}`).join('\n');
    const session = new Session({ coalesceLineDistance: 2 });
    session.documents.open('a.ts', lines);
    session.type('a.ts', pointAt(1, 6), 'A');
    session.type('a.ts', pointAt(3, 6), 'B');
    session.type('a.ts', pointAt(9, 6), 'C');
    const edits = session.history.edits();
    expect(edits).toHaveLength(2);
    // Lines 1 and 3 are within two lines of each other, so both keystrokes form one region.
    expect(edits[0]).toMatchObject({
      range: rangeOf(pointAt(1, 6), pointAt(3, 6)),
      removedText: '\nline 2\nline 3',
      insertedText: 'A\nline 2\nline 3B',
    });
    expect(edits[1]).toMatchObject({ range: rangeOf(pointAt(9, 6)), removedText: '', insertedText: 'C' });
  });

  it('starts a new edit in another file', () => {
    const session = new Session();
    session.documents.open('a.ts', 'a');
    session.documents.open('b.ts', 'b');
    session.type('a.ts', pointAt(0, 1), '1');
    session.type('b.ts', pointAt(0, 1), '2');
    session.type('a.ts', pointAt(0, 2), '3');
    const pathsAndTexts = session.history.edits().map((edit) => `${edit.path}:${edit.insertedText}`);
    expect(pathsAndTexts).toEqual(['a.ts:1', 'b.ts:2', 'a.ts:3']);
    expect(session.history.forPath('a.ts')).toHaveLength(2);
    expect(session.history.last()?.insertedText).toBe('3');
  });

  it('coalesces multi-cursor typing into one edit per cursor', () => {
    const session = new Session();
    session.documents.open('a.ts', Array.from({ length: 10 }, (_, line) => `item${line}`).join('\n'));
    let upper = pointAt(2, 5);
    let lower = pointAt(8, 5);
    for (const character of ['_', '\n', 'n']) {
      // VS Code reports the lower cursor's change first so each range stays valid.
      session.change('a.ts', rangeOf(lower), character, 0);
      session.change('a.ts', rangeOf(upper), character, 30);
      lower = advancePosition(lower, character);
      upper = advancePosition(upper, character);
      lower = character === '\n' ? pointAt(lower.line + 1, lower.character) : lower;
    }
    const edits = session.history.edits();
    expect(edits.map((edit) => edit.insertedText)).toEqual(['_\nn', '_\nn']);
    expect(edits.map((edit) => edit.range.start)).toEqual([pointAt(9, 5), pointAt(2, 5)]);
    for (const edit of edits) expectTrueInCurrentDocument(session, edit);
  });
});

describe('EditHistory positions', () => {
  it('moves older edits down when lines are added above them', () => {
    const session = new Session();
    session.documents.open('a.ts', 'one\ntwo\nthree\nfour\nfive\nsix\n');
    session.type('a.ts', pointAt(4, 4), '!');
    session.change('a.ts', rangeOf(pointAt(0, 0)), '// a\n// b\n', 2000);
    session.type('a.ts', pointAt(8, 0), 'x', 2000);
    const [first, second, third] = session.history.edits();
    expect(first?.range.start).toEqual(pointAt(6, 4));
    expect(first?.hunk.startLine).toBe(6);
    expect(second?.range.start).toEqual(pointAt(0, 0));
    expect(third?.range.start).toEqual(pointAt(8, 0));
    for (const edit of session.history.edits()) expectTrueInCurrentDocument(session, edit);
  });

  it('moves older edits along their line and up when lines are removed', () => {
    const session = new Session();
    session.documents.open('a.ts', 'a\nb\nc\nfoo(bar);\n');
    session.type('a.ts', pointAt(3, 7), ', baz');
    session.change('a.ts', rangeOf(pointAt(3, 0), pointAt(3, 3)), 'callFoo', 2000);
    session.change('a.ts', rangeOf(pointAt(0, 0), pointAt(2, 0)), '', 2000);
    const first = session.history.edits()[0]!;
    expect(first.range.start).toEqual(pointAt(1, 11));
    expect(first.hunk.startLine).toBe(1);
    // The hunk is a snapshot of the edit's lines; only its position follows later edits.
    expect(first.hunk.afterText).toBe('foo(bar, baz);');
    expect(getText(session.text('a.ts'), rangeOf(pointAt(1, 11), pointAt(1, 16)))).toBe(', baz');
  });

  it('keeps CRLF documents exact and shows hunks with \\n', () => {
    const session = new Session();
    session.documents.open('a.ts', 'if (x) {\r\n}\r\n');
    session.change('a.ts', rangeOf(pointAt(0, 8)), '\r\n    ', 50);
    session.type('a.ts', pointAt(1, 4), 'go();');
    expect(session.text('a.ts')).toBe('if (x) {\r\n    go();\r\n}\r\n');
    expect(session.history.edits()).toMatchObject([
      {
        removedText: '',
        insertedText: '\r\n    go();',
        hunk: { startLine: 0, beforeText: 'if (x) {', afterText: 'if (x) {\n    go();' },
      },
    ]);
  });

  it('never splits a surrogate pair or a CRLF when trimming', () => {
    const session = new Session();
    session.documents.open('a.ts', 'x😀y');
    session.change('a.ts', rangeOf(pointAt(0, 1), pointAt(0, 3)), '😃');
    const edit = session.history.last();
    expect(edit).toMatchObject({ removedText: '😀', insertedText: '😃', range: rangeOf(pointAt(0, 1), pointAt(0, 3)) });
  });

  it('reproduces the final document from one burst of keystrokes', () => {
    const keystroke = fc.oneof(
      fc.constantFrom('a', 'é', '😀', '\t', ' ', '\n').map((text) => ({ kind: 'type' as const, text })),
      fc.constant({ kind: 'backspace' as const, text: '' }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('start\nmiddle\nend', 'one line', '', 'a\r\nb'),
        fc.array(keystroke, { maxLength: 25 }),
        (initial, keys) => {
          const session = new Session();
          session.documents.open('a.ts', initial);
          let cursor = pointAt(0, Math.min(2, splitLines(initial)[0]!.length));
          for (const key of keys) {
            if (key.kind === 'type') {
              session.change('a.ts', rangeOf(cursor), key.text, 10);
              cursor = advancePosition(cursor, key.text);
              continue;
            }
            const lines = splitLines(session.text('a.ts'));
            let start: Position;
            if (cursor.character > 0) {
              const lowSurrogate = /[\udc00-\udfff]/.test(lines[cursor.line]!.charAt(cursor.character - 1));
              start = pointAt(cursor.line, cursor.character - (lowSurrogate ? 2 : 1));
            } else if (cursor.line > 0) {
              start = pointAt(cursor.line - 1, lines[cursor.line - 1]!.length);
            } else {
              continue;
            }
            session.change('a.ts', rangeOf(start, cursor), '', 10);
            cursor = start;
          }
          const edits = session.history.edits();
          const final = session.text('a.ts');
          if (final === initial) {
            expect(edits).toEqual([]);
            return;
          }
          expect(edits).toHaveLength(1);
          const edit = edits[0]!;
          const rebuilt = applyEdits(initial, [{ path: 'a.ts', range: edit.range, text: edit.insertedText }]);
          expect(rebuilt).toEqual({ kind: 'applied', text: final });
          expect(getText(initial, edit.range)).toBe(edit.removedText);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('EditHistory bounds and bookkeeping', () => {
  it('keeps at most maxEdits edits, dropping the oldest', () => {
    const session = new Session({ maxEdits: 4 });
    session.documents.open('a.ts', '');
    for (let index = 0; index < 10; index++) session.type('a.ts', pointAt(0, index), String(index), 5000);
    expect(session.history.edits().map((edit) => edit.insertedText)).toEqual(['6', '7', '8', '9']);
  });

  it('does not keep edits larger than maxEditChars', () => {
    const session = new Session({ maxEditChars: 100 });
    session.documents.open('a.ts', '');
    session.change('a.ts', rangeOf(pointAt(0, 0)), 'x'.repeat(500));
    expect(session.history.edits()).toEqual([]);
    session.type('a.ts', pointAt(0, 500), 'y', 5000);
    expect(session.history.edits().map((edit) => edit.insertedText)).toEqual(['y']);
  });

  it('removes and renames paths, and clears', () => {
    const session = new Session();
    session.documents.open('a.ts', '');
    session.documents.open('b.ts', '');
    session.type('a.ts', pointAt(0, 0), 'a');
    session.type('b.ts', pointAt(0, 0), 'b');
    session.history.renamePath('a.ts', 'c.ts');
    expect(session.history.edits().map((edit) => [edit.path, edit.hunk.path])).toEqual([
      ['c.ts', 'c.ts'],
      ['b.ts', 'b.ts'],
    ]);
    session.history.removePath('b.ts');
    expect(session.history.edits().map((edit) => edit.path)).toEqual(['c.ts']);
    session.history.clear();
    expect(session.history.edits()).toEqual([]);
  });

  it('rejects bad options loudly', () => {
    expect(() => new EditHistory({ maxEdits: 0 })).toThrow(TypeError);
    expect(() => new EditHistory({ coalesceWindowMs: -1 })).toThrow(TypeError);
    expect(() => new EditHistory({ coalesceLineDistance: 1.5 })).toThrow(TypeError);
    expect(() => new EditHistory({ maxEditChars: Number.NaN })).toThrow(TypeError);
  });
});

describe('DocumentStore', () => {
  it('applies changes and reports the text around them', () => {
    const store = new DocumentStore();
    store.open('a.ts', 'hello world');
    const result = store.apply({ path: 'a.ts', range: rangeOf(pointAt(0, 6), pointAt(0, 11)), text: 'there' });
    expect(result).toEqual({ kind: 'applied', removedText: 'world', before: 'hello world', after: 'hello there' });
    expect(store.get('a.ts')).toBe('hello there');
  });

  it("normalizes inserted line breaks to the document's, which sticks like VS Code's", () => {
    const store = new DocumentStore();
    store.open('a.ts', 'a\r\nb');
    expect(store.apply({ path: 'a.ts', range: rangeOf(pointAt(1, 1)), text: '\nc' })).toMatchObject({ after: 'a\r\nb\r\nc' });
    store.apply({ path: 'a.ts', range: rangeOf(pointAt(0, 1), pointAt(2, 0)), text: '' });
    expect(store.apply({ path: 'a.ts', range: rangeOf(pointAt(0, 0)), text: '\n' })).toMatchObject({ after: '\r\nac' });
    store.open('b.ts', 'one line', '\r\n');
    expect(store.apply({ path: 'b.ts', range: rangeOf(pointAt(0, 3)), text: '\n' })).toMatchObject({ after: 'one\r\n line' });
    expect(() => store.open('c.ts', '', '\r' as never)).toThrow(TypeError);
  });

  it('rejects changes outside the document or to documents it does not hold', () => {
    const store = new DocumentStore();
    store.open('a.ts', 'ab\ncd');
    expect(store.apply({ path: 'a.ts', range: rangeOf(pointAt(2, 0)), text: 'x' }).kind).toBe('rejected');
    expect(store.apply({ path: 'a.ts', range: rangeOf(pointAt(0, 3)), text: 'x' }).kind).toBe('rejected');
    expect(store.apply({ path: 'a.ts', range: rangeOf(pointAt(1, 1), pointAt(0, 1)), text: 'x' }).kind).toBe('rejected');
    expect(store.apply({ path: 'b.ts', range: rangeOf(pointAt(0, 0)), text: 'x' }).kind).toBe('rejected');
    expect(store.get('a.ts')).toBe('ab\ncd');
  });

  it('keeps closed documents as evictable copies, least recently used first', () => {
    const store = new DocumentStore({ maxDocuments: 3 });
    store.open('a.ts', 'a');
    store.open('b.ts', 'b');
    store.open('c.ts', 'c');
    store.close('a.ts');
    expect(store.get('a.ts')).toBeUndefined();
    expect(store.lastKnown('a.ts')).toBe('a');
    store.open('d.ts', 'd');
    expect(store.lastKnown('a.ts')).toBeUndefined();
    expect(store.openPaths()).toEqual(['b.ts', 'c.ts', 'd.ts']);
    store.open('e.ts', 'e');
    expect(store.size).toBe(3);
    expect(store.openPaths()).toEqual(['c.ts', 'd.ts', 'e.ts']);
  });

  it('refuses documents larger than maxDocumentBytes', () => {
    const store = new DocumentStore({ maxDocumentBytes: 20 });
    expect(store.open('big.ts', 'x'.repeat(11)).kind).toBe('rejected');
    expect(store.get('big.ts')).toBeUndefined();
    expect(store.open('a.ts', 'x'.repeat(10)).kind).toBe('opened');
    expect(store.apply({ path: 'a.ts', range: rangeOf(pointAt(0, 0)), text: 'y' }).kind).toBe('rejected');
    expect(store.get('a.ts')).toBeUndefined();
  });

  it('renames and deletes documents', () => {
    const store = new DocumentStore();
    store.open('a.ts', 'a');
    store.rename('a.ts', 'b.ts');
    expect(store.get('b.ts')).toBe('a');
    expect(store.get('a.ts')).toBeUndefined();
    store.delete('b.ts');
    expect(store.lastKnown('b.ts')).toBeUndefined();
  });

  it('rejects bad options loudly', () => {
    expect(() => new DocumentStore({ maxDocuments: 0 })).toThrow(TypeError);
    expect(() => new DocumentStore({ maxDocumentBytes: 1.5 })).toThrow(TypeError);
  });
});
