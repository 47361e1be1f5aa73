import { describe, expect, it } from 'vitest';
import type { ChangeEvent, ScoredEdit, Suggestion } from '../../../src/core/types';
import { choosePresentation, confidentSuggestions, describeLocation, rebaseEdits } from '../../../src/vscode/presentation';

function edit(path: string, line: number, startCharacter: number, endCharacter: number, text: string): ScoredEdit {
  return { path, range: { start: { line, character: startCharacter }, end: { line, character: endCharacter } }, text, score: 0.9, source: 'propagation' };
}

function suggestion(edits: ScoredEdit[], score = 0.9): Suggestion {
  return { id: 's1', edits, score, source: 'propagation', explanation: { snippets: [], confidence: score, stageTimingsMs: {} } };
}

const cursor = { path: 'a.ts', position: { line: 5, character: 10 } };
const visible = [{ startLine: 0, endLine: 30 }];

describe('choosePresentation', () => {
  it('shows a single insertion at the cursor as ghost text', () => {
    expect(choosePresentation(suggestion([edit('a.ts', 5, 10, 10, ', options')]), cursor, visible)?.kind).toBe('ghost');
  });

  it('shows a replacement in view as an inline diff', () => {
    expect(choosePresentation(suggestion([edit('a.ts', 12, 4, 9, 'total')]), cursor, visible)?.kind).toBe('inline');
  });

  it('offers a jump to an edit out of view, pointing at it', () => {
    const far = edit('a.ts', 80, 4, 9, 'total');
    const presentation = choosePresentation(suggestion([edit('a.ts', 12, 4, 9, 'total'), far]), cursor, visible);
    expect(presentation?.kind).toBe('jump');
    if (presentation?.kind !== 'jump') return;
    expect(presentation.target).toBe(far);
    expect(presentation.inView).toHaveLength(1);
  });

  it('offers a jump to an edit in another file even when it is on a visible line number', () => {
    const other = edit('src/utils.ts', 3, 0, 0, 'x');
    const presentation = choosePresentation(suggestion([other]), cursor, visible);
    expect(presentation).toMatchObject({ kind: 'jump', target: other });
    expect(describeLocation(other)).toBe('utils.ts:4');
  });

  it('has nothing to show for an empty suggestion', () => {
    expect(choosePresentation(suggestion([]), cursor, visible)).toBeUndefined();
  });
});

describe('rebaseEdits', () => {
  const change = (line: number, start: number, end: number, text: string, path = 'a.ts'): ChangeEvent => ({
    path,
    range: { start: { line, character: start }, end: { line, character: end } },
    text,
  });

  it('moves an edit right when text is typed before it on its line', () => {
    const [moved] = rebaseEdits([edit('a.ts', 3, 10, 15, 'total')], change(3, 2, 2, 'abc')) ?? [];
    expect(moved?.range).toEqual({ start: { line: 3, character: 13 }, end: { line: 3, character: 18 } });
  });

  it('moves an edit down when lines are inserted above it', () => {
    const [moved] = rebaseEdits([edit('a.ts', 3, 10, 15, 'total')], change(1, 0, 0, 'x\ny\n')) ?? [];
    expect(moved?.range.start).toEqual({ line: 5, character: 10 });
  });

  it('leaves edits after the change untouched when the change is after them or in another file', () => {
    const original = edit('a.ts', 3, 10, 15, 'total');
    expect(rebaseEdits([original], change(9, 0, 0, 'z'))).toEqual([original]);
    expect(rebaseEdits([original], change(3, 0, 0, 'z', 'b.ts'))).toEqual([original]);
  });

  it('gives up when the change touches an edit', () => {
    expect(rebaseEdits([edit('a.ts', 3, 10, 15, 'total')], change(3, 12, 13, 'q'))).toBeUndefined();
    expect(rebaseEdits([edit('a.ts', 3, 10, 10, ', x')], change(3, 10, 10, 'q'))).toBeUndefined();
  });

  it('shifts a position on the last line of a multi-line change', () => {
    expect(rebaseEdits([edit('a.ts', 2, 8, 8, 'x')], change(2, 4, 6, 'ab\ncd'))?.[0]?.range.start).toEqual({ line: 3, character: 4 });
  });
});

describe('confidentSuggestions', () => {
  it('drops suggestions under the minimum confidence', () => {
    const strong = suggestion([edit('a.ts', 1, 0, 0, 'x')], 0.8);
    const weak = suggestion([edit('a.ts', 1, 0, 0, 'y')], 0.1);
    expect(confidentSuggestions([weak, strong], 0.45)).toEqual([strong]);
  });
});
