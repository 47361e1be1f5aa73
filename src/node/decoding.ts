// Constrained greedy decoding of a window's target: grammar-masked token choice, prompt-lookup
// speculation, and the prefill that reuses the longest cached prompt prefix.

import type { ModelInput } from '../core/ports';
import { advanceTarget, allowedNextTokens, initialTargetState, owesTypedPrefix, parseTarget, serializePrompt, TYPED_LINE_OPENING_OPS, typedLineOf, typedLineOpening } from '../core/prompt';
import type { TargetState } from '../core/prompt';
import { scoreDrafts, type ScoredDraft } from './draftScoring';
import { forward } from './loadedModel';
import { logProbability, targetLogProbability } from './tokenScores';
import type { LoadedModel } from './loadedModel';

/** Prefill runs in chunks of this many tokens so a cancel lands between passes. */
export const PREFILL_CHUNK_TOKENS = 256;
/** Prompt lookup matches at most this many trailing generated tokens. */
export const MAX_LOOKUP_NGRAM = 3;
/** Draft tokens verified per pass: more rarely pay off, and each costs a logits row. */
export const MAX_DRAFT_TOKENS = 8;
/**
 * New tokens a typed line's completion may add, at most, besides rewriting the text after the
 * cursor. A model that has not closed the line by then has lost the thread, and the windows
 * after the cursor's own still need the budget.
 */
export const MAX_TYPED_LINE_TOKENS = 48;
/** How far decoding leans towards copying the prompt (see pickToken); 0 is plain greedy. */
export const COPY_BIAS_NATS = 3;

export interface DecodeResult {
  readonly newLines: readonly string[] | null;
  readonly score: number;
}

/** What the engine sends about a request: the prompt's parts and the windows to decode. */
export type DecodeInput = Pick<ModelInput, 'history' | 'snippets' | 'windows' | 'minScore'>;

/** True once the caller cancelled or the budget ran out: decoding stops between passes. */
export type ShouldStop = () => boolean;

/** A token the decoder leans towards: the prompt's continuation of what was just generated. */
export interface CopyHint {
  readonly id: number;
  /** Added to that token's logit when choosing (not when scoring). */
  readonly biasNats: number;
}

/**
 * Greedy constrained choice: the best allowed id and its log-probability under the full
 * softmax. A copy hint tilts the choice towards continuing a span of the prompt, a crude
 * pointer for a model too small to copy reliably on its own; the reported log-probability
 * stays the model's own, so confidence is not inflated by the tilt.
 */
export function pickToken(logits: Float32Array, state: TargetState, hint?: CopyHint): { id: number; logProbability: number } | undefined {
  const allowed = allowedNextTokens(state);
  const tilt = (id: number, logit: number): number => (hint !== undefined && id === hint.id ? logit + hint.biasNats : logit);
  let bestId = -1;
  let bestScore = -Infinity;
  for (const id of allowed.specialIds) {
    const score = tilt(id, logits[id] ?? -Infinity);
    if (score > bestScore) [bestId, bestScore] = [id, score];
  }
  if (allowed.onlyTextIds) {
    for (const id of allowed.onlyTextIds) {
      const score = tilt(id, logits[id] ?? -Infinity);
      if (score > bestScore) [bestId, bestScore] = [id, score];
    }
  } else if (allowed.textTokens) {
    // Text ids follow every special token, and the slot tokens are the last specials.
    for (let id = Math.max(...state.vocabulary.slots) + 1; id < logits.length; id++) {
      const score = tilt(id, logits[id]!);
      if (score > bestScore && !state.lineBreakingIds.has(id)) [bestId, bestScore] = [id, score];
    }
  }
  if (bestId < 0) return undefined;
  return { id: bestId, logProbability: targetLogProbability(logits, state, bestId) };
}

