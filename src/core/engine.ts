// The next-edit engine: tracks documents and edits, and answers "what comes next?" within a hard
// budget by combining cached, symbolic (propagation) and learned (model) suggestions.

import { createDeadline, DEFAULT_BUDGET_MS, type Deadline, type StopCheck } from './deadline';
import type { NextEditEngine, PredictOptions } from './engineApi';
import type { Clock, FileReader, Logger, NextEditModel, WorkspaceIndex, YieldToEventLoop } from './ports';
import type {
  ChangeEvent,
  Cursor,
  Explanation,
  PredictionResult,
  RecordedEdit,
  Snippet,
  Suggestion,
} from './types';
import { withCompletionDrafts } from './completionDrafts';
import { modelSuggestions, modelWindows } from './modelCandidates';
import { TextProvider } from './textProvider';
import { relatedPaths } from './relatedPaths';
import { replacedTextReader } from './replacedText';

export const DEFAULT_MAX_SUGGESTIONS = 3;
export const MAX_SUGGESTIONS_LIMIT = 20;
/**
 * Edited files are re-indexed off the prediction path, this long after the last change, so a
 * keystroke never pays for a re-parse. Candidates re-verify every site against the live text.
 */
export const INDEX_REFRESH_DELAY_MS = 300;

/** The document store as the engine needs it; DocumentStore satisfies it directly. */
export interface EngineDocuments {
  open(path: string, text: string): void;
  close(path: string): void;
  get(path: string): string | undefined;
  apply(
    event: ChangeEvent,
  ): { readonly kind: 'applied'; readonly before: string; readonly after: string } | { readonly kind: 'rejected'; readonly reason: string };
}

export interface EngineHistory {
  record(event: ChangeEvent, before: string, after: string, timestampMs: number): void;
  edits(): readonly RecordedEdit[];
  removePath(path: string): void;
}

export interface EngineCache {
  store(cursor: Cursor, documentText: string, suggestion: Suggestion): void;
  observe(event: ChangeEvent): void;
  lookup(cursor: Cursor, documentText: string): Suggestion | undefined;
  forgetPath(path: string): void;
  clear(): void;
}

export interface CandidateRequest {
  readonly cursor: Cursor;
  readonly history: readonly RecordedEdit[];
}

/** What a candidate source proposes for one request. */
export interface CandidateOutcome {
  readonly suggestions: readonly Suggestion[];
  /**
   * A proposal was held back because the name just typed may not be finished: the same request
   * may yield it once the user has kept still this many milliseconds longer.
   */
  readonly retryAfterMs?: number;
}

export interface CandidateSource {
  propose(request: CandidateRequest, signal: StopCheck): CandidateOutcome;
}

export interface ContextRetriever {
  retrieve(request: CandidateRequest, signal: StopCheck): Snippet[];
}

export interface SuggestionRanker {
  rank(suggestions: readonly Suggestion[]): Suggestion[];
  /** Model answers scoring below this cannot change the ranking (0: every answer can). */
  modelScoreFloor(): number;
  accepted(suggestion: Suggestion): void;
  rejected(suggestion: Suggestion): void;
}

export interface EngineDependencies {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly documents: EngineDocuments;
  readonly history: EngineHistory;
  readonly cache: EngineCache;
  readonly propagation: CandidateSource;
  readonly retriever: ContextRetriever;
  readonly ranker: SuggestionRanker;
  readonly texts: TextProvider;
  readonly index?: WorkspaceIndex;
  readonly fileReader?: FileReader;
  readonly model?: NextEditModel;
  /** Awaited between prediction stages; a zero-delay timer when the host offers nothing better. */
  readonly yieldToEventLoop?: YieldToEventLoop;
}

export interface EngineOptions {
  readonly budgetMs?: number;
  readonly maxSuggestions?: number;
}

/** Suggestions kept for accepted/rejected/explain lookups by id; older ones are forgotten. */
export const MAX_REMEMBERED_SUGGESTIONS = 64;

