// The engine as its callers see it: the VS Code adapter, the CLI and the benchmark all drive
// this interface and nothing else of src/core.

import type { Logger } from './ports';
import type { ChangeEvent, Cursor, Explanation, PredictionResult, SourceSelection, Suggestion } from './types';

export interface PredictOptions {
  /** Which predictors may contribute; defaults to 'all'. */
  readonly sources?: SourceSelection;
  /** Overrides the engine's per-prediction budget, in milliseconds. */
  readonly budgetMs?: number;
  /** At most this many suggestions come back. */
  readonly maxSuggestions?: number;
}

export interface NextEditEngine {
  /** The editor opened or reloaded a document; the engine now tracks its exact text. */
  openDocument(path: string, text: string): void;
  /** The document is no longer open; the engine falls back to the index and disk for it. */
  closeDocument(path: string): void;
  /** A file disappeared or was renamed away: suggestions touching it are dropped. */
  deleteDocument(path: string): void;
  /**
   * One content change, exactly as the editor reported it, in order. `timestampMs` is on the
   * engine's clock. Returns false when the change does not apply to the tracked text (the caller
   * then re-sends the document with openDocument).
   */
  recordChange(event: ChangeEvent, timestampMs: number): boolean;
  /**
   * The next edit for the cursor. Never rejects for expected outcomes: no suggestion, a timeout
   * and an abort all resolve to { kind: 'none', reason }.
   */
  predict(cursor: Cursor, options: PredictOptions, signal: AbortSignal): Promise<PredictionResult>;
  /** Feedback that tunes eagerness and debounce; unknown ids are ignored. */
  accepted(suggestionId: string): void;
  rejected(suggestionId: string): void;
  /** The last suggestion with this id, for Explain; undefined once evicted. */
  suggestion(suggestionId: string): Suggestion | undefined;
  explain(suggestionId: string): Explanation | undefined;
  /** Current text of a tracked document, or undefined. */
  documentText(path: string): string | undefined;
  dispose(): void;
}

/** What a host (the extension, a test) asks of an engine factory such as createNodeEngine. */
export interface EngineFactoryOptions {
  readonly workspaceRoot: string;
  readonly logger: Logger;
  /** False: no model is loaded and predictions are symbolic only. Defaults to true. */
  readonly useModel?: boolean;
  /** Folder holding the model's manifest.json; the bundled model when absent. */
  readonly modelDirectory?: string;
  readonly budgetMs?: number;
  /** The host's debounce, for the record; debouncing itself happens in the host. */
  readonly debounceMs?: number;
  /** Minimum confidence in [0, 1] for a suggestion to be shown. */
  readonly eagerness?: number;
  readonly maxIndexedFiles?: number;
  readonly onIndexProgress?: (indexed: number, total: number) => void;
}

export interface CreatedEngine {
  readonly engine: NextEditEngine;
  /** Resolves when the workspace index has been built. */
  readonly ready: Promise<void>;
  dispose(): void;
}

export type EngineFactory = (options: EngineFactoryOptions, signal?: AbortSignal) => CreatedEngine;
