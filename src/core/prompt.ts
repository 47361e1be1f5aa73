// The ONE serializer between edits and token ids (models/FORMAT.md): the training pipeline and
// the runtime both call it, so the model sees at inference exactly the layout it learned from.
// The target side (serializeTarget, parseTarget, constrained decoding) lives in targetGrammar.ts
// and is re-exported here so callers import one module.

import { MAX_WINDOW_SLOTS, type BpeTokenizer } from './bpe';
import type { EditWindow } from './ports';
import { promptVocabulary, type PromptVocabulary } from './targetGrammar';
import type { RecordedEdit, Snippet } from './types';

export {
  advanceTarget,
  allowedNextTokens,
  initialTargetState,
  isAllowedNext,
  lineBreakingTokenIds,
  owesTypedPrefix,
  parseTarget,
  promptVocabulary,
  serializeTarget,
  TYPED_LINE_OPENING_OPS,
  typedLineOpening,
} from './targetGrammar';
export type { AllowedTokens, ParsedTarget, PromptVocabulary, TargetOptions, TargetPhase, TargetState } from './targetGrammar';
export { linesWithInsertion, typedLineOf } from './typedLine';
export type { TypedLine } from './typedLine';

export interface PromptBudget {
  readonly totalTokens: number;
  readonly historyTokens: number;
  readonly snippetTokens: number;
}

export const DEFAULT_PROMPT_BUDGET: PromptBudget = { totalTokens: 512, historyTokens: 200, snippetTokens: 150 };
/** Smallest total that always fits the fixed tokens, 33 slots and a cursor. */
export const MIN_TOTAL_TOKENS = 128;
/** A window line longer than this is cut (and its slot locked against replace/delete). */
export const MAX_LINE_TOKENS = 64;
export const MAX_PATH_TOKENS = 24;
/** Each side (before/after) of one history edit. */
export const MAX_HUNK_LINES = 8;
export const MAX_HUNK_SIDE_TOKENS = 64;
/** Lines longer than this many characters are cut before encoding history and snippets. */
export const MAX_CONTEXT_LINE_CHARS = 200;
/** A snippet is cut to fit the remaining budget only if at least this much text would remain. */
export const MIN_SNIPPET_TEXT_TOKENS = 16;

export interface PromptInput {
  /** Oldest first, newest last (the engine's history order). */
  readonly history: readonly RecordedEdit[];
  /** Any order; higher `score` is kept first. */
  readonly snippets: readonly Snippet[];
  readonly window: EditWindow;
}

export interface SerializedPrompt {
  readonly ids: number[];
  /** Lines in the window; slot tokens 0..slots are valid in the target. */
  readonly slots: number;
  readonly promptLength: number;
  /** Window lines shown cut short: the target may not replace or delete them. */
  readonly truncatedSlots: readonly number[];
  readonly historyIncluded: number;
  readonly snippetsIncluded: number;
}

export function serializePrompt(
  input: PromptInput,
  tokenizer: BpeTokenizer,
  budget: PromptBudget = DEFAULT_PROMPT_BUDGET,
): SerializedPrompt {
  validateBudget(budget);
  const { window } = input;
  if (window.lines.length > MAX_WINDOW_SLOTS) {
    throw new RangeError(`window has ${window.lines.length} lines; at most ${MAX_WINDOW_SLOTS} fit the slots`);
  }
  const vocabulary = promptVocabulary(tokenizer);
  const windowHeader = [vocabulary.window, vocabulary.file, ...encodePath(window.path, tokenizer)];
  const fixedCost = 2 + 1 + windowHeader.length + 2; // bos history | snippets | header | end_window output
  const lines = encodeWindowLines(window, tokenizer, vocabulary);
  let lineCap = MAX_LINE_TOKENS;
  while (fixedCost + windowCost(lines, lineCap) > budget.totalTokens && lineCap > 0) lineCap = Math.floor(lineCap / 2);
  let remaining = budget.totalTokens - fixedCost - windowCost(lines, lineCap);

  const historyParts = fitHistory(input.history, Math.min(budget.historyTokens, remaining), tokenizer, vocabulary);
  remaining -= historyParts.reduce((sum, part) => sum + part.length, 0);
  const snippetParts = fitSnippets(input.snippets, Math.min(budget.snippetTokens, remaining), tokenizer, vocabulary);

  const ids: number[] = [vocabulary.bos, vocabulary.history];
  for (const part of historyParts) ids.push(...part);
  ids.push(vocabulary.snippets);
  for (const part of snippetParts) ids.push(...part);
  ids.push(...windowHeader);
  const truncatedSlots: number[] = [];
  lines.forEach((line, slot) => {
    ids.push(vocabulary.slots[slot] as number, ...capLine(line, lineCap));
    if (line.textTokens > lineCap) truncatedSlots.push(slot);
  });
  ids.push(vocabulary.endWindow, vocabulary.output);
  return {
    ids,
    slots: window.lines.length,
    promptLength: ids.length,
    truncatedSlots,
    historyIncluded: historyParts.length,
    snippetsIncluded: snippetParts.length,
  };
}

