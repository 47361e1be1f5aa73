import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/edits';
import { SuggestionCache } from '../../src/core/suggestionCache';
import { advancePosition } from '../../src/core/text';
import type { ChangeEvent, Cursor, Position, Range, ScoredEdit, Suggestion } from '../../src/core/types';

const pointAt = (line: number, character: number): Position => ({ line, character });
const rangeOf = (start: Position, end: Position = start): Range => ({ start, end });
const cursorAt = (path: string, position: Position): Cursor => ({ path, position });

function scored(path: string, range: Range, text: string): ScoredEdit {
  return { path, range, text, score: 0.9, source: 'model' };
}

function suggestion(id: string, edits: ScoredEdit[]): Suggestion {
  return {
    id,
    edits,
    score: 0.9,
    source: 'model',
    explanation: { snippets: [], confidence: 0.9, stageTimingsMs: { model: 80 } },
  };
}

/** Documents the user edits; every change goes to the cache first, as the engine does. */
class Workspace {
  readonly texts = new Map<string, string>();

  constructor(readonly cache: SuggestionCache) {}

  change(path: string, range: Range, text: string): void {
    const event: ChangeEvent = { path, range, text };
    const result = applyEdits(this.texts.get(path) ?? '', [event]);
    if (result.kind !== 'applied') throw new Error(result.reason);
    this.texts.set(path, result.text);
    this.cache.observe(event);
  }

  type(path: string, at: Position, text: string): Position {
    let position = at;
    for (const character of text) {
      this.change(path, rangeOf(position), character);
      position = advancePosition(position, character);
    }
    return position;
  }

  text(path: string): string {
    return this.texts.get(path) ?? '';
  }
}

function lines(count: number, prefix = 'line'): string {
  return Array.from({ length: count }, (_, line) => `${prefix} ${line}`).join('\n');
}

