import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args, '--model', '/nonexistent-model-dir'], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

/** A real workspace on disk: a function whose parameter the events rename. */
function makeWorkspace(): { root: string; eventsPath: string } {
  const root = mkdtempSync(join(tmpdir(), 'ripple-cli-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(
    join(root, 'src', 'price.ts'),
    ['export function total(count: number, unit: number): number {', '  const sum = count * unit;', '  return count > 0 ? sum : 0;', '}', ''].join('\n'),
  );
  writeFileSync(join(root, 'src', 'use.ts'), "import { total } from './price';\nexport const value = total(2, 3);\n");
  // Select `count` in the parameter list and type `quantity` over it, one keystroke at a time.
  const events = [{ path: 'src/price.ts', range: { start: { line: 0, character: 22 }, end: { line: 0, character: 27 } }, text: 'q' }];
  for (const [index, letter] of [...'uantity'].entries()) {
    const character = 23 + index;
    events.push({ path: 'src/price.ts', range: { start: { line: 0, character }, end: { line: 0, character } }, text: letter });
  }
  const eventsPath = join(root, '..', `${root.split('/').pop()}-events.json`);
  writeFileSync(eventsPath, JSON.stringify(events));
  return { root, eventsPath };
}

describe('ripple CLI', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
  });

  it('predicts the rename of the other uses of a renamed parameter, as one JSON object', async () => {
    const { root, eventsPath } = makeWorkspace();
    const result = await cli('predict', '--workspace', root, '--events', eventsPath, '--cursor', 'src/price.ts:0:30');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { edits: { path: string; range: unknown; text: string; score: number; source: string }[]; latencyMs: number };
    expect(typeof output.latencyMs).toBe('number');
    expect(output.edits.length).toBeGreaterThan(0);
    const first = output.edits[0]!;
    expect(first.path).toBe('src/price.ts');
    expect(first.text).toContain('quantity');
    expect(first.source).toBe('propagation');
    expect(first.score).toBeGreaterThan(0);
    expect(first.score).toBeLessThanOrEqual(1);
    // The file on disk is never touched by a prediction.
    expect(readFileSync(join(root, 'src', 'price.ts'), 'utf8')).toContain('count: number');
  });

  it('defaults the cursor to the end of the last event and honours --top', async () => {
    const { root, eventsPath } = makeWorkspace();
    const result = await cli('predict', '--workspace', root, '--events', eventsPath, '--top', '1');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { edits: unknown[] };
    expect(output.edits.length).toBeLessThanOrEqual(1);
  });

  it('answers bad input with one line and a non-zero exit, never a stack trace', async () => {
    const { root, eventsPath } = makeWorkspace();
    const badJson = join(root, 'bad.json');
    writeFileSync(badJson, '[{"path": ');
    const outside = join(root, 'outside.json');
    writeFileSync(outside, JSON.stringify([{ path: 'src/price.ts', range: { start: { line: 90, character: 0 }, end: { line: 90, character: 0 } }, text: 'x' }]));
    const failures = [
      await cli('predict', '--workspace', join(root, 'missing'), '--events', eventsPath),
      await cli('predict', '--workspace', root, '--events', badJson),
      await cli('predict', '--workspace', root, '--events', outside),
      await cli('predict', '--workspace', root),
      await cli('predict', '--workspace', root, '--events', eventsPath, '--sources', 'magic'),
      await cli('bench', '--cases', join(root, 'no-such.jsonl'), '--out', join(root, 'out.jsonl')),
      await cli('bench', '--cases', eventsPath, '--out', join(root, 'out.jsonl'), '--min-score', '1.5'),
      await cli('frobnicate'),
    ];
    for (const failure of failures) {
      expect(failure.code).not.toBe(0);
      expect(failure.stdout).toBe('');
      const lines = failure.stderr.trim().split('\n').filter((line) => line.startsWith('ripple:') && !line.includes('no model'));
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(failure.stderr).not.toMatch(/\n\s+at /);
    }
    expect(failures[2]!.stderr).toMatch(/event 0 does not apply/);
    expect(failures[6]!.stderr).toMatch(/--min-score must be a number in \[0, 1\], got '1.5'/);
  });

  it('benchmarks many cases in one process and scores exact@1 when cases carry expectations', async () => {
    const { root } = makeWorkspace();
    const events = JSON.parse(readFileSync(join(root, '..', `${root.split('/').pop()}-events.json`), 'utf8'));
    const cases = [
      { id: 'rename', workspace: root, events },
      { id: 'nothing', workspace: root, events: [{ path: 'src/use.ts', range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '// done\n' }] },
    ];
    const casesPath = join(root, 'cases.jsonl');
    const outPath = join(root, 'predictions.jsonl');
    writeFileSync(casesPath, cases.map((item) => JSON.stringify(item)).join('\n'));
    const result = await cli('bench', '--cases', casesPath, '--out', outPath);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/latency p50 [\d.]+ ms, p95 [\d.]+ ms/);
    const predictions = readFileSync(outPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { id: string; edits: unknown[]; latencyMs: number });
    expect(predictions.map((prediction) => prediction.id)).toEqual(['rename', 'nothing']);
    expect(predictions[0]!.edits.length).toBeGreaterThan(0);
  });
});
