// The benchmark's own correctness: the scorer on hand-made cases (exact, wrong, none, CRLF,
// emoji), the hunk-to-case conversion on synthetic version pairs (replaying one hunk and then
// every expected edit must rebuild version B byte for byte), and the runner against a fake CLI.
// No network: everything runs on temporary files.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Position { line: number; character: number }
interface Range { start: Position; end: Position }
interface Edit { path: string; range: Range; text: string }
interface BenchCase {
  id: string; kind: 'next-edit' | 'typing'; workspace: string; path: string; fromVersion?: string;
  events: Edit[]; cursor: { path: string; line: number; character: number };
  expected: Edit[]; expectedFiles: { path: string; sha256?: string; text?: string }[];
}
interface CaseResult { suggested: boolean; exact: boolean; location: boolean; invalid: boolean; missing: boolean }
type ReadText = (workspace: string, path: string) => string | undefined;
interface Prediction { id: string; edits: (Edit & { score?: number; source?: string })[]; latencyMs: number }
interface Summary {
  n: number; exactAt1: number; precision: number; coverage: number; locationAt1: number;
  latencyMs: { p50?: number; p95?: number; mean?: number }; byKind: Record<string, { n: number; exactAt1: number }>;
}
interface TextModule {
  applyEdit(text: string, edit: { range: Range; text: string }): string; splitLines(text: string): string[];
  applyEditsInOrder(text: string, edits: { range: Range; text: string }[]): string;
}
interface ScoreModule {
  scoreCase(testCase: BenchCase, prediction: Prediction | undefined, readText: ReadText): CaseResult;
  scorePredictions(cases: BenchCase[], predictions: Prediction[], readText: ReadText): { summary: Summary };
  oraclePrediction(testCase: BenchCase): Prediction;
}
interface CasesModule {
  buildFileCases(input: { path: string; aText: string; bText: string; meta: Record<string, string>; fractionFor: (index: number) => number }): Omit<BenchCase, 'workspace'>[];
  qualifyingHunks(aText: string, bText: string): { eol: string; hunks: { aStart: number; aLines: string[]; bLines: string[] }[] } | undefined;
}
interface HunksModule { linesWithHunk(aLines: string[], hunks: unknown[], index: number): string[] }
interface GenerateModule {
  selectForPackage(cases: BenchCase[], pins: Record<string, number>, name: string): BenchCase[]; roundRobin(perPackage: BenchCase[][], maxCases: number): BenchCase[];
}
interface RunModule {
  parseArguments(args: string[]): Record<string, unknown>;
  spreadSubset<T>(items: T[], limit: number | undefined): T[];
  runBenchmark(options: Record<string, unknown>, log?: (line: string) => void): Promise<{ rows: { source: string; status: string; reason?: string; summary?: Summary }[] }>;
}

const BENCH_DIR = resolve(__dirname, '../../bench');
const load = async <T>(relative: string): Promise<T> => (await import(pathToFileURL(join(BENCH_DIR, relative)).href)) as T;

let text: TextModule;
let score: ScoreModule;
let cases: CasesModule;
let hunks: HunksModule;
let generator: GenerateModule;
let runner: RunModule;
let root: string;

