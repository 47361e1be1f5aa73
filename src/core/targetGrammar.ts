// The target grammar of models/FORMAT.md: what the model writes after <|output|>.
// serializeTarget writes it, parseTarget reads it, and allowedNextTokens lets the runtime mask
// logits so that constrained generation can only produce targets that parse.

import { diffArrays } from 'diff';
import { MAX_WINDOW_SLOTS, preTokenize, slotTokenName, type BpeTokenizer } from './bpe';
import type { EditWindow } from './ports';
import {
  agreesWithRequired,
  atInsertionPoint,
  closeBlock,
  continueBlock,
  mayCloseBlock,
  openBlock,
  startsLikeSuffix,
  typedBlock,
  validateTypedLine,
  writeBytes,
  type TypedBlock,
  type TypedLine,
} from './typedLine';

export interface PromptVocabulary {
  readonly bos: number;
  readonly eos: number;
  readonly history: number;
  readonly edit: number;
  readonly before: number;
  readonly after: number;
  readonly snippets: number;
  readonly snippet: number;
  readonly file: number;
  readonly window: number;
  readonly endWindow: number;
  readonly cursor: number;
  readonly output: number;
  readonly noChange: number;
  readonly replace: number;
  readonly insert: number;
  readonly delete: number;
  readonly endLine: number;
  /** slots[k] is the id of <|slot_k|>. */
  readonly slots: readonly number[];
}

const vocabularies = new WeakMap<BpeTokenizer, PromptVocabulary>();
const lineBreakingIds = new WeakMap<BpeTokenizer, readonly number[]>();

/** Plain-text tokens whose bytes hold a line break: never valid inside one target line. */
export function lineBreakingTokenIds(tokenizer: BpeTokenizer): readonly number[] {
  const known = lineBreakingIds.get(tokenizer);
  if (known) return known;
  const ids: number[] = [];
  for (let id = tokenizer.specialCount; id < tokenizer.vocabSize; id++) {
    if (tokenizer.tokenBytes(id).some((byte) => byte === 0x0a || byte === 0x0d)) ids.push(id);
  }
  lineBreakingIds.set(tokenizer, ids);
  return ids;
}

export function promptVocabulary(tokenizer: BpeTokenizer): PromptVocabulary {
  const known = vocabularies.get(tokenizer);
  if (known) return known;
  const id = (name: string): number => tokenizer.specialId(`<|${name}|>`);
  const vocabulary: PromptVocabulary = {
    bos: id('bos'), eos: id('eos'), history: id('history'), edit: id('edit'), before: id('before'),
    after: id('after'), snippets: id('snippets'), snippet: id('snippet'), file: id('file'), window: id('window'),
    endWindow: id('end_window'), cursor: id('cursor'), output: id('output'), noChange: id('no_change'),
    replace: id('replace'), insert: id('insert'), delete: id('delete'), endLine: id('end_line'),
    slots: Array.from({ length: MAX_WINDOW_SLOTS + 1 }, (_, slot) => tokenizer.specialId(slotTokenName(slot))),
  };
  vocabularies.set(tokenizer, vocabulary);
  return vocabulary;
}

type OpKind = 'replace' | 'insert' | 'delete';

interface TargetOp {
  readonly kind: OpKind;
  readonly slot: number;
  readonly text: string;
}

/** The target ids for turning `window.lines` into `newLines` (null: no change), ending in <|eos|>. */
export function serializeTarget(window: EditWindow, newLines: readonly string[] | null, tokenizer: BpeTokenizer): number[] {
  const vocabulary = promptVocabulary(tokenizer);
  const ops = newLines ? lineOps(window.lines, newLines) : [];
  if (ops.length === 0) return [vocabulary.noChange, vocabulary.eos];
  const ids: number[] = [];
  for (const op of ops) {
    ids.push(vocabulary[op.kind], vocabulary.slots[op.slot] as number);
    if (op.kind !== 'delete') ids.push(...tokenizer.encode(op.text), vocabulary.endLine);
  }
  ids.push(vocabulary.eos);
  return ids;
}

/**
 * Canonical ops from a line diff: within each changed block, lines pair up as replacements, the
 * surplus old lines are deleted and the surplus new lines are inserted after the replaced ones.
 */
