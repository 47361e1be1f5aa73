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
/** Prompt lookup matches at most this many trailing generated tokens. */
export const MAX_LOOKUP_NGRAM = 3;
/** Draft tokens verified per pass: more rarely pay off, and each costs a logits row. */
export const MAX_DRAFT_TOKENS = 8;

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

/** Finish what is running, release the session and let the thread end on its own. */
export interface CloseRequest {
  readonly type: 'close';
}

export type WorkerRequest = LoadRequest | PredictRequest | CloseRequest;

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
 * values to the cache, and returns the logits of every new position ([ids.length * vocab]).
 */
export async function forward(model: LoadedModel, ids: readonly number[]): Promise<Float32Array> {
  const { ort, session, cache } = model;
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
  return outputs.logits!.data as Float32Array;
}

function lastRow(logits: Float32Array, vocabSize: number): Float32Array {
  return logits.subarray(logits.length - vocabSize);
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
    // Text ids follow every special token, and the slot tokens are the last specials.
    for (let id = Math.max(...state.vocabulary.slots) + 1; id < logits.length; id++) {
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

/**
 * Draft tokens by prompt lookup: where the last `ngram` generated tokens (plus the one just
 * chosen) occur in the prompt, guess that what followed there follows again. Edits mostly
 * copy the window's own lines, so a guessed run is often accepted whole.
 */
export function lookupDraft(prompt: readonly number[], generated: readonly number[], maxDraftTokens: number): number[] {
  if (maxDraftTokens <= 0) return [];
  for (let ngram = Math.min(MAX_LOOKUP_NGRAM, generated.length); ngram >= 1; ngram--) {
    const tail = generated.slice(generated.length - ngram);
    // The latest occurrence is the most relevant: the window sits at the end of the prompt.
    for (let start = prompt.length - ngram; start >= 0; start--) {
      let matches = true;
      for (let offset = 0; offset < ngram && matches; offset++) matches = prompt[start + offset] === tail[offset];
      if (matches && start + ngram < prompt.length) return prompt.slice(start + ngram, start + ngram + maxDraftTokens);
    }
  }
  return [];
}

export interface Generation {
  readonly ids: readonly number[];
  readonly logProbabilitySum: number;
  readonly state: TargetState;
  readonly forwardPasses: number;
}

/**
 * Greedy constrained decoding from the prompt's last logits. With `speculate`, each pass also
 * verifies a prompt-lookup draft; the output is identical to plain greedy decoding, only the
 * number of passes changes. Returns undefined when stopped early.
 */
export async function generateTarget(
  model: LoadedModel,
  promptIds: readonly number[],
  firstLogits: Float32Array,
  initialState: TargetState,
  limit: number,
  shouldStop: StopCheck,
  speculate: boolean,
): Promise<Generation | undefined> {
  const vocabSize = model.manifest.vocabSize;
  let state = initialState;
  let rows = [firstLogits];
  const generated: number[] = [];
  let logProbabilitySum = 0;
  let forwardPasses = 0;
  // The prefill's last row behaves like a pass that verified no draft.
  let pendingDraft: readonly number[] = [];
  let baseLength = model.cache.length - 1;
  for (;;) {
    // Walk the verified rows: row i scores the token after generated[..i]; a draft token that
    // disagrees with the greedy choice ends the walk (its row and the rest are discarded).
    let accepted = 0;
    let finished = false;
    for (const row of rows) {
      const choice = pickToken(row, state);
      if (!choice) return undefined;
      generated.push(choice.id);
      logProbabilitySum += choice.logProbability;
      state = advanceTarget(state, choice.id);
      accepted++;
      finished = state.phase === 'done' || state.phase === 'invalid' || state.phase === 'after_no_change' || generated.length >= limit;
      if (finished || rows.length === 1 || choice.id !== pendingDraft[accepted - 1]) break;
    }
    // Positions past the accepted prefix hold rejected draft tokens.
    model.cache.truncate(baseLength + accepted);
    if (finished) return { ids: generated, logProbabilitySum, state, forwardPasses };
    if (shouldStop()) return undefined;
    const last = generated[generated.length - 1]!;
    const draft = speculate ? lookupDraft(promptIds, generated, Math.max(0, Math.min(MAX_DRAFT_TOKENS, limit - generated.length - 1))) : [];
    pendingDraft = draft;
    baseLength = model.cache.length;
    const logits = await forward(model, [last, ...draft]);
    forwardPasses++;
    rows = Array.from({ length: draft.length + 1 }, (_, index) => logits.subarray(index * vocabSize, (index + 1) * vocabSize));
  }
}

/** Prefills one window's prompt (reusing the longest cached prefix) and decodes its target. */
export async function decodeWindow(
  model: LoadedModel,
  input: PredictRequest['input'],
  windowIndex: number,
  maxNewTokens: number,
  shouldStop: StopCheck,
  counters: { forwardPasses: number; reusedPositions: number },
  speculate = true,
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
  if (!logits) return undefined;
  prefixes.remember(ids, cache);
  const options = { lockedSlots: prompt.truncatedSlots };
  const initial = initialTargetState(model.tokenizer, window.lines.length, options);
  const generation = await generateTarget(model, ids, lastRow(logits, model.manifest.vocabSize), initial, limit, shouldStop, speculate);
  if (!generation) return undefined;
  counters.forwardPasses += generation.forwardPasses;
  const { ids: generated, state } = generation;
  // <|no_change|> decides the answer; the forced <|eos|> after it is not worth a pass.
  if (state.phase === 'after_no_change') return { newLines: null, score: generationScore(generation) };
  if (state.phase !== 'done') return undefined;
  const parsed = parseTarget(generated, window, model.tokenizer, options);
  if (parsed.kind === 'invalid') return undefined;
  return { newLines: parsed.kind === 'change' ? parsed.newLines : null, score: generationScore(generation) };
}

/**
 * The model's confidence in a generated target: for <|no_change|> that token's probability, for
 * an edit exp(mean log-probability) of its tokens, so longer edits are not penalised for length.
 */
export function generationScore(generation: Generation): number {
  if (generation.state.phase === 'after_no_change') return Math.exp(generation.logProbabilitySum);
  return Math.exp(generation.logProbabilitySum / Math.max(1, generation.ids.length));
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
    if (request.type === 'close') {
      // Ending the thread from inside, between runs: terminating it from outside during a run
      // aborts the whole host process in onnxruntime-node.
      await model?.session.release().catch(() => undefined);
      model = undefined;
      port.close();
      return;
    }
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
        const result = await decodeWindow(model, request.input, windowIndex, request.maxNewTokens, shouldStop, counters).catch(() => undefined);
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
