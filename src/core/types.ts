// The vocabulary shared by every layer. Shapes deliberately mirror VS Code's so the
// adapter in src/vscode converts by copying fields, never by reinterpreting them.

/** 0-based line, 0-based UTF-16 code unit offset within the line (VS Code's convention). */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/**
 * One change to one document, shaped like VS Code's TextDocumentContentChangeEvent plus the
 * document's path. Paths are workspace-relative and use '/' separators on every platform.
 */
export interface ChangeEvent {
  readonly path: string;
  readonly range: Range;
  readonly text: string;
}

/** A replacement of `range` in the document at `path` by `text`. Same shape as ChangeEvent. */
export type TextEdit = ChangeEvent;

export interface Cursor {
  readonly path: string;
  readonly position: Position;
}

/** Where a suggested edit came from; the Explain view and the benchmark split results by it. */
export type SuggestionSource = 'propagation' | 'model' | 'cache';

export type SourceSelection = 'symbolic' | 'model' | 'all';

/** A suggested edit with its confidence in [0, 1]. */
export interface ScoredEdit extends TextEdit {
  readonly score: number;
  readonly source: SuggestionSource;
  /**
   * What the edit's lines held in the engine's copy of the document when the suggestion was made.
   * The engine sets it on every edit it returns; the editor applies an edit only while its target
   * still holds exactly this, so a suggestion computed for an older version is never applied stale.
   */
  readonly replaced?: ReplacedText;
}

/**
 * The text an edit replaces and the rest of the lines it sits on. The surrounding text is what
 * pins an insertion, whose replaced text is empty, to its place. Rebasing keeps all three exact or
 * drops the edit.
 */
export interface ReplacedText {
  /** What the edit's range holds. */
  readonly text: string;
  /** The start line from its beginning to the range's start. */
  readonly before: string;
  /** The end line from the range's end to the end of the line, without the line break. */
  readonly after: string;
}

/**
 * A contiguous change as people think of it: the lines it touched before and after.
 * `startLine` is the first affected line in the document after the edit; `beforeText` and
 * `afterText` are whole lines (joined with '\n', no trailing newline).
 */
export interface Hunk {
  readonly path: string;
  readonly startLine: number;
  readonly beforeText: string;
  readonly afterText: string;
}

/** One coalesced, meaningful edit in the history: the exact text change plus its line view. */
export interface RecordedEdit {
  readonly path: string;
  /** Range in the document before this edit. */
  readonly range: Range;
  /** Text that the range held before the edit. */
  readonly removedText: string;
  /** Text that replaced it. */
  readonly insertedText: string;
  readonly hunk: Hunk;
  /** Milliseconds on the caller's clock when the last keystroke of this edit arrived. */
  readonly timestampMs: number;
}

/** Why a context snippet was included; the Explain view prints these. */
export type SnippetReason =
  | { readonly kind: 'definition'; readonly symbol: string }
  | { readonly kind: 'usage'; readonly symbol: string }
  | { readonly kind: 'similar'; readonly similarity: number }
  | { readonly kind: 'import'; readonly module: string };

export interface Snippet {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  readonly reason: SnippetReason;
  readonly score: number;
}

/** The rationale attached to every suggestion, for "Explain next edit". */
export interface Explanation {
  /** The recent edit this suggestion follows from, when there is one. */
  readonly followsFrom?: RecordedEdit;
  /** Human-readable pattern, for example "rename `count` → `total`". */
  readonly pattern?: string;
  readonly snippets: readonly Snippet[];
  readonly confidence: number;
  /** Milliseconds spent per stage, for example { history: 0.1, retrieval: 3, model: 80 }. */
  readonly stageTimingsMs: Readonly<Record<string, number>>;
}

/** An ordered list of edits over one or more files, accepted as one unit. */
export interface Suggestion {
  readonly id: string;
  readonly edits: readonly ScoredEdit[];
  readonly score: number;
  readonly source: SuggestionSource;
  readonly explanation: Explanation;
}

export type PredictionResult =
  | { readonly kind: 'suggestions'; readonly suggestions: readonly Suggestion[]; readonly latencyMs: number }
  | {
      readonly kind: 'none';
      readonly reason: string;
      readonly latencyMs: number;
      /** Asking again for the same state after this long (ms) may find what is held back now. */
      readonly retryAfterMs?: number;
    };

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function isEmptyRange(range: Range): boolean {
  return comparePositions(range.start, range.end) === 0;
}
