// Suggestions already computed, kept in step with the user's typing so most keystrokes are
// answered without running any predictor: typing the suggested text consumes it (ghost text
// shrinks as you type), other changes rebase its edits, and edits the user overwrote are dropped.
//
// Entries are found by their anchor (path, line, character: the cursor they are shown at), then
// checked against a hash of the anchor's window (its line and the lines above). The hash guards
// against changes the cache never saw; after a change it did see inside the window, the entry's
// own bookkeeping is trusted and the hash is taken afresh on the next lookup.

import { LRUCache } from 'lru-cache';
import { rebaseEdit, transformPosition } from './edits';
import { hashText } from './hash';
import type { Clock } from './ports';
import { rebaseReplacedText } from './replacedText';
import { LineIndex, advancePosition, isAfter, isBefore, isSamePosition } from './text';
import type { ChangeEvent, Cursor, Position, ScoredEdit, Suggestion } from './types';

export const DEFAULT_MAX_CACHED_SUGGESTIONS = 64;
/** Older suggestions are dropped even when untouched: the workspace around them moved on. */
export const DEFAULT_SUGGESTION_TTL_MS = 60_000;
/** Lines above the cursor line that belong to the anchor's window. */
export const WINDOW_LINES_ABOVE = 2;

export interface SuggestionCacheOptions {
  readonly maxEntries?: number;
  readonly ttlMs?: number;
  /** Milliseconds, for TTL; defaults to performance.now. */
  readonly clock?: Clock;
}

interface CachedEdit {
  edit: ScoredEdit;
  /** What the user already typed of this insertion, so a backspace can give it back. */
  consumed: string;
  /** The text the edit's range held when stored; known for edits in the anchor's document only. */
  readonly expectedText: string | undefined;
}

interface Entry {
  readonly suggestion: Suggestion;
  edits: CachedEdit[];
  anchor: Cursor;
  /** Hash of the anchor's window, or undefined when an observed change touched the window. */
  windowHash: string | undefined;
  readonly sequence: number;
}

export class SuggestionCache {
  private readonly cache: LRUCache<string, Entry>;
  /** Anchor key to the ids of the entries anchored there. */
  private readonly anchors = new Map<string, Set<string>>();
  private sequence = 0;