/**
 * Draft tokens by prompt lookup: where the last `ngram` generated tokens (plus the one just
 * chosen) occur in the prompt, guess that what followed there follows again. Edits mostly
 * copy the window's own lines, so a guessed run is often accepted whole.
 */
export function lookupDraft(prompt: readonly number[], generated: readonly number[], maxDraftTokens: number): number[] {
  if (maxDraftTokens <= 0) return [];
  for (let ngram = Math.min(MAX_LOOKUP_NGRAM, generated.length); ngram >= 1; ngram--) {
    const tail = generated.slice(generated.length - ngram);
    // The latest occurrence is the most relevant: the window sits at the end of the prompt.
    for (let start = prompt.length - ngram; start >= 0; start--) {
      let matches = true;
      for (let offset = 0; offset < ngram && matches; offset++) matches = prompt[start + offset] === tail[offset];
      if (matches && start + ngram < prompt.length) return prompt.slice(start + ngram, start + ngram + maxDraftTokens);
    }
  }
  return [];
}

export interface Generation {
  readonly ids: readonly number[];
  readonly logProbabilitySum: number;
  readonly state: TargetState;
  readonly forwardPasses: number;
}

export interface GenerateOptions {
  /** Each pass also verifies a prompt-lookup draft (default true). */
  readonly speculate?: boolean;
  readonly copyBiasNats?: number;
  /** Ids already in the cache and in the initial state that lead the target. */
  readonly forced?: readonly number[];
  /** Give up once the target's log-probability falls below this: it can only fall further. */
  readonly floorLogProbability?: number;
}

/**
 * Greedy constrained decoding from the prompt's last logits. With `speculate`, each pass also
 * verifies a prompt-lookup draft; the output is identical to plain greedy decoding, only the
 * number of passes changes. `limit` counts `forced` ids too. Returns undefined when stopped
 * early or abandoned under the floor.
 */
export async function generateTarget(
  model: LoadedModel,
  promptIds: readonly number[],
  firstLogits: Float32Array,
  initialState: TargetState,
  limit: number,
  shouldStop: ShouldStop,
  options: GenerateOptions = {},
): Promise<Generation | undefined> {
  const { speculate = true, copyBiasNats = COPY_BIAS_NATS, forced = [], floorLogProbability = -Infinity } = options;
  const vocabSize = model.manifest.vocabSize;
  let state = initialState;
  let rows = [firstLogits];
  // Forced ids (already in the cache and in `initialState`) lead the target and seed prompt
  // lookup, but are not scored: the model did not choose them.
  const generated: number[] = [...forced];
  const copyHint = (): CopyHint | undefined => {
    // While a typed prefix is still owed, the prompt continues with the half-typed word's own
    // tokens ("in" "ne" for "inne"): leaning towards them would undo the healing into "inner".
    if (copyBiasNats <= 0 || generated.length === 0 || owesTypedPrefix(state)) return undefined;
    const id = lookupDraft(promptIds, generated, 1)[0];
    return id === undefined ? undefined : { id, biasNats: copyBiasNats };
  };
  let logProbabilitySum = 0;
  let forwardPasses = 0;
  // The prefill's last row behaves like a pass that verified no draft.
  let pendingDraft: readonly number[] = [];
  let baseLength = model.cache.length - 1;
  for (;;) {
    // Walk the verified rows: row i scores the token after generated[..i]; a draft token that
    // disagrees with the greedy choice ends the walk (its row and the rest are discarded).
    let accepted = 0;
    let finished = false;
    for (const row of rows) {
      const choice = pickToken(row, state, copyHint());
      if (!choice) return undefined;
      generated.push(choice.id);
      logProbabilitySum += choice.logProbability;
      if (logProbabilitySum < floorLogProbability) {
        // As after an accepted token: the cache ends with the input of the row just read.
        model.cache.truncate(baseLength + accepted + 1);
        return undefined;
      }
      state = advanceTarget(state, choice.id);
      accepted++;
      finished = state.phase === 'done' || state.phase === 'invalid' || state.phase === 'after_no_change' || generated.length >= limit;
      if (finished || rows.length === 1 || choice.id !== pendingDraft[accepted - 1]) break;
    }
    // Positions past the accepted prefix hold rejected draft tokens.
    model.cache.truncate(baseLength + accepted);
    if (finished) return { ids: generated, logProbabilitySum, state, forwardPasses };
    if (shouldStop()) return undefined;
    const last = generated[generated.length - 1]!;
    const draft = speculate ? lookupDraft(promptIds, generated, Math.max(0, Math.min(MAX_DRAFT_TOKENS, limit - generated.length - 1))) : [];
    pendingDraft = draft;
    baseLength = model.cache.length;
    const logits = await forward(model, [last, ...draft]);
    forwardPasses++;
    rows = Array.from({ length: draft.length + 1 }, (_, index) => logits.subarray(index * vocabSize, (index + 1) * vocabSize));
  }
}

