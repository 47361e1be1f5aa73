// OnnxNextEditModel: the NextEditModel port backed by an ONNX model in a worker thread.
// The main thread only routes messages and keeps time: every predict resolves by its deadline,
// with whatever windows the worker finished, and never rejects. A model that fails to load
// is reported once and then stays off; a worker that crashes or ignores a cancel is
// terminated and started again on the next request.

import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Clock, Logger, ModelInput, NextEditModel, WindowPrediction } from '../core/ports';
import type { PredictRequest, WorkerReply, WorkerRequest } from './modelWorker';
import { positiveInteger, unitInterval } from '../core/validation';

export const DEFAULT_MAX_NEW_TOKENS = 96;
/** Loading parses the model and builds the session; far slower than this means something is wrong. */
export const DEFAULT_LOAD_TIMEOUT_MS = 30_000;
/**
 * How long a cancelled worker may take to finish its current forward pass before it is killed.
 * Generous on purpose: terminating a worker inside an onnxruntime call aborts the whole host
 * process (seen in the extension host as SIGABRT on a loaded 2-core machine at 1 s), so only a
 * worker that is truly stuck is killed.
 */
export const DEFAULT_HANG_GRACE_MS = 15_000;
export const MAX_NEW_TOKENS_LIMIT = 1_024;

export interface OnnxNextEditModelOptions {
  /** models/manifest.json; the model and tokenizer files sit next to it. */
  readonly manifestPath: string;
  readonly logger: Logger;
  /** The engine's clock: ModelInput.deadlineMs is on it. */
  readonly clock: Clock;
  /** The bundled worker; defaults to modelWorker.js next to this bundle. */
  readonly workerPath?: string;
  readonly maxNewTokens?: number;
  readonly loadTimeoutMs?: number;
  readonly hangGraceMs?: number;
}

type ModelState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading'; readonly worker: Worker; readonly ready: Promise<boolean> }
  | { readonly kind: 'ready'; readonly worker: Worker }
  | { readonly kind: 'disabled' };

interface PendingRequest {
  readonly predictions: WindowPrediction[];
  readonly input: ModelInput;
  finish(): void;
}

export class OnnxNextEditModel implements NextEditModel {
  private readonly manifestPath: string;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly workerPath: string;
  private readonly maxNewTokens: number;
  private readonly loadTimeoutMs: number;
  private readonly hangGraceMs: number;
  private readonly cancelled = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  private state: ModelState = { kind: 'idle' };
  private nextRequestId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private hangTimer: ReturnType<typeof setTimeout> | undefined;
  private detachWorker: () => void = ignore;

  constructor(options: OnnxNextEditModelOptions) {
    if (typeof options.manifestPath !== 'string' || options.manifestPath === '') {
      throw new TypeError('OnnxNextEditModel: manifestPath must be a non-empty string');
    }
    this.manifestPath = options.manifestPath;
    this.logger = options.logger;
    this.clock = options.clock;
    this.workerPath = options.workerPath ?? path.join(__dirname, 'modelWorker.js');
    this.maxNewTokens = positiveInteger('OnnxNextEditModel options.maxNewTokens', options.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS, MAX_NEW_TOKENS_LIMIT);
    this.loadTimeoutMs = positiveInteger('OnnxNextEditModel options.loadTimeoutMs', options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS, 600_000);
    this.hangGraceMs = positiveInteger('OnnxNextEditModel options.hangGraceMs', options.hangGraceMs ?? DEFAULT_HANG_GRACE_MS, 60_000);
  }

  /** Whether a load failure turned the model off for good. */
  get disabled(): boolean {
    return this.state.kind === 'disabled';
  }