function validateBudget(budget: PromptBudget): void {
  const { totalTokens, historyTokens, snippetTokens } = budget;
  if (!Number.isInteger(totalTokens) || totalTokens < MIN_TOTAL_TOKENS) {
    throw new TypeError(`budget.totalTokens must be an integer >= ${MIN_TOTAL_TOKENS}, got ${totalTokens}`);
  }
  for (const [name, value] of [['historyTokens', historyTokens], ['snippetTokens', snippetTokens]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`budget.${name} must be a non-negative integer`);
  }
}

interface EncodedLine {
  readonly before: readonly number[];
  /** The cursor token and what follows it, when the cursor is on this line. */
  readonly after?: readonly number[];
  readonly textTokens: number;
}

function encodeWindowLines(window: EditWindow, tokenizer: BpeTokenizer, vocabulary: PromptVocabulary): EncodedLine[] {
  const cursorLine = window.cursor ? window.cursor.line - window.startLine : -1;
  return window.lines.map((text, index) => {
    if (index !== cursorLine || !window.cursor) {
      const tokens = tokenizer.encode(text);
      return { before: tokens, textTokens: tokens.length };
    }
    const character = Math.min(Math.max(0, window.cursor.character), text.length);
    const before = tokenizer.encode(text.slice(0, character));
    const after = tokenizer.encode(text.slice(character));
    return { before, after: [vocabulary.cursor, ...after], textTokens: before.length + after.length };
  });
}

function capLine(line: EncodedLine, cap: number): number[] {
  const before = line.before.slice(0, cap);
  if (!line.after) return before;
  // The cursor token is never cut: it is the strongest hint of where the next edit goes.
  return [...before, line.after[0] as number, ...line.after.slice(1, 1 + Math.max(0, cap - before.length))];
}

function windowCost(lines: readonly EncodedLine[], cap: number): number {
  return lines.reduce((sum, line) => sum + 1 + Math.min(line.textTokens, cap) + (line.after ? 1 : 0), 0);
}

/** The file name matters most, so an overlong path keeps its tail. */
function encodePath(path: string, tokenizer: BpeTokenizer): number[] {
  const tokens = tokenizer.encode(path);
  return tokens.length > MAX_PATH_TOKENS ? tokens.slice(tokens.length - MAX_PATH_TOKENS) : tokens;
}

function encodeContext(text: string, maxLines: number, tokenizer: BpeTokenizer): number[] {
  const lines = text.split(/\r\n|\r|\n/).slice(0, maxLines);
  return tokenizer.encode(lines.map((line) => line.slice(0, MAX_CONTEXT_LINE_CHARS)).join('\n'));
}

/** Newest edits first until the budget runs out; returned oldest first. */
function fitHistory(
  history: readonly RecordedEdit[],
  budgetTokens: number,
  tokenizer: BpeTokenizer,
  vocabulary: PromptVocabulary,
): number[][] {
  const parts: number[][] = [];
  let used = 0;
  for (let index = history.length - 1; index >= 0; index--) {
    const edit = history[index] as RecordedEdit;
    const part = [
      vocabulary.edit, vocabulary.file, ...encodePath(edit.path, tokenizer),
      vocabulary.before, ...encodeContext(edit.hunk.beforeText, MAX_HUNK_LINES, tokenizer).slice(0, MAX_HUNK_SIDE_TOKENS),
      vocabulary.after, ...encodeContext(edit.hunk.afterText, MAX_HUNK_LINES, tokenizer).slice(0, MAX_HUNK_SIDE_TOKENS),
    ];
    if (used + part.length > budgetTokens) break;
    used += part.length;
    parts.push(part);
  }
  return parts.reverse();
}

/** Highest score first; a snippet that does not fit is cut if enough of it remains, else skipped. */
function fitSnippets(
  snippets: readonly Snippet[],
  budgetTokens: number,
  tokenizer: BpeTokenizer,
  vocabulary: PromptVocabulary,
): number[][] {
  const ranked = snippets.map((snippet, index) => ({ snippet, index }));
  ranked.sort((a, b) => b.snippet.score - a.snippet.score || a.index - b.index);
  const parts: number[][] = [];
  let left = budgetTokens;
  for (const { snippet } of ranked) {
    const header = [vocabulary.snippet, vocabulary.file, ...encodePath(snippet.path, tokenizer)];
    const room = left - header.length;
    if (room <= 0) continue;
    const text = encodeContext(snippet.text, Number.POSITIVE_INFINITY, tokenizer);
    if (text.length > room && room < MIN_SNIPPET_TEXT_TOKENS) continue;
    const part = [...header, ...text.slice(0, room)];
    parts.push(part);
    left -= part.length;
  }
  return parts;
}
