// The loaded model: the onnxruntime session checked against its manifest, the tokenizer, and
// the KV cache that every forward pass appends to. Lives inside the inference worker.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { BpeTokenizer, validateTokenizerData } from '../core/bpe';
import { KvCache, PrefixCacheStore } from './kvCache';
import { checkSession, COPY_HEAD_INPUT, hasLogitRows, LOGIT_ROWS_INPUT, parseManifest } from './manifest';
import type { ModelManifest } from './manifest';

export const INTRA_OP_THREADS = 2;
export const PREFIX_CACHE_ENTRIES = 4;

export interface LoadedModel {
  readonly session: InferenceSession;
  readonly ort: typeof import('onnxruntime-node');
  readonly manifest: ModelManifest;
  readonly tokenizer: BpeTokenizer;
  readonly cache: KvCache;
  readonly prefixes: PrefixCacheStore;
}

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
 * values to the cache, and returns the logits of the last `rows` new positions ([rows * vocab]);
 * a copy head's are log-probabilities, which every consumer treats like logits.
 */
export async function forward(model: LoadedModel, ids: readonly number[], rows = ids.length): Promise<Float32Array> {
  if (!Number.isInteger(rows) || rows < 1 || rows > ids.length) throw new RangeError(`forward: rows must be in [1, ${ids.length}], got ${rows}`);
  const { ort, session, cache } = model;
  const start = cache.length;
  const past = cache.packed();
  const feeds: Record<string, OrtTensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (id) => BigInt(id)), [1, ids.length]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (_, index) => BigInt(start + index)), [1, ids.length]),
    past_keys: new ort.Tensor('float32', past.keys, past.dims),
    past_values: new ort.Tensor('float32', past.values, past.dims),
  };
  if (model.manifest.copyHead) {
    const pastIds = cache.packedIds();
    feeds[COPY_HEAD_INPUT] = new ort.Tensor('int64', pastIds.ids, pastIds.dims);
  }
  const logitRows = hasLogitRows(model.manifest);
  if (logitRows) feeds[LOGIT_ROWS_INPUT] = new ort.Tensor('int64', BigInt64Array.of(BigInt(rows)), [1]);
  const outputs = await session.run(feeds);
  cache.append(outputs.present_keys!.data as Float32Array, outputs.present_values!.data as Float32Array, ids);
  const logits = outputs.logits!.data as Float32Array;
  // An older export returns every row; the caller asked for the last ones.
  return logitRows ? logits : logits.subarray(logits.length - rows * model.manifest.vocabSize);
}


function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

