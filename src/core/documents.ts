// The exact text of the documents the editor has open, kept in step with every change event so
// the engine never reads a stale copy. Closed documents linger briefly (LRU) because a close is
// often followed by a reopen, and the history and cache may still ask about them.

import { applyEdits } from './edits';
import { type EndOfLine, LineIndex, uniformEol } from './text';
import type { ChangeEvent, Position } from './types';
import { positiveInteger } from './validation';

export const DEFAULT_MAX_DOCUMENTS = 256;
/** Larger documents (generated or minified files) are not tracked: edits there teach nothing. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
/** JavaScript strings are UTF-16: every code unit costs two bytes. */
export const BYTES_PER_CODE_UNIT = 2;

export interface DocumentStoreOptions {
  /** Open plus closed-but-cached documents, at most. */
  readonly maxDocuments?: number;
  /** Per document, measured as UTF-16 code units times two. */
  readonly maxDocumentBytes?: number;
}

export type OpenResult = { readonly kind: 'opened' } | { readonly kind: 'rejected'; readonly reason: string };

export type ApplyChangeResult =
  | {
      readonly kind: 'applied';
      /** The text the change's range held. */
      readonly removedText: string;
      /** The whole document before and after the change. */
      readonly before: string;
      readonly after: string;
    }
  | { readonly kind: 'rejected'; readonly reason: string };

interface StoredDocument {
  text: string;
  open: boolean;
  /**
   * The line break inserted text is normalized to, or undefined while the document has none or
   * mixes kinds. Sticky, like VS Code's model EOL: deleting every line break does not reset it.
   */
  eol: EndOfLine | undefined;
}

export class DocumentStore {
  private readonly maxDocuments: number;
  private readonly maxDocumentBytes: number;
  /** Insertion order is recency order: touching a document re-inserts it at the end. */
  private readonly documents = new Map<string, StoredDocument>();

  constructor(options: DocumentStoreOptions = {}) {
    this.maxDocuments = positiveInteger('maxDocuments', options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS);
    this.maxDocumentBytes = positiveInteger(
      'maxDocumentBytes',
      options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES,
    );
  }

  /**
   * Starts (or restarts) tracking a document with the editor's exact text. `eol` is the editor's
   * line break for it (vscode.TextDocument.eol); without it, the text's own uniform one is used.
   */
  open(path: string, text: string, eol?: EndOfLine): OpenResult {
    if (eol !== undefined && eol !== '\n' && eol !== '\r\n') {
      throw new TypeError(`eol must be '\\n' or '\\r\\n', got ${JSON.stringify(eol)}`);
    }
    if (byteSize(text) > this.maxDocumentBytes) {
      this.documents.delete(path);
      return { kind: 'rejected', reason: `${path} is larger than ${this.maxDocumentBytes} bytes` };
    }
    this.touch(path, { text, open: true, eol: eol ?? uniformEol(text) });
    this.evict();
    return { kind: 'opened' };
  }

  /** Keeps the text as a closed, evictable copy; get() no longer returns it. */
  close(path: string): void {
    const document = this.documents.get(path);
    if (document) document.open = false;
    this.evict();
  }

  /** Forgets a document entirely, for example when the file was deleted. */
  delete(path: string): void {
    this.documents.delete(path);
  }

  rename(from: string, to: string): void {
    const document = this.documents.get(from);
    if (!document || from === to) return;
    this.documents.delete(from);
    this.touch(to, document);
  }

  /** The text of an open document. */
  get(path: string): string | undefined {
    const document = this.documents.get(path);
    return document?.open ? document.text : undefined;
  }

  /** The last known text of a closed document, which the file on disk may since have changed. */
  lastKnown(path: string): string | undefined {
    return this.documents.get(path)?.text;
  }

  isOpen(path: string): boolean {
    return this.documents.get(path)?.open ?? false;
  }

  /** Paths of open documents, least recently changed first. */
  openPaths(): string[] {
    return [...this.documents].filter(([, document]) => document.open).map(([path]) => path);
  }

  get size(): number {
    return this.documents.size;
  }

  /**
   * Applies one change as the editor reported it. Rejected when the document is not open or the
   * range does not lie inside it, which means our copy drifted and the caller should reopen it.
   */
  apply(event: ChangeEvent): ApplyChangeResult {
    const document = this.documents.get(event.path);
    if (!document?.open) return { kind: 'rejected', reason: `${event.path} is not open` };
    const index = new LineIndex(document.text);
    if (!isInside(index, event.range.start) || !isInside(index, event.range.end)) {
      return { kind: 'rejected', reason: `range outside ${event.path}` };
    }
    const startOffset = index.offsetAt(event.range.start);
    const endOffset = index.offsetAt(event.range.end);
    if (startOffset > endOffset) return { kind: 'rejected', reason: 'range ends before it starts' };
    const applied = applyEdits(document.text, [event], { eol: document.eol ?? 'literal' });
    if (applied.kind === 'conflict') return { kind: 'rejected', reason: applied.reason };
    if (byteSize(applied.text) > this.maxDocumentBytes) {
      this.documents.delete(event.path);
      return { kind: 'rejected', reason: `${event.path} grew larger than ${this.maxDocumentBytes} bytes` };
    }
    const before = document.text;
    // Only a document without a settled line break can gain one from inserted text.
    const eol = document.eol ?? uniformEol(applied.text);
    this.touch(event.path, { text: applied.text, open: true, eol });
    return { kind: 'applied', removedText: before.slice(startOffset, endOffset), before, after: applied.text };
  }

  private touch(path: string, document: StoredDocument): void {
    this.documents.delete(path);
    this.documents.set(path, document);
  }

  /** Closed documents go first, least recently used first; open ones only when those run out. */
  private evict(): void {
    let excess = this.documents.size - this.maxDocuments;
    if (excess <= 0) return;
    for (const [path, document] of this.documents) {
      if (excess === 0) return;
      if (!document.open) {
        this.documents.delete(path);
        excess--;
      }
    }
    for (const path of this.documents.keys()) {
      if (excess === 0) return;
      this.documents.delete(path);
      excess--;
    }
  }
}

/** Whether clamping would leave the position alone; scans only up to its line. */
function isInside(index: LineIndex, position: Position): boolean {
  if (!Number.isInteger(position.line) || !Number.isInteger(position.character)) return false;
  const valid = index.validatePosition(position);
  return valid.line === position.line && valid.character === position.character;
}

function byteSize(text: string): number {
  return text.length * BYTES_PER_CODE_UNIT;
}

