#!/usr/bin/env node
// Prints decoded examples from a built data set, to eyeball what the model is trained on.
// Usage: node training/data/inspect.mjs DIR [train|valid] [KIND] [COUNT] [TOKENIZER]
import * as esbuild from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [dir = 'training/.data/small', split = 'train', kind, countText = '2', tokenizerPath = 'models/tokenizer.json'] = process.argv.slice(2);
const bundle = join(repoRoot, 'training', '.data', 'bin', `inspect-${process.pid}.cjs`);
await esbuild.build({ entryPoints: [join(repoRoot, 'src', 'core', 'bpe.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
const { BpeTokenizer } = createRequire(import.meta.url)(bundle);
rmSync(bundle, { force: true });
const tokenizer = new BpeTokenizer(JSON.parse(readFileSync(resolve(repoRoot, tokenizerPath), 'utf8')));
const bin = readFileSync(resolve(repoRoot, dir, `${split}.bin`));
const index = readFileSync(resolve(repoRoot, dir, `${split}.idx`));
let kinds = [];
try {
  kinds = readFileSync(resolve(repoRoot, dir, `${split}.examples.jsonl`), 'utf8').trim().split('\n').map((line) => JSON.parse(line).kind);
} catch {
  // Without the dump, examples cannot be filtered by kind.
}
let shown = 0;
for (let example = 0; example < index.length / 12 && shown < Number(countText); example++) {
  if (kind && kinds[example] !== kind) continue;
  shown++;
  const start = index.readUInt32LE(example * 12);
  const promptLength = index.readUInt32LE(example * 12 + 4);
  const totalLength = index.readUInt32LE(example * 12 + 8);
  const ids = Array.from({ length: totalLength }, (_, offset) => bin.readUInt16LE((start + offset) * 2));
  console.log(`=== example ${example} ${kinds[example] ?? ''} prompt ${promptLength} total ${totalLength}`);
  console.log(tokenizer.decode(ids.slice(0, promptLength)).replace(/<\|(slot_\d+|edit|snippet|window)\|>/g, '\n<|$1|>'));
  console.log(`--- target: ${tokenizer.decode(ids.slice(promptLength))}`);
}
