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

export function modelWindows(cursor: Cursor, text: string, candidates: readonly Suggestion[], history: readonly RecordedEdit[]): EditWindow[] {
  const cursorWindow = buildWindow(cursor.path, text, cursor.position, cursor.position.line, WINDOW_LINES_ABOVE, WINDOW_LINES_BELOW);
  const windows = [isTypingAt(cursor, history) ? { ...cursorWindow, typing: true } : cursorWindow];
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

/** The newest edit inserted text that ends exactly at the cursor: the user is typing there. */
export function isTypingAt(cursor: Cursor, history: readonly RecordedEdit[]): boolean {
  const last = history[history.length - 1];
  if (!last || last.path !== cursor.path || last.insertedText === '') return false;
  const lines = last.insertedText.split(/\r\n|\r|\n/);
  const end =
    lines.length === 1
      ? { line: last.range.start.line, character: last.range.start.character + lines[0]!.length }
      : { line: last.range.start.line + lines.length - 1, character: lines[lines.length - 1]!.length };
  return end.line === cursor.position.line && end.character === cursor.position.character;
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
    // While typing, only a completion (an insertion at the cursor) is offered: an edit that
    // rewrites what the user just typed is a model that did not follow.
    const completion = cursorCompletion(prediction.window, prediction.newLines, eol);
    const edit = prediction.window.typing ? completion : (completion ?? windowEdit(prediction.window, prediction.newLines, eol));
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
        pattern: prediction.window.typing
          ? 'completes what you are typing, predicted by the local model from the code around the cursor'
          : 'predicted by the local model from the recent edits and the code around the cursor',
        snippets: [],
        confidence: prediction.score,
        stageTimingsMs: {},
      },
    });
  }
  return suggestions;
}
