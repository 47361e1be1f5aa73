// The user's recent edits as people think of them. Editors report one change per keystroke;
// the history coalesces the keystrokes of one burst in one region into a single RecordedEdit
// (typing 'abc' is one edit, typing then deleting it again is none) and keeps older edits'
// positions true in the current document as later edits shift lines above them.
//
// Coalescing works on offsets: an open edit keeps the document as it was before its first
// keystroke (`base`) and a region outside of which base and current text are identical. The
// exact change is the region's difference with the common prefix and suffix trimmed away, so any
// sequence of inserts, deletes and replacements inside the region composes correctly.

import { hunkFromIndex, relate, transformPosition } from './edits';
import { LineIndex, advancePosition } from './text';
import type { ChangeEvent, Position, Range, RecordedEdit } from './types';

export const DEFAULT_MAX_EDITS = 32;
export const DEFAULT_COALESCE_WINDOW_MS = 1_000;
export const DEFAULT_COALESCE_LINE_DISTANCE = 2;
/** Larger changes (pastes, generated code, reformatting) are not patterns worth learning from. */
export const DEFAULT_MAX_EDIT_CHARS = 8_192;

export interface EditHistoryOptions {
  /** Recorded edits kept, the in-progress ones included. */
  readonly maxEdits?: number;
  /** Keystrokes further apart than this, in milliseconds, start a new edit. */
  readonly coalesceWindowMs?: number;
  /** Keystrokes more than this many lines away from an edit start a new one. */
  readonly coalesceLineDistance?: number;
  /** Edits whose removed plus inserted text exceeds this many UTF-16 code units are not kept. */
  readonly maxEditChars?: number;
}

const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;

interface ClosedEntry {
  readonly kind: 'closed';
  edit: RecordedEdit;
}

/** An edit still receiving keystrokes. Offsets are UTF-16 code units. */
interface OpenEntry {
  readonly kind: 'open';
  path: string;
  /** The document before this edit's first keystroke (with other edits' later changes applied). */
  base: string;
  current: string;
  /** base and current agree before `start`, and base from `baseEnd` on equals current from `currentEnd` on. */
  start: number;
  baseEnd: number;
  currentEnd: number;
  lastTimestampMs: number;
  /** The edit as computed from the fields above; null until computed after a change. */
  computed: RecordedEdit | undefined | null;
}

type Entry = ClosedEntry | OpenEntry;

export class EditHistory {
  private readonly maxEdits: number;
  private readonly coalesceWindowMs: number;
  private readonly coalesceLineDistance: number;
  private readonly maxEditChars: number;
  /** Oldest first. */
  private entries: Entry[] = [];

  constructor(options: EditHistoryOptions = {}) {
    this.maxEdits = checkInteger('maxEdits', options.maxEdits ?? DEFAULT_MAX_EDITS, 1);
    this.coalesceWindowMs = checkInteger('coalesceWindowMs', options.coalesceWindowMs ?? DEFAULT_COALESCE_WINDOW_MS, 0);
    this.coalesceLineDistance = checkInteger(
      'coalesceLineDistance',
      options.coalesceLineDistance ?? DEFAULT_COALESCE_LINE_DISTANCE,
      0,
    );
    this.maxEditChars = checkInteger('maxEditChars', options.maxEditChars ?? DEFAULT_MAX_EDIT_CHARS, 1);
  }

  /**
   * Records one change. `before` and `after` are the whole document around it (DocumentStore.apply
   * returns both); `after` is trusted for the inserted text, which may differ from event.text in
   * its line breaks.
   */
  record(event: ChangeEvent, before: string, after: string, timestampMs: number): void {
    // A change that changes nothing (a formatter rewriting text as it was) is no edit.
    if (before === after) return;
    this.closeStale(event.path, before, timestampMs);

    const index = new LineIndex(before);
    const startOffset = index.offsetAt(event.range.start);
    const endOffset = index.offsetAt(event.range.end);
    const insertedLength = after.length - before.length + (endOffset - startOffset);
    const inserted = after.slice(startOffset, startOffset + insertedLength);
    const change: OffsetChange = { startOffset, endOffset, insertedLength, inserted };

