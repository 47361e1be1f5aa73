// Positions and edits with VS Code's semantics, self-contained so the scorer never depends on
// the engine it judges: lines break at \r\n, \r or \n; a character is a UTF-16 code unit; a
// position past the end of a line or document is clamped the way TextDocument.validatePosition
// clamps it.

const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * Start offset and content end offset (before the line break) of every line.
 * @param {string} text
 * @returns {{ starts: number[], ends: number[] }}
 */
export function lineTable(text) {
  if (typeof text !== 'string') throw new TypeError('lineTable: text must be a string');
  const starts = [0];
  const ends = [];
  LINE_BREAK.lastIndex = 0;
  for (let match = LINE_BREAK.exec(text); match !== null; match = LINE_BREAK.exec(text)) {
    ends.push(match.index);
    starts.push(match.index + match[0].length);
  }
  ends.push(text.length);
  return { starts, ends };
}

/** @param {string} text @returns {string[]} the lines without their breaks */
export function splitLines(text) {
  return text.split(/\r\n|\r|\n/);
}

/**
 * The single line break a file uses, '' when it has none, or 'mixed'.
 * @param {string} text
 */
export function detectEol(text) {
  const kinds = new Set(text.match(/\r\n|\r|\n/g) ?? []);
  if (kinds.size === 0) return '';
  if (kinds.size > 1) return 'mixed';
  return [...kinds][0];
}

/**
 * @param {{ starts: number[], ends: number[] }} table
 * @param {{ line: number, character: number }} position
 */
export function offsetAt(table, position) {
  assertPosition(position);
  const lastLine = table.starts.length - 1;
  if (position.line < 0) return 0;
  if (position.line > lastLine) return table.ends[lastLine];
  const start = table.starts[position.line];
  const length = table.ends[position.line] - start;
  return start + Math.min(Math.max(position.character, 0), length);
}

/**
 * @param {{ starts: number[], ends: number[] }} table
 * @param {number} offset
 * @returns {{ line: number, character: number }}
 */
export function positionAt(table, offset) {
  let low = 0;
  let high = table.starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (table.starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  // An offset inside a line break belongs to the end of the line content.
  return { line: low, character: Math.min(offset, table.ends[low]) - table.starts[low] };
}

/**
 * Offsets of a range, normalised so start <= end as vscode.Range normalises.
 * @param {string} text
 * @param {{ start: { line: number, character: number }, end: { line: number, character: number } }} range
 */
export function rangeOffsets(text, range) {
  if (range === null || typeof range !== 'object') throw new TypeError('range must be an object');
  const table = lineTable(text);
  const a = offsetAt(table, range.start);
  const b = offsetAt(table, range.end);
  return a <= b ? { start: a, end: b } : { start: b, end: a };
}

/**
 * The text after replacing `edit.range` by `edit.text`.
 * @param {string} text
 * @param {{ range: object, text: string }} edit
 */
export function applyEdit(text, edit) {
  if (typeof edit?.text !== 'string') throw new TypeError('edit.text must be a string');
  const { start, end } = rangeOffsets(text, edit.range);
  return text.slice(0, start) + edit.text + text.slice(end);
}

/** Applies edits one after another, each in the coordinates left by the previous one. */
export function applyEditsInOrder(text, edits) {
  return edits.reduce((current, edit) => applyEdit(current, edit), text);
}

/**
 * Where the caret ends after typing `inserted` at `position`.
 * @param {{ line: number, character: number }} position
 * @param {string} inserted
 */
export function advancePosition(position, inserted) {
  const lines = splitLines(inserted);
  if (lines.length === 1) return { line: position.line, character: position.character + inserted.length };
  return { line: position.line + lines.length - 1, character: lines[lines.length - 1].length };
}

function assertPosition(position) {
  if (
    position === null ||
    typeof position !== 'object' ||
    !Number.isInteger(position.line) ||
    !Number.isInteger(position.character)
  ) {
    throw new TypeError(`invalid position: ${JSON.stringify(position)}`);
  }
}
