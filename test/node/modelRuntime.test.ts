// End to end over the real stack: train the tiny config with PyTorch, export it to ONNX, check
// onnxruntime-node against PyTorch, then drive OnnxNextEditModel (real worker thread, real
// onnxruntime) through decoding, deadlines, aborts, broken files and broken workers.

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as esbuild from 'esbuild';
import * as ort from 'onnxruntime-node';
import { BpeTokenizer, SPECIAL_TOKENS } from '../../src/core/bpe';
import type { EditWindow, Logger, ModelInput } from '../../src/core/ports';
import { advanceTarget, initialTargetState, linesWithInsertion, promptVocabulary, serializePrompt, serializeTarget, typedLineOf, typedLineOpening } from '../../src/core/prompt';
import { OnnxNextEditModel } from '../../src/node/modelRuntime';
import { decodeWindow, draftWalk, forward, generateTarget, loadModel, logProbability, lookupDraft, pickToken, scoreDrafts, targetLogProbability } from '../../src/node/modelWorker';

const PYTHON = '/usr/bin/python3';
const REPO = path.resolve(__dirname, '../..');
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) console.warn(`SKIPPED modelRuntime tests: ${PYTHON} cannot import torch and onnx (apt install python3-torch python3-onnx)`);

// The worker must be JavaScript; it lives under node_modules so that require('onnxruntime-node') resolves.
const BUILD_DIR = path.join(REPO, 'node_modules', '.cache', 'ripple-model-test');
const WORKER_PATH = path.join(BUILD_DIR, 'modelWorker.js');
const TRAIN_STEPS = 40;

interface RecordingLogger extends Logger {
  readonly lines: string[];
}

function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  return { lines, info: (message) => lines.push(`info: ${message}`), warn: (message) => lines.push(`warn: ${message}`) };
}

function window(index: number): EditWindow {
  return {
    path: `src/file${index % 3}.ts`,
    startLine: 0,
    lines: [`const value${index} = ${index};`, `export function get${index}() {`, `  return value${index};`, '}'],
    cursor: { line: 0, character: 6 },
  };
}

function modelInput(windows: readonly EditWindow[], budgetMs: number): ModelInput {
  return { history: [], snippets: [], windows, deadlineMs: performance.now() + budgetMs };
}

/** Every example's target is <|no_change|>: a few steps teach it, so decoding has a known answer. */
function writeDataset(directory: string, tokenizer: BpeTokenizer): void {
  mkdirSync(directory, { recursive: true });
  for (const [split, count] of [['train', 96], ['valid', 16]] as const) {
    const tokens: number[] = [];
    const index: number[] = [];
    for (let example = 0; example < count; example++) {
      const target = window(example + (split === 'valid' ? 1000 : 0));
      const prompt = serializePrompt({ history: [], snippets: [], window: target }, tokenizer).ids;
      const ids = [...prompt, ...serializeTarget(target, null, tokenizer)];
      index.push(tokens.length, prompt.length, ids.length);
      tokens.push(...ids);
    }
    writeFileSync(path.join(directory, `${split}.bin`), Buffer.from(Uint16Array.from(tokens).buffer));
    writeFileSync(path.join(directory, `${split}.idx`), Buffer.from(Uint32Array.from(index).buffer));
  }
  writeFileSync(path.join(directory, 'meta.json'), JSON.stringify({ vocabSize: tokenizer.vocabSize, specialTokens: SPECIAL_TOKENS }));
}