export class Engine implements NextEditEngine {
  private readonly budgetMs: number;
  private readonly maxSuggestions: number;
  private readonly dirtyPaths = new Set<string>();
  private readonly remembered = new Map<string, Suggestion>();
  private current: AbortController | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<void> = Promise.resolve();
  /** The refresh came due while a prediction ran; it starts when the prediction ends. */
  private refreshAfterPrediction = false;
  private disposed = new AbortController();
  private readonly yieldToEventLoop: YieldToEventLoop;

  constructor(
    private readonly dependencies: EngineDependencies,
    options: EngineOptions = {},
  ) {
    this.budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    this.yieldToEventLoop = dependencies.yieldToEventLoop ?? yieldWithTimer;
    this.maxSuggestions = options.maxSuggestions ?? DEFAULT_MAX_SUGGESTIONS;
    if (!Number.isInteger(this.maxSuggestions) || this.maxSuggestions < 1 || this.maxSuggestions > MAX_SUGGESTIONS_LIMIT) {
      throw new RangeError(`maxSuggestions must be an integer in [1, ${MAX_SUGGESTIONS_LIMIT}], got ${options.maxSuggestions}`);
    }
    // Validates the budget once, loudly, at construction rather than on the first keystroke.
    createDeadline(dependencies.clock, this.budgetMs, new AbortController().signal).dispose();
  }

  openDocument(path: string, text: string): void {
    this.dependencies.documents.open(path, text);
    // Reopened with contents the cache never saw change: its suggestions there are unverifiable.
    this.dependencies.cache.forgetPath(path);
    this.markDirty(path);
  }

  closeDocument(path: string): void {
    this.dependencies.documents.close(path);
  }

  deleteDocument(path: string): void {
    this.dependencies.documents.close(path);
    this.dependencies.history.removePath(path);
    this.dependencies.index?.remove(path);
    this.dependencies.texts.forget(path);
    this.dependencies.cache.forgetPath(path);
    for (const [id, suggestion] of this.remembered) {
      if (suggestion.edits.some((edit) => edit.path === path)) this.remembered.delete(id);
    }
  }

  recordChange(event: ChangeEvent, timestampMs: number): boolean {
    const outcome = this.dependencies.documents.apply(event);
    if (outcome.kind === 'rejected') {
      this.dependencies.logger.warn(`ignored a change to ${event.path}: ${outcome.reason}`);
      return false;
    }
    this.dependencies.history.record(event, outcome.before, outcome.after, timestampMs);
    this.dependencies.cache.observe(event);
    this.markDirty(event.path);
    return true;
  }

  async predict(cursor: Cursor, options: PredictOptions, signal: AbortSignal): Promise<PredictionResult> {
    const { clock } = this.dependencies;
    const startMs = clock();
    // Newest request wins: a prediction still running for an older state is useless.
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    const onAbort = (): void => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) controller.abort();

