// Measures what the 300 ms budget buys on THIS machine: prefill of a 256/512-token prompt and
// one decode step over a 512-token cache, for randomly initialised models of each config
// (latency does not depend on the weights' values). The model size is chosen from this table.
//
//   node training/measure_latency.mjs [--configs small,base] [--lengths 256,512] [--steps 24] [--model path.onnx ...]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}
const configs = option('configs', 'small,base').split(',').filter(Boolean);
const lengths = option('lengths', '256,512').split(',').map(Number);
const decodeSteps = Number(option('steps', '24'));
const extraModels = process.argv.flatMap((arg, index) => (process.argv[index - 1] === '--model' ? [arg] : []));
const REPEATS = 5;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function cacheTensor(manifest, length, fill) {
  const dims = [manifest.layers, 1, manifest.heads, length, manifest.headDim];
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  if (fill) for (let i = 0; i < data.length; i++) data[i] = Math.sin(i) * 0.1;
  return new ort.Tensor('float32', data, dims);
}

/** A copy head's extra input (FORMAT.md): the cached positions' token ids; none without one. */
function pastIds(manifest, length) {
  if (!manifest.copyHead) return {};
  return { past_ids: new ort.Tensor('int64', BigInt64Array.from({ length }, (_, i) => BigInt((i * 31 + 7) % manifest.vocabSize)), [1, length]) };
}

/** One row of logits, as the runtime asks for a prefill, where the model takes logit_rows. */
function lastRow(manifest) {
  return 'logit_rows' in manifest.inputs ? { logit_rows: new ort.Tensor('int64', BigInt64Array.of(1n), [1]) } : {};
}

function ids(length, start, vocab) {
  return {
    input_ids: new ort.Tensor('int64', BigInt64Array.from({ length }, (_, i) => BigInt((i * 7919 + 13) % vocab)), [1, length]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from({ length }, (_, i) => BigInt(start + i)), [1, length]),
  };
}

async function measure(modelPath, manifest) {
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const vocab = manifest.vocabSize;
  const empty = cacheTensor(manifest, 0, false);
  await session.run({ ...ids(16, 0, vocab), past_keys: empty, past_values: empty, ...pastIds(manifest, 0), ...lastRow(manifest) });
  const result = { model: path.basename(path.dirname(modelPath)) + '/' + path.basename(modelPath), parameters: manifest.parameters, megabytes: +(statSync(modelPath).size / 1e6).toFixed(1) };
  for (const length of lengths) {
    const times = [];
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      const start = performance.now();
      await session.run({ ...ids(length, 0, vocab), past_keys: empty, past_values: empty, ...pastIds(manifest, 0), ...lastRow(manifest) });
      times.push(performance.now() - start);
    }
    result[`prefill${length}Ms`] = +median(times).toFixed(1);
  }
  const pastLength = Math.max(...lengths);
  const times = [];
  for (let step = 0; step < decodeSteps; step++) {
    const past = cacheTensor(manifest, pastLength + step, true);
    const start = performance.now();
    await session.run({ ...ids(1, pastLength + step, vocab), past_keys: past, past_values: past, ...pastIds(manifest, pastLength + step), ...lastRow(manifest) });
    times.push(performance.now() - start);
  }
  result[`decodeStepAt${pastLength}Ms`] = +median(times).toFixed(2);
  // What fits in the budget after a warm prefix-cache hit (only the window, ~150 tokens, is new).
  await session.release();
  return result;
}

const work = mkdtempSync(path.join(os.tmpdir(), 'ripple-latency-'));
try {
  const tokenizer = path.join(REPO, 'models', 'tokenizer.json');
  const tokenizerPath = existsSync(tokenizer) ? tokenizer : path.join(work, 'tokenizer.json');
  if (!existsSync(tokenizer)) writeFileSync(tokenizerPath, JSON.stringify({ version: 1, vocabSize: 8192, specialTokens: [], merges: [] }));
  const rows = [];
  for (const config of configs) {
    const out = path.join(work, config);
    execFileSync(PYTHON, ['-m', 'training.export', '--random-config', config, '--out', out, '--tokenizer', tokenizerPath], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    rows.push({ config, ...(await measure(path.join(out, manifest.model), manifest)) });
  }
  for (const modelPath of extraModels) {
    const manifest = JSON.parse(readFileSync(path.join(path.dirname(modelPath), 'manifest.json'), 'utf8'));
    rows.push({ config: 'given', ...(await measure(modelPath, manifest)) });
  }
  console.table(rows);
  console.log(JSON.stringify({ machine: `${os.cpus().length} x ${os.cpus()[0]?.model}`, node: process.version, rows }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