function python(args: readonly string[]): string {
  return execFileSync(PYTHON, args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function copyModel(from: string, to: string): string {
  mkdirSync(to, { recursive: true });
  for (const file of ['manifest.json', 'model.onnx', 'tokenizer.json']) copyFileSync(path.join(from, file), path.join(to, file));
  return path.join(to, 'manifest.json');
}

describe.skipIf(!hasTorch)('OnnxNextEditModel with a trained tiny model', () => {
  let work: string;
  let modelDir: string;
  let manifestPath: string;
  const models: OnnxNextEditModel[] = [];
  const track = (model: OnnxNextEditModel): OnnxNextEditModel => (models.push(model), model);

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'ripple-model-'));
    mkdirSync(BUILD_DIR, { recursive: true });
    await esbuild.build({
      entryPoints: [path.join(REPO, 'src/node/modelWorker.ts')],
      outfile: WORKER_PATH,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['onnxruntime-node'],
      logLevel: 'error',
    });
    const tokenizerData = { version: 1 as const, vocabSize: SPECIAL_TOKENS.length + 256, specialTokens: SPECIAL_TOKENS, merges: [] };
    const tokenizerPath = path.join(work, 'tokenizer.json');
    writeFileSync(tokenizerPath, JSON.stringify(tokenizerData));
    writeDataset(path.join(work, 'data'), new BpeTokenizer(tokenizerData));
    const run = path.join(work, 'run');
    python(['-m', 'training.train', '--config', 'tiny', '--data', path.join(work, 'data'), '--out', run, '--steps', String(TRAIN_STEPS)]);
    modelDir = path.join(work, 'model');
    python(['-m', 'training.export', '--checkpoint', path.join(run, 'model.pt'), '--out', modelDir, '--tokenizer', tokenizerPath]);
    python(['-m', 'training.verify', '--checkpoint', path.join(run, 'model.pt'), '--out', path.join(work, 'verify.json')]);
    manifestPath = path.join(modelDir, 'manifest.json');
  }, 300_000);

  afterAll(() => {
    for (const model of models) model.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('training logged a falling validation loss', () => {
    const records = readFileSync(path.join(work, 'run', 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; valid_loss?: number });
    const losses = records.filter((record) => record.event === 'train').map((record) => record.valid_loss as number);
    expect(losses.length).toBeGreaterThan(1);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]! * 0.5);
  });

  it('onnxruntime-node matches PyTorch on a prefill and on a step with a past cache', async () => {
    const session = await ort.InferenceSession.create(path.join(modelDir, 'model.onnx'));
    type Record = { dims: number[]; data: number[] };
    const cases = (JSON.parse(readFileSync(path.join(work, 'verify.json'), 'utf8')) as {
      cases: { name: string; inputs: { [name: string]: Record }; outputs: { [name: string]: Record } }[];
    }).cases;
    expect(cases.map((entry) => entry.name)).toEqual(['prefill', 'step_with_past']);
    expect(cases[1]!.inputs.past_keys!.dims[3]).toBeGreaterThan(0);
    for (const entry of cases) {
      const feeds: { [name: string]: ort.Tensor } = {};
      for (const [name, record] of Object.entries(entry.inputs)) {
        feeds[name] = name.endsWith('_ids') || name === 'logit_rows'
          ? new ort.Tensor('int64', BigInt64Array.from(record.data, (value) => BigInt(value)), record.dims)
          : new ort.Tensor('float32', Float32Array.from(record.data), record.dims);
      }
      const outputs = await session.run(feeds);
      for (const [name, expected] of Object.entries(entry.outputs)) {
        const actual = outputs[name]!;
        expect(actual.dims).toEqual(expected.dims);
        let maxDifference = 0;
        (actual.data as Float32Array).forEach((value, index) => {
          maxDifference = Math.max(maxDifference, Math.abs(value - expected.data[index]!));
        });
        expect(maxDifference, `${entry.name}/${name}`).toBeLessThan(1e-3);
      }
    }
    await session.release();
  });

  it('predicts the learned no_change for every window, with a confident score', async () => {
    const logger = recordingLogger();
    const model = track(new OnnxNextEditModel({ manifestPath, logger, clock: () => performance.now(), workerPath: WORKER_PATH }));
    const windows = [window(7), window(8)];
    const predictions = await model.predict(modelInput(windows, 20_000), new AbortController().signal);
    expect(predictions.map((prediction) => prediction.window)).toEqual(windows);
    for (const prediction of predictions) {
      expect(prediction.newLines).toBeNull();
      expect(prediction.score).toBeGreaterThan(0.5);
      expect(prediction.score).toBeLessThanOrEqual(1);
    }
    expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([]);
    // The caller's floor reaches the worker: answers that score under it are given up on.
    const signal = new AbortController().signal;
    const lowest = Math.min(...predictions.map((prediction) => prediction.score));
    expect(await model.predict({ ...modelInput(windows, 20_000), minScore: lowest * 0.99 }, signal)).toHaveLength(2);
    const certainOnly = await model.predict({ ...modelInput(windows, 20_000), minScore: 1 }, signal);
    expect(certainOnly.length).toBe(predictions.filter((prediction) => prediction.score === 1).length);
    await expect(model.predict({ ...modelInput(windows, 20_000), minScore: 1.5 }, signal)).rejects.toThrow(TypeError);
    // Warm: the whole request fits a tight budget and reuses the cached prompt prefix.
    const startMs = performance.now();
    const again = await model.predict(modelInput(windows, 2_000), new AbortController().signal);
    expect(again).toHaveLength(2);
    expect(performance.now() - startMs).toBeLessThan(1_000);
    // A typing window may not answer no_change: the model continues the typed line (or runs out
    // of tokens doing so, and that window is dropped), never the null it has learned, and the
    // line keeps what was typed ("const ", the cursor is at character 6).
    const typing = await model.predict(modelInput([{ ...window(7), typing: true }, window(8)], 20_000), new AbortController().signal);
    const typed = typing.find((prediction) => prediction.window.typing);
    expect(typed === undefined ? 'dropped' : typed.newLines).not.toBeNull();
    if (typed?.newLines) expect(typed.newLines[0]).toMatch(/^const /);
    expect(typing.find((prediction) => !prediction.window.typing)?.newLines).toBeNull();
  });

  it('resolves by the deadline even with far more windows than fit', async () => {
    const model = track(new OnnxNextEditModel({ manifestPath, logger: recordingLogger(), clock: () => performance.now(), workerPath: WORKER_PATH }));
    await model.predict(modelInput([window(1)], 20_000), new AbortController().signal);
    const windows = Array.from({ length: 400 }, (_, index) => window(index + 2000));
    const startMs = performance.now();
    const predictions = await model.predict(modelInput(windows, 60), new AbortController().signal);
    const elapsedMs = performance.now() - startMs;
    expect(elapsedMs).toBeLessThan(60 + 75);
    expect(predictions.length).toBeLessThan(windows.length);
    // The worker stopped between passes, so the next request is served promptly.
    const next = await model.predict(modelInput([window(3)], 2_000), new AbortController().signal);
    expect(next).toHaveLength(1);
  });

  it('resolves promptly when the caller aborts mid-decode', async () => {
    const model = track(new OnnxNextEditModel({ manifestPath, logger: recordingLogger(), clock: () => performance.now(), workerPath: WORKER_PATH }));
    await model.predict(modelInput([window(1)], 20_000), new AbortController().signal);
    const controller = new AbortController();
    const windows = Array.from({ length: 400 }, (_, index) => window(index + 5000));
    const pending = model.predict(modelInput(windows, 10_000), controller.signal);
    setTimeout(() => controller.abort(), 20);
    const startMs = performance.now();
    const predictions = await pending;
    expect(performance.now() - startMs).toBeLessThan(20 + 75);
    expect(predictions.length).toBeLessThan(windows.length);
    expect(await model.predict(modelInput([window(4)], 2_000), controller.signal)).toEqual([]);
  });

  it('a corrupt model file disables the model with one log line', async () => {
    const broken = copyModel(modelDir, path.join(work, 'corrupt'));
    const modelPath = path.join(path.dirname(broken), 'model.onnx');
    const bytes = readFileSync(modelPath);
    const middle = bytes.length >> 1;
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
    writeFileSync(modelPath, bytes);
    const logger = recordingLogger();
    const model = track(new OnnxNextEditModel({ manifestPath: broken, logger, clock: () => performance.now(), workerPath: WORKER_PATH }));
    expect(await model.predict(modelInput([window(1)], 10_000), new AbortController().signal)).toEqual([]);
    expect(await model.predict(modelInput([window(2)], 10_000), new AbortController().signal)).toEqual([]);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(/^warn: .*disabled.*sha256/);
    expect(model.disabled).toBe(true);
  });

  it('a manifest whose shapes disagree with the model disables it with one log line', async () => {
    const broken = copyModel(modelDir, path.join(work, 'wrong-shape'));
    const manifest = JSON.parse(readFileSync(broken, 'utf8'));
    // Self-consistent manifest for a deeper model: only the session check can catch it.
    manifest.layers += 1;
    for (const table of [manifest.inputs, manifest.outputs]) {
      for (const name of ['past_keys', 'past_values', 'present_keys', 'present_values']) if (table[name]) table[name][0] += 1;
    }
    writeFileSync(broken, JSON.stringify(manifest));
    const logger = recordingLogger();
    const model = track(new OnnxNextEditModel({ manifestPath: broken, logger, clock: () => performance.now(), workerPath: WORKER_PATH }));
    expect(await model.predict(modelInput([window(1)], 10_000), new AbortController().signal)).toEqual([]);
    expect(await model.predict(modelInput([window(2)], 10_000), new AbortController().signal)).toEqual([]);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(/^warn: .*disabled.*past_keys/);
  });

  it('a missing model directory disables it with one log line', async () => {
    const logger = recordingLogger();
    const model = track(new OnnxNextEditModel({ manifestPath: path.join(work, 'nowhere', 'manifest.json'), logger, clock: () => performance.now(), workerPath: WORKER_PATH }));
    expect(await model.predict(modelInput([window(1)], 10_000), new AbortController().signal)).toEqual([]);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(/^warn: .*manifest/);
  });

  /** A worker that misbehaves the first time it starts, and is the real worker afterwards. */
  function flakyWorker(name: string, misbehaviour: string): string {
    const marker = path.join(work, `${name}.started`);
    const script = path.join(BUILD_DIR, `${name}.cjs`);
    writeFileSync(
      script,
      `const fs = require('node:fs');
const { parentPort } = require('node:worker_threads');
if (fs.existsSync(${JSON.stringify(marker)})) {
  require(${JSON.stringify(WORKER_PATH)});
} else {
  fs.writeFileSync(${JSON.stringify(marker)}, '');
  parentPort.on('message', (request) => {
    if (request.type === 'load') return parentPort.postMessage({ type: 'loaded', loadMs: 0 });
    ${misbehaviour}
  });
}
`,
    );
    return script;
  }

  it('a worker that crashes resolves [] at once and is restarted on the next request', async () => {
    const logger = recordingLogger();
    const workerPath = flakyWorker('crashing', "throw new Error('simulated crash');");
    const model = track(new OnnxNextEditModel({ manifestPath, logger, clock: () => performance.now(), workerPath }));
    const startMs = performance.now();
    expect(await model.predict(modelInput([window(1)], 5_000), new AbortController().signal)).toEqual([]);
    expect(performance.now() - startMs).toBeLessThan(2_000);
    expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([expect.stringMatching(/simulated crash/)]);
    const predictions = await model.predict(modelInput([window(2)], 20_000), new AbortController().signal);
    expect(predictions).toHaveLength(1);
  });

  it('a worker that hangs resolves [] by the deadline, is terminated, and is restarted', async () => {
    const logger = recordingLogger();
    const workerPath = flakyWorker('hanging', 'for (;;) {}');
    const model = track(new OnnxNextEditModel({ manifestPath, logger, clock: () => performance.now(), workerPath, hangGraceMs: 200 }));
    // The budget leaves the (fake, fast) load time to finish, so the request really reaches the hung worker.
    const startMs = performance.now();
    expect(await model.predict(modelInput([window(1)], 1_500), new AbortController().signal)).toEqual([]);
    expect(performance.now() - startMs).toBeLessThan(1_500 + 75);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([expect.stringMatching(/did not stop/)]);
    const predictions = await model.predict(modelInput([window(2)], 20_000), new AbortController().signal);
    expect(predictions).toHaveLength(1);
  });

  it('speculative (prompt lookup) decoding yields exactly the greedy tokens', async () => {
    // Random weights write long, arbitrary targets: a thorough check that verification keeps
    // the cache and the grammar state in step with plain one-token-per-pass decoding.
    const randomDir = path.join(work, 'random');
    python(['-m', 'training.export', '--random-config', 'tiny', '--out', randomDir, '--tokenizer', path.join(work, 'tokenizer.json')]);
    const loaded = await loadModel(path.join(randomDir, 'manifest.json'));
    if (typeof loaded === 'string') throw new Error(loaded);
    const target = window(11);
    const prompt = serializePrompt({ history: [], snippets: [], window: target }, loaded.tokenizer);
    const run = async (speculate: boolean) => {
      loaded.prefixes.clear();
      loaded.cache.truncate(0);
      const logits = await forward(loaded, prompt.ids);
      const last = logits.subarray(logits.length - loaded.manifest.vocabSize);
      // Start inside a replaced line's text, where a random model keeps going until the limit.
      const start = initialTargetState(loaded.tokenizer, target.lines.length);
      const state = advanceTarget(advanceTarget(start, start.vocabulary.replace), start.vocabulary.slots[0]!);
      return generateTarget(loaded, prompt.ids, last, state, 48, () => false, { speculate });
    };
    const plain = await run(false);
    const speculative = await run(true);
    // logit_rows: the last row alone equals the last row of all of them, and the cache is the same.
    loaded.cache.truncate(0);
    const allRows = await forward(loaded, prompt.ids);
    loaded.cache.truncate(0);
    const lastOnly = await forward(loaded, prompt.ids, 1);
    expect(lastOnly.length).toBe(loaded.manifest.vocabSize);
    expect([...lastOnly]).toEqual([...allRows.subarray(allRows.length - loaded.manifest.vocabSize)]);
    expect(loaded.cache.length).toBe(prompt.ids.length);
    await expect(forward(loaded, [1, 2], 3)).rejects.toThrow(RangeError);
    expect(plain!.ids.length).toBeGreaterThan(10);
    expect(speculative!.ids).toEqual(plain!.ids);
    expect(speculative!.logProbabilitySum).toBeCloseTo(plain!.logProbabilitySum, 3);
    expect(speculative!.forwardPasses).toBeLessThanOrEqual(plain!.forwardPasses);
    // A floor the whole target stays above changes nothing; one it crosses ends the decode there,
    // with the cache holding the prompt and the tokens chosen before the crossing.
    const floored = async (floorLogProbability: number) => {
      loaded.prefixes.clear();
      loaded.cache.truncate(0);
      const logits = await forward(loaded, prompt.ids);
      const start = initialTargetState(loaded.tokenizer, target.lines.length);
      const state = advanceTarget(advanceTarget(start, start.vocabulary.replace), start.vocabulary.slots[0]!);
      return generateTarget(loaded, prompt.ids, logits.subarray(logits.length - loaded.manifest.vocabSize), state, 48, () => false, { floorLogProbability });
    };
    expect((await floored(plain!.logProbabilitySum - 1e-3))?.ids).toEqual(plain!.ids);
    const half = plain!.logProbabilitySum / 2;
    expect(await floored(half)).toBeUndefined();
    expect(loaded.cache.length).toBeGreaterThan(prompt.ids.length);
    expect(loaded.cache.length).toBeLessThan(prompt.ids.length + plain!.ids.length);
    expect(lookupDraft([5, 6, 7, 8, 9, 6, 7, 1, 2], [3, 6, 7], 2)).toEqual([1, 2]);
    expect(lookupDraft([5, 6, 7], [4], 3)).toEqual([]);
    // A copy hint tilts the choice, within the grammar, and leaves the reported score alone.
    const textState = advanceTarget(advanceTarget(initialTargetState(loaded.tokenizer, 2), promptVocabulary(loaded.tokenizer).replace), promptVocabulary(loaded.tokenizer).slots[0]!);
    const logits = new Float32Array(loaded.manifest.vocabSize);
    const [favourite, hinted] = [loaded.tokenizer.encode('x')[0]!, loaded.tokenizer.encode('y')[0]!];
    logits[favourite] = 2;
    expect(pickToken(logits, textState)?.id).toBe(favourite);
    expect(pickToken(logits, textState, { id: hinted, biasNats: 1 })?.id).toBe(favourite);
    const tilted = pickToken(logits, textState, { id: hinted, biasNats: 3 });
    expect(tilted?.id).toBe(hinted);
    // log softmax: every logit is 0 but the favourite's 2.
    expect(tilted?.logProbability).toBeCloseTo(-Math.log(Math.exp(2) + loaded.manifest.vocabSize - 1), 4);
    // A hint the grammar forbids here (a slot token inside a line) changes nothing.
    expect(pickToken(logits, textState, { id: promptVocabulary(loaded.tokenizer).slots[1]!, biasNats: 100 })?.id).toBe(favourite);
    await loaded.session.release();
  });

  it('scores each completion draft as one-token-at-a-time teacher forcing would, and leaves the cache at the prompt', async () => {
    const randomDir = path.join(work, 'random-drafts');
    python(['-m', 'training.export', '--random-config', 'tiny', '--out', randomDir, '--tokenizer', path.join(work, 'tokenizer.json')]);
    const loaded = await loadModel(path.join(randomDir, 'manifest.json'));
    if (typeof loaded === 'string') throw new Error(loaded);
    // "const valu|e5 = 5;": the half-typed word must heal into whatever each draft makes of it.
    const typing: EditWindow = { ...window(5), cursor: { line: 0, character: 10 }, typing: true, drafts: ['X', 'e', 'Y7;\n// next'] };
    const typedLine = typedLineOf(typing, [])!;
    const options = { typedLine };
    const forced = typedLineOpening(typedLine, loaded.tokenizer);
    let initial = initialTargetState(loaded.tokenizer, typing.lines.length, options);
    for (const id of forced) initial = advanceTarget(initial, id);
    const prompt = [...serializePrompt({ history: [], snippets: [], window: typing }, loaded.tokenizer).ids, ...forced];
    loaded.cache.truncate(0);
    const prefill = await forward(loaded, prompt, 1);
    const scores = await scoreDrafts(loaded, typing, typedLine, forced, prefill, initial, 64, () => false);
    expect(loaded.cache.length).toBe(prompt.length);
    // The typed-line grammar judges drafts as it judges the model's own tokens: 'e' opens the
    // insertion with the text after the cursor, which it does not allow (typedLine.ts).
    const expected = typing.drafts!.filter((draft) => draftWalk(serializeTarget(typing, linesWithInsertion(typing, typedLine, draft), loaded.tokenizer), forced, initial, 64));
    expect(scores.scored.map((scored) => scored.draft)).toEqual(expected);
    expect(expected).toEqual(['X', 'Y7;\n// next']);
    expect(expected).not.toContain('e');
    for (const scored of scores.scored) {
      expect(scored.newLines).toEqual(linesWithInsertion(typing, typedLine, scored.draft));
      const walk = draftWalk(serializeTarget(typing, scored.newLines, loaded.tokenizer), forced, initial, 64)!;
      let reference = 0;
      let logits = prefill;
      for (const [index, id] of walk.ids.entries()) {
        reference += targetLogProbability(logits, walk.states[index]!, id);
        logits = await forward(loaded, [id], 1);
      }
      loaded.cache.truncate(prompt.length);
      expect(scored.logProbabilitySum).toBeCloseTo(reference, 3);
      expect(scored.logProbabilitySum).toBeLessThan(0);
    }
    // A draft longer than the allowance is dropped, not cut short.
    const short = await scoreDrafts(loaded, typing, typedLine, forced, prefill, initial, 2, () => false);
    expect(short.scored.map((scored) => scored.draft)).not.toContain('Y7;\n// next');
    // Under a floor only the drafts that reach it are kept, and the cache is left at the prompt.
    const best = Math.max(...scores.scored.map((scored) => scored.logProbabilitySum));
    const floored = await scoreDrafts(loaded, typing, typedLine, forced, prefill, initial, 64, () => false, best - 1e-3);
    expect(floored.scored.map((scored) => scored.logProbabilitySum)).toEqual([best]);
    expect(loaded.cache.length).toBe(prompt.length);
    expect((await scoreDrafts(loaded, typing, typedLine, forced, prefill, initial, 64, () => false, 0)).scored).toEqual([]);
    // Stopped before the first draft: nothing scored, no pass spent.
    const stopped = await scoreDrafts(loaded, typing, typedLine, forced, prefill, initial, 64, () => true);
    expect(stopped).toEqual({ scored: [], forwardPasses: 0 });
    await loaded.session.release();
  });

  it("scores a typed line's completion with the model's probability of editing that line at all", async () => {
    const randomDir = path.join(work, 'random-opening');
    python(['-m', 'training.export', '--random-config', 'tiny', '--out', randomDir, '--tokenizer', path.join(work, 'tokenizer.json')]);
    const loaded = await loadModel(path.join(randomDir, 'manifest.json'));
    if (typeof loaded === 'string') throw new Error(loaded);
    // A draft guarantees an answer whatever the random weights decode.
    const typing: EditWindow = { ...window(5), cursor: { line: 0, character: 10 }, typing: true, drafts: ['X'] };
    const input = { history: [], snippets: [], windows: [typing], minScore: 0 };
    const result = await decodeWindow(loaded, input, 0, 64, () => false, { forwardPasses: 0, reusedPositions: 0 }, false);
    expect(result?.newLines).toBeTruthy();
    // Teacher forcing from the prompt's end: <|replace|> and the slot under the full softmax
    // (the model was not asked whether the user goes on: the opening is forced), the typed text
    // itself not at all, then every token the completion adds.
    const typedLine = typedLineOf(typing, [])!;
    const forced = typedLineOpening(typedLine, loaded.tokenizer);
    const target = serializeTarget(typing, result!.newLines, loaded.tokenizer);
    expect(target.slice(0, forced.length)).toEqual(forced);
    let state = initialTargetState(loaded.tokenizer, typing.lines.length, { typedLine });
    loaded.cache.truncate(0);
    let logits = await forward(loaded, serializePrompt({ history: [], snippets: [], window: typing }, loaded.tokenizer).ids, 1);
    let opening = 0;
    let completion = 0;
    for (const [index, id] of target.entries()) {
      if (index < 2) opening += logProbability(logits, id);
      else if (index >= forced.length) completion += targetLogProbability(logits, state, id);
      state = advanceTarget(state, id);
      if (state.phase === 'done') break;
      logits = await forward(loaded, [id], 1);
    }
    expect(opening).toBeLessThan(-1e-3);
    expect(Math.log(result!.score)).toBeCloseTo(opening + completion, 3);
    await loaded.session.release();
  });

  it('rejects bad options at construction', () => {
    const options = { manifestPath, logger: recordingLogger(), clock: () => performance.now() };
    expect(() => new OnnxNextEditModel({ ...options, maxNewTokens: 0 })).toThrow(TypeError);
    expect(() => new OnnxNextEditModel({ ...options, hangGraceMs: 1.5 })).toThrow(TypeError);
    expect(() => new OnnxNextEditModel({ ...options, manifestPath: '' })).toThrow(TypeError);
    expect(existsSync(WORKER_PATH)).toBe(true);
  });
});
