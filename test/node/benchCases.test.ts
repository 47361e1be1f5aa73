// Building the benchmark's case set: the hunk-to-case conversion on synthetic version pairs
// (replaying one hunk and then every expected edit must rebuild version B byte for byte), and the
// deterministic selection of cases per file, per package and overall.

import { beforeAll, describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { load, sha, type BenchCase, type CasesModule, type Edit, type GenerateModule, type HunksModule, type RunModule, type TextModule } from './support/bench';

let text: TextModule;
let cases: CasesModule;
let hunks: HunksModule;
let generator: GenerateModule;
let runner: RunModule;

beforeAll(async () => {
  [text, cases, hunks, generator, runner] = await Promise.all([
    load<TextModule>('lib/text.mjs'),
    load<CasesModule>('lib/cases.mjs'),
    load<HunksModule>('lib/hunks.mjs'),
    load<GenerateModule>('generate.mjs'),
    load<RunModule>('run.mjs'),
  ]);
});

/**
 * Applies every expected edit of a case, bottom-up so each stays in post-event coordinates.
 * Two insertions can share a position (lines added before and after a final empty line); the
 * later hunk goes first, which the stable sort of the reversed list guarantees.
 */
function applyAllExpected(post: string, expected: Edit[]): string {
  const order = [...expected].reverse().sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
  return text.applyEditsInOrder(post, order);
}

function verifyFilePair(aText: string, bText: string): number {
  const built = cases.buildFileCases({ path: 'f.ts', aText, bText, meta: { package: 'p' }, fractionFor: () => 0.5 });
  const diff = cases.qualifyingHunks(aText, bText);
  for (const found of built) {
    const post = text.applyEditsInOrder(aText, found.events);
    const hashes = found.expected.map((edit) => sha(text.applyEdit(post, edit)));
    expect(found.expectedFiles.map((file) => file.sha256)).toEqual(hashes);
    if (found.kind === 'next-edit') {
      expect(applyAllExpected(post, found.expected)).toBe(bText);
    } else {
      const index = Number(found.id.split(':')[2]);
      const onlyThatHunk = hunks.linesWithHunk(text.splitLines(aText), diff!.hunks, index).join(diff!.eol);
      expect(text.applyEdit(post, found.expected[0]!)).toBe(onlyThatHunk);
    }
  }
  return built.length;
}

describe('hunk to case conversion', () => {
  const a = ['import x from "x";', 'function f(a) {', '  return a + 1;', '}', '', 'const y = f(2);', 'old();', 'keep();', 'last();', ''].join('\n');
  const b = ['import x from "x";', 'import z from "z";', 'function f(a, b) {', '  return a + b;', '}', '', 'const y = f(2, 3);', 'keep();', 'last();', 'added();', ''].join('\n');

  it('replaying any hunk and then all expected edits rebuilds version B exactly', () => {
    const count = verifyFilePair(a, b);
    expect(count).toBeGreaterThan(4);
  });

  it('holds for CRLF files, files without a final newline and emoji', () => {
    expect(verifyFilePair(a.replace(/\n/g, '\r\n'), b.replace(/\n/g, '\r\n'))).toBeGreaterThan(4);
    expect(verifyFilePair(`${a}tail();`, `${b}tail2();`)).toBeGreaterThan(4);
    expect(verifyFilePair('s = "😀";\nk();\nt = 1;\n', 's = "😃";\nk();\nt = 2;\n')).toBeGreaterThan(0);
  });

  it('makes typing cases that stop part-way through the inserted text', () => {
    const built = cases.buildFileCases({ path: 'f.ts', aText: a, bText: b, meta: { package: 'p' }, fractionFor: () => 0.5 });
    const typing = built.filter((found) => found.kind === 'typing');
    expect(typing.length).toBeGreaterThan(0);
    for (const found of typing) {
      expect(found.events.length).toBeGreaterThan(1);
      expect(found.expected).toHaveLength(1);
      expect(found.expected[0]!.range.start).toEqual({ line: found.cursor.line, character: found.cursor.character });
    }
  });

  it('rejects files with one hunk, more than eight, or large hunks', () => {
    expect(cases.qualifyingHunks('a\nb\nc\n', 'a\nB\nc\n')).toBeUndefined();
    const many = Array.from({ length: 20 }, (_, index) => `line${index}`);
    const changed = many.map((line, index) => (index % 2 === 0 ? `${line}!` : line));
    expect(cases.qualifyingHunks(many.join('\n'), changed.join('\n'))).toBeUndefined();
    const big = [...many.slice(0, 10).map((line) => `${line}?`), ...many.slice(10, 15), `${many[15]}?`, ...many.slice(16)];
    expect(cases.qualifyingHunks(many.join('\n'), big.join('\n'))).toBeUndefined();
  });

  it('holds for random small edits (property)', () => {
    const line = fc.constantFrom('a();', 'b = 1;', '', '  c(d);', '}', 'x😀y', '\tz');
    fc.assert(
      fc.property(fc.array(line, { minLength: 3, maxLength: 30 }), fc.array(fc.tuple(fc.nat(40), fc.nat(3), fc.array(line, { maxLength: 3 })), { maxLength: 6 }), fc.boolean(), (lines, edits, crlf) => {
        const next = [...lines];
        for (const [start, removed, inserted] of edits) next.splice(start % (next.length + 1), removed, ...inserted);
        if (next.length === 0) return;
        const eol = crlf ? '\r\n' : '\n';
        verifyFilePair(lines.join(eol), next.join(eol));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('case selection', () => {
  const make = (index: number, kind: 'next-edit' | 'typing', path: string): BenchCase => ({
    id: `p@1..2:${path}:${index}:${kind}`, kind, workspace: 'w', path, fromVersion: '1',
    events: [], cursor: { path, line: 0, character: 0 }, expected: [], expectedFiles: [],
  });
  const pool = Array.from({ length: 40 }, (_, index) => make(index % 8, index % 3 === 0 ? 'typing' : 'next-edit', `f${index % 5}.js`));
  const pins = { seed: 1, maxCasesPerPackage: 12, maxCasesPerFile: 3, maxCases: 100 };

  it('is deterministic, caps cases per file and per package, and interleaves kinds', () => {
    const first = generator.selectForPackage(pool, pins, 'p');
    expect(generator.selectForPackage([...pool].reverse(), pins, 'p')).toEqual(first);
    expect(first).toHaveLength(12);
    const perFile = new Map<string, number>();
    for (const found of first) perFile.set(found.path, (perFile.get(found.path) ?? 0) + 1);
    expect(Math.max(...perFile.values())).toBeLessThanOrEqual(3);
    expect(first.filter((found) => found.kind === 'typing')).toHaveLength(4);
  });

  it('round-robin spreads the total over packages', () => {
    const p = Array.from({ length: 10 }, (_, index) => ({ ...make(index, 'next-edit', 'a'), id: `p${index}` }));
    const q = Array.from({ length: 2 }, (_, index) => ({ ...make(index, 'next-edit', 'b'), id: `q${index}` }));
    const chosen = generator.roundRobin([p, q], 5);
    expect(chosen.map((found) => found.id)).toEqual(['p0', 'p1', 'p2', 'q0', 'q1']);
  });

  it('spreadSubset takes cases across the whole list', () => {
    expect(runner.spreadSubset([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3)).toEqual([0, 3, 6]);
    expect(runner.spreadSubset([1, 2], undefined)).toEqual([1, 2]);
  });
});