    const deadline = createDeadline(clock, options.budgetMs ?? this.budgetMs, controller.signal);
    try {
      return await this.predictWithin(cursor, options, deadline, startMs);
    } catch (error) {
      // A stage that throws must not take the editor down; it costs this prediction only.
      this.dependencies.logger.warn(`prediction failed: ${error instanceof Error ? error.message : String(error)}`);
      return { kind: 'none', reason: 'internal error', latencyMs: clock() - startMs };
    } finally {
      deadline.dispose();
      signal.removeEventListener('abort', onAbort);
      if (this.current === controller) {
        this.current = undefined;
        if (this.refreshAfterPrediction) this.startRefresh();
      }
    }
  }

  private async predictWithin(
    cursor: Cursor,
    options: PredictOptions,
    deadline: Deadline,
    startMs: number,
  ): Promise<PredictionResult> {
    const { clock, documents, cache } = this.dependencies;
    const elapsed = (): number => clock() - startMs;
    const none = (reason: string): PredictionResult => ({ kind: 'none', reason, latencyMs: elapsed() });
    const text = documents.get(cursor.path);
    if (text === undefined) return none('document not tracked');

    const hit = cache.lookup(cursor, text);
    if (hit) {
      const cached: Suggestion = { ...hit, source: 'cache' };
      this.remember(cached);
      return { kind: 'suggestions', suggestions: [cached], latencyMs: elapsed() };
    }
    const stageTimingsMs: Record<string, number> = {};
    const timed = async <T>(stage: string, work: () => T | Promise<T>): Promise<T> => {
      const stageStart = clock();
      try {
        return await work();
      } finally {
        stageTimingsMs[stage] = round(clock() - stageStart);
      }
    };

    const history = this.dependencies.history.edits();
    const request: CandidateRequest = { cursor, history };
    const sources = options.sources ?? 'all';

    const candidates: Suggestion[] = [];
    let retryAfterMs: number | undefined;
    if (sources !== 'model') {
      await timed('prefetch', () =>
        deadline.race(this.dependencies.texts.prefetch(relatedPaths(history, this.dependencies.index), deadline.signal)),
      );
      if (deadline.expired()) return none(this.abortReason(deadline));
      const proposed = await timed('propagation', () => this.dependencies.propagation.propose(request, deadline.check));
      candidates.push(...proposed.suggestions);
      retryAfterMs = proposed.retryAfterMs;
      if (await this.stopAfterStage(deadline)) return none(this.abortReason(deadline));
    }
    let snippets: Snippet[] = [];
    if (!deadline.expired()) {
      snippets = await timed('retrieval', () => this.dependencies.retriever.retrieve(request, deadline.check));
    }
    if (await this.stopAfterStage(deadline)) return none(this.abortReason(deadline));
    const model = this.dependencies.model;
    if (sources !== 'symbolic' && model && !deadline.signal.aborted) {
      const windows = modelWindows(cursor, text, candidates, history).map((window) =>
        withCompletionDrafts(window, text, snippets, history, this.dependencies.index),
      );
      const predictions = await timed('model', () =>
        deadline.race(
          model.predict({ history, snippets, windows, deadlineMs: deadline.atMs, minScore: this.dependencies.ranker.modelScoreFloor() }, deadline.signal),
        ),
      );
      candidates.push(...modelSuggestions(predictions ?? [], history, (path) => this.dependencies.texts.get(path)));
    }
    // Aborted with time left means the caller (or a newer request) gave up: say nothing.
    if (deadline.signal.aborted && deadline.remainingMs() > 0) return none('cancelled');

    const ranked = await timed('ranking', () => this.stampReplacedText(this.dependencies.ranker.rank(candidates), cursor, text));
    if (ranked.length === 0) {
      const reason = retryAfterMs !== undefined ? 'waiting for a typing pause' : candidates.length === 0 ? 'nothing predictable' : 'not confident enough';
      return { ...none(reason), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    }
    const suggestions = ranked.slice(0, options.maxSuggestions ?? this.maxSuggestions).map((suggestion) =>
      withExplanation(suggestion, { snippets: suggestion.explanation.snippets.length > 0 ? suggestion.explanation.snippets : snippets, stageTimingsMs }),
    );
    const best = suggestions[0];
    // A change that arrived while predicting was observed before this entry existed; it would miss it.
    if (best && documents.get(cursor.path) === text) cache.store(cursor, text, best);
    for (const suggestion of suggestions) this.remember(suggestion);
    return { kind: 'suggestions', suggestions, latencyMs: elapsed() };
  }

  /**
   * Stores a suggestion as if it had just been predicted at `cursor`. The cache benchmark uses it
   * to measure typing-through on real documents independently of any predictor's quality.
   */
  primeCache(cursor: Cursor, suggestion: Suggestion): void {
    const text = this.dependencies.documents.get(cursor.path);
    if (text !== undefined) this.dependencies.cache.store(cursor, text, suggestion);
  }

  accepted(suggestionId: string): void {
    const suggestion = this.remembered.get(suggestionId);
    if (suggestion) this.dependencies.ranker.accepted(suggestion);
  }

  rejected(suggestionId: string): void {
    const suggestion = this.remembered.get(suggestionId);
    if (suggestion) this.dependencies.ranker.rejected(suggestion);
    this.dependencies.cache.clear();
  }

  suggestion(suggestionId: string): Suggestion | undefined {
    return this.remembered.get(suggestionId);
  }

  explain(suggestionId: string): Explanation | undefined {
    return this.remembered.get(suggestionId)?.explanation;
  }

  documentText(path: string): string | undefined {
    return this.dependencies.documents.get(path);
  }

  /** Resolves once edited files have been re-indexed; tests and the benchmark wait on it. */
  async settled(): Promise<void> {
    if (this.refreshTimer !== undefined || this.refreshAfterPrediction) {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = undefined;
      this.refreshAfterPrediction = false;
      this.refreshing = this.refreshing.then(() => this.refreshIndex(this.disposed.signal));
    }
    await this.refreshing;
  }

  dispose(): void {
    this.disposed.abort();
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.current?.abort();
    this.remembered.clear();
    this.dependencies.cache.clear();
  }

  private markDirty(path: string): void {
    this.dirtyPaths.add(path);
    if (!this.dependencies.index || this.disposed.signal.aborted) return;
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.startRefresh();
    }, INDEX_REFRESH_DELAY_MS);
  }

  /** A re-parse inside a prediction's budget holds the event loop past its deadline: it waits. */
  private startRefresh(): void {
    this.refreshAfterPrediction = this.current !== undefined;
    if (this.refreshAfterPrediction) return;
    this.refreshing = this.refreshing.then(() => this.refreshIndex(this.disposed.signal));
  }

  /**
   * Lets work queued behind a synchronous stage run (a keystroke that cancels this prediction),
   * then says whether the prediction must end: a stage that overran the deadline leaves no time
   * for the rest, and running on would only make a late answer later.
   */
  private async stopAfterStage(deadline: Deadline): Promise<boolean> {
    await this.yieldToEventLoop();
    return deadline.expired();
  }

  private async refreshIndex(signal: AbortSignal): Promise<void> {
    const index = this.dependencies.index;
    if (!index) return;
    for (const path of [...this.dirtyPaths]) {
      if (signal.aborted) return;
      const text = this.dependencies.documents.get(path);
      this.dirtyPaths.delete(path);
      if (text === undefined) continue;
      try {
        await index.update(path, text, signal);
      } catch (error) {
        this.dependencies.logger.warn(`could not index ${path}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private remember(suggestion: Suggestion): void {
    this.remembered.delete(suggestion.id);
    this.remembered.set(suggestion.id, suggestion);
    while (this.remembered.size > MAX_REMEMBERED_SUGGESTIONS) {
      const oldest = this.remembered.keys().next().value;
      if (oldest === undefined) break;
      this.remembered.delete(oldest);
    }
  }

  /**
   * Every edit leaves the engine carrying the text it replaces, so the editor can refuse to apply it
   * once that text is gone; a suggestion that could not be checked is not offered at all. The
   * cursor's document is read as it was when the prediction started, like every window built from it.
   */
  private stampReplacedText(suggestions: readonly Suggestion[], cursor: Cursor, cursorText: string): Suggestion[] {
    const stamp = replacedTextReader((path) => (path === cursor.path ? cursorText : this.dependencies.texts.get(path)));
    return suggestions.flatMap((suggestion) => {
      const edits = stamp(suggestion.edits);
      return edits ? [{ ...suggestion, edits }] : [];
    });
  }

  private abortReason(deadline: Deadline): string {
    return deadline.remainingMs() <= 0 ? 'budget exhausted' : 'cancelled';
  }
}

function yieldWithTimer(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function withExplanation(suggestion: Suggestion, extra: Partial<Explanation>): Suggestion {
  return { ...suggestion, explanation: { ...suggestion.explanation, ...extra } };
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 100) / 100;
}