    const target = this.pickTarget(event, index);
    this.pruneDropped();
    for (const entry of this.entries) {
      if (entry === target) continue;
      if (entry.kind === 'closed') {
        if (entry.edit.path === event.path) entry.edit = rebaseRecorded(entry.edit, event);
      } else {
        rebaseOpen(entry, change, after);
      }
    }
    if (target) {
      growOpen(target, change, after, timestampMs);
    } else {
      this.entries.push({
        kind: 'open',
        path: event.path,
        base: before,
        current: after,
        start: startOffset,
        baseEnd: endOffset,
        currentEnd: startOffset + insertedLength,
        lastTimestampMs: timestampMs,
        computed: null,
      });
    }
    if (this.entries.length > this.maxEdits) this.entries.splice(0, this.entries.length - this.maxEdits);
  }

  /** Recorded edits, oldest first, the in-progress ones included. */
  edits(): readonly RecordedEdit[] {
    const result: RecordedEdit[] = [];
    for (const entry of this.entries) {
      const edit = entry.kind === 'closed' ? entry.edit : this.compute(entry);
      if (edit) result.push(edit);
    }
    return result;
  }

  last(): RecordedEdit | undefined {
    for (let position = this.entries.length - 1; position >= 0; position--) {
      const entry = this.entries[position] as Entry;
      const edit = entry.kind === 'closed' ? entry.edit : this.compute(entry);
      if (edit) return edit;
    }
    return undefined;
  }

  forPath(path: string): readonly RecordedEdit[] {
    return this.edits().filter((edit) => edit.path === path);
  }

  clear(): void {
    this.entries = [];
  }

  removePath(path: string): void {
    this.entries = this.entries.filter((entry) => entryPath(entry) !== path);
  }

  renamePath(from: string, to: string): void {
    if (from === to) return;
    for (const entry of this.entries) {
      if (entry.kind === 'closed') {
        if (entry.edit.path === from) {
          entry.edit = { ...entry.edit, path: to, hunk: { ...entry.edit.hunk, path: to } };
        }
      } else if (entry.path === from) {
        entry.path = to;
        entry.computed = null;
      }
    }
  }

  /** Open edits stop taking keystrokes once the user moves to another file, pauses, or the text drifted. */
  private closeStale(path: string, before: string, timestampMs: number): void {
    for (let position = 0; position < this.entries.length; position++) {
      const entry = this.entries[position] as Entry;
      if (entry.kind !== 'open') continue;
      const elapsedMs = timestampMs - entry.lastTimestampMs;
      const stale =
        entry.path !== path || elapsedMs < 0 || elapsedMs > this.coalesceWindowMs || entry.current !== before;
      if (stale) this.close(position);
    }
    this.pruneDropped();
  }

  private pruneDropped(): void {
    this.entries = this.entries.filter((entry) => entry.kind === 'closed' || !isDropped(entry));
  }

  /**
   * The open edit this change continues: the most recently touched one near it. Other open edits
   * near it are closed, since two growing regions must never overlap.
   */
  private pickTarget(event: ChangeEvent, index: LineIndex): OpenEntry | undefined {
    let target: OpenEntry | undefined;
    const near: number[] = [];
    this.entries.forEach((entry, position) => {
      if (entry.kind !== 'open' || entry.path !== event.path) return;
      const firstLine = index.positionAt(entry.start).line;
      const lastLine = index.positionAt(entry.currentEnd).line;
      const distance = Math.max(0, event.range.start.line - lastLine, firstLine - event.range.end.line);
      if (distance > this.coalesceLineDistance) return;
      near.push(position);
      if (!target || entry.lastTimestampMs >= target.lastTimestampMs) target = entry;
    });
    for (const position of near) {
      if (this.entries[position] !== target) this.close(position);
    }
    return target;
  }

  /** Freezes an open edit; one that amounts to nothing is marked for removal. */
  private close(position: number): void {
    const entry = this.entries[position];
    if (!entry || entry.kind !== 'open') return;
    const edit = this.compute(entry);
    if (edit) this.entries[position] = { kind: 'closed', edit };
    else entry.lastTimestampMs = Number.NaN;
  }

  private compute(entry: OpenEntry): RecordedEdit | undefined {
    if (entry.computed === null) entry.computed = computeRecorded(entry, this.maxEditChars);
    return entry.computed;
  }
}

interface OffsetChange {
  readonly startOffset: number;
  readonly endOffset: number;
  readonly insertedLength: number;
  readonly inserted: string;
}

function isDropped(entry: OpenEntry): boolean {
  return Number.isNaN(entry.lastTimestampMs);
}

function entryPath(entry: Entry): string {
  return entry.kind === 'closed' ? entry.edit.path : entry.path;
}

