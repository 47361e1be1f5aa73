// From one file's two versions to benchmark cases. A next-edit case replays one hunk as the
// user's edit and accepts every other hunk as a correct next edit; a typing case stops part-way
// through one hunk and expects the rest of it.

import { createHash } from 'node:crypto';
import { hunkEditAfter, hunkEditOnA, isWhitespaceOnly, lineHunks } from './hunks.mjs';
import { replayEdit, replayPartialTyping } from './events.mjs';
import { applyEdit, applyEditsInOrder, splitLines } from './text.mjs';

export const MIN_HUNKS_PER_FILE = 2;
export const MAX_HUNKS_PER_FILE = 8;
/** A hunk replacing more lines than this on either side is a rewrite, not a small edit. */
export const MAX_HUNK_LINES = 6;
/** Typing cases need an insertion long enough that a typed prefix says something. */
export const MIN_TYPING_INSERT_CHARS = 6;
export const MAX_TYPING_INSERT_CHARS = 160;
/** A typing case stops this far through its hunk's keystrokes, 30% to 70%. */
export const TYPING_MIN_FRACTION = 0.3;
export const TYPING_FRACTION_SPAN = 0.4;

/** How much of a typing case's insertion is typed, for a uniform draw in [0, 1). */
export function typingFraction(unit) {
  return TYPING_MIN_FRACTION + TYPING_FRACTION_SPAN * unit;
}

/** @param {string} text */
export function sha256(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The hunks of a file pair when it qualifies (2 to 8 small hunks), else undefined.
 * @param {string} aText
 * @param {string} bText
 */
export function qualifyingHunks(aText, bText) {
  const diff = lineHunks(aText, bText);
  if (diff === undefined) return undefined;
  const { hunks } = diff;
  if (hunks.length < MIN_HUNKS_PER_FILE || hunks.length > MAX_HUNKS_PER_FILE) return undefined;
  const small = hunks.every((h) => h.aLines.length <= MAX_HUNK_LINES && h.bLines.length <= MAX_HUNK_LINES);
  return small ? diff : undefined;
}

/**
 * Every candidate case of one changed file. `fractionFor(hunkIndex)` picks how much of a typing
 * case's insertion is already typed, so the caller controls randomness.
 * @param {{ path: string, aText: string, bText: string, meta: object, fractionFor: (hunkIndex: number) => number }} input
 * @returns {object[]} cases without an id prefix's workspace; the caller adds `workspace`
 */
export function buildFileCases({ path, aText, bText, meta, fractionFor }) {
  const diff = qualifyingHunks(aText, bText);
  if (diff === undefined) return [];
  const { eol, hunks } = diff;
  const aLines = splitLines(aText);
  const cases = [];
  hunks.forEach((hunk, index) => {
    if (isWhitespaceOnly(hunk)) return;
    const onA = hunkEditOnA(aLines, eol, hunks, index);
    const nextEdit = nextEditCase({ path, aText, aLines, eol, hunks, index, onA, meta });
    if (nextEdit !== undefined) cases.push(nextEdit);
    const typing = typingCase({ path, aText, index, onA, meta, fraction: fractionFor(index) });
    if (typing !== undefined) cases.push(typing);
  });
  return cases;
}

function caseId(meta, path, index, kind) {
  return `${meta.package}@${meta.fromVersion}..${meta.toVersion}:${path}:${index}:${kind}`;
}

function nextEditCase({ path, aText, aLines, eol, hunks, index, onA, meta }) {
  const replay = replayEdit(aText, path, onA);
  const postText = applyEditsInOrder(aText, replay.events);
  const expected = [];
  const expectedFiles = [];
  let predictable = false;
  hunks.forEach((other, otherIndex) => {
    if (otherIndex === index) return;
    const edit = { path, ...hunkEditAfter(aLines, eol, hunks, index, otherIndex) };
    expected.push(edit);
    expectedFiles.push({ path, sha256: sha256(applyEdit(postText, edit)) });
    predictable ||= !isWhitespaceOnly(other);
  });
  if (!predictable) return undefined;
  return {
    id: caseId(meta, path, index, 'next-edit'),
    kind: 'next-edit',
    ...meta,
    path,
    events: replay.events,
    cursor: replay.cursor,
    expected,
    expectedFiles,
  };
}

function typingCase({ path, aText, index, onA, meta, fraction }) {
  const partial = replayPartialTyping(aText, path, onA, fraction);
  if (partial === undefined) return undefined;
  const insertedLength = partial.typed.length + partial.remaining.length;
  if (insertedLength < MIN_TYPING_INSERT_CHARS || insertedLength > MAX_TYPING_INSERT_CHARS) return undefined;
  if (partial.remaining.trim() === '' || partial.typed.trim() === '') return undefined;
  const postText = applyEditsInOrder(aText, partial.events);
  const at = { line: partial.cursor.line, character: partial.cursor.character };
  const edit = { path, range: { start: at, end: at }, text: partial.remaining };
  return {
    id: caseId(meta, path, index, 'typing'),
    kind: 'typing',
    ...meta,
    path,
    events: partial.events,
    cursor: partial.cursor,
    expected: [edit],
    expectedFiles: [{ path, sha256: sha256(applyEdit(postText, edit)) }],
  };
}