beforeAll(async () => {
  [text, score, cases, hunks, generator, runner] = await Promise.all([
    load<TextModule>('lib/text.mjs'),
    load<ScoreModule>('score.mjs'),
    load<CasesModule>('lib/cases.mjs'),
    load<HunksModule>('lib/hunks.mjs'),
    load<GenerateModule>('generate.mjs'),
    load<RunModule>('run.mjs'),
  ]);
  root = mkdtempSync(join(tmpdir(), 'ripple-bench-test-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const sha = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');
const at = (line: number, character: number): Position => ({ line, character });
const range = (a: Position, b: Position): Range => ({ start: a, end: b });

/** A workspace with one file, and a reader for it. */
function workspaceWith(name: string, path: string, content: string): { workspace: string; readText: ReadText } {
  const workspace = join(root, name);
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, path), content);
  return {
    workspace,
    readText: (ws, file) => {
      try {
        return readFileSync(join(ws, file), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

const predict = (id: string, ...edits: Edit[]): Prediction => ({ id, edits, latencyMs: 12 });

describe('applyEdit (VS Code line semantics)', () => {
  it('edits CRLF documents without touching the line breaks', () => {
    const before = 'one\r\ntwo\r\nthree';
    expect(text.applyEdit(before, { range: range(at(1, 0), at(1, 3)), text: 'TWO' })).toBe('one\r\nTWO\r\nthree');
    expect(text.applyEdit(before, { range: range(at(0, 3), at(1, 0)), text: ' ' })).toBe('one two\r\nthree');
  });

  it('counts characters in UTF-16 code units and treats a lone \\r as a line break', () => {
    expect(text.applyEdit('a😀b\rc', { range: range(at(0, 3), at(0, 4)), text: 'B' })).toBe('a😀B\rc');
    expect(text.applyEdit('a😀b\rc', { range: range(at(1, 0), at(1, 1)), text: 'C' })).toBe('a😀b\rC');
  });

  it('clamps positions past the end of a line or document and normalises reversed ranges', () => {
    expect(text.applyEdit('ab\ncd', { range: range(at(0, 99), at(0, 99)), text: '!' })).toBe('ab!\ncd');
    expect(text.applyEdit('ab\ncd', { range: range(at(9, 0), at(9, 0)), text: '!' })).toBe('ab\ncd!');
    expect(text.applyEdit('abcd', { range: range(at(0, 3), at(0, 1)), text: '' })).toBe('ad');
  });
});

describe('scoreCase', () => {
  // A hand-made case: the user renamed `count` in the declaration; the next edit renames its use.
  const before = 'let count = 0;\nreturn count;\n';
  const afterEvents = 'let total = 0;\nreturn count;\n';
  const expectedText = 'let total = 0;\nreturn total;\n';
  const useEdit: Edit = { path: 'a.js', range: range(at(1, 7), at(1, 12)), text: 'total' };

  function renameCase(workspace: string): BenchCase {
    return {
      id: 'rename',
      kind: 'next-edit',
      workspace,
      path: 'a.js',
      events: [
        { path: 'a.js', range: range(at(0, 4), at(0, 9)), text: '' },
        { path: 'a.js', range: range(at(0, 4), at(0, 4)), text: 'total' },
      ],
      cursor: { path: 'a.js', line: 0, character: 9 },
      expected: [useEdit],
      expectedFiles: [{ path: 'a.js', sha256: sha(expectedText) }],
    };
  }

  it('counts an edit that produces the expected file as exact, whatever range expresses it', () => {
    const { workspace, readText } = workspaceWith('rename', 'a.js', before);
    const testCase = renameCase(workspace);
    expect(text.applyEditsInOrder(before, testCase.events)).toBe(afterEvents);
    expect(score.scoreCase(testCase, predict('rename', useEdit), readText)).toMatchObject({ suggested: true, exact: true, location: true });
    const wholeLine: Edit = { path: 'a.js', range: range(at(1, 0), at(1, 13)), text: 'return total;' };
    expect(score.scoreCase(testCase, predict('rename', wholeLine), readText).exact).toBe(true);
  });

  it('scores a wrong edit at the right place as located but not exact', () => {
    const { workspace, readText } = workspaceWith('rename-wrong', 'a.js', before);
    const wrong: Edit = { ...useEdit, text: 'totals' };
    const result = score.scoreCase(renameCase(workspace), predict('rename', wrong), readText);
    expect(result).toMatchObject({ suggested: true, exact: false, location: true });
    const far: Edit = { path: 'a.js', range: range(at(40, 0), at(40, 0)), text: 'x' };
    expect(score.scoreCase(renameCase(workspace), predict('rename', far), readText).location).toBe(false);
    const otherFile: Edit = { ...useEdit, path: 'b.js' };
    expect(score.scoreCase(renameCase(workspace), predict('rename', otherFile), readText)).toMatchObject({ exact: false, location: false });
  });

  it('judges only the first suggestion', () => {
    const { workspace, readText } = workspaceWith('rename-second', 'a.js', before);
    const wrong: Edit = { ...useEdit, text: 'nope' };
    expect(score.scoreCase(renameCase(workspace), predict('rename', wrong, useEdit), readText).exact).toBe(false);
  });

  it('treats no suggestion, a missing line and a malformed edit as not exact', () => {
    const { workspace, readText } = workspaceWith('rename-none', 'a.js', before);
    const testCase = renameCase(workspace);
    expect(score.scoreCase(testCase, predict('rename'), readText)).toMatchObject({ suggested: false, exact: false, missing: false });
    expect(score.scoreCase(testCase, undefined, readText)).toMatchObject({ suggested: false, missing: true });
    const malformed = { path: 'a.js', range: { start: at(1, 7) }, text: 'total' } as unknown as Edit;
    expect(score.scoreCase(testCase, predict('rename', malformed), readText)).toMatchObject({ suggested: true, invalid: true, exact: false });
  });

  it('compares CRLF files exactly: an LF line break in the suggestion is a different file', () => {
    const crlf = 'if (a) {\r\n  f();\r\n}\r\n';
    const { workspace, readText } = workspaceWith('crlf', 'c.ts', crlf);
    const testCase: BenchCase = {
      id: 'crlf',
      kind: 'next-edit',
      workspace,
      path: 'c.ts',
      events: [{ path: 'c.ts', range: range(at(1, 3), at(1, 3)), text: 'x' }],
      cursor: { path: 'c.ts', line: 1, character: 4 },
      expected: [{ path: 'c.ts', range: range(at(2, 0), at(2, 0)), text: '  g();\r\n' }],
      expectedFiles: [{ path: 'c.ts', sha256: sha('if (a) {\r\n  fx();\r\n  g();\r\n}\r\n') }],
    };
    const right: Edit = { path: 'c.ts', range: range(at(1, 7), at(1, 7)), text: '\r\n  g();' };
    const lf: Edit = { path: 'c.ts', range: range(at(1, 7), at(1, 7)), text: '\n  g();' };
    expect(score.scoreCase(testCase, predict('crlf', right), readText).exact).toBe(true);
    expect(score.scoreCase(testCase, predict('crlf', lf), readText)).toMatchObject({ exact: false, location: true });
  });

  it('positions after an emoji count two UTF-16 units', () => {
    const line = 'const face = "😀"; const n = 1;\n';
    const { workspace, readText } = workspaceWith('emoji', 'e.js', line);
    const testCase: BenchCase = {
      id: 'emoji',
      kind: 'typing',
      workspace,
      path: 'e.js',
      events: [],
      cursor: { path: 'e.js', line: 0, character: 0 },
      expected: [],
      expectedFiles: [{ path: 'e.js', text: 'const face = "😀"; const m = 1;\n' }],
    };
    // "n" sits at UTF-16 offset 25: 24 code points before it, one of them a surrogate pair.
    const right: Edit = { path: 'e.js', range: range(at(0, 25), at(0, 26)), text: 'm' };
    const byCodePoints: Edit = { path: 'e.js', range: range(at(0, 24), at(0, 25)), text: 'm' };
    expect(score.scoreCase(testCase, predict('emoji', right), readText).exact).toBe(true);
    expect(score.scoreCase(testCase, predict('emoji', byCodePoints), readText).exact).toBe(false);
  });

  it('summarises exact@1, precision, coverage, location@1, latency and the kinds', () => {
    const { workspace, readText } = workspaceWith('summary', 'a.js', before);
    const base = renameCase(workspace);
    const all = [0, 1, 2, 3].map((index) => ({ ...base, id: `c${index}`, kind: index === 3 ? ('typing' as const) : ('next-edit' as const) }));
    const predictions = [
      { ...predict('c0', useEdit), latencyMs: 10 },
      { ...predict('c1', { ...useEdit, text: 'bad' }), latencyMs: 30 },
      { ...predict('c2'), latencyMs: 20 },
    ];
    const { summary } = score.scorePredictions(all, predictions, readText);
    expect(summary).toMatchObject({ n: 4, exactAt1: 0.25, precision: 0.5, coverage: 0.5, locationAt1: 0.5 });
    expect(summary.latencyMs).toEqual({ p50: 20, p95: 30, mean: 20 });
    expect(summary.byKind['next-edit']).toMatchObject({ n: 3, exactAt1: 1 / 3 });
    expect(summary.byKind.typing).toMatchObject({ n: 1, exactAt1: 0 });
  });
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

describe('runner', () => {
  it('validates its options loudly', () => {
    expect(() => runner.parseArguments(['--limit', '0'])).toThrow(TypeError);
    expect(() => runner.parseArguments(['--sources', 'magic'])).toThrow(TypeError);
    expect(() => runner.parseArguments(['--frobnicate'])).toThrow(TypeError);
    expect(runner.parseArguments(['--limit', '5', '--sources', 'symbolic'])).toMatchObject({ limit: 5, sources: ['symbolic'] });
  });

  it('runs a CLI per source, skips an unavailable model and scores the rest', async () => {
    const before = 'let count = 0;\nreturn count;\n';
    const { workspace } = workspaceWith('runner-ws', 'a.js', before);
    writeFileSync(join(workspace, '.ripple-bench-extracted'), 'test\n');
    const testCase: BenchCase = {
      id: 'r1',
      kind: 'next-edit',
      workspace,
      path: 'a.js',
      events: [{ path: 'a.js', range: range(at(0, 4), at(0, 9)), text: 'total' }],
      cursor: { path: 'a.js', line: 0, character: 9 },
      expected: [{ path: 'a.js', range: range(at(1, 7), at(1, 12)), text: 'total' }],
      expectedFiles: [{ path: 'a.js', sha256: sha('let total = 0;\nreturn total;\n') }],
    };
    const casesPath = join(root, 'runner-cases.jsonl');
    writeFileSync(casesPath, `${JSON.stringify(testCase)}\n`);
    // The fake CLI knows the contract only: it renames the second line's word for 'all',
    // suggests nothing for 'symbolic', and reports the model missing.
    const cliPath = join(root, 'fake-cli.mjs');
    writeFileSync(
      cliPath,
      `import { readFileSync, writeFileSync } from 'node:fs';
const args = process.argv.slice(2);
const value = (name) => args[args.indexOf(name) + 1];
const source = value('--sources');
if (args[0] !== 'bench') process.exit(2);
if (source === 'model') { console.error('model unavailable: no weights'); process.exit(3); }
const lines = readFileSync(value('--cases'), 'utf8').trim().split('\\n').map((line) => JSON.parse(line));
const out = lines.map((input) => JSON.stringify({ id: input.id, latencyMs: 5, edits: source === 'all'
  ? [{ path: 'a.js', range: { start: { line: 1, character: 7 }, end: { line: 1, character: 12 } }, text: 'total', score: 0.9, source: 'propagation' }]
  : [] }));
writeFileSync(value('--out'), out.join('\\n') + '\\n');
`,
    );
    const options = {
      ...runner.parseArguments(['--sources', 'symbolic,model,all']),
      casesPath,
      cliPath,
      runDir: join(root, 'run'),
      resultsDir: join(root, 'results'),
    };
    const report = await runner.runBenchmark(options, () => {});
    const bySource = Object.fromEntries(report.rows.map((row) => [row.source, row]));
    expect(bySource.model).toMatchObject({ status: 'skipped', reason: 'model unavailable: no weights' });
    expect(bySource.symbolic?.summary).toMatchObject({ n: 1, coverage: 0, exactAt1: 0 });
    expect(bySource.all?.summary).toMatchObject({ n: 1, coverage: 1, exactAt1: 1, locationAt1: 1 });
    const input = readFileSync(join(root, 'run', 'cases.jsonl'), 'utf8');
    expect(input).not.toContain('expected');
    expect(readFileSync(join(root, 'results', 'latest.md'), 'utf8')).toContain('| all | 100.0% |');
  });
});
