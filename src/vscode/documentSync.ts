// Keeps the engine's copy of every open document exact, and tells it which changes were real,
// deliberate edits. Undo/redo, bulk changes (format, paste of a file, replace-all) and multi-cursor
// typing still update the text, but through a full re-send that leaves no trace in the edit history.

import * as vscode from 'vscode';
import type { NextEditEngine } from '../core/engineApi';
import type { ChangeEvent } from '../core/types';
import type { Clock, Logger } from '../core/ports';
import { DisposableStore } from './disposableStore';
import type { EventSink } from './eventSink';
import { toCoreRange, type WorkspacePaths } from './workspacePaths';

/** Documents larger than this are not tracked: they cost memory and never predict well. */
export const MAX_DOCUMENT_CHARS = 1_000_000;
/** More content changes than this in one event is a tool at work, not a person typing. */
export const MAX_CHANGES_PER_EVENT = 8;
/** More inserted text than this in one event is a paste or a generated block, not an edit to learn from. */
export const MAX_BURST_CHARS = 2_000;

export interface DocumentChange {
  readonly document: vscode.TextDocument;
  readonly path: string;
  readonly changes: readonly ChangeEvent[];
  /** False when the change was re-synced without entering the edit history. */
  readonly recorded: boolean;
}

export interface DocumentSyncOptions {
  readonly paths: WorkspacePaths;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onDidChange: (change: DocumentChange) => void;
  /** A file or folder at this path was deleted or renamed away, by VS Code or behind its back. */
  readonly onDidRemove?: (path: string) => void;
  /** Told 'untracked' each time a document is refused, or dropped, for its size. */
  readonly events?: EventSink;
  readonly maxDocumentChars?: number;
}

