import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BpeTokenizer } from '../../src/core/bpe';
import { parseTarget, promptVocabulary, serializePrompt, serializeTarget } from '../../src/core/prompt';
import type { Example } from '../data/documents';
import { lineHunkSites } from '../data/realEdits';
import { applySites } from '../data/documents';
import { validationSources } from '../data/pipeline';

interface DumpedExample extends Example {
  readonly start: number;
  readonly promptLength: number;
  readonly totalLength: number;
}

interface SplitFiles {
  readonly ids: Uint16Array;
  readonly index: Uint32Array;
  readonly examples: DumpedExample[];
}

// Other work changes the repository while tests run: both builds read one snapshot of it.
const corpusDir = mkdtempSync(join(tmpdir(), 'ripple-corpus-'));
cpSync('src', join(corpusDir, 'src'), { recursive: true });

function buildTiny(outDir: string, seed = 7): void {
  const args = ['training/data/build.mjs', '--tiny', '--out', outDir, '--seed', String(seed), '--corpus-dir', corpusDir];
  execFileSync('node', args, { stdio: 'pipe' });
}

function readSplit(outDir: string, split: string): SplitFiles {
  const tokenBytes = readFileSync(join(outDir, `${split}.bin`));
  const indexBytes = readFileSync(join(outDir, `${split}.idx`));
  return {
    ids: new Uint16Array(tokenBytes.buffer.slice(tokenBytes.byteOffset, tokenBytes.byteOffset + tokenBytes.byteLength)),
    index: new Uint32Array(indexBytes.buffer.slice(indexBytes.byteOffset, indexBytes.byteOffset + indexBytes.byteLength)),
    examples: readFileSync(join(outDir, `${split}.examples.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as DumpedExample),
  };
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('training data pipeline (--tiny)', () => {
  let outDir: string;
  let tokenizer: BpeTokenizer;
  let meta: { vocabSize: number; counts: { examples: number; tokens: number; byKind: Record<string, number> }; sources: { name: string; split: string }[] };

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'ripple-data-'));
    buildTiny(outDir);
    tokenizer = new BpeTokenizer(JSON.parse(readFileSync(join(outDir, 'tokenizer.json'), 'utf8')));
    meta = JSON.parse(readFileSync(join(outDir, 'meta.json'), 'utf8'));
  });

  it('writes .bin and .idx that agree with each other and with meta.json', () => {
    let examples = 0;
    let tokens = 0;
    for (const split of ['train', 'valid']) {
      const { ids, index, examples: dumped } = readSplit(outDir, split);
      expect(index.length % 3).toBe(0);
      expect(index.length / 3).toBe(dumped.length);
      let expectedStart = 0;
      for (let example = 0; example < index.length / 3; example++) {
        const [start, promptLength, totalLength] = [index[example * 3], index[example * 3 + 1], index[example * 3 + 2]] as number[];
        expect(start).toBe(expectedStart);
        expect(promptLength).toBeGreaterThan(0);
        expect(promptLength).toBeLessThan(totalLength as number);
        expectedStart += totalLength as number;
      }
      expect(ids.length).toBe(expectedStart);
      expect(ids.reduce((max, id) => Math.max(max, id), 0)).toBeLessThan(meta.vocabSize);
      examples += dumped.length;
      tokens += ids.length;
    }
    expect(examples).toBe(meta.counts.examples);
    expect(tokens).toBe(meta.counts.tokens);
    expect(examples).toBeGreaterThan(100);
  });

  it('stores every example exactly as the serializer makes it', () => {
    const vocabulary = promptVocabulary(tokenizer);
    for (const split of ['train', 'valid']) {
      const { ids, examples } = readSplit(outDir, split);
      for (const example of examples) {
        const stored = Array.from(ids.subarray(example.start, example.start + example.totalLength));
        const prompt = serializePrompt(example, tokenizer);
        const target = serializeTarget(example.window, example.newLines, tokenizer);
        expect(stored).toEqual([...prompt.ids, ...target]);
        expect(example.promptLength).toBe(prompt.promptLength);
        expect(stored[0]).toBe(vocabulary.bos);
        expect(stored[example.promptLength - 1]).toBe(vocabulary.output);
        expect(stored[stored.length - 1]).toBe(vocabulary.eos);
        const parsed = parseTarget(stored.slice(example.promptLength), example.window, tokenizer, { lockedSlots: prompt.truncatedSlots });
        expect(parsed).toEqual(example.newLines === null ? { kind: 'no_change' } : { kind: 'change', newLines: example.newLines });
      }
    }
  });

  it('mixes edit kinds with a large share of "no change", and splits by source', () => {
    const kinds = meta.counts.byKind;
    const noChange = (kinds.no_change ?? 0) / meta.counts.examples;
    expect(noChange).toBeGreaterThan(0.3);
    expect(noChange).toBeLessThan(0.6);
    expect(Object.keys(kinds).length).toBeGreaterThanOrEqual(6);
    const splitOf = new Map(meta.sources.map((source) => [source.name, source.split]));
    for (const split of ['train', 'valid']) {
      for (const example of readSplit(outDir, split).examples) expect(splitOf.get(example.source)).toBe(split);
    }
    expect(new Set(splitOf.values())).toEqual(new Set(['train', 'valid']));
  });

  it('has typing examples that stop mid-line and ones that run on over several new lines', () => {
    const typing = ['train', 'valid'].flatMap((split) => readSplit(outDir, split).examples).filter((example) => example.kind === 'complete_line');
    expect(typing.length).toBeGreaterThan(5);
    const addedLines = typing.map((example) => (example.newLines?.length ?? 0) - example.window.lines.length);
    expect(addedLines.some((count) => count === 0)).toBe(true);
    expect(addedLines.some((count) => count >= 1)).toBe(true);
    for (const example of typing) {
      // The window holds the typed prefix up to the cursor; one recent edit typed it.
      const cursor = example.window.cursor;
      expect(cursor).toBeDefined();
      const cursorLine = example.window.lines[(cursor?.line ?? 0) - example.window.startLine] ?? '';
      const beforeCursor = cursorLine.slice(0, cursor?.character).trimStart();
      expect(example.history.some((edit) => edit.insertedText.endsWith(beforeCursor))).toBe(true);
      expect(example.newLines).not.toEqual(example.window.lines);
    }
  });

  it('is deterministic for a seed', () => {
    const again = mkdtempSync(join(tmpdir(), 'ripple-data-'));
    buildTiny(again);
    for (const file of ['train.bin', 'train.idx', 'valid.bin', 'valid.idx', 'tokenizer.json']) {
      expect(sha256(join(again, file)), file).toBe(sha256(join(outDir, file)));
    }
  });
});

describe('pipeline pieces', () => {
  it('turns a version diff into line hunks that rebuild the new version', () => {
    const before = 'a\nb\nc\nd\ne\nf\n';
    const after = 'a\nB\nc\nd\ne2\nextra\nf\n';
    const sites = lineHunkSites(before, after);
    expect(sites).toHaveLength(2);
    expect(applySites(before, sites ?? [])).toBe(after);
  });

  it('keeps at least one source in each split', () => {
    expect(validationSources(['a', 'b']).size).toBe(1);
    const many = Array.from({ length: 40 }, (_, index) => `package${index}`);
    expect(validationSources(many).size).toBe(4);
    expect(validationSources(many)).toEqual(validationSources([...many].reverse()));
  });
});