function lineOps(oldLines: readonly string[], newLines: readonly string[]): TargetOp[] {
  if (oldLines.length > MAX_WINDOW_SLOTS) throw new RangeError(`window has more than ${MAX_WINDOW_SLOTS} lines`);
  const ops: TargetOp[] = [];
  let oldIndex = 0;
  let removed: string[] = [];
  let added: string[] = [];
  const flush = (): void => {
    const start = oldIndex - removed.length;
    const paired = Math.min(removed.length, added.length);
    for (let index = 0; index < paired; index++) {
      if (removed[index] !== added[index]) ops.push({ kind: 'replace', slot: start + index, text: added[index] as string });
    }
    for (let index = paired; index < removed.length; index++) ops.push({ kind: 'delete', slot: start + index, text: '' });
    for (let index = paired; index < added.length; index++) {
      ops.push({ kind: 'insert', slot: start + removed.length, text: added[index] as string });
    }
    removed = [];
    added = [];
  };
  for (const line of newLines) {
    if (/[\r\n]/.test(line)) throw new TypeError('a target line may not contain a line break');
  }
  for (const change of diffArrays([...oldLines], [...newLines])) {
    if (change.removed) {
      removed.push(...change.value);
      oldIndex += change.value.length;
    } else if (change.added) {
      added.push(...change.value);
    } else {
      flush();
      oldIndex += change.value.length;
    }
  }
  flush();
  return ops;
}

export type ParsedTarget =
  | { readonly kind: 'change'; readonly newLines: string[] }
  | { readonly kind: 'no_change' }
  | { readonly kind: 'invalid'; readonly reason: string };

export interface TargetOptions {
  /** Slots the target may not replace or delete (SerializedPrompt.truncatedSlots). */
  readonly lockedSlots?: readonly number[];
  /**
   * Decoding only, for the cursor's window while the user types (typedLine.ts): the target
   * must open by replacing that line with text that starts with what was typed, and the lines
   * it writes there must end with what followed the cursor. So the model is asked how the line
   * goes on, never whether it changes ("no change" is the likeliest single answer while typing,
   * and a completion is what is wanted), and it cannot rewrite what the user typed or the text
   * after the cursor. The prefix is matched byte by byte, so its last word may end inside a
   * token ("Wit" continues as "With" + "Options": token healing).
   */
  readonly typedLine?: TypedLine;
}

/** The ops a typed line's opening starts with (<|replace|>, the line's slot), before its text. */
export const TYPED_LINE_OPENING_OPS = 2;

/**
 * The target's forced opening for a typed line: the op, the slot and the prefix's tokens up
 * to its last piece. Pre-tokenization never merges across pieces, so those tokens are the ones
 * the finished line has too; the last piece may still grow ("Wit" into "WithOptions") and is
 * left to constrained decoding.
 */
export function typedLineOpening(typedLine: TypedLine, tokenizer: BpeTokenizer): number[] {
  const vocabulary = promptVocabulary(tokenizer);
  const pieces = preTokenize(typedLine.prefix);
  return [vocabulary.replace, vocabulary.slots[typedLine.slot] as number, ...tokenizer.encode(pieces.slice(0, -1).join(''))];
}

/**
 * Reads generated ids (through <|eos|>; anything after it is ignored) back into window lines.
 * A change that leaves every line as it was reads as no_change.
 */
export function parseTarget(
  ids: readonly number[],
  window: EditWindow,
  tokenizer: BpeTokenizer,
  options: TargetOptions = {},
): ParsedTarget {
  let state = initialTargetState(tokenizer, window.lines.length, options);
  const ops: { kind: OpKind; slot: number; text: number[] }[] = [];
  for (let position = 0; position < ids.length && state.phase !== 'done'; position++) {
    const id = ids[position] as number;
    const previous = state;
    state = advanceTarget(state, id);
    if (state.phase === 'invalid') return { kind: 'invalid', reason: `${state.reason} at target position ${position}` };
    if (previous.phase === 'need_slot') ops.push({ kind: previous.op as OpKind, slot: state.lastSlot, text: [] });
    else if (state.phase === 'line_text' && previous.phase === 'line_text') ops[ops.length - 1]?.text.push(id);
  }
  if (state.phase !== 'done') return { kind: 'invalid', reason: 'target ended without <|eos|>' };
  if (state.sawNoChange) return { kind: 'no_change' };
  const replaced = new Map<number, string | null>();
  const inserted = new Map<number, string[]>();
  for (const op of ops) {
    if (op.kind === 'insert') {
      const list = inserted.get(op.slot) ?? [];
      list.push(tokenizer.decode(op.text));
      inserted.set(op.slot, list);
    } else {
      replaced.set(op.slot, op.kind === 'delete' ? null : tokenizer.decode(op.text));
    }
  }
  const newLines: string[] = [];
  for (let slot = 0; slot <= window.lines.length; slot++) {
    newLines.push(...(inserted.get(slot) ?? []));
    if (slot === window.lines.length) break;
    const replacement = replaced.has(slot) ? replaced.get(slot) : window.lines[slot];
    if (replacement !== null && replacement !== undefined) newLines.push(replacement);
  }
  const unchanged = newLines.length === window.lines.length && newLines.every((line, index) => line === window.lines[index]);
  return unchanged ? { kind: 'no_change' } : { kind: 'change', newLines };
}

