// The inference worker (bundled to dist/modelWorker.js): loads and checks the model and the
// tokenizer, serializes prompts, and decodes targets with a grammar mask, all off the
// extension host's thread. It checks the shared cancel flag and its own deadline between
// forward passes, so a stale request stops after at most one pass.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { isMainThread, parentPort } from 'node:worker_threads';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { BpeTokenizer, validateTokenizerData } from '../core/bpe';
import type { ModelInput } from '../core/ports';
import { advanceTarget, allowedNextTokens, initialTargetState, parseTarget, serializePrompt } from '../core/prompt';
import type { TargetState } from '../core/prompt';
import { KvCache, PrefixCacheStore } from './kvCache';
import { checkSession, parseManifest } from './manifest';
import type { ModelManifest } from './manifest';

export const INTRA_OP_THREADS = 2;
export const PREFIX_CACHE_ENTRIES = 4;
/** Prefill runs in chunks of this many tokens so a cancel lands between passes. */
export const PREFILL_CHUNK_TOKENS = 256;

export interface LoadRequest {
  readonly type: 'load';
  readonly manifestPath: string;
  /** Int32Array[1]: the highest request id the caller has cancelled. */
  readonly cancelBuffer: SharedArrayBuffer;
}

export interface PredictRequest {
  readonly type: 'predict';
  readonly requestId: number;
  readonly input: Pick<ModelInput, 'history' | 'snippets' | 'windows'>;
  readonly maxNewTokens: number;
  /** Time left when the request was sent; the worker keeps its own clock. */
  readonly budgetMs: number;
}

export type WorkerRequest = LoadRequest | PredictRequest;

export type WorkerReply =
  | { readonly type: 'loaded'; readonly loadMs: number }
  | { readonly type: 'loadFailed'; readonly reason: string }
  | {
      readonly type: 'window';
      readonly requestId: number;
      readonly windowIndex: number;
      /** null: the model predicts no change. */
      readonly newLines: readonly string[] | null;
      readonly score: number;
    }
  | { readonly type: 'done'; readonly requestId: number; readonly forwardPasses: number; readonly reusedPositions: number };

interface LoadedModel {
  readonly session: InferenceSession;
  readonly ort: typeof import('onnxruntime-node');
  readonly manifest: ModelManifest;
  readonly tokenizer: BpeTokenizer;
  readonly cache: KvCache;
  readonly prefixes: PrefixCacheStore;
}

interface DecodeResult {
  readonly newLines: readonly string[] | null;
  readonly score: number;
}

/** Stops decoding once the caller cancelled or the budget ran out. */
type StopCheck = () => boolean;

export async function loadModel(manifestPath: string): Promise<LoadedModel | string> {
  const directory = path.dirname(manifestPath);
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    return `cannot read manifest ${manifestPath}: ${describe(error)}`;
  }
  const parsed = parseManifest(manifestJson);
  if (!parsed.ok) return `invalid manifest ${manifestPath}: ${parsed.reason}`;
  const manifest = parsed.value;
  const modelBytes = await readFile(path.join(directory, manifest.model)).catch(() => undefined);
  if (!modelBytes) return `cannot read model file ${manifest.model}`;
  if (sha256(modelBytes) !== manifest.sha256) return `model file ${manifest.model} does not match the manifest's sha256`;
  const tokenizerBytes = await readFile(path.join(directory, manifest.tokenizer)).catch(() => undefined);
  if (!tokenizerBytes) return `cannot read tokenizer file ${manifest.tokenizer}`;
  if (sha256(tokenizerBytes) !== manifest.tokenizerSha256) return `tokenizer ${manifest.tokenizer} does not match the manifest's sha256`;
  let tokenizer: BpeTokenizer;
  try {
    tokenizer = new BpeTokenizer(validateTokenizerData(JSON.parse(tokenizerBytes.toString('utf8'))));
  } catch (error) {
    return `invalid tokenizer ${manifest.tokenizer}: ${describe(error)}`;
  }
  if (tokenizer.vocabSize !== manifest.vocabSize) {
    return `tokenizer vocabulary ${tokenizer.vocabSize} differs from the model's ${manifest.vocabSize}`;
  }
  try {
    // Loaded here, not at import, so a missing native binary is one more load failure.
    const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');
    const session = await ort.InferenceSession.create(modelBytes, {
      intraOpNumThreads: INTRA_OP_THREADS,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    const describeTensors = (metadata: readonly InferenceSession.ValueMetadata[]) =>
      metadata.map((value) => (value.isTensor ? { name: value.name, type: value.type, shape: value.shape } : { name: value.name }));
    const mismatch = checkSession(manifest, describeTensors(session.inputMetadata), describeTensors(session.outputMetadata));
    if (mismatch) {
      await session.release();
      return mismatch;
    }
    const shape = { layers: manifest.layers, heads: manifest.heads, headDim: manifest.headDim };
    return { session, ort, manifest, tokenizer, cache: new KvCache(shape, manifest.maxPositions), prefixes: new PrefixCacheStore(PREFIX_CACHE_ENTRIES) };
  } catch (error) {
    return `cannot load model ${manifest.model}: ${describe(error)}`;
  }
}

/**
 * Runs `ids` (at absolute positions cache.length..) through the model, appends their keys and
 * values to the cache, and returns the logits of the last position.
 */
export async function forward(model: LoadedModel, ids: readonly number[]): Promise<Float32Array> {
  const { ort, session, cache, manifest } = model;
  const start = cache.length;
  const past = cache.packed();
  const feeds: Record<string, OrtTensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (id) => BigInt(id)), [1, ids.length]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (_, index) => BigInt(start + index)), [1, ids.length]),
    past_keys: new ort.Tensor('float32', past.keys, past.dims),
    past_values: new ort.Tensor('float32', past.values, past.dims),
  };
  const outputs = await session.run(feeds);
  cache.append(outputs.present_keys!.data as Float32Array, outputs.present_values!.data as Float32Array, ids.length);
  const logits = outputs.logits!.data as Float32Array;
  return logits.subarray((ids.length - 1) * manifest.vocabSize, ids.length * manifest.vocabSize);
}