  constructor(options: SuggestionCacheOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_CACHED_SUGGESTIONS;
    const ttlMs = options.ttlMs ?? DEFAULT_SUGGESTION_TTL_MS;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError(`maxEntries must be a positive integer, got ${String(maxEntries)}`);
    }
    if (!Number.isInteger(ttlMs) || ttlMs < 1) {
      throw new TypeError(`ttlMs must be a positive integer, got ${String(ttlMs)}`);
    }
    if (options.clock !== undefined && typeof options.clock !== 'function') {
      throw new TypeError('clock must be a function returning milliseconds');
    }
    const clock = options.clock;
    this.cache = new LRUCache<string, Entry>({
      max: maxEntries,
      ttl: ttlMs,
      // A coarser resolution would let tests and callers with their own clock see stale answers.
      ttlResolution: 0,
      ...(clock ? { perf: { now: clock } } : {}),
      dispose: (entry, id) => this.unindex(id, entry.anchor),
    });
  }

  get size(): number {
    this.cache.purgeStale();
    return this.cache.size;
  }

  /** Remembers a suggestion shown at `cursor` in a document whose text is `documentText`. */
  store(cursor: Cursor, documentText: string, suggestion: Suggestion): void {
    const index = new LineIndex(documentText);
    const edits: CachedEdit[] = [];
    for (const edit of suggestion.edits) {
      const expectedText = edit.path === cursor.path ? index.getText(edit.range) : undefined;
      if (expectedText === edit.text) continue;
      edits.push({ edit, consumed: '', expectedText });
    }
    this.cache.delete(suggestion.id);
    if (edits.length === 0) return;
    const entry: Entry = {
      suggestion,
      edits,
      anchor: cursor,
      windowHash: windowHash(index, cursor.position),
      sequence: this.sequence++,
    };
    this.cache.set(suggestion.id, entry);
    this.index(suggestion.id, cursor);
  }

  /** Moves every cached suggestion over one change the user made, in the order they arrive. */
  observe(event: ChangeEvent): void {
    const evicted: string[] = [];
    for (const [id, entry] of this.cache.entries()) {
      if (!this.observeEntry(id, entry, event)) evicted.push(id);
    }
    for (const id of evicted) this.cache.delete(id);
  }

  /**
   * The cached suggestion for this cursor, with its edits as they stand now, or undefined. Entries
   * that no longer match the document (a change the cache did not see) are evicted.
   */
  lookup(cursor: Cursor, documentText: string): Suggestion | undefined {
    const ids = this.anchors.get(anchorKey(cursor));
    if (!ids) return undefined;
    const candidates: [string, Entry][] = [];
    for (const id of [...ids]) {
      const entry = this.cache.get(id);
      if (entry) candidates.push([id, entry]);
    }
    candidates.sort((a, b) => b[1].sequence - a[1].sequence);
    // One index serves the window hash and every range check: each scans from the top otherwise.
    const index = new LineIndex(documentText);
    let hash: string | undefined;
    for (const [id, entry] of candidates) {
      hash ??= windowHash(index, cursor.position);
      const pending = this.validate(entry, hash, index);
      if (!pending) {
        this.cache.delete(id);
        continue;
      }
      return { ...entry.suggestion, edits: pending.map((cached) => cached.edit), source: 'cache' };
    }
    return undefined;
  }

  /** Drops everything about a path: its document was deleted, or reopened with unknown changes. */
  forgetPath(path: string): void {
    const evicted: string[] = [];
    for (const [id, entry] of this.cache.entries()) {
      entry.edits = entry.edits.filter((cached) => cached.edit.path !== path);
      if (entry.anchor.path === path || entry.edits.length === 0) evicted.push(id);
    }
    for (const id of evicted) this.cache.delete(id);
  }

  clear(): void {
    this.cache.clear();
    this.anchors.clear();
  }

  /** False when the entry has nothing left to suggest. */
  private observeEntry(id: string, entry: Entry, event: ChangeEvent): boolean {
    const next: CachedEdit[] = [];
    let typedThrough = false;
    for (const cached of entry.edits) {
      const outcome = followChange(cached, event);
      if (outcome === 'diverged' && isAtAnchor(cached.edit, entry.anchor)) return false;
      if (outcome === 'done' || (typeof outcome === 'object' && outcome.consumed !== cached.consumed)) typedThrough = true;
      if (typeof outcome === 'object') next.push(outcome);
    }
    // Any other change at the cursor rewrites the very edit the suggestion was predicted from
    // (typing on after "te" in a rename to "text"), so the suggestion is stale, not rebased.
    if (!typedThrough && touchesPosition(event, entry.anchor)) return false;
    entry.edits = next;
    if (next.length === 0) return false;
    if (entry.anchor.path === event.path) {
      const { line } = entry.anchor.position;
      const touchesWindow = event.range.end.line >= line - WINDOW_LINES_ABOVE && event.range.start.line <= line;
      if (touchesWindow) entry.windowHash = undefined;
      const position = transformPosition(entry.anchor.position, event, 'after');
      if (!isSamePosition(position, entry.anchor.position)) {
        this.unindex(id, entry.anchor);
        entry.anchor = { path: entry.anchor.path, position };
        this.index(id, entry.anchor);
      }
    }
    return true;
  }

  /** The edits still worth showing, or undefined when the entry is stale or used up. */
  private validate(entry: Entry, hash: string, index: LineIndex): CachedEdit[] | undefined {
    const path = entry.anchor.path;
    if (entry.windowHash !== undefined && entry.windowHash !== hash) return undefined;
    // Edits keep the text they replace through every change the cache saw, so a mismatch means
    // it missed one (the document was reloaded, say) and nothing in the entry can be trusted.
    for (const cached of entry.edits) {
      if (cached.edit.path !== path || cached.expectedText === undefined) continue;
      if (index.getText(cached.edit.range) !== cached.expectedText) return undefined;
    }
    entry.windowHash = hash;
    // An edit whose text is already in place would need its range to hold that text, which the
    // check above rules out (no-op edits are never stored); so every remaining edit is pending.
    return entry.edits.length > 0 ? entry.edits : undefined;
  }

  private index(id: string, anchor: Cursor): void {
    const key = anchorKey(anchor);
    const ids = this.anchors.get(key);
    if (ids) ids.add(id);
    else this.anchors.set(key, new Set([id]));
  }

  private unindex(id: string, anchor: Cursor): void {
    const key = anchorKey(anchor);
    const ids = this.anchors.get(key);
    if (!ids) return;
    ids.delete(id);
    if (ids.size === 0) this.anchors.delete(key);
  }
}

