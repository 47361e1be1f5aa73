// Small interfaces that src/node implements and src/core consumes. Core never imports Node,
// so every capability that touches disk, threads, WASM or native code arrives through here.

import type { Position, RecordedEdit, Snippet } from './types';

/** Milliseconds from an arbitrary origin; injected so tests control time. */
export type Clock = () => number;

/**
 * Resolves after the event loop has had a turn. A prediction awaits it between its synchronous
 * stages, so that a cancellation or keystroke queued meanwhile is seen before the next stage
 * starts. Node hosts use setImmediate, which lets pending I/O in without waiting for timers.
 */
export type YieldToEventLoop = () => Promise<void>;

/** A line span, inclusive start and exclusive end, 0-based. */
export interface LineSpan {
  readonly startLine: number;
  readonly endLine: number;
}

export type SymbolKind =
  | 'function'
  | 'method'
  | 'class'
  | 'interface'
  | 'type'
  | 'variable'
  | 'parameter'
  | 'property'
  | 'enum'
  | 'module'
  | 'other';

export interface SymbolDefinition {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly path: string;
  /** Position of the defining identifier. */
  readonly position: Position;
  /** The whole declaration (for a function: its signature and body). */
  readonly span: LineSpan;
}

export interface SymbolOccurrence {
  readonly name: string;
  readonly path: string;
  readonly position: Position;
  /** Length in UTF-16 code units. */
  readonly length: number;
}

export interface ImportInfo {
  readonly path: string;
  /** The module specifier as written, for example './util' or 'lodash'. */
  readonly module: string;
  /** Names the import binds locally. */
  readonly names: readonly string[];
  readonly line: number;
}

export interface Scope extends LineSpan {
  readonly path: string;
  readonly name?: string;
  readonly kind: SymbolKind;
}

/** A name the workspace index knows and in how many files it occurs. */
export interface NameCount {
  readonly name: string;
  readonly files: number;
}

/** Per-file facts from a syntax tree. Queries are synchronous over in-memory state. */
export interface WorkspaceIndex {
  /** Paths currently indexed, workspace-relative with '/' separators. */
  files(): readonly string[];
  definitions(name: string): readonly SymbolDefinition[];
  /** Identifier occurrences of `name` across the workspace, at most `limit`. */
  occurrences(name: string, limit: number): readonly SymbolOccurrence[];
  /** Names that start with `prefix` (and are longer), most widely used first, at most `limit`. */
  namesStartingWith(prefix: string, limit: number): readonly NameCount[];
  /** Identifiers (name, position) in one file, in document order. */
  identifiersIn(path: string): readonly SymbolOccurrence[];
  imports(path: string): readonly ImportInfo[];
  /** The innermost function, method or class around a position. */
  enclosingScope(path: string, position: Position): Scope | undefined;
  /** Re-index one file with new contents; resolves when the index reflects it. */
  update(path: string, text: string, signal?: AbortSignal): Promise<void>;
  remove(path: string): void;
}

/** Reads files the editor does not have open. Missing or unreadable files read as undefined. */
export interface FileReader {
  read(path: string, signal?: AbortSignal): Promise<string | undefined>;
}

/** A slice of a document that the model may rewrite. */
export interface EditWindow {
  readonly path: string;
  /** Document line of `lines[0]`. */
  readonly startLine: number;
  readonly lines: readonly string[];
  /** Cursor inside the window, in document coordinates, when the window holds it. */
  readonly cursor?: Position;
  /**
   * The user is typing at the cursor: the model writes its best completion instead of "no
   * change" (judged by its score), and only an insertion at the cursor is offered.
   */
  readonly typing?: boolean;
  /**
   * While typing: insertions at the cursor that the engine found in the code (completionDrafts.ts).
   * The model scores each next to its own answer and returns whichever it finds likeliest.
   */
  readonly drafts?: readonly string[];
}

export interface ModelInput {
  readonly history: readonly RecordedEdit[];
  readonly snippets: readonly Snippet[];
  /** Candidate windows, most likely first; the model may score only a prefix under time pressure. */
  readonly windows: readonly EditWindow[];
  /** Absolute deadline on the engine's Clock; the model returns what it has by then. */
  readonly deadlineMs: number;
  /**
   * The lowest score the caller can use, in [0, 1]: the model may give up on a window once its
   * answer must score below it, and spend the time on the next. Absent or 0: decode every window.
   */
  readonly minScore?: number;
}

export interface WindowPrediction {
  readonly window: EditWindow;
  /** The window's lines after the predicted edit, or null when the model predicts no change. */
  readonly newLines: readonly string[] | null;
  /** Probability-like confidence in [0, 1]. */
  readonly score: number;
}

/** The learned predictor. Resolves to [] when unavailable; never rejects for expected failures. */
export interface NextEditModel {
  predict(input: ModelInput, signal: AbortSignal): Promise<readonly WindowPrediction[]>;
}

/** Where log lines go; the editor shows them in an output channel, the CLI on stderr. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}
