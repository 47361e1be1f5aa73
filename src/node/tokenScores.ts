// Log-probabilities of target tokens, as decoding and draft scoring both report them.

import { allowedNextTokens, owesTypedPrefix, type TargetState } from '../core/prompt';

/**
 * `id`'s log-probability as the target's next token in `state`. While a typed prefix is owed,
 * the user has already decided what those bytes are: only the tokens that agree with them
 * compete, so the probability is conditioned on them (token healing). Otherwise a half-typed
 * word scores as unlikely as a token the model would never pick there, since the model spreads
 * its mass over every way the line could have been written; "sock" healed into "socket" read
 * as 6e-6 under the full softmax. Everywhere else the full softmax.
 */
export function targetLogProbability(logits: Float32Array, state: TargetState, id: number): number {
  return logProbabilityAmong(logits, owesTypedPrefix(state) ? allowedNextTokens(state).onlyTextIds : undefined, id);
}

/** `id`'s log-probability under the full softmax. */
export function logProbability(logits: Float32Array, id: number): number {
  return logProbabilityAmong(logits, undefined, id);
}

function logProbabilityAmong(logits: Float32Array, ids: readonly number[] | undefined, id: number): number {
  let max = -Infinity;
  const each = (visit: (index: number) => void): void => {
    if (ids) for (const index of ids) visit(index);
    else for (let index = 0; index < logits.length; index++) visit(index);
  };
  each((index) => {
    if (logits[index]! > max) max = logits[index]!;
  });
  let sum = 0;
  each((index) => {
    sum += Math.exp(logits[index]! - max);
  });
  return (logits[id] ?? -Infinity) - max - Math.log(sum);
}
