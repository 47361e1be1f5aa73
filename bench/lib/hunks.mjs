// Line hunks between two versions of a file, and each hunk as a text edit on a document in
// which some other hunk was already applied. The line-shift bookkeeping lives here so the
// generator and its tests share one implementation.

import { diffArrays } from 'diff';
import { detectEol, splitLines } from './text.mjs';

/** Diffs beyond this many changed lines are not "a few small edits"; give up early. */
export const MAX_DIFF_EDIT_LINES = 200;

/**
 * @typedef {{ aStart: number, aLines: string[], bStart: number, bLines: string[] }} LineHunk
 * aStart/bStart: 0-based first line in version A/B; aLines replaced by bLines.
 */

/**
 * Line hunks (context 0) turning `aText` into `bText`, or undefined when the files use
 * different or mixed line breaks (the hunks would then not reproduce B exactly) or differ in
 * more than MAX_DIFF_EDIT_LINES lines.
 * @param {string} aText
 * @param {string} bText
 * @returns {{ eol: string, hunks: LineHunk[] } | undefined}
 */
export function lineHunks(aText, bText) {
  const eol = commonEol(aText, bText);
  if (eol === undefined) return undefined;
  const aLines = splitLines(aText);
  const bLines = splitLines(bText);
  const changes = diffArrays(aLines, bLines, { maxEditLength: MAX_DIFF_EDIT_LINES });
  if (changes === undefined) return undefined;
  /** @type {LineHunk[]} */
  const hunks = [];
  let aLine = 0;
  let bLine = 0;
  let open;
  for (const change of changes) {
    if (!change.added && !change.removed) {
      open = undefined;
      aLine += change.count;
      bLine += change.count;
      continue;
    }
    if (open === undefined) {
      open = { aStart: aLine, aLines: [], bStart: bLine, bLines: [] };
      hunks.push(open);
    }
    if (change.removed) {
      open.aLines.push(...change.value);
      aLine += change.count;
    } else {
      open.bLines.push(...change.value);
      bLine += change.count;
    }
  }
  return { eol, hunks };
}

function commonEol(aText, bText) {
  const a = detectEol(aText);
  const b = detectEol(bText);
  if (a === 'mixed' || b === 'mixed') return undefined;
  if (a !== '' && b !== '' && a !== b) return undefined;
  return a || b || '\n';
}

/**
 * The edit that replaces lines [start, start + removedCount) of `lines` by `newLines`, in the
 * coordinates of the document whose lines are `lines`.
 * @param {string[]} lines
 * @param {string} eol
 * @param {number} start
 * @param {number} removedCount
 * @param {string[]} newLines
 * @returns {{ range: { start: { line: number, character: number }, end: { line: number, character: number } }, text: string }}
 */
export function lineReplacementEdit(lines, eol, start, removedCount, newLines) {
  const at = (line, character) => ({ line, character });
  const endOf = (line) => at(line, lines[line].length);
  if (removedCount > 0 && newLines.length > 0) {
    const last = start + removedCount - 1;
    return { range: { start: at(start, 0), end: endOf(last) }, text: newLines.join(eol) };
  }
  if (removedCount === 0) {
    if (start < lines.length) {
      return { range: { start: at(start, 0), end: at(start, 0) }, text: newLines.join(eol) + eol };
    }
    const last = lines.length - 1;
    return { range: { start: endOf(last), end: endOf(last) }, text: eol + newLines.join(eol) };
  }
  const after = start + removedCount;
  if (after < lines.length) {
    return { range: { start: at(start, 0), end: at(after, 0) }, text: '' };
  }
  // Deleting through the last line: the break before the block goes, not the one after it.
  return { range: { start: endOf(start - 1), end: endOf(after - 1) }, text: '' };
}

/**
 * Lines of A after applying only hunk `index`.
 * @param {string[]} aLines
 * @param {LineHunk[]} hunks
 * @param {number} index
 */
export function linesWithHunk(aLines, hunks, index) {
  const hunk = hunks[index];
  return [
    ...aLines.slice(0, hunk.aStart),
    ...hunk.bLines,
    ...aLines.slice(hunk.aStart + hunk.aLines.length),
  ];
}

/**
 * Hunk `index` as an edit on version A.
 * @param {string[]} aLines
 * @param {string} eol
 * @param {LineHunk[]} hunks
 * @param {number} index
 */
export function hunkEditOnA(aLines, eol, hunks, index) {
  const hunk = hunks[index];
  return lineReplacementEdit(aLines, eol, hunk.aStart, hunk.aLines.length, hunk.bLines);
}

/**
 * Hunk `target` as an edit on the document where only hunk `applied` has been made: hunks
 * below the applied one move by the number of lines it added or removed.
 * @param {string[]} aLines
 * @param {string} eol
 * @param {LineHunk[]} hunks
 * @param {number} applied
 * @param {number} target
 */
export function hunkEditAfter(aLines, eol, hunks, applied, target) {
  if (applied === target) throw new RangeError('hunkEditAfter: target is the applied hunk');
  const done = hunks[applied];
  const hunk = hunks[target];
  const shiftLines = target > applied ? done.bLines.length - done.aLines.length : 0;
  const postLines = linesWithHunk(aLines, hunks, applied);
  return lineReplacementEdit(postLines, eol, hunk.aStart + shiftLines, hunk.aLines.length, hunk.bLines);
}

/** True when the hunk changes nothing but whitespace: no one could predict it from intent. */
export function isWhitespaceOnly(hunk) {
  const squash = (lines) => lines.join('').replace(/\s+/g, '');
  return squash(hunk.aLines) === squash(hunk.bLines);
}
