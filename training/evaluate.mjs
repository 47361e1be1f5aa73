// Scores an exported model on the validation split with the runtime's own decoding code
// (src/node/modelWorker.ts: constrained greedy + prompt-lookup speculation): exact match of
// the generated target ids with the reference, by example kind where the data says it, plus
// prefill/decode times. Runs on ids only, so it needs no source text.
//
//   node training/evaluate.mjs --manifest models/manifest.json --data training/.data [--examples 200] [--no-speculate] [--copy-bias NATS]
import * as esbuild from 'esbuild';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
};
const manifestPath = path.resolve(option('manifest', path.join(REPO, 'models/manifest.json')));
const dataDir = path.resolve(option('data', path.join(REPO, 'training/.data')));
const exampleCount = Number(option('examples', '200'));
const speculate = !process.argv.includes('--no-speculate');
// Leaning towards copying the prompt (decoding.ts pickToken); default: what the runtime ships.
const copyBiasOption = option('copy-bias', undefined);
const copyBias = copyBiasOption === undefined ? undefined : Number(copyBiasOption);
const MAX_NEW_TOKENS = 96;

const bundle = path.join(REPO, 'node_modules/.cache/ripple-evaluate/worker.cjs');
mkdirSync(path.dirname(bundle), { recursive: true });
await esbuild.build({ entryPoints: [path.join(REPO, 'src/node/modelWorker.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', external: ['onnxruntime-node'], logLevel: 'error' });
const require = createRequire(import.meta.url);
const worker = require(bundle);
const prompt = await esbuild.build({ entryPoints: [path.join(REPO, 'src/core/prompt.ts')], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'error' });
const promptModule = { exports: {} };
new Function('module', 'exports', 'require', prompt.outputFiles[0].text)(promptModule, promptModule.exports, require);
const { initialTargetState } = promptModule.exports;

const model = await worker.loadModel(manifestPath);
if (typeof model === 'string') throw new Error(model);
const tokens = new Uint16Array(readFileSync(path.join(dataDir, 'valid.bin')).buffer.slice(0));
const index = new Uint32Array(readFileSync(path.join(dataDir, 'valid.idx')).buffer.slice(0));
const examples = index.length / 3;
const slotIds = model.tokenizer.specialTokens.map((name, id) => (name.startsWith('<|slot_') ? id : -1)).filter((id) => id >= 0);
const windowId = model.tokenizer.specialTokens.indexOf('<|window|>');
const noChangeId = model.tokenizer.specialTokens.indexOf('<|no_change|>');

const stats = { predictedEdits: [], examples: 0, exact: 0, noChangeExamples: 0, noChangeCorrect: 0, editExamples: 0, editExact: 0, editPredictedNoChange: 0, prefillMs: [], decodeMs: [], passes: 0, generatedTokens: 0 };
const step = Math.max(1, Math.floor(examples / exampleCount));
for (let example = 0; example < examples && stats.examples < exampleCount; example += step) {
  const [start, promptLength, totalLength] = [index[example * 3], index[example * 3 + 1], index[example * 3 + 2]];
  const ids = Array.from(tokens.subarray(start, start + promptLength));
  const reference = Array.from(tokens.subarray(start + promptLength, start + totalLength));
  const windowStart = ids.lastIndexOf(windowId);
  const slotCount = ids.slice(windowStart).filter((id) => slotIds.includes(id)).length;
  model.cache.truncate(0);
  let startMs = performance.now();
  const logits = await worker.forward(model, ids, 1);
  stats.prefillMs.push(performance.now() - startMs);
  startMs = performance.now();
  const state = initialTargetState(model.tokenizer, slotCount);
  const generation = await worker.generateTarget(model, ids, logits.subarray(logits.length - model.manifest.vocabSize), state, MAX_NEW_TOKENS, () => false, { speculate, copyBiasNats: copyBias });
  stats.decodeMs.push(performance.now() - startMs);
  const generated = generation ? [...generation.ids] : [];
  if (generation?.state.phase === 'after_no_change') generated.push(reference[reference.length - 1]);
  stats.passes += generation?.forwardPasses ?? 0;
  stats.generatedTokens += generated.length;
  const exact = generated.length === reference.length && generated.every((id, position) => id === reference[position]);
  stats.examples++;
  stats.exact += exact ? 1 : 0;
  if (generation && generated[0] !== noChangeId && generation.ids.length > 0) {
    // The runtime's own confidence for the edit.
    stats.predictedEdits.push({ score: worker.generationScore(generation), exact, kind: reference[0] === noChangeId ? 'no_change' : 'edit' });
  }
  if (reference[0] === noChangeId) {
    stats.noChangeExamples++;
    stats.noChangeCorrect += generated[0] === noChangeId ? 1 : 0;
  } else {
    stats.editExamples++;
    stats.editExact += exact ? 1 : 0;
    stats.editPredictedNoChange += generated[0] === noChangeId ? 1 : 0;
  }
}
function precisionByThreshold() {
  return [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((threshold) => {
    const above = stats.predictedEdits.filter((edit) => edit.score >= threshold);
    const exact = above.filter((edit) => edit.exact).length;
    return { threshold, predicted: above.length, exact, precision: rate(exact, above.length) };
  });
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const rate = (part, whole) => +(part / Math.max(1, whole)).toFixed(3);
console.log(JSON.stringify({
  manifest: path.relative(REPO, manifestPath), speculate, copyBias: copyBias ?? 'default', examples: stats.examples,
  exactMatch: rate(stats.exact, stats.examples),
  noChangeRecall: rate(stats.noChangeCorrect, stats.noChangeExamples),
  editExactMatch: rate(stats.editExact, stats.editExamples),
  editMissedAsNoChange: rate(stats.editPredictedNoChange, stats.editExamples),
  medianPrefillMs: +median(stats.prefillMs).toFixed(1), medianDecodeMs: +median(stats.decodeMs).toFixed(1),
  tokensPerPass: +(stats.generatedTokens / Math.max(1, stats.passes)).toFixed(2),
  // Precision of predicted edits above each confidence threshold: picks the engine's model threshold.
  editPrecisionByThreshold: precisionByThreshold(),
}, null, 2));
await model.session.release();