export type TargetPhase = 'start' | 'after_no_change' | 'need_slot' | 'line_text' | 'after_op' | 'done' | 'invalid';

/** Where generation stands in the target grammar. Immutable; advanceTarget returns a new one. */
export interface TargetState {
  readonly vocabulary: PromptVocabulary;
  readonly isText: (id: number) => boolean;
  /** Text tokens that hold a line break, excluded inside target lines. */
  readonly lineBreakingIds: ReadonlySet<number>;
  /** Lines in the window. */
  readonly slotCount: number;
  readonly lockedSlots: ReadonlySet<number>;
  readonly phase: TargetPhase;
  /** The op waiting for its slot (phase need_slot). */
  readonly op?: OpKind;
  /** Slot of the latest op; -1 before the first. Ops never go back to an earlier slot. */
  readonly lastSlot: number;
  /** Whether line `lastSlot` was already replaced or deleted (then only later slots remain). */
  readonly lastSlotTaken: boolean;
  readonly sawNoChange: boolean;
  /** The typed line's block (TargetOptions.typedLine). */
  readonly typed?: TypedBlock;
  readonly tokenBytes: (id: number) => Uint8Array;
  readonly reason?: string;
}

/**
 * Token ids allowed next: when `textTokens`, every plain-text id except `excludedTextIds`, or
 * only `onlyTextIds` where that is given; plus `specialIds`. The runtime masks every other
 * logit to -Infinity.
 */
export interface AllowedTokens {
  readonly textTokens: boolean;
  readonly excludedTextIds: readonly number[];
  readonly onlyTextIds?: readonly number[];
  readonly specialIds: readonly number[];
}

export function initialTargetState(tokenizer: BpeTokenizer, slotCount: number, options: TargetOptions = {}): TargetState {
  if (!Number.isInteger(slotCount) || slotCount < 0 || slotCount > MAX_WINDOW_SLOTS) {
    throw new RangeError(`slotCount must be an integer in [0, ${MAX_WINDOW_SLOTS}], got ${slotCount}`);
  }
  const { typedLine } = options;
  if (typedLine) validateTypedLine(typedLine, slotCount);
  return {
    vocabulary: promptVocabulary(tokenizer),
    isText: (id) => Number.isInteger(id) && id >= tokenizer.specialCount && id < tokenizer.vocabSize,
    lineBreakingIds: new Set(lineBreakingTokenIds(tokenizer)),
    slotCount,
    lockedSlots: new Set(options.lockedSlots ?? []),
    phase: 'start',
    lastSlot: -1,
    lastSlotTaken: false,
    sawNoChange: false,
    ...(typedLine ? { typed: typedBlock(typedLine) } : {}),
    tokenBytes: (id) => tokenizer.tokenBytes(id),
  };
}

/** Before the first op of a typed line: only the op and slot that open it. */
function opensTypedLine(state: TargetState): boolean {
  return state.typed?.status === 'unopened';
}

/** The typed block is open and its current line may not end it: only another line after it may follow. */
function mustContinueBlock(state: TargetState): boolean {
  return state.typed !== undefined && !mayCloseBlock(state.typed);
}

/** A typed line's prefix is still being written: only tokens that agree with it may come. */
export function owesTypedPrefix(state: TargetState): boolean {
  return state.phase === 'line_text' && (state.typed?.required.length ?? 0) > 0;
}

function atInsertion(state: TargetState): boolean {
  return state.phase === 'line_text' && state.typed !== undefined && atInsertionPoint(state.typed);
}

function allowedSlots(state: TargetState, op: OpKind): number[] {
  const slots: number[] = [];
  const first = Math.max(0, state.lastSlot + (state.lastSlotTaken ? 1 : 0));
  const last = op === 'insert' ? state.slotCount : state.slotCount - 1;
  for (let slot = first; slot <= last; slot++) {
    if (op !== 'insert' && state.lockedSlots.has(slot)) continue;
    slots.push(slot);
  }
  return slots;
}

function availableOps(state: TargetState): number[] {
  const ops: OpKind[] = ['replace', 'insert', 'delete'];
  return ops.filter((op) => allowedSlots(state, op).length > 0).map((op) => state.vocabulary[op]);
}

