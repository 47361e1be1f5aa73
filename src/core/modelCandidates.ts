// The bridge between the engine and the learned model: which windows to ask about, and how a
// predicted window turns into a suggestion with the same shape as the symbolic ones.

import type { EditWindow, WindowPrediction } from './ports';
import type { Cursor, RecordedEdit, ScoredEdit, Suggestion } from './types';
import { suggestionId } from './hash';
import { detectEol } from './text';
import { buildWindow, cursorCompletion, windowEdit } from './windowEdit';

export const WINDOW_LINES_ABOVE = 10;
export const WINDOW_LINES_BELOW = 10;
/** The cursor's window plus this many propagation sites are scored per request. */
export const MAX_EXTRA_WINDOWS = 2;

export function modelWindows(cursor: Cursor, text: string, candidates: readonly Suggestion[]): EditWindow[] {
  const windows = [buildWindow(cursor.path, text, cursor.position, cursor.position.line, WINDOW_LINES_ABOVE, WINDOW_LINES_BELOW)];
  for (const candidate of candidates) {
    if (windows.length > MAX_EXTRA_WINDOWS) break;
    const edit = candidate.edits[0];
    if (!edit || edit.path !== cursor.path) continue;
    const line = edit.range.start.line;
    if (windows.some((window) => line >= window.startLine && line < window.startLine + window.lines.length)) continue;
    windows.push(buildWindow(edit.path, text, undefined, line, WINDOW_LINES_ABOVE / 2, WINDOW_LINES_BELOW / 2));
  }
  return windows;
}

export function modelSuggestions(
  predictions: readonly WindowPrediction[],
  history: readonly RecordedEdit[],
  readText: (path: string) => string | undefined,
): Suggestion[] {
  const suggestions: Suggestion[] = [];
  for (const prediction of predictions) {
    if (!prediction.newLines) continue;
    const text = readText(prediction.window.path);
    if (text === undefined) continue;
    const eol = detectEol(text);
    // An insertion at the cursor is offered as one (ghost text), even where the smallest diff
    // would place the same characters a little further along the line.
    const edit = cursorCompletion(prediction.window, prediction.newLines, eol) ?? windowEdit(prediction.window, prediction.newLines, eol);
    if (!edit) continue;
    const scored: ScoredEdit = { ...edit, score: prediction.score, source: 'model' };
    const followsFrom = history[history.length - 1];
    suggestions.push({
      id: suggestionId('model', [edit]),
      edits: [scored],
      score: prediction.score,
      source: 'model',
      explanation: {
        ...(followsFrom ? { followsFrom } : {}),
        pattern: 'predicted by the local model from the recent edits and the code around the cursor',
        snippets: [],
        confidence: prediction.score,
        stageTimingsMs: {},
      },
    });
  }
  return suggestions;
}
