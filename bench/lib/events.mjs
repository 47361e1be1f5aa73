// Turns a hunk into the change events an editor would have reported while a person made it:
// select-and-delete what went away, then type what came in, a character at a time for short
// text (with the editor's auto-indent after Enter), word chunks for longer text, one paste
// for long blocks.

import { advancePosition, lineTable, positionAt, rangeOffsets } from './text.mjs';

/** Insertions up to this many UTF-16 units are typed one character at a time. */
export const CHAR_BY_CHAR_MAX_CHARS = 40;
/** Insertions at least this long arrive as one paste. */
export const PASTE_MIN_CHARS = 300;
/** Word chunks are merged until a replay has at most this many typing events. */
export const MAX_TYPING_EVENTS = 24;

/**
 * The smallest replacement equivalent to `edit` on `text`: the common prefix and suffix of the
 * old and new text are trimmed, never splitting a surrogate pair or a \r\n.
 * @param {string} text
 * @param {{ range: object, text: string }} edit
 * @returns {{ offset: number, removed: string, inserted: string }}
 */
export function minimalChange(text, edit) {
  const { start, end } = rangeOffsets(text, edit.range);
  const before = text.slice(start, end);
  const after = edit.text;
  let prefix = 0;
  const limit = Math.min(before.length, after.length);
  while (prefix < limit && before[prefix] === after[prefix]) prefix += 1;
  if (splitsPair(before, prefix) || splitsPair(after, prefix)) prefix -= 1;
  let suffix = 0;
  const suffixLimit = limit - prefix;
  while (
    suffix < suffixLimit &&
    before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  ) {
    suffix += 1;
  }
  while (
    suffix > 0 &&
    (splitsPair(before, before.length - suffix) || splitsPair(after, after.length - suffix))
  ) {
    suffix -= 1;
  }
  return {
    offset: start + prefix,
    removed: before.slice(prefix, before.length - suffix),
    inserted: after.slice(prefix, after.length - suffix),
  };
}

/** True when cutting `text` at `index` separates a surrogate pair or a \r\n. */
function splitsPair(text, index) {
  if (index <= 0 || index >= text.length) return false;
  const left = text.charCodeAt(index - 1);
  const right = text.charCodeAt(index);
  const highThenLow = left >= 0xd800 && left <= 0xdbff && right >= 0xdc00 && right <= 0xdfff;
  return highThenLow || (text[index - 1] === '\r' && text[index] === '\n');
}

/**
 * One token per keystroke: a code point, or a line break together with the indentation the
 * editor inserts with it.
 * @param {string} inserted
 * @returns {string[]}
 */
export function keystrokes(inserted) {
  return inserted.match(/\r\n[ \t]*|\r[ \t]*|\n[ \t]*|[^]/gu) ?? [];
}

/**
 * How `inserted` arrives as change events.
 * @param {string} inserted
 * @returns {string[]}
 */
export function typingChunks(inserted) {
  if (inserted.length === 0) return [];
  if (inserted.length <= CHAR_BY_CHAR_MAX_CHARS) return keystrokes(inserted);
  if (inserted.length >= PASTE_MIN_CHARS) return [inserted];
  const words = inserted.match(/\r\n[ \t]*|\r[ \t]*|\n[ \t]*|[\p{L}\p{N}_$]+|[ \t]+|[^]/gu) ?? [];
  const perChunk = Math.ceil(words.length / MAX_TYPING_EVENTS);
  const chunks = [];
  for (let index = 0; index < words.length; index += perChunk) {
    chunks.push(words.slice(index, index + perChunk).join(''));
  }
  return chunks;
}

/**
 * Events that delete `removed` at `offset` and then type the given chunks.
 * @param {string} text the document before the events
 * @param {string} path
 * @param {number} offset
 * @param {string} removed
 * @param {string[]} chunks
 */
export function deleteThenType(text, path, offset, removed, chunks) {
  const table = lineTable(text);
  const start = positionAt(table, offset);
  const events = [];
  if (removed.length > 0) {
    events.push({ path, range: { start, end: positionAt(table, offset + removed.length) }, text: '' });
  }
  let caret = start;
  for (const chunk of chunks) {
    events.push({ path, range: { start: caret, end: caret }, text: chunk });
    caret = advancePosition(caret, chunk);
  }
  return { events, cursor: { path, line: caret.line, character: caret.character } };
}

/**
 * The events of a person making `edit` on `text` in full.
 * @param {string} text
 * @param {string} path
 * @param {{ range: object, text: string }} edit
 */
export function replayEdit(text, path, edit) {
  const change = minimalChange(text, edit);
  return deleteThenType(text, path, change.offset, change.removed, typingChunks(change.inserted));
}

/**
 * The events of a person part-way through typing `edit`: what it removes is gone and about
 * `fraction` of the keystrokes of what it inserts are typed. Undefined when the insertion is too
 * short to leave both a typed and an untyped part.
 * @param {string} text
 * @param {string} path
 * @param {{ range: object, text: string }} edit
 * @param {number} fraction in (0, 1)
 * @returns {{ events: object[], cursor: object, typed: string, remaining: string } | undefined}
 */
export function replayPartialTyping(text, path, edit, fraction) {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError('fraction must be in (0, 1)');
  const change = minimalChange(text, edit);
  const keys = keystrokes(change.inserted);
  if (keys.length < 2) return undefined;
  const typedCount = Math.min(keys.length - 1, Math.max(1, Math.round(fraction * keys.length)));
  const typed = keys.slice(0, typedCount).join('');
  const remaining = change.inserted.slice(typed.length);
  const replay = deleteThenType(text, path, change.offset, change.removed, keys.slice(0, typedCount));
  return { ...replay, typed, remaining };
}
