// The inference worker (bundled to dist/modelWorker.js): loads and checks the model and the
// tokenizer, serializes prompts, and decodes targets with a grammar mask, all off the
// extension host's thread. It checks the shared cancel flag and its own deadline between
// forward passes, so a stale request stops after at most one pass.

import { isMainThread, parentPort } from 'node:worker_threads';
import { decodeWindow } from './decoding';
import type { DecodeInput } from './decoding';
import { loadModel } from './loadedModel';
import type { LoadedModel } from './loadedModel';

// The evaluation script and the tests drive decoding through this module, as the bundle does.
export { forward, loadModel } from './loadedModel';
export { decodeWindow, generateTarget, generationScore, lookupDraft, pickToken } from './decoding';
export { draftWalk, scoreDrafts } from './draftScoring';
export { logProbability, targetLogProbability } from './tokenScores';

export interface LoadRequest {
  readonly type: 'load';
  readonly manifestPath: string;
  /** Int32Array[1]: the highest request id the caller has cancelled. */
  readonly cancelBuffer: SharedArrayBuffer;
}

export interface PredictRequest {
  readonly type: 'predict';
  readonly requestId: number;
  readonly input: DecodeInput;
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
