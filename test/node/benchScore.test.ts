// The benchmark's scorer on hand-made cases (exact, wrong, none, CRLF, emoji) and the VS Code edit
// semantics it judges by. No network: everything runs on temporary files.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { at, load, predict, range, sha, workspaceWith, type BenchCase, type Edit, type ScoreModule, type TextModule } from './support/bench';

let text: TextModule;
let score: ScoreModule;
let root: string;

beforeAll(async () => {
  [text, score] = await Promise.all([load<TextModule>('lib/text.mjs'), load<ScoreModule>('score.mjs')]);
  root = mkdtempSync(join(tmpdir(), 'ripple-bench-test-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

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
    const { workspace, readText } = workspaceWith(root, 'rename', 'a.js', before);
    const testCase = renameCase(workspace);
    expect(text.applyEditsInOrder(before, testCase.events)).toBe(afterEvents);
    expect(score.scoreCase(testCase, predict('rename', useEdit), readText)).toMatchObject({ suggested: true, exact: true, location: true });
    const wholeLine: Edit = { path: 'a.js', range: range(at(1, 0), at(1, 13)), text: 'return total;' };
    expect(score.scoreCase(testCase, predict('rename', wholeLine), readText).exact).toBe(true);
  });

  it('scores a wrong edit at the right place as located but not exact', () => {
    const { workspace, readText } = workspaceWith(root, 'rename-wrong', 'a.js', before);
    const wrong: Edit = { ...useEdit, text: 'totals' };
    const result = score.scoreCase(renameCase(workspace), predict('rename', wrong), readText);
    expect(result).toMatchObject({ suggested: true, exact: false, location: true });
    const far: Edit = { path: 'a.js', range: range(at(40, 0), at(40, 0)), text: 'x' };
    expect(score.scoreCase(renameCase(workspace), predict('rename', far), readText).location).toBe(false);
    const otherFile: Edit = { ...useEdit, path: 'b.js' };
    expect(score.scoreCase(renameCase(workspace), predict('rename', otherFile), readText)).toMatchObject({ exact: false, location: false });
  });

  it('judges only the first suggestion', () => {
    const { workspace, readText } = workspaceWith(root, 'rename-second', 'a.js', before);
    const wrong: Edit = { ...useEdit, text: 'nope' };
    expect(score.scoreCase(renameCase(workspace), predict('rename', wrong, useEdit), readText).exact).toBe(false);
  });

  it('treats no suggestion, a missing line and a malformed edit as not exact', () => {
    const { workspace, readText } = workspaceWith(root, 'rename-none', 'a.js', before);
    const testCase = renameCase(workspace);
    expect(score.scoreCase(testCase, predict('rename'), readText)).toMatchObject({ suggested: false, exact: false, missing: false });
    expect(score.scoreCase(testCase, undefined, readText)).toMatchObject({ suggested: false, missing: true });
    const malformed = { path: 'a.js', range: { start: at(1, 7) }, text: 'total' } as unknown as Edit;
    expect(score.scoreCase(testCase, predict('rename', malformed), readText)).toMatchObject({ suggested: true, invalid: true, exact: false });
  });

  it('compares CRLF files exactly: an LF line break in the suggestion is a different file', () => {
    const crlf = 'if (a) {\r\n  f();\r\n}\r\n';
    const { workspace, readText } = workspaceWith(root, 'crlf', 'c.ts', crlf);
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
    const { workspace, readText } = workspaceWith(root, 'emoji', 'e.js', line);
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
    const { workspace, readText } = workspaceWith(root, 'summary', 'a.js', before);
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