/** Prefills one window's prompt (reusing the longest cached prefix) and decodes its target. */
export async function decodeWindow(
  model: LoadedModel,
  input: DecodeInput,
  windowIndex: number,
  maxNewTokens: number,
  shouldStop: ShouldStop,
  counters: { forwardPasses: number; reusedPositions: number },
  speculate = true,
): Promise<DecodeResult | undefined> {
  const window = input.windows[windowIndex]!;
  const prompt = serializePrompt({ history: input.history, snippets: input.snippets, window }, model.tokenizer);
  const typedLine = typedLineOf(window, prompt.truncatedSlots);
  // A typed line cut short in the prompt cannot be completed: its full text is not shown.
  if (window.typing && !typedLine) return undefined;
  const options = { lockedSlots: prompt.truncatedSlots, ...(typedLine ? { typedLine } : {}) };
  // The typed line's opening is known, so it is prefilled with the prompt rather than decoded
  // a pass at a time, and the score judges only what the model adds to it.
  const forced = typedLine ? typedLineOpening(typedLine, model.tokenizer) : [];
  let initial = initialTargetState(model.tokenizer, window.lines.length, options);
  for (const id of forced) initial = advanceTarget(initial, id);
  if (initial.phase === 'invalid') throw new Error(`typed line opening rejected by the grammar: ${initial.reason}`);
  const ids = [...prompt.ids, ...forced];
  const typedLimit = typedLine ? MAX_TYPED_LINE_TOKENS + model.tokenizer.encode(typedLine.suffix).length : maxNewTokens;
  const limit = Math.min(typedLimit, maxNewTokens, model.manifest.maxPositions - ids.length);
  if (limit <= 0) return undefined;
  const prefill = await prefillPrompt(model, ids, typedLine ? prompt.ids.length : ids.length, shouldStop, counters);
  if (!prefill) return undefined;
  const { firstLogits } = prefill;
  // While typing, the model first says whether the typed line changes at all: a line the user
  // has finished reads as <|no_change|>. Decoding forces the opening, so its probability (of
  // <|replace|> and the line's slot) joins every score here, or a finished line's likeliest
  // continuation would be scored as if the user were sure to go on.
  const opening = typedLine ? openingLogProbability(prefill.openingRows, forced) : 0;
  // An answer less likely than the caller can use is not worth finishing.
  const floor = Math.log(input.minScore ?? 0) - opening;
  const drafts = typedLine ? await scoreDrafts(model, window, typedLine, forced, firstLogits, initial, limit, shouldStop, floor) : undefined;
  counters.forwardPasses += drafts?.forwardPasses ?? 0;
  const drafted = drafts?.scored.reduce<ScoredDraft | undefined>((best, draft) => (!best || draft.logProbabilitySum > best.logProbabilitySum ? draft : best), undefined);
  const draftResult = drafted && { newLines: drafted.newLines, score: Math.exp(opening + drafted.logProbabilitySum) };
  // Probabilities sum to one: no target the model could write is likelier than a draft it
  // gives more than half, so decoding one would only spend the budget.
  if (draftResult && draftResult.score > 0.5) return draftResult;
  // A generation less likely than the best draft would lose to it: stop it there.
  const generationFloor = Math.max(floor, drafted?.logProbabilitySum ?? -Infinity);
  const generation = await generateTarget(model, prompt.ids, firstLogits, initial, forced.length + limit, shouldStop, {
    speculate,
    forced,
    floorLogProbability: generationFloor,
  });
  if (!generation) return draftResult;
  counters.forwardPasses += generation.forwardPasses;
  // <|no_change|> decides the answer; the forced <|eos|> after it is not worth a pass.
  if (generation.state.phase === 'after_no_change') return { newLines: null, score: generationScore(generation) };
  const parsed = generation.state.phase === 'done' ? parseTarget(generation.ids, window, model.tokenizer, options) : undefined;
  if (!parsed || parsed.kind === 'invalid' || (drafted && drafted.logProbabilitySum >= generation.logProbabilitySum)) return draftResult;
  return { newLines: parsed.kind === 'change' ? parsed.newLines : null, score: Math.exp(opening) * generationScore(generation) };
}

