// A scripted NextEditEngine for adapter tests: it records every call and answers predict() with
// whatever the test queued, keeping documents' text in sync like the real engine and, like it,
// stamping every suggested edit with the text it replaces there.

import { applyEdits } from '../../../src/core/edits';
import type { NextEditEngine, PredictOptions } from '../../../src/core/engineApi';
import { replacedTextReader } from '../../../src/core/replacedText';
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
    const text = this.texts.get(event.path);
    if (!this.acceptChanges || text === undefined) return false;
    const applied = applyEdits(text, [event]);
    if (applied.kind !== 'applied') return false;
    this.texts.set(event.path, applied.text);
    this.recorded.push(event);
    return true;
  }
  async predict(cursor: Cursor, _options: PredictOptions, signal: AbortSignal): Promise<PredictionResult> {
    this.predictions.push(cursor);
    if (signal.aborted) return { kind: 'none', reason: 'cancelled', latencyMs: 0 };
    const answer = this.answer(cursor);
    if (answer.kind === 'none') return answer;
    // Edits in files this engine does not know keep no `replaced`, which the editor must refuse.
    const stamp = replacedTextReader((path) => this.texts.get(path));
    const suggestions = answer.suggestions.map((suggestion) => ({ ...suggestion, edits: stamp(suggestion.edits) ?? suggestion.edits }));
    for (const suggestion of suggestions) this.suggestions.set(suggestion.id, suggestion);
    return { ...answer, suggestions };
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
