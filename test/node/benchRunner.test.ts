// The benchmark runner: its option parsing, and a whole run against a fake CLI that knows only the
// contract. No network: everything runs on temporary files.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { at, load, range, sha, workspaceWith, type BenchCase, type RunModule } from './support/bench';

let runner: RunModule;
let root: string;

beforeAll(async () => {
  runner = await load<RunModule>('run.mjs');
  root = mkdtempSync(join(tmpdir(), 'ripple-bench-test-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** One benchmark run of `sources` against a fake CLI; its rows by source. */
async function runWithFakeCli(sources: string, casesPath: string, cliPath: string, prefix: string) {
  const options = {
    ...runner.parseArguments(['--sources', sources]),
    casesPath,
    cliPath,
    runDir: join(root, `${prefix}run`),
    resultsDir: join(root, `${prefix}results`),
  };
  const report = await runner.runBenchmark(options, () => {});
  return { bySource: Object.fromEntries(report.rows.map((row) => [row.source, row])) };
}

describe('runner', () => {
  it('validates its options loudly', () => {
    expect(() => runner.parseArguments(['--limit', '0'])).toThrow(TypeError);
    expect(() => runner.parseArguments(['--sources', 'magic'])).toThrow(TypeError);
    expect(() => runner.parseArguments(['--frobnicate'])).toThrow(TypeError);
    expect(runner.parseArguments(['--limit', '5', '--sources', 'symbolic'])).toMatchObject({ limit: 5, sources: ['symbolic'] });
  });

  it('runs a CLI per source, skips an unavailable model and scores the rest', async () => {
    const before = 'let count = 0;\nreturn count;\n';
    const { workspace } = workspaceWith(root, 'runner-ws', 'a.js', before);
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
    const { bySource } = await runWithFakeCli('symbolic,model,all', casesPath, cliPath, '');
    expect(bySource.model).toMatchObject({ status: 'skipped', reason: 'model unavailable: no weights' });
    expect(bySource.symbolic?.summary).toMatchObject({ n: 1, coverage: 0, exactAt1: 0 });
    expect(bySource.all?.summary).toMatchObject({ n: 1, coverage: 1, exactAt1: 1, locationAt1: 1 });
    const input = readFileSync(join(root, 'run', 'cases.jsonl'), 'utf8');
    expect(input).not.toContain('expected');
    expect(readFileSync(join(root, 'results', 'latest.md'), 'utf8')).toContain('| all | 100.0% |');
  });

  it('runs the model once gated and once with every answer shown', async () => {
    const { workspace } = workspaceWith(root, 'unfiltered-ws', 'a.js', 'let count = 0;\n');
    writeFileSync(join(workspace, '.ripple-bench-extracted'), 'test\n');
    const casesPath = join(root, 'unfiltered-cases.jsonl');
    const testCase = { id: 'u1', kind: 'next-edit', workspace, path: 'a.js', events: [], expected: [], expectedFiles: [] };
    writeFileSync(casesPath, `${JSON.stringify(testCase)}\n`);
    // The fake model answers only when nothing gates it, and records how each run was asked.
    const cliPath = join(root, 'recording-cli.mjs');
    const calls = join(root, 'calls.txt');
    writeFileSync(
      cliPath,
      `import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
const args = process.argv.slice(2);
const value = (name) => args[args.indexOf(name) + 1];
appendFileSync(${JSON.stringify(calls)}, args.filter((arg) => arg === 'model' || arg.startsWith('--s') || arg.startsWith('--m') || arg === '0').join(' ') + '\\n');
const ungated = args.includes('--min-score') && value('--min-score') === '0';
const lines = readFileSync(value('--cases'), 'utf8').trim().split('\\n').map((line) => JSON.parse(line));
const edit = { path: 'a.js', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, text: 'const', score: 0.01, source: 'model' };
writeFileSync(value('--out'), lines.map((input) => JSON.stringify({ id: input.id, latencyMs: 5, edits: ungated ? [edit] : [] })).join('\\n') + '\\n');
`,
    );
    const { bySource } = await runWithFakeCli('model,model-unfiltered', casesPath, cliPath, 'unfiltered-');
    expect(readFileSync(calls, 'utf8').trim().split('\n').slice(0, 2)).toEqual(['--sources model', '--sources model --min-score 0']);
    expect(bySource.model?.summary).toMatchObject({ coverage: 0 });
    expect(bySource['model-unfiltered']?.summary).toMatchObject({ coverage: 1, exactAt1: 0 });
    expect(runner.parseArguments([]).sources).toContain('model-unfiltered');
  });
});
