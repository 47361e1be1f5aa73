import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, invertEdits, rebaseEdit, relate, transformPosition, type ApplyOptions } from '../../src/core/edits';
import { LineIndex, isAfter, isBefore } from '../../src/core/text';
import type { TextEdit } from '../../src/core/types';

const TOKENS = ['\r\n', '\n', '\t', 'é', '😀', 'a', ' '];
const PATH = 'doc.ts';

const tokens = (maxLength: number) => fc.array(fc.constantFrom(...TOKENS), { maxLength });
const text = (maxLength: number) => tokens(maxLength).map((parts) => parts.join(''));

/** Offsets between tokens: the places a Position can address without splitting '\r\n' or a pair. */
function boundaries(parts: readonly string[]): number[] {
  const offsets = [0];
  for (const part of parts) offsets.push((offsets[offsets.length - 1] as number) + part.length);
  return offsets;
}

/** A document and non-overlapping edits on it (touching and same-point insertions allowed), shuffled. */
const documentWithEdits = tokens(40).chain((parts) => {
  const offsets = boundaries(parts);
  const document = parts.join('');
  const index = new LineIndex(document);
  return fc
    .array(fc.tuple(fc.nat(offsets.length - 1), fc.nat(offsets.length - 1), text(6)), { maxLength: 6 })
    .chain((picks) => {
      const sorted = picks
        .flatMap(([a, b]) => [a, b])
        .sort((a, b) => a - b)
        .map((pick) => offsets[pick] as number);
      const edits: TextEdit[] = picks.map(([, , inserted], position) => ({
        path: PATH,
        range: {
          start: index.positionAt(sorted[2 * position] as number),
          end: index.positionAt(sorted[2 * position + 1] as number),
        },
        text: inserted,
      }));
      return fc.shuffledSubarray(edits, { minLength: edits.length, maxLength: edits.length });
    })
    .map((edits) => ({ document, edits }));
});

function apply(document: string, edits: readonly TextEdit[], options: ApplyOptions): string {
  const result = applyEdits(document, edits, options);
  if (result.kind !== 'applied') throw new Error(result.reason);
  return result.text;
}

describe('applyEdits and invertEdits', () => {
  it('round-trip exactly, inserted text taken literally', () => {
    fc.assert(
      fc.property(documentWithEdits, ({ document, edits }) => {
        const after = apply(document, edits, { eol: 'literal' });
        const inverse = invertEdits(document, edits, { eol: 'literal' });
        expect(inverse.kind).toBe('inverted');
        if (inverse.kind !== 'inverted') return;
        expect(apply(after, inverse.edits, { eol: 'literal' })).toBe(document);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trip exactly when line breaks are normalized as VS Code does', () => {
    fc.assert(
      fc.property(documentWithEdits, ({ document, edits }) => {
        const after = apply(document, edits, {});
        const inverse = invertEdits(document, edits, {});
        if (inverse.kind !== 'inverted') throw new Error(inverse.reason);
        expect(apply(after, inverse.edits, { eol: 'literal' })).toBe(document);
      }),
      { numRuns: 500 },
    );
  });
});

/** A document, an edit and a user change that do not overlap. */
const editAndChange = tokens(40).chain((parts) => {
  const offsets = boundaries(parts);
  const document = parts.join('');
  const index = new LineIndex(document);
  return fc
    .tuple(
      fc.array(fc.nat(offsets.length - 1), { minLength: 4, maxLength: 4 }),
      fc.boolean(),
      text(6),
      text(6),
    )
    .map(([picks, editFirst, editText, changeText]) => {
      const [a, b, c, d] = picks.sort((x, y) => x - y).map((pick) => index.positionAt(offsets[pick] as number));
      const first = { start: a!, end: b! };
      const second = { start: c!, end: d! };
      const edit: TextEdit = { path: PATH, range: editFirst ? first : second, text: editText };
      const change: TextEdit = { path: PATH, range: editFirst ? second : first, text: changeText };
      return { document, edit, change };
    });
  // Filtered outside the chain: an empty document only offers overlapping pairs, so the whole
  // draw (document included) must be redrawn.
}).filter(({ edit, change }) => relate(edit.range, change.range) !== 'overlap');

/** A document with an edit and a change anywhere in it, overlapping or not. */
const anyEditAndChange = tokens(30).chain((parts) => {
  const offsets = boundaries(parts);
  const index = new LineIndex(parts.join(''));
  const range = fc
    .tuple(fc.nat(offsets.length - 1), fc.nat(offsets.length - 1))
    .map(([a, b]) => ({
      start: index.positionAt(offsets[Math.min(a, b)] as number),
      end: index.positionAt(offsets[Math.max(a, b)] as number),
    }));
  return fc.tuple(range, range, text(4)).map(([editRange, changeRange, inserted]) => ({
    edit: { path: PATH, range: editRange, text: 'x' } as TextEdit,
    change: { path: PATH, range: changeRange, text: inserted } as TextEdit,
  }));
});

describe('rebaseEdit', () => {
  it('commutes with a non-overlapping change', () => {
    fc.assert(
      fc.property(editAndChange, ({ document, edit, change }) => {
        const literal: ApplyOptions = { eol: 'literal' };
        const rebasedEdit = rebaseEdit(edit, change);
        const rebasedChange = rebaseEdit(change, edit);
        expect(rebasedEdit).toBeDefined();
        expect(rebasedChange).toBeDefined();
        const changeThenEdit = apply(apply(document, [change], literal), [rebasedEdit!], literal);
        const editThenChange = apply(apply(document, [edit], literal), [rebasedChange!], literal);
        expect(changeThenEdit).toBe(editThenChange);
        expect(changeThenEdit).toBe(apply(document, [edit, change], literal));
      }),
      { numRuns: 1000 },
    );
  });

  it('drops an edit exactly when the change overlaps it', () => {
    fc.assert(
      fc.property(anyEditAndChange, ({ edit, change }) => {
        const rebased = rebaseEdit(edit, change);
        expect(rebased === undefined).toBe(relate(edit.range, change.range) === 'overlap');
      }),
      { numRuns: 500 },
    );
  });
});

describe('transformPosition', () => {
  it('keeps the character at a position outside the change', () => {
    fc.assert(
      fc.property(editAndChange, fc.nat(), ({ document, change }, pick) => {
        const index = new LineIndex(document);
        const offsets = boundaries([...document]);
        const position = index.positionAt(offsets[pick % offsets.length] as number);
        if (!isBefore(position, change.range.start) && !isAfter(position, change.range.end)) return;
        const after = new LineIndex(apply(document, [change], { eol: 'literal' }));
        const moved = transformPosition(position, change, 'after');
        const original = document.slice(index.offsetAt(position));
        const shifted = after.text.slice(after.offsetAt(moved));
        if (isAfter(position, change.range.end)) expect(shifted).toBe(original);
        else {
          const untouched = document.slice(index.offsetAt(position), index.offsetAt(change.range.start));
          expect(shifted.startsWith(untouched)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