export function allowedNextTokens(state: TargetState): AllowedTokens {
  const { vocabulary } = state;
  const specials = (specialIds: readonly number[]): AllowedTokens => ({ textTokens: false, excludedTextIds: [], specialIds });
  switch (state.phase) {
    case 'start':
      return specials(opensTypedLine(state) ? [vocabulary.replace] : [vocabulary.noChange, ...availableOps(state)]);
    case 'after_no_change':
      return specials([vocabulary.eos]);
    case 'need_slot':
      if (opensTypedLine(state)) return specials([vocabulary.slots[state.typed!.slot] as number]);
      if (mustContinueBlock(state)) return specials([vocabulary.slots[state.typed!.slot + 1] as number]);
      return specials(allowedSlots(state, state.op as OpKind).map((slot) => vocabulary.slots[slot] as number));
    case 'line_text':
      if (owesTypedPrefix(state)) return { textTokens: true, excludedTextIds: [], onlyTextIds: agreeingTextIds(state), specialIds: [] };
      if (atInsertion(state)) return { textTokens: true, excludedTextIds: [], onlyTextIds: agreeingTextIds(state), specialIds: [vocabulary.endLine] };
      return { textTokens: true, excludedTextIds: [...state.lineBreakingIds], specialIds: [vocabulary.endLine] };
    case 'after_op':
      if (mustContinueBlock(state)) return specials([vocabulary.insert]);
      return specials([...availableOps(state), vocabulary.eos]);
    default:
      return specials([]);
  }
}

/** Whether `id` may come next; the same rule as allowedNextTokens, without building lists. */
export function isAllowedNext(state: TargetState, id: number): boolean {
  if (owesTypedPrefix(state) || (atInsertion(state) && state.isText(id))) return state.isText(id) && isAgreeingText(state, id);
  if (state.phase === 'line_text' && state.isText(id)) return !state.lineBreakingIds.has(id);
  return allowedNextTokens(state).specialIds.includes(id);
}

export function advanceTarget(state: TargetState, id: number): TargetState {
  if (!isAllowedNext(state, id)) {
    return { ...state, phase: 'invalid', reason: `token ${id} not allowed in phase ${state.phase}` };
  }
  const { vocabulary } = state;
  switch (state.phase) {
    case 'start':
    case 'after_op':
      if (id === vocabulary.noChange) return { ...state, phase: 'after_no_change', sawNoChange: true };
      if (id === vocabulary.eos) return { ...state, phase: 'done' };
      return { ...state, phase: 'need_slot', op: id === vocabulary.replace ? 'replace' : id === vocabulary.insert ? 'insert' : 'delete' };
    case 'after_no_change':
      return { ...state, phase: 'done' };
    case 'need_slot': {
      const slot = vocabulary.slots.indexOf(id);
      const taken = state.op !== 'insert';
      const next = { ...state, lastSlot: slot, lastSlotTaken: taken, op: undefined, ...(state.typed ? { typed: nextBlock(state.typed, state.op, slot) } : {}) };
      return { ...next, phase: state.op === 'delete' ? 'after_op' : 'line_text' };
    }
    case 'line_text':
      if (id === vocabulary.endLine) return { ...state, phase: 'after_op' };
      return state.typed?.status === 'open' ? { ...state, typed: writeBytes(state.typed, state.tokenBytes(id)) } : state;
    default:
      return { ...state, phase: 'invalid', reason: `no token allowed after phase ${state.phase}` };
  }
}

/** The typed block after an op on `slot`: opened by the first op, kept open by a line inserted right after it, else closed. */
function nextBlock(block: TypedBlock, op: OpKind | undefined, slot: number): TypedBlock {
  if (block.status === 'unopened') return openBlock(block);
  if (block.status === 'closed') return block;
  return !mayCloseBlock(block) && op === 'insert' && slot === block.slot + 1 ? continueBlock(block) : closeBlock(block);
}

/** A text token the typed line may take next: it agrees with the prefix still owed, or does not start copying the suffix. */
function isAgreeingText(state: TargetState, id: number): boolean {
  const { typed } = state;
  if (state.lineBreakingIds.has(id) || typed === undefined) return false;
  const bytes = state.tokenBytes(id);
  return typed.required.length > 0 ? agreesWithRequired(typed, bytes) : !startsLikeSuffix(typed, bytes);
}

/** Text ids the typed line may take next (isAgreeingText); a scan of the vocabulary. */
function agreeingTextIds(state: TargetState): number[] {
  const ids: number[] = [];
  const first = Math.max(...state.vocabulary.slots) + 1;
  for (let id = first; state.isText(id); id++) if (isAgreeingText(state, id)) ids.push(id);
  return ids;
}
