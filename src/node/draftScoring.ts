// Completion drafts, judged by the model: each draft's target (the typed line with the draft
// inserted at the cursor) is read through the model in one forward pass from the prompt's cached
// keys and values, and scored by the model's probability of exactly those tokens, the same
// measure a generated answer gets. A small model that writes a plausible but wrong word can still
// tell which of a few real candidates fits (models/FORMAT.md, "Completion drafts").

import { advanceTarget, isAllowedNext, linesWithInsertion, serializeTarget } from '../core/prompt';
import type { EditWindow } from '../core/ports';
import type { TargetState, TypedLine } from '../core/prompt';
import type { ShouldStop } from './decoding';
import { forward } from './loadedModel';
import { targetLogProbability } from './tokenScores';
import type { LoadedModel } from './loadedModel';

export interface ScoredDraft {
  readonly draft: string;
  readonly newLines: readonly string[];
  /** Log-probability of the draft's target after the forced opening. */
  readonly logProbabilitySum: number;
}

export interface DraftScores {
  /** The drafts that fit the grammar and the floor, in the window's order. */
  readonly scored: readonly ScoredDraft[];
  readonly forwardPasses: number;
}

/**
 * The model's log-probability of each of the window's drafts that fits the grammar and scores at
 * least `floorLogProbability`, until time runs out. The cache must hold exactly the prompt and
 * `forced` (as after the prefill); it is left so.
 */
export async function scoreDrafts(
  model: LoadedModel,
  window: EditWindow,
  typedLine: TypedLine,
  forced: readonly number[],
  firstLogits: Float32Array,
  initialState: TargetState,
  limit: number,
  shouldStop: ShouldStop,
  floorLogProbability = -Infinity,
): Promise<DraftScores> {
  const promptLength = model.cache.length;
  const scored: ScoredDraft[] = [];
  let forwardPasses = 0;
  for (const draft of window.drafts ?? []) {
    if (shouldStop()) break;
    const newLines = linesWithInsertion(window, typedLine, draft);
    const walk = draftWalk(serializeTarget(window, newLines, model.tokenizer), forced, initialState, limit);
    if (!walk) continue;
    const { ids, states } = walk;
    let logProbabilitySum = targetLogProbability(firstLogits, states[0]!, ids[0]!);
    // Its first token already puts the draft under the floor: no pass can lift it back.
    if (logProbabilitySum < floorLogProbability) continue;
    if (ids.length > 1) {
      // Row i predicts ids[i + 1]; the last token needs no row of its own.
      const logits = await forward(model, ids.slice(0, -1));
      forwardPasses++;
      model.cache.truncate(promptLength);
      const vocabSize = model.manifest.vocabSize;
      for (let index = 1; index < ids.length; index++) {
        logProbabilitySum += targetLogProbability(logits.subarray((index - 1) * vocabSize, index * vocabSize), states[index]!, ids[index]!);
      }
    }
    if (logProbabilitySum >= floorLogProbability) scored.push({ draft, newLines, logProbabilitySum });
  }
  return { scored, forwardPasses };
}

/**
 * The draft target's ids after the forced opening and the grammar's state before each, when it
 * opens with that opening, walks the typed-line grammar to its end and fits in `limit`.
 */
export function draftWalk(
  target: readonly number[],
  forced: readonly number[],
  initialState: TargetState,
  limit: number,
): { readonly ids: readonly number[]; readonly states: readonly TargetState[] } | undefined {
  if (target.length <= forced.length || forced.some((id, index) => target[index] !== id)) return undefined;
  const ids = target.slice(forced.length);
  if (ids.length > limit) return undefined;
  const states: TargetState[] = [];
  let state = initialState;
  for (const id of ids) {
    if (!isAllowedNext(state, id)) return undefined;
    states.push(state);
    state = advanceTarget(state, id);
  }
  return state.phase === 'done' ? { ids, states } : undefined;
}
