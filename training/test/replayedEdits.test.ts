import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, splitLines } from '../data/documents';
import { pairExamples, replayedExample, sourceFiles } from '../data/replayedEdits';

// Two versions of one file: version B renames `total` to `sum` on two lines far apart and adds
// a guard; bench/lib/cases.mjs makes next-edit and typing cases of them.
const filler = (from: number, count: number): string[] => Array.from({ length: count }, (_, index) => `  log('step ${from + index}');`);
const versionA = [
  'export function add(values) {',
  '  let total = 0;',
  ...filler(0, 14),
  '  for (const value of values) total += value;',
  ...filler(14, 14),
  '  return total;',
  '}',
  '',
].join('\n');
const versionB = [
  'export function add(values) {',
  '  let sum = 0;',
  ...filler(0, 14),
  '  for (const value of values) sum += value;',
  ...filler(14, 14),
  '  if (values.length === 0) return 0;',
  '  return sum;',
  '}',
  '',
].join('\n');

function pairRoots(): { from: string; to: string } {
  const root = mkdtempSync(join(tmpdir(), 'ripple-replayed-'));
  const from = join(root, 'a');
  const to = join(root, 'b');
  for (const [directory, text] of [[from, versionA], [to, versionB]] as const) {
    mkdirSync(join(directory, 'lib'), { recursive: true });
    writeFileSync(join(directory, 'lib', 'add.js'), text);
    // Never a source: bundles and declarations are left out as the benchmark leaves them out.
    writeFileSync(join(directory, 'lib', 'add.min.js'), text);
    mkdirSync(join(directory, 'dist'), { recursive: true });
    writeFileSync(join(directory, 'dist', 'add.js'), text);
  }
  return { from, to };
}

const pin = { name: 'adder', from: '1.0.0', to: '1.0.1', fromIntegrity: 'sha512-a', toIntegrity: 'sha512-b' };

describe('benchmark-shaped real edits', () => {
  it('reads only what the benchmark counts as hand-written source', async () => {
    expect((await sourceFiles(pairRoots().from)).map((file) => file.path)).toEqual(['lib/add.js']);
  });

  it('turns every case into an example whose target is the window with the expected edits made', async () => {
    const roots = pairRoots();
    const examples = await pairExamples(pin, roots.from, roots.to, new Rng(3), 1_700_000_000_000);
    const kinds = examples.map((example) => example.kind);
    expect(kinds).toContain('real_edit');
    expect(kinds).toContain('real_typing');
    const finalLines = splitLines(versionB);
    for (const example of examples) {
      expect(example.source).toBe('adder');
      expect(example.history.length).toBeGreaterThan(0);
      expect(example.newLines).not.toBeNull();
      expect(example.newLines).not.toEqual(example.window.lines);
      // Whatever the window shows after the edit also stands, in that order, in version B
      // (unless version B still lacks what the replayed hunk's neighbours changed elsewhere).
      const text = example.newLines!.join('\n');
      if (example.kind === 'real_typing') expect(versionB).toContain(text);
      else expect(finalLines.some((line) => example.newLines!.includes(line))).toBe(true);
    }
    const typing = examples.find((example) => example.kind === 'real_typing')!;
    // The typed line is shown cut at the cursor, and the history ends with what was typed.
    const cursor = typing.window.cursor!;
    const typedLine = typing.window.lines[cursor.line - typing.window.startLine]!;
    expect(typedLine.length).toBeLessThan(typing.newLines![cursor.line - typing.window.startLine]!.length);
    expect(typing.history[typing.history.length - 1]!.insertedText.length).toBeGreaterThan(0);
  });

  it('keystrokes coalesce into one recorded edit, as the extension records them', () => {
    const example = replayedExample(
      {
        kind: 'typing',
        path: 'lib/add.js',
        events: [...'sum'].map((character, index) => ({ path: 'lib/add.js', range: { start: { line: 1, character: 6 + index }, end: { line: 1, character: 6 + index } }, text: character })),
        cursor: { path: 'lib/add.js', line: 1, character: 9 },
        expected: [{ path: 'lib/add.js', range: { start: { line: 1, character: 9 }, end: { line: 1, character: 14 } }, text: '' }],
      },
      versionA,
      'adder',
      { neighbors: [], rng: new Rng(1), startMs: 0 },
    );
    expect(example?.history.map((edit) => edit.insertedText)).toEqual(['sum']);
    expect(example?.window.lines[1]).toBe('  let sumtotal = 0;');
    expect(example?.newLines?.[1]).toBe('  let sum = 0;');
  });

  it('refuses events in another file and cases whose edit straddles the window', () => {
    const outside = { path: 'lib/add.js', range: { start: { line: 99, character: 0 }, end: { line: 99, character: 0 } }, text: 'x' };
    const context = { neighbors: [], rng: new Rng(1), startMs: 0 };
    const otherFile = { ...outside, path: 'lib/other.js', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
    expect(replayedExample({ kind: 'next-edit', path: 'lib/add.js', events: [otherFile], cursor: { path: 'lib/add.js', line: 0, character: 0 }, expected: [outside] }, versionA, 'adder', context)).toBeUndefined();
    const wide = { path: 'lib/add.js', range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } }, text: '' };
    const typed = { path: 'lib/add.js', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: ' ' };
    expect(replayedExample({ kind: 'next-edit', path: 'lib/add.js', events: [typed], cursor: { path: 'lib/add.js', line: 1, character: 1 }, expected: [wide] }, versionA, 'adder', context)).toBeUndefined();
  });
});
