import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  completionDrafts,
  draftSearchLines,
  identifierDrafts,
  lineDrafts,
  MAX_COMPLETION_DRAFTS,
  MAX_DRAFT_CHARS,
  MAX_NEARBY_MATCHES,
  namesWithPrefix,
  withCompletionDrafts,
} from '../../src/core/completionDrafts';
import type { EditWindow } from '../../src/core/ports';
import { linesWithInsertion, typedLineOf } from '../../src/core/typedLine';
import type { RecordedEdit, Snippet } from '../../src/core/types';

const typed = (prefix: string, suffix = '') => ({ slot: 0, prefix, suffix });

describe('identifierDrafts', () => {
  it('completes the half-typed word into names written nearby, the most frequent first', () => {
    const lines = ['const socket = open();', 'socket.on("data", onData);', 'const sockets = [];'];
    expect(identifierDrafts(typed('  this.sock'), lines)).toEqual(['et', 'ets']);
  });

  it('keeps the word characters after the cursor as the name ending ("inne|aseId" -> "innerBaseId")', () => {
    const lines = ['let innerBaseId = baseIds[parentJsonPtr]', 'const innerScope = 1'];
    expect(identifierDrafts(typed('baseIds[jsonPtr] = inne', 'aseId'), lines)).toEqual(['rB']);
  });

  it('ranks names near the cursor above any number of files elsewhere, and skips keywords and the bare word', () => {
    const names = (prefix: string) => namesWithPrefix([['offsetTop', 40], ['offset', 3], ['off', 9]], prefix, 10);
    expect(identifierDrafts(typed('x = off'), ['const offsetLeft = 1'], names)).toEqual(['setLeft', 'setTop', 'set']);
    expect(identifierDrafts(typed('  ret'), ['return value', 'retry()'])).toEqual(['ry']);
    expect(identifierDrafts(typed('x = '), ['offset'])).toEqual([]);
    expect(identifierDrafts(typed('x = 12'), ['12px'])).toEqual([]);
  });

  it('counts only the nearest MAX_NEARBY_MATCHES words: a short prefix in a long file stays cheap', () => {
    // Lines come nearest first: the neighbourhood says countA, the rest of the file countB.
    const lines = [...Array.from({ length: MAX_NEARBY_MATCHES }, () => 'total += countA;'), ...Array.from({ length: 5 * MAX_NEARBY_MATCHES }, () => 'total += countB;')];
    expect(identifierDrafts(typed('  co'), lines)).toEqual(['untA']);
    expect(identifierDrafts(typed('  co'), lines.slice(MAX_NEARBY_MATCHES - 1))).toEqual(['untB', 'untA']);
  });

  it('matches whole words only: a name that merely contains the typed word does not count', () => {
    expect(identifierDrafts(typed('x = set'), ['offsetTop', 'settings'])).toEqual(['tings']);
  });
});

describe('lineDrafts', () => {
  it('finishes the typed line like lines that start the same way, indentation aside', () => {
    const lines = ['    // eslint-disable-next-line @typescript-eslint/no-explicit-any', '// eslint-disable-next-line @typescript-eslint/no-explicit-any', '// eslint-disable-next-line no-console'];
    expect(lineDrafts(typed('  // eslint-disable-next'), lines)).toEqual(['-line @typescript-eslint/no-explicit-any', '-line no-console']);
  });

  it('counts only the nearest MAX_NEARBY_MATCHES continuations', () => {
    const lines = [...Array.from({ length: MAX_NEARBY_MATCHES }, () => 'return left;'), ...Array.from({ length: 5 * MAX_NEARBY_MATCHES }, () => 'return right;')];
    expect(lineDrafts(typed('    return '), lines)).toEqual(['left;']);
    expect(lineDrafts(typed('    return '), lines.slice(MAX_NEARBY_MATCHES - 1))).toEqual(['right;', 'left;']);
  });

  it('falls back to the longest tail of the typed text that starts at a word boundary', () => {
    const lines = ['const area = Math.round(width * height);'];
    expect(lineDrafts(typed('  return Math.round(wid'), lines)).toEqual(['th * height);']);
    // Tails shorter than MIN_MATCHED_TAIL_CHARS do not match by themselves.
    expect(lineDrafts(typed('  foo(wid'), lines)).toEqual([]);
  });

  it('leaves the text after the cursor in place, or breaks the line before it when it is other code', () => {
    const lines = ['utils.forEach(methodList, (method) => {'];
    expect(lineDrafts(typed('utils.forEach(meth', ', (method) => {'), lines)).toEqual(['odList']);
    // The found line does not end like the text after the cursor: a new line typed in front of old code.
    expect(lineDrafts(typed('utils.forEach(meth', 'return x;'), lines)).toEqual(['odList, (method) => {\n']);
    // A found line that adds nothing is no draft.
    expect(lineDrafts(typed('utils.forEach(meth', 'odList, (method) => {'), lines)).toEqual([]);
    expect(lineDrafts(typed('   '), lines)).toEqual([]);
  });
});

