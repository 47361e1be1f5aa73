// Scores symbolic (propagation) suggestions and orders suggestions from every source, keeping
// only those above an eagerness threshold: "no suggestion" is the right answer whenever the
// next edit is not predictable, because a wrong suggestion costs the user more than none.
//
// Propagation confidence, in [0, 1], is computed per site by `propagationConfidence`:
//   base(kind)                      how often that kind of pattern is what the user does next
//   + 0.15 per prior application    the same change already made earlier in the history (≤ +0.3)
//   + 0.08 if the target is known   a rename to a name the workspace already uses or defines
//   + 0.10 if the old name orphaned a rename whose old name has no declaration left: the
//                                   remaining uses are now dangling references
//   × (1 − 0.2 × (1 − context))     how exactly the site's neighbouring tokens match the edit's
//   − 0.12 × min(1, lines / 400)    distance from the cursor within the file
//   − 0.06 for another file         cross-file sites are right less often than local ones
//   − 0.05 for many generic sites   a replacement, insertion or deletion matching > 12 sites
// The Ranker then adds a per-kind threshold offset learned from accept/reject feedback.

import type { PatternKind } from './patterns';
import type { Suggestion } from './types';
import { unitInterval } from './validation';

export interface PropagationFeatures {
  readonly kind: PatternKind;
  /** Earlier edits in the history that made the very same change. */
  readonly priorApplications: number;
  /** How well the site's surrounding tokens match the edit's, in [0, 1]. */
  readonly contextStrength: number;
  /** Lines between the cursor and the site, for sites in the cursor's file. */
  readonly distanceLines: number;
  readonly sameFile: boolean;
  /** For renames: the new name is defined or used elsewhere in the workspace. */
  readonly targetKnown: boolean;
  /** For renames: the old name has no declaration left. */
  readonly oldNameOrphaned: boolean;
  readonly siteCount: number;
}

export const BASE_CONFIDENCE: Readonly<Record<PatternKind, number>> = {
  rename: 0.62,
  member: 0.58,
  argument: 0.6,
  parameter: 0.62,
  replace: 0.56,
  insertLines: 0.56,
  deleteLines: 0.56,
  commentWord: 0.56,
};
export const PRIOR_APPLICATION_BONUS = 0.15;
export const MAX_PRIOR_APPLICATION_BONUS = 0.3;
export const TARGET_KNOWN_BONUS = 0.08;
export const OLD_NAME_ORPHANED_BONUS = 0.1;
export const CONTEXT_WEIGHT = 0.2;
export const MAX_DISTANCE_PENALTY = 0.12;
export const DISTANCE_SCALE_LINES = 400;
export const OTHER_FILE_PENALTY = 0.06;
export const MANY_SITES_PENALTY = 0.05;
export const MANY_SITES_COUNT = 12;
const GENERIC_KINDS: ReadonlySet<PatternKind> = new Set(['replace', 'insertLines', 'deleteLines', 'commentWord']);

export function propagationConfidence(features: PropagationFeatures): number {
  let score = BASE_CONFIDENCE[features.kind];
  score += Math.min(MAX_PRIOR_APPLICATION_BONUS, PRIOR_APPLICATION_BONUS * Math.max(0, features.priorApplications));
  if (features.targetKnown) score += TARGET_KNOWN_BONUS;
  if (features.oldNameOrphaned) score += OLD_NAME_ORPHANED_BONUS;
  score *= 1 - CONTEXT_WEIGHT * (1 - clamp01(features.contextStrength));
  if (features.sameFile) score -= MAX_DISTANCE_PENALTY * Math.min(1, Math.abs(features.distanceLines) / DISTANCE_SCALE_LINES);
  else score -= OTHER_FILE_PENALTY;
  if (GENERIC_KINDS.has(features.kind) && features.siteCount > MANY_SITES_COUNT) score -= MANY_SITES_PENALTY;
  return round(clamp01(score));
}

export const DEFAULT_MIN_SCORE = 0.5;
/** Accepting lowers a kind's threshold a little; rejecting raises it more (wrong costs more). */
export const ACCEPT_THRESHOLD_STEP = 0.02;
export const REJECT_THRESHOLD_STEP = 0.05;
export const MIN_THRESHOLD_OFFSET = -0.15;
export const MAX_THRESHOLD_OFFSET = 0.25;
/** A model suggestion that proposes exactly a propagation edit confirms it. */
export const AGREEMENT_BONUS = 0.1;
/**
 * ...if the model finds it at least this likely: an answer it gives one chance in a thousand is
 * no evidence, and without a floor the model would have to finish every answer to learn that.
 */
export const MIN_CONFIRMING_SCORE = 0.1;
/**
 * A model suggestion that edits the lines of a propagation suggestion differently contests it,
 * and ranks this far below it: the model was asked about that window because of the symbolic
 * candidate, and on the benchmark the symbolic one is the more often right (47% precision).
 */
