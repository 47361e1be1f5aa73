import { describe, expect, it } from 'vitest';
import {
  BASE_CONFIDENCE,
  DEFAULT_MIN_SCORE,
  MAX_THRESHOLD_OFFSET,
  MIN_CONFIRMING_SCORE,
  propagationConfidence,
  Ranker,
  suggestionKind,
  type PropagationFeatures,
} from '../../src/core/ranker';
import type { ScoredEdit, Suggestion, SuggestionSource } from '../../src/core/types';

function edit(line: number, text: string, source: SuggestionSource, score: number): ScoredEdit {
  return { path: 'a.ts', range: { start: { line, character: 0 }, end: { line, character: 3 } }, text, score, source };
}

function suggestion(id: string, score: number, source: SuggestionSource = 'propagation', edits?: ScoredEdit[]): Suggestion {
  return {
    id,
    edits: edits ?? [edit(1, id, source, score)],
    score,
    source,
    explanation: { snippets: [], confidence: score, stageTimingsMs: {} },
  };
}

const plainRename: PropagationFeatures = {
  kind: 'rename',
  priorApplications: 0,
  contextStrength: 1,
  distanceLines: 3,
  sameFile: true,
  targetKnown: false,
  oldNameOrphaned: false,
  siteCount: 2,
};

describe('propagationConfidence', () => {
  it('starts from the pattern kind and stays in [0, 1]', () => {
    expect(propagationConfidence({ ...plainRename, distanceLines: 0 })).toBeCloseTo(BASE_CONFIDENCE.rename, 5);
    const maximal = { ...plainRename, priorApplications: 50, targetKnown: true, oldNameOrphaned: true };
    expect(propagationConfidence(maximal)).toBeLessThanOrEqual(1);
    expect(propagationConfidence({ ...plainRename, kind: 'replace', contextStrength: -5, siteCount: 100, sameFile: false })).toBeGreaterThanOrEqual(0);
  });

  it('rewards repetition, known targets and orphaned names; penalizes distance, weak context and other files', () => {
    const base = propagationConfidence(plainRename);
    expect(propagationConfidence({ ...plainRename, priorApplications: 2 })).toBeGreaterThan(propagationConfidence({ ...plainRename, priorApplications: 1 }));
    expect(propagationConfidence({ ...plainRename, priorApplications: 1 })).toBeGreaterThan(base);
    expect(propagationConfidence({ ...plainRename, targetKnown: true })).toBeGreaterThan(base);
    expect(propagationConfidence({ ...plainRename, oldNameOrphaned: true })).toBeGreaterThan(base);
    expect(propagationConfidence({ ...plainRename, distanceLines: 400 })).toBeLessThan(base);
    expect(propagationConfidence({ ...plainRename, contextStrength: 0.5 })).toBeLessThan(base);
    expect(propagationConfidence({ ...plainRename, sameFile: false })).toBeLessThan(base);
  });

  it('leaves a single weakly matched generic replacement below the default threshold', () => {
    const weak = { ...plainRename, kind: 'replace' as const, contextStrength: 0.5, distanceLines: 40 };
    expect(propagationConfidence(weak)).toBeLessThan(DEFAULT_MIN_SCORE);
    expect(propagationConfidence({ ...weak, priorApplications: 1 })).toBeGreaterThan(DEFAULT_MIN_SCORE);
  });
});