/**
 * One cached edit after a user change: the edit as it now stands, 'done' when the user typed all
 * of it, 'diverged' when the user typed something else where it inserts, 'dropped' when the
 * change overlapped it.
 */
function followChange(cached: CachedEdit, event: ChangeEvent): CachedEdit | 'done' | 'diverged' | 'dropped' {
  const edit = cached.edit;
  if (edit.path !== event.path) return cached;
  const insertionAt = isSamePosition(edit.range.start, edit.range.end) ? edit.range.start : undefined;
  const { start, end } = event.range;
  if (insertionAt && isSamePosition(start, end) && isSamePosition(start, insertionAt) && event.text !== '') {
    if (!edit.text.startsWith(event.text)) return 'diverged';
    const rest = edit.text.slice(event.text.length);
    if (rest === '') return 'done';
    const position = advancePosition(insertionAt, event.text);
    const moved = withReplacedAfter(edit, event, { ...edit, range: { start: position, end: position }, text: rest });
    return moved ? { ...cached, edit: moved, consumed: cached.consumed + event.text } : 'dropped';
  }
  if (insertionAt && event.text === '' && isSamePosition(end, insertionAt) && !isSamePosition(start, end)) {
    return restoreConsumed(cached, event) ?? 'dropped';
  }
  const rebased = rebaseEdit(edit, event);
  return rebased ? { ...cached, edit: rebased } : 'dropped';
}

/** A backspace over text the user typed through gives that text back to the insertion. */
function restoreConsumed(cached: CachedEdit, deletion: ChangeEvent): CachedEdit | undefined {
  const at = cached.edit.range.start;
  const deletedFrom = deletion.range.start;
  for (let length = 1; length <= cached.consumed.length; length++) {
    const given = cached.consumed.slice(cached.consumed.length - length);
    if (isSamePosition(advancePosition(deletedFrom, given), at)) {
      const edit = withReplacedAfter(cached.edit, deletion, { ...cached.edit, range: { start: deletedFrom, end: deletedFrom }, text: given + cached.edit.text });
      return edit && { ...cached, edit, consumed: cached.consumed.slice(0, cached.consumed.length - length) };
    }
  }
  return undefined;
}

/**
 * `moved`, the insertion `edit` became over `change` (typed through, or given back), with what it
 * replaces carried over the change; undefined when that can no longer be known.
 */
function withReplacedAfter(edit: ScoredEdit, change: ChangeEvent, moved: ScoredEdit): ScoredEdit | undefined {
  if (!edit.replaced) return moved;
  const replaced = rebaseReplacedText(edit.replaced, edit.range, change);
  return replaced && { ...moved, replaced };
}

function touchesPosition(event: ChangeEvent, cursor: Cursor): boolean {
  const { start, end } = event.range;
  return event.path === cursor.path && !isAfter(start, cursor.position) && !isBefore(end, cursor.position);
}

function isAtAnchor(edit: ScoredEdit, anchor: Cursor): boolean {
  return edit.path === anchor.path && isSamePosition(edit.range.start, anchor.position);
}

function anchorKey(cursor: Cursor): string {
  return `${cursor.path}\u0000${cursor.position.line}:${cursor.position.character}`;
}

function windowHash(index: LineIndex, position: Position): string {
  const start = index.offsetAt({ line: Math.max(0, position.line - WINDOW_LINES_ABOVE), character: 0 });
  const end = index.offsetAt({ line: position.line, character: Number.MAX_SAFE_INTEGER });
  // A fast guard: a collision matters only after a change the cache missed.
  return hashText(index.text.slice(start, Math.max(start, end)));
}