  async predict(input: ModelInput, signal: AbortSignal): Promise<readonly WindowPrediction[]> {
    if (input.minScore !== undefined) unitInterval('ModelInput.minScore', input.minScore);
    const budgetMs = input.deadlineMs - this.clock();
    if (signal.aborted || budgetMs <= 0 || input.windows.length === 0 || this.state.kind === 'disabled') return [];
    return new Promise<readonly WindowPrediction[]>((resolve) => {
      const predictions: WindowPrediction[] = [];
      let settled = false;
      let requestId = 0;
      const finish = (): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        if (requestId !== 0) this.cancelRequest(requestId);
        resolve(predictions);
      };
      const timer = setTimeout(finish, budgetMs);
      signal.addEventListener('abort', finish, { once: true });
      void this.ensureReady().then((worker) => {
        if (settled || !worker) return finish();
        requestId = this.nextRequestId++;
        // A newer request supersedes every older one: the worker drops them between passes.
        Atomics.store(this.cancelled, 0, requestId - 1);
        this.pending.set(requestId, { predictions, input, finish });
        const request: PredictRequest = {
          type: 'predict',
          requestId,
          input: { history: input.history, snippets: input.snippets, windows: input.windows, ...(input.minScore === undefined ? {} : { minScore: input.minScore }) },
          maxNewTokens: this.maxNewTokens,
          budgetMs: Math.max(0, input.deadlineMs - this.clock()),
        };
        this.post(worker, request);
      });
    });
  }

  /** Stops the worker; a later predict starts a new one. */
  dispose(): void {
    this.restart();
  }

  private ensureReady(): Promise<Worker | undefined> {
    const state = this.state;
    if (state.kind === 'ready') return Promise.resolve(state.worker);
    if (state.kind === 'disabled') return Promise.resolve(undefined);
    if (state.kind === 'loading') return state.ready.then((ok) => (ok && this.state.kind === 'ready' ? this.state.worker : undefined));
    const worker = new Worker(this.workerPath);
    const ready = new Promise<boolean>((resolve) => {
      const loadTimer = setTimeout(() => fail(`loading took longer than ${this.loadTimeoutMs} ms`), this.loadTimeoutMs);
      // Only our own listeners come off: Worker keeps internal ones that start its message port.
      const detach = (): void => {
        clearTimeout(loadTimer);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.off('message', onMessage);
      };
      const fail = (reason: string): void => {
        detach();
        if (this.state.kind !== 'loading' || this.state.worker !== worker) return resolve(false);
        this.state = { kind: 'disabled' };
        worker.on('error', ignore);
        void worker.terminate();
        this.logger.warn(`Ripple: the next-edit model is disabled (${reason}); only symbolic suggestions will be offered.`);
        resolve(false);
      };
      const onError = (error: Error): void => fail(`worker failed: ${error.message}`);
      const onExit = (code: number): void => fail(`worker exited with code ${code}`);
      const onMessage = (reply: WorkerReply): void => {
        if (reply.type === 'loadFailed') return fail(reply.reason);
        if (reply.type !== 'loaded') return fail(`unexpected first message ${reply.type}`);
        detach();
        if (this.state.kind !== 'loading' || this.state.worker !== worker) return resolve(false);
        this.attach(worker);
        this.state = { kind: 'ready', worker };
        this.logger.info(`Ripple: next-edit model loaded in ${Math.round(reply.loadMs)} ms.`);
        resolve(true);
      };
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.on('message', onMessage);
    });
    this.state = { kind: 'loading', worker, ready };
    this.post(worker, { type: 'load', manifestPath: this.manifestPath, cancelBuffer: this.cancelled.buffer as SharedArrayBuffer });
    return ready.then((ok) => (ok ? worker : undefined));
  }

  private attach(worker: Worker): void {
    const crashed = (reason: string): void => {
      if (this.state.kind !== 'ready' || this.state.worker !== worker) return;
      this.logger.warn(`Ripple: the model worker stopped (${reason}); it restarts on the next request.`);
      this.restart();
    };
    const onMessage = (reply: WorkerReply): void => this.receive(reply);
    const onError = (error: Error): void => crashed(error.message);
    const onExit = (code: number): void => crashed(`exit code ${code}`);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    this.detachWorker = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      // A late 'error' with no listener would throw in the host.
      worker.on('error', ignore);
    };
  }

  private receive(reply: WorkerReply): void {
    if (reply.type === 'window') {
      const request = this.pending.get(reply.requestId);
      const window = request?.input.windows[reply.windowIndex];
      if (request && window) request.predictions.push({ window, newLines: reply.newLines, score: clampScore(reply.score) });
    } else if (reply.type === 'done') {
      const request = this.pending.get(reply.requestId);
      this.pending.delete(reply.requestId);
      request?.finish();
      if (this.pending.size === 0 && this.hangTimer) {
        clearTimeout(this.hangTimer);
        this.hangTimer = undefined;
      }
    }
  }

  /** The caller is gone: tell the worker, and kill it if it does not stop soon. */
  private cancelRequest(requestId: number): void {
    if (!this.pending.has(requestId)) return;
    if (Atomics.load(this.cancelled, 0) < requestId) Atomics.store(this.cancelled, 0, requestId);
    if (this.hangTimer) return;
    this.hangTimer = setTimeout(() => {
      this.hangTimer = undefined;
      if (this.pending.size === 0 || this.state.kind !== 'ready') return;
      this.logger.warn(`Ripple: the model worker did not stop within ${this.hangGraceMs} ms of a cancel; restarting it.`);
      this.restart();
    }, this.hangGraceMs);
    this.hangTimer.unref?.();
  }

  private restart(): void {
    const state = this.state;
    if (this.hangTimer) clearTimeout(this.hangTimer);
    this.hangTimer = undefined;
    if (state.kind === 'disabled') return;
    this.state = { kind: 'idle' };
    const requests = [...this.pending.values()];
    this.pending.clear();
    for (const request of requests) request.finish();
    if (state.kind === 'ready' || state.kind === 'loading') {
      this.detachWorker();
      this.detachWorker = ignore;
      state.worker.on('error', ignore);
      retire(state.worker, this.hangGraceMs);
    }
  }

  private post(worker: Worker, request: WorkerRequest): void {
    worker.postMessage(request);
  }
}

function ignore(): void {}

function clampScore(score: number): number {
  return Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
}

/**
 * Asks a worker to close itself once its current run ends; terminates it only if it is still
 * there after the grace period (a truly stuck worker), since a terminate during an
 * onnxruntime call aborts the host process.
 */
function retire(worker: Worker, graceMs: number): void {
  const fallback = setTimeout(() => void worker.terminate(), graceMs);
  fallback.unref?.();
  worker.once('exit', () => clearTimeout(fallback));
  try {
    worker.postMessage({ type: 'close' } satisfies WorkerRequest);
  } catch {
    void worker.terminate();
  }
}