describe('Ranker', () => {
  it('orders by score, best first, and returns nothing when every candidate is unsure', () => {
    const ranker = new Ranker({ minScore: 0.5 });
    // The model's edit is on other lines than the symbolic ones (same lines would contest them).
    const ranked = ranker.rank([suggestion('propagation-replace-1', 0.55), suggestion('model-2', 0.9, 'model', [edit(20, 'x', 'model', 0.9)]), suggestion('propagation-rename-3', 0.7)]);
    expect(ranked.map((item) => item.id)).toEqual(['model-2', 'propagation-rename-3', 'propagation-replace-1']);
    expect(ranker.rank([suggestion('propagation-rename-4', 0.3), suggestion('model-5', 0.49, 'model')])).toEqual([]);
    expect(ranker.rank([])).toEqual([]);
  });

  it('prefers the symbolic suggestion on a tie and drops duplicates by id', () => {
    const ranker = new Ranker();
    const ranked = ranker.rank([suggestion('model-1', 0.7, 'model', [edit(20, 'x', 'model', 0.7)]), suggestion('propagation-rename-2', 0.7), suggestion('propagation-rename-2', 0.6)]);
    expect(ranked.map((item) => [item.id, item.score])).toEqual([
      ['propagation-rename-2', 0.7],
      ['model-1', 0.7],
    ]);
  });

  it('boosts a propagation suggestion that the model independently predicted, and drops the copy', () => {
    const ranker = new Ranker();
    const shared = edit(4, 'total', 'propagation', 0.45);
    const propagation = suggestion('propagation-rename-1', 0.45, 'propagation', [shared, edit(9, 'total', 'propagation', 0.45)]);
    const model = suggestion('model-2', 0.8, 'model', [{ ...shared, source: 'model' }]);
    const ranked = ranker.rank([model, propagation]);
    expect(ranked).toHaveLength(1);
    expect(ranked[0]!.id).toBe('propagation-rename-1');
    expect(ranked[0]!.score).toBeCloseTo(0.55, 5);
    // An answer the model itself finds unlikely is no evidence: nothing is boosted.
    const unsure = suggestion('model-3', MIN_CONFIRMING_SCORE / 2, 'model', [{ ...shared, source: 'model' }]);
    expect(new Ranker({ minScore: 0.4 }).rank([unsure, propagation]).map((item) => [item.id, item.score])).toEqual([['propagation-rename-1', 0.45]]);
  });

  it('tells the model the lowest score at which its answers still count', () => {
    const ranker = new Ranker();
    // Shown from the model's threshold, but confirming from MIN_CONFIRMING_SCORE.
    expect(ranker.modelScoreFloor()).toBe(Math.min(DEFAULT_MIN_SCORE, MIN_CONFIRMING_SCORE));
    expect(new Ranker({ minScore: 0 }).modelScoreFloor()).toBe(0);
    expect(new Ranker({ minScore: 0.05 }).modelScoreFloor()).toBe(0.05);
    const model = suggestion('model-1', 0.9, 'model', [edit(4, 'x', 'model', 0.9)]);
    for (let count = 0; count < 100; count++) ranker.accepted(model);
    expect(ranker.modelScoreFloor()).toBe(MIN_CONFIRMING_SCORE);
  });

  it('ranks a model edit that contests a propagation edit on the same lines below it', () => {
    const propagation = suggestion('propagation-deleteLines-1', 0.53, 'propagation', [edit(4, '', 'propagation', 0.53)]);
    const contesting = suggestion('model-1', 0.56, 'model', [edit(4, 'other', 'model', 0.56)]);
    const elsewhere = suggestion('model-2', 0.56, 'model', [edit(9, 'other', 'model', 0.56)]);
    const ranked = new Ranker().rank([contesting, propagation, elsewhere]);
    expect(ranked.map((item) => item.id)).toEqual(['model-2', 'propagation-deleteLines-1', 'model-1']);
    expect(ranked[2]!.score).toBeCloseTo(0.52, 5);
    // Capped under the threshold, it is not shown at all.
    expect(new Ranker().rank([suggestion('model-1', 0.9, 'model', [edit(4, 'x', 'model', 0.9)]), suggestion('propagation-x-1', 0.5, 'propagation', [edit(4, '', 'propagation', 0.5)])]).map((item) => item.id)).toEqual(['propagation-x-1']);
    // A propagation suggestion too weak to be shown contests nothing.
    const weak = suggestion('propagation-x-2', 0.3, 'propagation', [edit(4, '', 'propagation', 0.3)]);
    expect(new Ranker().rank([contesting, weak]).map((item) => [item.id, item.score])).toEqual([['model-1', 0.56]]);
  });

  it('raises the threshold of a kind the user rejects, lowers it on accepts, within bounds', () => {
    const ranker = new Ranker({ minScore: 0.5 });
    const replace = suggestion('propagation-replace-9', 0.52);
    const rename = suggestion('propagation-rename-9', 0.52);
    ranker.rejected(replace);
    expect(ranker.rank([replace, rename]).map((item) => item.id)).toEqual(['propagation-rename-9']);
    for (let count = 0; count < 100; count++) ranker.rejected(replace);
    expect(ranker.threshold('propagation:replace')).toBeCloseTo(0.5 + MAX_THRESHOLD_OFFSET, 5);
    for (let count = 0; count < 100; count++) ranker.accepted(rename);
    expect(ranker.threshold('propagation:rename')).toBeGreaterThanOrEqual(0.35 - 1e-9);
    expect(ranker.rank([suggestion('propagation-rename-10', 0.4)])).toHaveLength(1);
    expect(ranker.threshold('model')).toBe(0.5);
  });

  it('buckets feedback by source and pattern kind', () => {
    expect(suggestionKind(suggestion('propagation-insertLines-abc', 1))).toBe('propagation:insertLines');
    expect(suggestionKind(suggestion('model-abc', 1, 'model'))).toBe('model');
    expect(suggestionKind(suggestion('whatever', 1))).toBe('propagation');
  });

  it('rejects invalid options at construction', () => {
    expect(() => new Ranker({ minScore: 1.5 })).toThrow(TypeError);
    expect(() => new Ranker({ minScore: Number.NaN })).toThrow(TypeError);
    expect(() => new Ranker({ minScore: '0.5' as never })).toThrow(TypeError);
    expect(new Ranker({ minScore: 0 }).threshold('model')).toBe(0);
  });
});
