// The typed line: while the user types at the cursor, the cursor's window is decoded as how that
// line goes on (models/FORMAT.md, "Typed lines"). Its target must open by replacing the line with
// text that starts with what was typed (the prefix), and the block of lines it writes must end
// with what followed the cursor (the suffix): a completion inserts at the cursor, so the rest
// of the line stays. This module keeps that bookkeeping in bytes, for the target grammar.

import { encodeWtf8 } from './bpe';
import type { EditWindow } from './ports';
import { splitLines } from './text';

export interface TypedLine {
  readonly slot: number;
  /** The line up to the cursor. */
  readonly prefix: string;
  /** The line after the cursor. */
  readonly suffix: string;
}

/** The line being typed in a typing window, unless it is shown cut short (then it is locked). */
export function typedLineOf(window: EditWindow, lockedSlots: readonly number[]): TypedLine | undefined {
  if (!window.typing || !window.cursor) return undefined;
  const slot = window.cursor.line - window.startLine;
  const line = window.lines[slot];
  if (line === undefined || lockedSlots.includes(slot)) return undefined;
  const character = Math.min(Math.max(0, window.cursor.character), line.length);
  return { slot, prefix: line.slice(0, character), suffix: line.slice(character) };
}

export function validateTypedLine(typedLine: TypedLine, slotCount: number): void {
  if (!(Number.isInteger(typedLine.slot) && typedLine.slot >= 0 && typedLine.slot < slotCount)) {
    throw new RangeError(`typedLine.slot must be an integer in [0, ${slotCount}), got ${typedLine.slot}`);
  }
  if (/[\r\n]/.test(typedLine.prefix + typedLine.suffix)) throw new TypeError('typedLine may not contain a line break');
}

/**
 * Where the typed block stands: not yet opened, open (its lines are being written: the typed
 * line, then any lines inserted right after it), or closed (later ops are unconstrained).
 */
export interface TypedBlock {
  readonly slot: number;
  readonly status: 'unopened' | 'open' | 'closed';
  readonly prefixLength: number;
  readonly suffix: Uint8Array;
  /** Bytes the current line must still start with: the typed prefix not yet written. */
  readonly required: Uint8Array;
  /** The current line's bytes so far (only while open). */
  readonly line: readonly number[];
  /** Whether the current line is one inserted after the typed line. */
  readonly lineInserted: boolean;
}

const NO_BYTES = new Uint8Array(0);

export function typedBlock(typedLine: TypedLine): TypedBlock {
  const prefix = Uint8Array.from(encodeWtf8(typedLine.prefix));
  return {
    slot: typedLine.slot,
    status: 'unopened',
    prefixLength: prefix.length,
    suffix: Uint8Array.from(encodeWtf8(typedLine.suffix)),
    required: prefix,
    line: [],
    lineInserted: false,
  };
}

/** The typed line's replacement begins: its text must start with the prefix. */
export function openBlock(block: TypedBlock): TypedBlock {
  return { ...block, status: 'open' };
}

/** A line inserted right after the typed block's last line: the block goes on. */
export function continueBlock(block: TypedBlock): TypedBlock {
  return { ...block, required: NO_BYTES, line: [], lineInserted: true };
}

export function closeBlock(block: TypedBlock): TypedBlock {
  return { ...block, status: 'closed', required: NO_BYTES, line: [] };
}

/** Whether a token's bytes agree with what the line must still start with. */
export function agreesWithRequired(block: TypedBlock, tokenBytes: Uint8Array): boolean {
  return tokenBytes.length > 0 && sameStart(tokenBytes, block.required);
}

/**
 * Right after the typed prefix, where the insertion begins: a token that starts copying the
 * suffix there would insert nothing, which is the small model's favourite answer (it rewrites
 * the line as it is, then has to invent lines to end the block). So the insertion may not open
 * with the suffix's own first bytes; a line break (ending the line at the cursor) may.
 */
export function atInsertionPoint(block: TypedBlock): boolean {
  return block.status === 'open' && !block.lineInserted && block.required.length === 0 && block.line.length === block.prefixLength && block.suffix.length > 0;
}

export function startsLikeSuffix(block: TypedBlock, tokenBytes: Uint8Array): boolean {
  return sameStart(tokenBytes, block.suffix);
}

function sameStart(a: Uint8Array, b: Uint8Array): boolean {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) if (a[index] !== b[index]) return false;
  return true;
}

export function writeBytes(block: TypedBlock, tokenBytes: Uint8Array): TypedBlock {
  if (block.status !== 'open') return block;
  return {
    ...block,
    required: block.required.subarray(Math.min(tokenBytes.length, block.required.length)),
    line: [...block.line, ...tokenBytes],
  };
}

/**
 * The block may end after its current line when that line ends with the suffix and the block
 * changed something: an inserted line, or a typed line longer than prefix and suffix together
 * (which also keeps the two from overlapping).
 */
export function mayCloseBlock(block: TypedBlock): boolean {
  if (block.status !== 'open') return true;
  const { line, suffix } = block;
  if (!block.lineInserted && line.length <= block.prefixLength + suffix.length) return false;
  if (line.length < suffix.length) return false;
  for (let index = 1; index <= suffix.length; index++) if (line[line.length - index] !== suffix[suffix.length - index]) return false;
  return true;
}

/** The window's lines once `insertion` (which may hold line breaks) is typed at the cursor. */
export function linesWithInsertion(window: EditWindow, typedLine: TypedLine, insertion: string): string[] {
  const typed = splitLines(`${typedLine.prefix}${insertion}${typedLine.suffix}`);
  return [...window.lines.slice(0, typedLine.slot), ...typed, ...window.lines.slice(typedLine.slot + 1)];
}