export const CONTESTED_MARGIN = 0.01;

export interface RankerOptions {
  /** Suggestions scoring below this (plus the learned offset of their kind) are dropped. */
  readonly minScore?: number;
}

const PROPAGATION_ID = /^propagation-([A-Za-z]+)-/;

/** The feedback bucket of a suggestion: `propagation:rename`, `model`, ... */
export function suggestionKind(suggestion: Suggestion): string {
  if (suggestion.source !== 'propagation') return suggestion.source;
  const match = PROPAGATION_ID.exec(suggestion.id);
  return match ? `propagation:${match[1]}` : 'propagation';
}

export class Ranker {
  private readonly minScore: number;
  private readonly offsets = new Map<string, number>();

  constructor(options: RankerOptions = {}) {
    this.minScore = unitInterval('minScore', options.minScore ?? DEFAULT_MIN_SCORE);
  }

  /** The score a suggestion of this kind needs to be shown. */
  threshold(kind: string): number {
    return clamp01(this.minScore + (this.offsets.get(kind) ?? 0));
  }

  /**
   * The lowest score at which a model suggestion can still change what is shown, by being shown
   * or by confirming a propagation edit: the model may stop decoding an answer below it.
   */
  modelScoreFloor(): number {
    return Math.min(this.threshold('model'), MIN_CONFIRMING_SCORE);
  }

  /** Best first; only suggestions above their kind's threshold; possibly none. */
  rank(suggestions: readonly Suggestion[]): Suggestion[] {
    const confirmed = new Set<string>();
    const kept: Suggestion[] = [];
    for (const suggestion of suggestions) {
      const twin =
        suggestion.source === 'propagation' || suggestion.score < MIN_CONFIRMING_SCORE
          ? undefined
          : suggestions.find((other) => other.source === 'propagation' && sameEdits(suggestion, other));
      if (twin) confirmed.add(twin.id);
      else kept.push(suggestion);
    }
    const best = new Map<string, Suggestion>();
    for (const suggestion of kept) {
      // Only by a propagation suggestion that would be shown: a weak one is no evidence against it.
      const contested =
        suggestion.source === 'propagation'
          ? []
          : suggestions.filter((other) => other.source === 'propagation' && other.score >= this.threshold(suggestionKind(other)) && overlaps(suggestion, other));
      const ceiling = contested.length === 0 ? 1 : Math.min(...contested.map((other) => other.score)) - CONTESTED_MARGIN;
      const score = clamp01(Math.min(ceiling, confirmed.has(suggestion.id) ? suggestion.score + AGREEMENT_BONUS : suggestion.score));
      const scored = score === suggestion.score ? suggestion : { ...suggestion, score, explanation: { ...suggestion.explanation, confidence: score } };
      const previous = best.get(scored.id);
      if (!previous || previous.score < scored.score) best.set(scored.id, scored);
    }
    return [...best.values()]
      .filter((suggestion) => suggestion.edits.length > 0 && suggestion.score >= this.threshold(suggestionKind(suggestion)))
      .sort(
        (a, b) =>
          b.score - a.score ||
          Number(b.source === 'propagation') - Number(a.source === 'propagation') ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
  }

  accepted(suggestion: Suggestion): void {
    this.nudge(suggestionKind(suggestion), -ACCEPT_THRESHOLD_STEP);
  }

  rejected(suggestion: Suggestion): void {
    this.nudge(suggestionKind(suggestion), REJECT_THRESHOLD_STEP);
  }

  private nudge(kind: string, step: number): void {
    const offset = (this.offsets.get(kind) ?? 0) + step;
    this.offsets.set(kind, Math.min(MAX_THRESHOLD_OFFSET, Math.max(MIN_THRESHOLD_OFFSET, offset)));
  }
}

/** Some edit of each touches a line of the other's in the same file. */
function overlaps(model: Suggestion, propagation: Suggestion): boolean {
  return model.edits.some((edit) =>
    propagation.edits.some(
      (other) => other.path === edit.path && edit.range.start.line <= other.range.end.line && other.range.start.line <= edit.range.end.line,
    ),
  );
}

/** A model suggestion whose edits all appear, identically, among a propagation suggestion's. */
function sameEdits(model: Suggestion, propagation: Suggestion): boolean {
  return (
    model.edits.length > 0 &&
    model.edits.every((edit) =>
      propagation.edits.some(
        (other) =>
          other.path === edit.path &&
          other.text === edit.text &&
          other.range.start.line === edit.range.start.line &&
          other.range.start.character === edit.range.start.character &&
          other.range.end.line === edit.range.end.line &&
          other.range.end.character === edit.range.end.character,
      ),
    )
  );
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