/** Greedy constrained choice: the best allowed id and its log-probability under the full softmax. */
export function pickToken(logits: Float32Array, state: TargetState): { id: number; logProbability: number } | undefined {
  const allowed = allowedNextTokens(state);
  let bestId = -1;
  let bestLogit = -Infinity;
  for (const id of allowed.specialIds) {
    const logit = logits[id] ?? -Infinity;
    if (logit > bestLogit) [bestId, bestLogit] = [id, logit];
  }
  if (allowed.textTokens) {
    for (let id = state.vocabulary.slots.length > 0 ? firstTextId(state) : 0; id < logits.length; id++) {
      const logit = logits[id]!;
      if (logit > bestLogit && !state.lineBreakingIds.has(id)) [bestId, bestLogit] = [id, logit];
    }
  }
  if (bestId < 0) return undefined;
  let max = -Infinity;
  for (let id = 0; id < logits.length; id++) if (logits[id]! > max) max = logits[id]!;
  let sum = 0;
  for (let id = 0; id < logits.length; id++) sum += Math.exp(logits[id]! - max);
  return { id: bestId, logProbability: bestLogit - max - Math.log(sum) };
}

function firstTextId(state: TargetState): number {
  // Text ids follow every special token; the last slot token is the last special.
  return Math.max(...state.vocabulary.slots) + 1;
}

/** Prefills one window's prompt (reusing the longest cached prefix) and decodes its target. */
export async function decodeWindow(
  model: LoadedModel,
  input: PredictRequest['input'],
  windowIndex: number,
  maxNewTokens: number,
  shouldStop: StopCheck,
  counters: { forwardPasses: number; reusedPositions: number },
): Promise<DecodeResult | undefined> {
  const window = input.windows[windowIndex]!;
  const prompt = serializePrompt({ history: input.history, snippets: input.snippets, window }, model.tokenizer);
  const ids = prompt.ids;
  const limit = Math.min(maxNewTokens, model.manifest.maxPositions - ids.length);
  if (limit <= 0) return undefined;
  const { cache, prefixes } = model;
  let done = prefixes.restoreLongestPrefix(ids, cache);
  counters.reusedPositions += done;
  let logits: Float32Array | undefined;
  while (done < ids.length) {
    if (shouldStop()) return undefined;
    const chunk = ids.slice(done, done + PREFILL_CHUNK_TOKENS);
    logits = await forward(model, chunk);
    counters.forwardPasses++;
    done += chunk.length;
  }
  prefixes.remember(ids, cache);
  let state = initialTargetState(model.tokenizer, window.lines.length, { lockedSlots: prompt.truncatedSlots });
  const generated: number[] = [];
  let logProbabilitySum = 0;
  while (logits && generated.length < limit) {
    const choice = pickToken(logits, state);
    if (!choice) return undefined;
    generated.push(choice.id);
    logProbabilitySum += choice.logProbability;
    state = advanceTarget(state, choice.id);
    if (state.phase === 'done' || state.phase === 'invalid') break;
    // No need to spend a pass on the forced <|eos|> after <|no_change|>.
    if (state.phase === 'after_no_change') return { newLines: null, score: Math.exp(choice.logProbability) };
    if (shouldStop()) return undefined;
    logits = await forward(model, [choice.id]);
    counters.forwardPasses++;
  }
  if (state.phase !== 'done') return undefined;
  const parsed = parseTarget(generated, window, model.tokenizer, { lockedSlots: prompt.truncatedSlots });
  const score = Math.exp(logProbabilitySum / generated.length);
  if (parsed.kind === 'invalid') return undefined;
  return { newLines: parsed.kind === 'change' ? parsed.newLines : null, score };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Message loop: requests run one at a time, in arrival order. */
function serve(port: NonNullable<typeof parentPort>): void {
  let model: LoadedModel | undefined;
  let cancelled: Int32Array | undefined;
  let queue: Promise<void> = Promise.resolve();
  const reply = (message: WorkerReply): void => port.postMessage(message);

  const handle = async (request: WorkerRequest): Promise<void> => {
    if (request.type === 'load') {
      const startMs = performance.now();
      cancelled = new Int32Array(request.cancelBuffer);
      const loaded = await loadModel(request.manifestPath);
      if (typeof loaded === 'string') return reply({ type: 'loadFailed', reason: loaded });
      model = loaded;
      return reply({ type: 'loaded', loadMs: performance.now() - startMs });
    }
    const counters = { forwardPasses: 0, reusedPositions: 0 };
    const deadlineMs = performance.now() + request.budgetMs;
    const shouldStop = (): boolean =>
      performance.now() >= deadlineMs || (cancelled !== undefined && Atomics.load(cancelled, 0) >= request.requestId);
    if (model) {
      for (let windowIndex = 0; windowIndex < request.input.windows.length && !shouldStop(); windowIndex++) {
        const result = await decodeWindow(model, request.input, windowIndex, request.maxNewTokens, shouldStop, counters).catch((e) => { console.error("DBG", e); return undefined; });
        if (result) reply({ type: 'window', requestId: request.requestId, windowIndex, ...result });
      }
    }
    reply({ type: 'done', requestId: request.requestId, ...counters });
  };

  port.on('message', (request: WorkerRequest) => {
    queue = queue.then(() => handle(request));
  });
}

if (!isMainThread && parentPort) serve(parentPort);