describe('SuggestionCache typing-through', () => {
  const document = 'function tick() {\n  \n}\n';
  const anchor = pointAt(1, 2);

  function setUp(): { cache: SuggestionCache; workspace: Workspace } {
    const cache = new SuggestionCache();
    const workspace = new Workspace(cache);
    workspace.texts.set('a.ts', document);
    cache.store(cursorAt('a.ts', anchor), document, suggestion('s1', [scored('a.ts', rangeOf(anchor), 'counter += 1')]));
    return { cache, workspace };
  }

  it('offers the rest of the insertion at the new cursor without recomputing', () => {
    const { cache, workspace } = setUp();
    const cursor = workspace.type('a.ts', anchor, 'cou');
    const found = cache.lookup(cursorAt('a.ts', cursor), workspace.text('a.ts'));
    expect(found).toMatchObject({
      id: 's1',
      source: 'cache',
      edits: [{ range: rangeOf(pointAt(1, 5)), text: 'nter += 1', score: 0.9 }],
    });
    const completed = applyEdits(workspace.text('a.ts'), found!.edits);
    expect(completed).toEqual({ kind: 'applied', text: 'function tick() {\n  counter += 1\n}\n' });
  });

  it('answers a lookup in a large document well under 5 ms', () => {
    const cache = new SuggestionCache();
    const workspace = new Workspace(cache);
    const big = `${lines(20_000)}\n`;
    workspace.texts.set('big.ts', big);
    const at = pointAt(15_000, 7);
    cache.store(cursorAt('big.ts', at), big, suggestion('s', [scored('big.ts', rangeOf(at), ' = compute();')]));
    const cursor = workspace.type('big.ts', at, ' = c');
    const text = workspace.text('big.ts');
    const durationsMs: number[] = [];
    for (let attempt = 0; attempt < 21; attempt++) {
      const startMs = performance.now();
      const found = cache.lookup(cursorAt('big.ts', cursor), text);
      durationsMs.push(performance.now() - startMs);
      expect(found?.edits[0]?.text).toBe('ompute();');
    }
    // The median, because a loaded 2-core machine preempts single runs for tens of milliseconds.
    const medianMs = [...durationsMs].sort((a, b) => a - b)[10]!;
    expect(medianMs).toBeLessThan(5);
  });

  it('drops the suggestion when the user types something else', () => {
    const { cache, workspace } = setUp();
    const cursor = workspace.type('a.ts', anchor, 'cx');
    expect(cache.lookup(cursorAt('a.ts', cursor), workspace.text('a.ts'))).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('gives typed text back on backspace', () => {
    const { cache, workspace } = setUp();
    workspace.type('a.ts', anchor, 'cou');
    workspace.change('a.ts', rangeOf(pointAt(1, 4), pointAt(1, 5)), '');
    const found = cache.lookup(cursorAt('a.ts', pointAt(1, 4)), workspace.text('a.ts'));
    expect(found?.edits).toMatchObject([{ range: rangeOf(pointAt(1, 4)), text: 'unter += 1' }]);
  });

  it('evicts the suggestion once all of it was typed', () => {
    const { cache, workspace } = setUp();
    const cursor = workspace.type('a.ts', anchor, 'counter += 1');
    expect(cache.size).toBe(0);
    expect(cache.lookup(cursorAt('a.ts', cursor), workspace.text('a.ts'))).toBeUndefined();
  });

  it('types through line breaks in a CRLF document and through surrogate pairs', () => {
    const cache = new SuggestionCache();
    const workspace = new Workspace(cache);
    const text = 'if (ok) {\r\n}\r\n';
    workspace.texts.set('a.ts', text);
    const insertion = scored('a.ts', rangeOf(pointAt(0, 9)), '\r\n  log("😀 done");');
    cache.store(cursorAt('a.ts', pointAt(0, 9)), text, suggestion('s', [insertion]));
    workspace.change('a.ts', rangeOf(pointAt(0, 9)), '\r\n');
    workspace.change('a.ts', rangeOf(pointAt(1, 0)), '  log("😀');
    // '😀' is two UTF-16 code units, so the cursor is at character 9.
    const found = cache.lookup(cursorAt('a.ts', pointAt(1, 9)), workspace.text('a.ts'));
    expect(found?.edits).toMatchObject([{ range: rangeOf(pointAt(1, 9)), text: ' done");' }]);
  });
});

describe('SuggestionCache rebasing', () => {
  function setUp(): { cache: SuggestionCache; workspace: Workspace } {
    const cache = new SuggestionCache();
    const workspace = new Workspace(cache);
    workspace.texts.set('a.ts', lines(30));
    workspace.texts.set('b.ts', lines(10, 'other'));
    cache.store(
      cursorAt('a.ts', pointAt(5, 6)),
      workspace.text('a.ts'),
      suggestion('multi', [
        scored('a.ts', rangeOf(pointAt(5, 0), pointAt(5, 4)), 'LINE'),
        scored('a.ts', rangeOf(pointAt(20, 0), pointAt(20, 4)), 'LINE'),
        scored('b.ts', rangeOf(pointAt(3, 0), pointAt(3, 5)), 'OTHER'),
      ]),
    );
    return { cache, workspace };
  }

  it('moves every edit and the anchor over lines added above them', () => {
    const { cache, workspace } = setUp();
    workspace.change('a.ts', rangeOf(pointAt(0, 0)), '// one\n// two\n');
    expect(cache.lookup(cursorAt('a.ts', pointAt(5, 6)), workspace.text('a.ts'))).toBeUndefined();
    const found = cache.lookup(cursorAt('a.ts', pointAt(7, 6)), workspace.text('a.ts'));
    expect(found?.edits.map((edit) => [edit.path, edit.range])).toEqual([
      ['a.ts', rangeOf(pointAt(7, 0), pointAt(7, 4))],
      ['a.ts', rangeOf(pointAt(22, 0), pointAt(22, 4))],
      ['b.ts', rangeOf(pointAt(3, 0), pointAt(3, 5))],
    ]);
  });

  it('moves edits in other files over changes there', () => {
    const { cache, workspace } = setUp();
    workspace.change('b.ts', rangeOf(pointAt(0, 0), pointAt(2, 0)), '');
    const found = cache.lookup(cursorAt('a.ts', pointAt(5, 6)), workspace.text('a.ts'));
    expect(found?.edits[2]?.range).toEqual(rangeOf(pointAt(1, 0), pointAt(1, 5)));
  });

  it('drops the edits a change overlapped and evicts the suggestion when none are left', () => {
    const { cache, workspace } = setUp();
    workspace.change('b.ts', rangeOf(pointAt(3, 2)), 'x');
    workspace.change('a.ts', rangeOf(pointAt(20, 1), pointAt(20, 3)), 'IN');
    const found = cache.lookup(cursorAt('a.ts', pointAt(5, 6)), workspace.text('a.ts'));
    expect(found?.edits.map((edit) => edit.range.start.line)).toEqual([5]);
    workspace.change('a.ts', rangeOf(pointAt(5, 0), pointAt(5, 2)), 'LI');
    expect(cache.size).toBe(0);
  });

  it('keeps edits when the user changes text after them', () => {
    const { cache, workspace } = setUp();
    workspace.change('a.ts', rangeOf(pointAt(25, 0)), 'tail\n');
    expect(cache.lookup(cursorAt('a.ts', pointAt(5, 6)), workspace.text('a.ts'))?.edits).toHaveLength(3);
  });
});

describe('SuggestionCache validation and bounds', () => {
  it('evicts a suggestion whose edits were applied behind its back', () => {
    const cache = new SuggestionCache();
    const text = lines(20);
    const farEdit = scored('a.ts', rangeOf(pointAt(10, 0), pointAt(10, 4)), 'LINE');
    cache.store(cursorAt('a.ts', pointAt(2, 0)), text, suggestion('s', [farEdit]));
    const applied = applyEdits(text, [{ path: 'a.ts', range: rangeOf(pointAt(10, 0), pointAt(10, 4)), text: 'LINE' }]);
    if (applied.kind !== 'applied') throw new Error('setup');
    expect(cache.lookup(cursorAt('a.ts', pointAt(2, 0)), applied.text)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not store a suggestion that changes nothing', () => {
    const cache = new SuggestionCache();
    const noOp = scored('a.ts', rangeOf(pointAt(0, 0), pointAt(0, 3)), 'abc');
    cache.store(cursorAt('a.ts', pointAt(0, 0)), 'abc', suggestion('s', [noOp]));
    expect(cache.size).toBe(0);
  });

  it('treats a window it did not see change as stale', () => {
    const cache = new SuggestionCache();
    const text = lines(10);
    const note = scored('a.ts', rangeOf(pointAt(4, 0)), '// note\n');
    cache.store(cursorAt('a.ts', pointAt(4, 0)), text, suggestion('s', [note]));
    expect(cache.lookup(cursorAt('a.ts', pointAt(4, 0)), text)).toBeDefined();
    const changed = text.replace('line 3', 'LINE 3');
    expect(cache.lookup(cursorAt('a.ts', pointAt(4, 0)), changed)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('returns the most recently stored suggestion for a cursor', () => {
    const cache = new SuggestionCache();
    cache.store(cursorAt('a.ts', pointAt(0, 1)), 'ab', suggestion('old', [scored('a.ts', rangeOf(pointAt(0, 1)), 'x')]));
    cache.store(cursorAt('a.ts', pointAt(0, 1)), 'ab', suggestion('new', [scored('a.ts', rangeOf(pointAt(0, 1)), 'y')]));
    expect(cache.lookup(cursorAt('a.ts', pointAt(0, 1)), 'ab')?.id).toBe('new');
    expect(cache.lookup(cursorAt('a.ts', pointAt(0, 2)), 'ab')).toBeUndefined();
    expect(cache.lookup(cursorAt('b.ts', pointAt(0, 1)), 'ab')).toBeUndefined();
  });

  it('holds at most maxEntries suggestions, least recently used out first', () => {
    const cache = new SuggestionCache({ maxEntries: 2 });
    for (const id of ['one', 'two', 'three']) {
      cache.store(cursorAt(`${id}.ts`, pointAt(0, 0)), '', suggestion(id, [scored(`${id}.ts`, rangeOf(pointAt(0, 0)), id)]));
    }
    expect(cache.size).toBe(2);
    expect(cache.lookup(cursorAt('one.ts', pointAt(0, 0)), '')).toBeUndefined();
    expect(cache.lookup(cursorAt('three.ts', pointAt(0, 0)), '')?.id).toBe('three');
  });

  it('expires suggestions after ttlMs on the injected clock', () => {
    let nowMs = 1_000;
    const cache = new SuggestionCache({ ttlMs: 500, clock: () => nowMs });
    cache.store(cursorAt('a.ts', pointAt(0, 0)), '', suggestion('s', [scored('a.ts', rangeOf(pointAt(0, 0)), 'x')]));
    nowMs += 400;
    expect(cache.lookup(cursorAt('a.ts', pointAt(0, 0)), '')?.id).toBe('s');
    nowMs += 200;
    expect(cache.lookup(cursorAt('a.ts', pointAt(0, 0)), '')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets a path and clears', () => {
    const cache = new SuggestionCache();
    const twoFiles = [scored('a.ts', rangeOf(pointAt(0, 0)), 'x'), scored('b.ts', rangeOf(pointAt(0, 0)), 'y')];
    cache.store(cursorAt('a.ts', pointAt(0, 0)), '', suggestion('s', twoFiles));
    cache.store(cursorAt('c.ts', pointAt(0, 0)), '', suggestion('t', [scored('c.ts', rangeOf(pointAt(0, 0)), 'z')]));
    cache.forgetPath('b.ts');
    expect(cache.lookup(cursorAt('a.ts', pointAt(0, 0)), '')?.edits.map((edit) => edit.path)).toEqual(['a.ts']);
    cache.forgetPath('a.ts');
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.lookup(cursorAt('c.ts', pointAt(0, 0)), '')).toBeUndefined();
  });

  it('rejects bad options loudly', () => {
    expect(() => new SuggestionCache({ maxEntries: 0 })).toThrow(TypeError);
    expect(() => new SuggestionCache({ ttlMs: 1.5 })).toThrow(TypeError);
    expect(() => new SuggestionCache({ clock: 5 as never })).toThrow(TypeError);
  });
});

describe('SuggestionCache staleness at the cursor', () => {
  it('drops a suggestion derived from an edit the user keeps typing at the cursor', () => {
    const cache = new SuggestionCache();
    const workspace = new Workspace(cache);
    workspace.texts.set('a.ts', 'let te = 1;\nuse(message);\n');
    // Predicted from the half-typed rename `message` -> `te`; the user goes on typing `xt`.
    const rename = suggestion('rename-te', [scored('a.ts', rangeOf(pointAt(1, 4), pointAt(1, 11)), 'te')]);
    cache.store(cursorAt('a.ts', pointAt(0, 6)), workspace.text('a.ts'), rename);
    const cursor = workspace.type('a.ts', pointAt(0, 6), 'xt');
    expect(cache.lookup(cursorAt('a.ts', cursor), workspace.text('a.ts'))).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps a suggestion elsewhere when the user types away from its cursor', () => {
    const cache = new SuggestionCache();
    const workspace = new Workspace(cache);
    workspace.texts.set('a.ts', 'let te = 1;\nuse(message);\n// note\n');
    const rename = suggestion('rename', [scored('a.ts', rangeOf(pointAt(1, 4), pointAt(1, 11)), 'text')]);
    cache.store(cursorAt('a.ts', pointAt(0, 6)), workspace.text('a.ts'), rename);
    workspace.type('a.ts', pointAt(2, 7), '!');
    expect(cache.lookup(cursorAt('a.ts', pointAt(0, 6)), workspace.text('a.ts'))?.edits[0]?.text).toBe('text');
  });
});