describe('completionDrafts', () => {
  it('interleaves the two kinds, drops repeats, empty and overlong drafts, and caps the count', () => {
    const long = `const value = ${'x'.repeat(MAX_DRAFT_CHARS)};`;
    const lines = ['const valueA = 1;', 'const valueB = 2;', 'const valueC = 3;', 'const valueD = 4;', long];
    const drafts = completionDrafts({ typedLine: typed('const value'), lines });
    expect(drafts).toEqual(['A = 1;', 'A', 'B = 2;', 'B']);
    expect(drafts.length).toBe(MAX_COMPLETION_DRAFTS);
    expect(completionDrafts({ typedLine: typed('const valueA', ' = 1;'), lines: ['const valueA = 1;'] })).toEqual([]);
  });
});

describe('namesWithPrefix', () => {
  it('orders by file count, then by name, and leaves out the prefix itself', () => {
    const counts: [string, number][] = [['parseInt', 2], ['parse', 9], ['parseFloat', 2], ['parsed', 5], ['other', 50]];
    expect(namesWithPrefix(counts, 'parse', 10).map((name) => name.name)).toEqual(['parsed', 'parseFloat', 'parseInt']);
    expect(namesWithPrefix(counts, 'parse', 1)).toEqual([{ name: 'parsed', files: 5 }]);
    expect(namesWithPrefix(counts, '', 10)).toEqual([]);
    expect(namesWithPrefix(counts, 'parse', 0)).toEqual([]);
  });

  it('keeps the same best names as sorting every match would, for any limit', () => {
    const name = fc.stringMatching(/^p[a-c]{0,3}$/);
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, fc.integer({ min: 1, max: 4 })), { selector: ([key]) => key, maxLength: 30 }), fc.integer({ min: 1, max: 8 }), (counts, limit) => {
        const sorted = counts
          .filter(([key]) => key.length > 1 && key.startsWith('p'))
          .map(([key, files]) => ({ name: key, files }))
          .sort((a, b) => b.files - a.files || (a.name < b.name ? -1 : 1))
          .slice(0, limit);
        expect(namesWithPrefix(counts, 'p', limit)).toEqual(sorted);
      }),
    );
  });
});

describe('draftSearchLines', () => {
  it('reads the document outwards from the cursor, then snippets, then the recent edits newest first', () => {
    const snippet: Snippet = { path: 'b.ts', startLine: 0, endLine: 1, text: 's1\ns2', reason: { kind: 'similar', similarity: 1 }, score: 1 };
    const edit = (insertedText: string, removedText: string) => ({ insertedText, removedText }) as RecordedEdit;
    const lines = draftSearchLines(['d0', 'd1', 'typed', 'd3'], 2, [snippet], [edit('old-in', 'old-out'), edit('new-in', 'new-out')]);
    expect(lines).toEqual(['d1', 'd3', 'd0', 's1', 's2', 'new-in', 'new-out', 'old-in', 'old-out']);
  });
});

describe('withCompletionDrafts', () => {
  const window: EditWindow = { path: 'a.ts', startLine: 1, lines: ['const total = 0;', 'tot', 'return total;'], cursor: { line: 2, character: 3 } };
  const text = ['// header', ...window.lines].join('\n');

  it('adds drafts to a typing window and leaves any other window as it is', () => {
    expect(withCompletionDrafts(window, text, [], [])).toBe(window);
    const typing = withCompletionDrafts({ ...window, typing: true }, text, [], []);
    expect(typing.drafts).toEqual(['al']);
    const typedLine = typedLineOf(typing, [])!;
    expect(linesWithInsertion(typing, typedLine, 'al\n  ')).toEqual(['const total = 0;', 'total', '  ', 'return total;']);
  });
});
