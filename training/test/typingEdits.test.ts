import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { boundaries, olderVersion, typeIntoCode } from '../data/typingEdits';
import { Rng } from '../data/documents';
import { isTypingAt } from '../../src/core/modelCandidates';

const file = { source: 'pkg', path: 'src/core/deadline.ts', text: readFileSync('src/core/deadline.ts', 'utf8') };

describe('typing into code', () => {
  it('finds where words and punctuation runs start, and the line end', () => {
    expect(boundaries('  foo(bar, 1)')).toEqual([2, 5, 6, 9, 11, 12, 13]);
    expect(boundaries('')).toEqual([0]);
  });

  it('an older version differs from the text by one word', () => {
    const rng = new Rng(3);
    for (let draw = 0; draw < 50; draw++) {
      const older = olderVersion('return items.length + offset;', rng);
      expect(older).toBeDefined();
      expect(older).not.toBe('return items.length + offset;');
    }
    expect(olderVersion('(1, 2);', rng)).toBeUndefined();
  });

  it('types part of a span at its place: the engine sees typing, and the target inserts the rest at the cursor', () => {
    const rng = new Rng(7);
    let typed = 0;
    for (let draw = 0; draw < 200; draw++) {
      for (const example of typeIntoCode({ file, neighbors: [], rng, startMs: 1_000 })) {
        const cursor = example.window.cursor!;
        const last = example.history[example.history.length - 1]!;
        // The typed edit is the newest, and it ends at the cursor: the runtime's typing window.
        expect(isTypingAt({ path: file.path, position: cursor }, example.history)).toBe(true);
        expect(last.insertedText.length).toBeGreaterThan(0);
        if (example.kind === 'no_change') {
          expect(example.newLines).toBeNull();
          continue;
        }
        expect(example.kind).toBe('type_into');
        typed++;
        // The finished window is the current one with text inserted at the cursor, nothing else.
        const lines = example.window.lines;
        const cursorLine = cursor.line - example.window.startLine;
        const offset = lines.slice(0, cursorLine).reduce((sum, line) => sum + line.length + 1, 0) + cursor.character;
        const before = lines.join('\n');
        const after = example.newLines!.join('\n');
        expect(after.length).toBeGreaterThan(before.length);
        expect(after.slice(0, offset)).toBe(before.slice(0, offset));
        expect(after.slice(after.length - (before.length - offset))).toBe(before.slice(offset));
      }
    }
    expect(typed).toBeGreaterThan(100);
  });
});