export class DocumentSync implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly maxDocumentChars: number;
  /** URIs (as strings) of documents the engine currently tracks. */
  private readonly tracked = new Set<string>();
  /** URIs of open documents refused for their size, watched for shrinking back under the limit. */
  private readonly oversized = new Set<string>();
  private engine: NextEditEngine | undefined;

  constructor(private readonly options: DocumentSyncOptions) {
    this.maxDocumentChars = options.maxDocumentChars ?? MAX_DOCUMENT_CHARS;
    if (!Number.isInteger(this.maxDocumentChars) || this.maxDocumentChars <= 0) {
      throw new TypeError(`maxDocumentChars must be a positive integer, got ${String(options.maxDocumentChars)}`);
    }
    this.disposables.add(vscode.workspace.onDidOpenTextDocument((document) => this.open(document)));
    this.disposables.add(vscode.workspace.onDidCloseTextDocument((document) => this.close(document)));
    this.disposables.add(vscode.workspace.onDidChangeTextDocument((event) => this.change(event)));
    this.disposables.add(vscode.workspace.onDidDeleteFiles((event) => event.files.forEach((uri) => this.delete(uri))));
    this.disposables.add(vscode.workspace.onDidRenameFiles((event) => event.files.forEach(({ oldUri }) => this.delete(oldUri))));
    // Deletions by git, terminals or other tools never reach onDidDeleteFiles.
    const watcher = this.disposables.add(vscode.workspace.createFileSystemWatcher('**/*', true, true, false));
    this.disposables.add(watcher.onDidDelete((uri) => this.delete(uri)));
  }

  /** Starts feeding `engine` (or stops, with undefined), sending it every open document first. */
  attach(engine: NextEditEngine | undefined): void {
    this.engine = engine;
    this.tracked.clear();
    this.oversized.clear();
    if (!engine) return;
    for (const document of vscode.workspace.textDocuments) this.open(document);
  }

  isTracked(document: vscode.TextDocument): boolean {
    return this.tracked.has(document.uri.toString());
  }

  pathOf(document: vscode.TextDocument): string | undefined {
    return this.options.paths.toPath(document.uri);
  }

  dispose(): void {
    this.engine = undefined;
    this.tracked.clear();
    this.oversized.clear();
    this.disposables.dispose();
  }

  private open(document: vscode.TextDocument): void {
    const engine = this.engine;
    const path = this.pathOf(document);
    if (!engine || path === undefined) return;
    // Measured before getText(), which would copy the whole of a 10 MB file only to refuse it.
    const characters = documentLength(document);
    if (characters > this.maxDocumentChars) {
      this.oversized.add(document.uri.toString());
      this.untrack(path, characters, 'not tracking');
      return;
    }
    engine.openDocument(path, document.getText());
    this.tracked.add(document.uri.toString());
  }

  /** One line in the log and one event per refusal, so a huge file is explained, never silently dead. */
  private untrack(path: string, characters: number, verb: 'not tracking' | 'stopped tracking'): void {
    this.options.logger.info(
      `${verb} ${path}: ${characters} characters is over the limit of ${this.maxDocumentChars}, so Ripple makes no suggestions in it`,
    );
    this.options.events?.emit('untracked', { path, characters, limit: this.maxDocumentChars });
  }

  private close(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.oversized.delete(key);
    if (!this.tracked.delete(key)) return;
    const path = this.pathOf(document);
    if (path !== undefined) this.engine?.closeDocument(path);
  }

  private delete(uri: vscode.Uri): void {
    const path = this.options.paths.toPath(uri);
    if (path === undefined) return;
    if (this.engine) {
      this.tracked.delete(uri.toString());
      this.oversized.delete(uri.toString());
      this.engine.deleteDocument(path);
    }
    this.options.onDidRemove?.(path);
  }

  private change(event: vscode.TextDocumentChangeEvent): void {
    const engine = this.engine;
    const { document } = event;
    if (!engine || event.contentChanges.length === 0) return;
    const key = document.uri.toString();
    if (this.oversized.has(key)) {
      // Back under the limit (an undone paste, a big deletion): without this, Ripple stayed silent
      // in the file until it was closed and opened again.
      if (documentLength(document) <= this.maxDocumentChars) {
        this.oversized.delete(key);
        this.open(document);
        this.options.logger.info(`tracking ${this.pathOf(document)} again: it is back under the limit of ${this.maxDocumentChars} characters`);
      }
      return;
    }
    if (!this.tracked.has(key)) return;
    const path = this.pathOf(document);
    if (path === undefined) return;
    const characters = documentLength(document);
    if (characters > this.maxDocumentChars) {
      this.tracked.delete(key);
      this.oversized.add(key);
      engine.closeDocument(path);
      this.untrack(path, characters, 'stopped tracking');
      return;
    }
    const changes: ChangeEvent[] = event.contentChanges.map((change) => ({ path, range: toCoreRange(change.range), text: change.text }));
    const recorded = isDeliberateEdit(event) && this.recordAll(engine, changes);
    if (!recorded) engine.openDocument(path, document.getText());
    this.options.onDidChange({ document, path, changes, recorded });
  }

  private recordAll(engine: NextEditEngine, changes: readonly ChangeEvent[]): boolean {
    const timestampMs = this.options.clock();
    for (const change of changes) {
      // A change that does not apply means the engine's copy drifted; the caller re-sends the text.
      if (!engine.recordChange(change, timestampMs)) return false;
    }
    return true;
  }
}

/** Typing, deleting and small pastes by one cursor: the edits worth learning from. */
export function isDeliberateEdit(event: vscode.TextDocumentChangeEvent): boolean {
  if (event.reason === vscode.TextDocumentChangeReason.Undo || event.reason === vscode.TextDocumentChangeReason.Redo) return false;
  if (event.contentChanges.length > MAX_CHANGES_PER_EVENT) return false;
  const insertedChars = event.contentChanges.reduce((sum, change) => sum + change.text.length, 0);
  if (insertedChars > MAX_BURST_CHARS) return false;
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document === event.document && editor.selections.length > 1) return false;
  return true;
}

function documentLength(document: vscode.TextDocument): number {
  const lastLine = document.lineAt(document.lineCount - 1);
  return document.offsetAt(lastLine.range.end);
}
