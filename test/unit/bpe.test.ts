import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  BpeTokenizer,
  decodeWtf8,
  encodeWtf8,
  preTokenize,
  SPECIAL_TOKENS,
  validateTokenizerData,
  type TokenizerData,
} from '../../src/core/bpe';
import { trainBpe } from '../../training/data/trainTokenizer';

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|mjs|js)$/.test(name) && !/\.(d\.ts|min\.js)$/.test(name)) files.push(path);
  }
  return files;
}

// A small real corpus: the TypeScript sources of jsdiff and lru-cache that ship in node_modules.
const corpusFiles = [...sourceFiles('node_modules/diff/libesm'), ...sourceFiles('node_modules/lru-cache/dist/esm')]
  .sort()
  .slice(0, 80);
const corpus = corpusFiles.map((path) => readFileSync(path, 'utf8'));
const heldOut = readFileSync('src/core/windowEdit.ts', 'utf8');

let trained: TokenizerData;
let tokenizer: BpeTokenizer;

beforeAll(() => {
  trained = trainBpe(corpus, { vocabSize: 2048 });
  tokenizer = new BpeTokenizer(trained);
});

const TRICKY_STRINGS = [
  '',
  'const x = 1;',
  'line one\r\nline two\r\n\ttabbed\t\tand  spaced  ',
  'emoji 😀👍🏽 family 👨‍👩‍👧 flags 🇫🇷',
  'non-ASCII: naïve café Ünïcödé 日本語のテキスト Ωμέγα',
  'special names are plain text here: <|eos|> <|slot_3|>',
  'lone surrogates \ud800 and \udc00 survive',
  '\u00a0nbsp\u2028line separator\ufeffbom\v\f',
  'x'.repeat(1000) + 'é'.repeat(300) + '😀'.repeat(100),
];

describe('BpeTokenizer', () => {
  it('trains merges up to the requested vocabulary and validates', () => {
    expect(trained.vocabSize).toBe(2048);
    expect(trained.merges.length).toBe(2048 - SPECIAL_TOKENS.length - 256);
    expect(() => validateTokenizerData(trained)).not.toThrow();
  });

  it('round-trips tricky strings exactly', () => {
    for (const text of TRICKY_STRINGS) expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
  });

  it('round-trips arbitrary strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\t', '\n', '\r', '(', ')', '_', '1', 'é', '😀'), maxLength: 80 }), (text) => {
        expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('pre-tokenizes every character into exactly one piece', () => {
    const text = 'function f(a, b) {\n    return a === b;\r\n\t}\n';
    const pieces = preTokenize(text);
    expect(pieces.join('')).toBe(text);
    expect(pieces).toContain('\n    ');
    expect(pieces).toContain(' ===');
    expect(pieces).toContain('return');
    expect(pieces).toContain(' a');
    expect(pieces).toContain('\r\n\t');
  });

  it('compresses code it was not trained on', () => {
    const ids = tokenizer.encode(heldOut);
    const bytes = new TextEncoder().encode(heldOut).length;
    expect(ids.length).toBeLessThan(bytes / 2.5);
  });

  it('renders special tokens by name and looks them up', () => {
    const eos = tokenizer.specialId('<|eos|>');
    expect(eos).toBe(2);
    expect(tokenizer.specialId('<|slot_32|>')).toBe(SPECIAL_TOKENS.length - 1);
    expect(tokenizer.decode([tokenizer.specialId('<|bos|>'), ...tokenizer.encode('hi'), eos])).toBe('<|bos|>hi<|eos|>');
    expect(() => tokenizer.specialId('<|nope|>')).toThrow(RangeError);
    expect(tokenizer.encode('<|eos|>')).not.toContain(eos);
    expect(tokenizer.isSpecial(eos)).toBe(true);
    expect(tokenizer.isSpecial(SPECIAL_TOKENS.length)).toBe(false);
  });

  it('rejects malformed tokenizer data loudly', () => {
    expect(() => new BpeTokenizer({ ...trained, vocabSize: trained.vocabSize + 1 })).toThrow(TypeError);
    expect(() => new BpeTokenizer({ ...trained, merges: [[5000, 400]] , vocabSize: SPECIAL_TOKENS.length + 257 })).toThrow(TypeError);
    expect(() => new BpeTokenizer({ ...trained, specialTokens: ['<|a|>', '<|a|>'] })).toThrow(TypeError);
    expect(() => new BpeTokenizer(trained, { maxCachedPieces: -1 })).toThrow(TypeError);
    expect(() => validateTokenizerData({ version: 2 })).toThrow(TypeError);
  });

  it('decodes malformed UTF-8 to replacement characters instead of throwing', () => {
    expect(decodeWtf8([0xff, 0x41, 0xe2, 0x82])).toBe('\ufffdA\ufffd\ufffd');
    expect(decodeWtf8(encodeWtf8('a😀\ud800'))).toBe('a😀\ud800');
  });

  it('encodes ~500 tokens of code in under 2 ms after warmup', () => {
    const sample = heldOut.slice(0, 2000);
    for (let run = 0; run < 20; run++) tokenizer.encode(sample);
    const runs = 50;
    const started = performance.now();
    let tokens = 0;
    for (let run = 0; run < runs; run++) tokens = tokenizer.encode(sample).length;
    const perRunMs = (performance.now() - started) / runs;
    expect(tokens).toBeGreaterThan(300);
    expect(perRunMs).toBeLessThan(2);
  });

  it('stays exact with a tiny piece cache (eviction path)', () => {
    const small = new BpeTokenizer(trained, { maxCachedPieces: 3 });
    for (const text of TRICKY_STRINGS) expect(small.decode(small.encode(text))).toBe(text);
    expect(small.encode(heldOut)).toEqual(tokenizer.encode(heldOut));
  });
});

describe('tokenizer file', () => {
  it('loads models/tokenizer.json and reports mismatches as values', async () => {
    const { loadTokenizerFile, formatTokenizerJson, parseTokenizerBytes } = await import('../../src/node/tokenizerFile');
    const loaded = await loadTokenizerFile('models/tokenizer.json');
    expect(loaded.kind).toBe('loaded');
    if (loaded.kind !== 'loaded') return;
    expect(loaded.tokenizer.vocabSize).toBe(8192);
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
    const code = heldOut;
    expect(loaded.tokenizer.decode(loaded.tokenizer.encode(code))).toBe(code);
    expect(loaded.tokenizer.encode(code).length).toBeLessThan(new TextEncoder().encode(code).length / 2.5);
    expect((await loadTokenizerFile('models/tokenizer.json', { sha256: loaded.sha256, vocabSize: 8192 })).kind).toBe('loaded');
    expect((await loadTokenizerFile('models/tokenizer.json', { sha256: '0'.repeat(64) })).kind).toBe('unavailable');
    expect((await loadTokenizerFile('models/tokenizer.json', { vocabSize: 4096 })).kind).toBe('unavailable');
    expect((await loadTokenizerFile('models/does-not-exist.json')).kind).toBe('unavailable');
    const broken = parseTokenizerBytes(new TextEncoder().encode('{"version":1}'), 'x.json', 'sha');
    expect(broken).toMatchObject({ kind: 'unavailable' });
    const rewritten = JSON.parse(formatTokenizerJson(trained)) as TokenizerData;
    expect(rewritten).toEqual(JSON.parse(JSON.stringify(trained)));
  });
});