interface Prefill {
  /** The row the first unforced target token is chosen from. */
  readonly firstLogits: Float32Array;
  /** Rows from the prompt's last position on: each predicts the next forced id, then the first free one. */
  readonly openingRows: readonly Float32Array[];
}

/**
 * Runs `ids` into the cache, reusing the longest cached prefix, and returns the rows from
 * `promptLength - 1` on (the forced ids after the prompt need theirs, so the cache is never
 * restored past the prompt). Undefined when stopped.
 */
async function prefillPrompt(
  model: LoadedModel,
  ids: readonly number[],
  promptLength: number,
  shouldStop: ShouldStop,
  counters: { forwardPasses: number; reusedPositions: number },
): Promise<Prefill | undefined> {
  const { cache, prefixes } = model;
  const vocabSize = model.manifest.vocabSize;
  const firstRowPosition = promptLength - 1;
  let done = prefixes.restoreLongestPrefix(ids.slice(0, promptLength), cache);
  counters.reusedPositions += done;
  const rows: Float32Array[] = [];
  while (done < ids.length) {
    if (shouldStop()) return undefined;
    const chunk = ids.slice(done, done + PREFILL_CHUNK_TOKENS);
    const end = done + chunk.length;
    // Only the rows from the prompt's last position on are decoded from.
    const wanted = Math.max(1, end - Math.max(done, firstRowPosition));
    const logits = await forward(model, chunk, wanted);
    counters.forwardPasses++;
    for (let row = 0; row < wanted; row++) {
      if (end - wanted + row >= firstRowPosition) rows.push(logits.subarray(row * vocabSize, (row + 1) * vocabSize));
    }
    done = end;
  }
  if (rows.length !== ids.length - firstRowPosition) return undefined;
  prefixes.remember(ids, cache);
  return { firstLogits: rows[rows.length - 1]!, openingRows: rows };
}

/** The log-probability of the forced opening's ops (<|replace|> and the slot), the line's own text aside. */
export function openingLogProbability(rows: readonly Float32Array[], forced: readonly number[]): number {
  let sum = 0;
  for (let index = 0; index < TYPED_LINE_OPENING_OPS && index < forced.length; index++) sum += logProbability(rows[index]!, forced[index]!);
  return sum;
}

/**
 * The model's confidence in a generated target: its probability of exactly these tokens (for
 * <|no_change|>, that token's). A suggestion is right only when every token is, so a long edit
 * that copies most of its line and guesses one word is scored by the guess; the mean
 * log-probability, used before, rated such edits 0.5-0.8 while almost none were right
 * (training/evaluate.mjs, session 4).
 */
export function generationScore(generation: Generation): number {
  return Math.exp(generation.logProbabilitySum);
}