/** Widens the open edit's region to cover the change and moves it to the new text. */
function growOpen(entry: OpenEntry, change: OffsetChange, after: string, timestampMs: number): void {
  const coveredEnd = Math.max(entry.currentEnd, change.endOffset);
  entry.baseEnd += coveredEnd - entry.currentEnd;
  entry.start = Math.min(entry.start, change.startOffset);
  entry.currentEnd = coveredEnd + change.insertedLength - (change.endOffset - change.startOffset);
  entry.current = after;
  entry.lastTimestampMs = timestampMs;
  entry.computed = null;
}

/**
 * Replays a change outside an open edit's region on its base too, so the region's difference
 * still describes only that edit. The change is known to be far (whole lines) from the region.
 */
function rebaseOpen(entry: OpenEntry, change: OffsetChange, after: string): void {
  const delta = change.insertedLength - (change.endOffset - change.startOffset);
  if (change.endOffset <= entry.start) {
    entry.base = entry.base.slice(0, change.startOffset) + change.inserted + entry.base.slice(change.endOffset);
    entry.start += delta;
    entry.baseEnd += delta;
    entry.currentEnd += delta;
  } else {
    const offsetInBase = entry.baseEnd - entry.currentEnd;
    entry.base =
      entry.base.slice(0, change.startOffset + offsetInBase) +
      change.inserted +
      entry.base.slice(change.endOffset + offsetInBase);
  }
  entry.current = after;
  entry.computed = null;
}

/** Moves a finished edit after a later change above it; a change that overlaps it leaves it as it was. */
function rebaseRecorded(edit: RecordedEdit, over: ChangeEvent): RecordedEdit {
  const footprint: Range = { start: edit.range.start, end: advancePosition(edit.range.start, edit.insertedText) };
  if (relate(footprint, over.range) !== 'before') return edit;
  const start = transformPosition(edit.range.start, over, 'after');
  const end: Position =
    edit.range.end.line === edit.range.start.line
      ? { line: start.line, character: start.character + edit.range.end.character - edit.range.start.character }
      : { line: edit.range.end.line + start.line - edit.range.start.line, character: edit.range.end.character };
  return { ...edit, range: { start, end }, hunk: { ...edit.hunk, startLine: start.line } };
}

function computeRecorded(entry: OpenEntry, maxEditChars: number): RecordedEdit | undefined {
  const { base, current } = entry;
  let start = entry.start;
  let baseEnd = entry.baseEnd;
  let currentEnd = entry.currentEnd;
  while (start < baseEnd && start < currentEnd && base.charCodeAt(start) === current.charCodeAt(start)) start++;
  while (
    baseEnd > start &&
    currentEnd > start &&
    base.charCodeAt(baseEnd - 1) === current.charCodeAt(currentEnd - 1)
  ) {
    baseEnd--;
    currentEnd--;
  }
  // Trimming compares code units; never leave a boundary inside a '\r\n' or a surrogate pair.
  while (start > entry.start && (splitsUnit(base, start) || splitsUnit(current, start))) start--;
  while (baseEnd < entry.baseEnd && (splitsUnit(base, baseEnd) || splitsUnit(current, currentEnd))) {
    baseEnd++;
    currentEnd++;
  }
  if (start === baseEnd && start === currentEnd) return undefined;
  const removedText = base.slice(start, baseEnd);
  const insertedText = current.slice(start, currentEnd);
  if (removedText.length + insertedText.length > maxEditChars) return undefined;
  const index = new LineIndex(base);
  const range: Range = { start: index.positionAt(start), end: index.positionAt(baseEnd) };
  return {
    path: entry.path,
    range,
    removedText,
    insertedText,
    hunk: hunkFromIndex(index, { path: entry.path, range, text: insertedText }),
    timestampMs: entry.lastTimestampMs,
  };
}

/** True when `offset` falls between '\r' and '\n' or between the halves of a surrogate pair. */
function splitsUnit(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const previous = text.charCodeAt(offset - 1);
  const next = text.charCodeAt(offset);
  const insideCrlf = previous === CARRIAGE_RETURN && next === LINE_FEED;
  const insidePair = previous >= 0xd800 && previous <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
  return insideCrlf || insidePair;
}

function checkInteger(name: string, value: number, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) {
    throw new TypeError(`${name} must be an integer >= ${minimum}, got ${String(value)}`);
  }
  return value;
}
