// A scripted NextEditEngine for adapter tests: it records every call and answers predict() with
// whatever the test queued, keeping documents' text in sync like the real engine.

import type { NextEditEngine, PredictOptions } from '../../../src/core/engineApi';
import type { ChangeEvent, Cursor, Explanation, PredictionResult, ScoredEdit, Suggestion } from '../../../src/core/types';

export class FakeEngine implements NextEditEngine {
  readonly calls: string[] = [];
  readonly recorded: ChangeEvent[] = [];
  readonly texts = new Map<string, string>();
  readonly predictions: Cursor[] = [];
  readonly suggestions = new Map<string, Suggestion>();
  readonly feedback: string[] = [];
  /** What the next predict() calls answer, given the cursor. */
  answer: (cursor: Cursor) => PredictionResult = () => ({ kind: 'none', reason: 'nothing predictable', latencyMs: 1 });
  acceptChanges = true;

  openDocument(path: string, text: string): void {
    this.calls.push(`open ${path}`);
    this.texts.set(path, text);
  }
  closeDocument(path: string): void {
    this.calls.push(`close ${path}`);
    this.texts.delete(path);
  }
  deleteDocument(path: string): void {
    this.calls.push(`delete ${path}`);
  }
  recordChange(event: ChangeEvent): boolean {
    this.calls.push(`record ${event.path}`);
    if (!this.acceptChanges) return false;
    this.recorded.push(event);
    return true;
  }
  async predict(cursor: Cursor, _options: PredictOptions, signal: AbortSignal): Promise<PredictionResult> {
    this.predictions.push(cursor);
    if (signal.aborted) return { kind: 'none', reason: 'cancelled', latencyMs: 0 };
    const result = this.answer(cursor);
    if (result.kind === 'suggestions') for (const suggestion of result.suggestions) this.suggestions.set(suggestion.id, suggestion);
    return result;
  }
  accepted(suggestionId: string): void {
    this.feedback.push(`accepted ${suggestionId}`);
  }
  rejected(suggestionId: string): void {
    this.feedback.push(`rejected ${suggestionId}`);
  }
  suggestion(suggestionId: string): Suggestion | undefined {
    return this.suggestions.get(suggestionId);
  }
  explain(suggestionId: string): Explanation | undefined {
    return this.suggestions.get(suggestionId)?.explanation;
  }
  documentText(path: string): string | undefined {
    return this.texts.get(path);
  }
  dispose(): void {
    this.calls.push('dispose');
  }
}

export function scoredEdit(path: string, line: number, start: number, end: number, text: string, score = 0.9): ScoredEdit {
  return { path, range: { start: { line, character: start }, end: { line, character: end } }, text, score, source: 'propagation' };
}

export function makeSuggestion(id: string, edits: ScoredEdit[], score = 0.9): Suggestion {
  return {
    id,
    edits,
    score,
    source: 'propagation',
    explanation: { pattern: 'add argument `options`', snippets: [], confidence: score, stageTimingsMs: { propagation: 1.5 } },
  };
}

export function answerWith(...suggestions: Suggestion[]): () => PredictionResult {
  return () => ({ kind: 'suggestions', suggestions, latencyMs: 7 });
}
