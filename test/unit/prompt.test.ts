import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { BpeTokenizer } from '../../src/core/bpe';
import {
  advanceTarget,
  allowedNextTokens,
  initialTargetState,
  parseTarget,
  promptVocabulary,
  serializePrompt,
  serializeTarget,
  typedLineOpening,
  type TargetState,
} from '../../src/core/prompt';
import type { EditWindow } from '../../src/core/ports';
import type { RecordedEdit, Snippet } from '../../src/core/types';
import { trainBpe } from '../../training/data/trainTokenizer';

let tokenizer: BpeTokenizer;

beforeAll(() => {
  const corpus = readdirSync('src/core')
    .filter((name) => name.endsWith('.ts'))
    .map((name) => readFileSync(`src/core/${name}`, 'utf8'));
  tokenizer = new BpeTokenizer(trainBpe(corpus, { vocabSize: 1024 }));
});

function edit(path: string, before: string, after: string, timestampMs: number): RecordedEdit {
  return {
    path,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: before.length } },
    removedText: before,
    insertedText: after,
    hunk: { path, startLine: 0, beforeText: before, afterText: after },
    timestampMs,
  };
}

function snippet(path: string, text: string, score: number): Snippet {
  return { path, startLine: 0, endLine: text.split('\n').length, text, reason: { kind: 'similar', similarity: score }, score };
}

const window: EditWindow = {
  path: 'src/a.ts',
  startLine: 10,
  lines: ['function total(items) {', '  let count = 0;', '  return count;', '}'],
  cursor: { line: 12, character: 8 },
};

describe('serializePrompt', () => {
  it('lays out history, snippets and the window exactly as FORMAT.md says', () => {
    const prompt = serializePrompt(
      {
        history: [edit('src/a.ts', 'let n = 0;', 'let count = 0;', 1), edit('src/b.ts', 'x', 'y', 2)],
        snippets: [snippet('src/c.ts', 'export const z = 1;', 0.5)],
        window,
      },
      tokenizer,
    );
    expect(tokenizer.decode(prompt.ids)).toBe(
      '<|bos|><|history|>' +
        '<|edit|><|file|>src/a.ts<|before|>let n = 0;<|after|>let count = 0;' +
        '<|edit|><|file|>src/b.ts<|before|>x<|after|>y' +
        '<|snippets|><|snippet|><|file|>src/c.tsexport const z = 1;' +
        '<|window|><|file|>src/a.ts' +
        '<|slot_0|>function total(items) {<|slot_1|>  let count = 0;<|slot_2|>  return<|cursor|> count;<|slot_3|>}' +
        '<|end_window|><|output|>',
    );
    expect(prompt.slots).toBe(4);
    expect(prompt.promptLength).toBe(prompt.ids.length);
    expect(prompt.truncatedSlots).toEqual([]);
    expect(prompt.ids[0]).toBe(promptVocabulary(tokenizer).bos);
  });

  it('keeps the newest history and the best snippets within the budget', () => {
    const history = Array.from({ length: 60 }, (_, index) =>
      edit(`src/file${index}.ts`, `const value${index} = old${index};`, `const value${index} = new${index};`, index),
    );
    const snippets = Array.from({ length: 30 }, (_, index) =>
      snippet(`lib/s${index}.ts`, `export function helper${index}() {\n  return ${index};\n}`, index / 30),
    );
    const budget = { totalTokens: 512, historyTokens: 200, snippetTokens: 150 };
    const prompt = serializePrompt({ history, snippets, window }, tokenizer, budget);
    expect(prompt.ids.length).toBeLessThanOrEqual(512);
    const text = tokenizer.decode(prompt.ids);
    expect(text).toContain('new59');
    expect(text).not.toContain('new0;');
    expect(text).toContain('helper29');
    expect(text).not.toContain('helper0(');
    expect(prompt.historyIncluded).toBeGreaterThan(0);
    expect(prompt.historyIncluded).toBeLessThan(60);
    const vocabulary = promptVocabulary(tokenizer);
    const historyEnd = prompt.ids.indexOf(vocabulary.snippets);
    const windowStart = prompt.ids.indexOf(vocabulary.window);
    expect(historyEnd - 2).toBeLessThanOrEqual(200);
    expect(windowStart - historyEnd - 1).toBeLessThanOrEqual(150);
    // Newest last: the included edits are the most recent ones, in order.
    const included = [...text.matchAll(/new(\d+);/g)].map((match) => Number(match[1]));
    expect(included).toEqual(Array.from({ length: included.length }, (_, index) => 60 - included.length + index));
  });

  it('cuts overly long window lines, locks their slots and stays within a small budget', () => {
    const long = 'const x = [' + Array.from({ length: 200 }, (_, index) => `item${index}`).join(', ') + '];';
    const wide: EditWindow = { path: 'a.ts', startLine: 0, lines: Array.from({ length: 32 }, () => long), cursor: { line: 3, character: 500 } };
    const prompt = serializePrompt({ history: [], snippets: [], window: wide }, tokenizer, { totalTokens: 256, historyTokens: 50, snippetTokens: 50 });
    expect(prompt.ids.length).toBeLessThanOrEqual(256);
    expect(prompt.truncatedSlots).toHaveLength(32);
    expect(prompt.ids).toContain(promptVocabulary(tokenizer).cursor);
    expect(prompt.slots).toBe(32);
  });

  it('respects any budget for any input (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '(', 'é', '😀', '\t'), maxLength: 300 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text), { maxLength: 12 }),
        fc.array(fc.tuple(text, fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 8 }),
        fc.array(text, { minLength: 1, maxLength: 32 }),
        fc.integer({ min: 128, max: 600 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        (edits, snippetTexts, rawLines, totalTokens, historyTokens, snippetTokens) => {
          const lines = rawLines.map((line) => line.replace(/\n/g, ''));
          const prompt = serializePrompt(
            {
              history: edits.map(([before, after], index) => edit('h.ts', before, after, index)),
              snippets: snippetTexts.map(([body, score]) => snippet('s.ts', body, score)),
              window: { path: 'w.ts', startLine: 3, lines, cursor: { line: 3, character: 2 } },
            },
            tokenizer,
            { totalTokens, historyTokens, snippetTokens },
          );
          const vocabulary = promptVocabulary(tokenizer);
          expect(prompt.ids.length).toBeLessThanOrEqual(totalTokens);
          const snippetsAt = prompt.ids.indexOf(vocabulary.snippets);
          const windowAt = prompt.ids.indexOf(vocabulary.window);
          expect(snippetsAt - 2).toBeLessThanOrEqual(historyTokens);
          expect(windowAt - snippetsAt - 1).toBeLessThanOrEqual(snippetTokens);
          expect(prompt.ids.filter((id) => id === vocabulary.cursor)).toHaveLength(1);
          expect(prompt.ids.slice(-2)).toEqual([vocabulary.endWindow, vocabulary.output]);
          for (let slot = 0; slot < lines.length; slot++) expect(prompt.ids).toContain(vocabulary.slots[slot]);
          if (prompt.truncatedSlots.length === 0) {
            const windowText = tokenizer.decode(prompt.ids.slice(windowAt));
            expect(windowText.replace('<|cursor|>', '')).toBe(
              '<|window|><|file|>w.ts' + lines.map((line, slot) => `<|slot_${slot}|>${line}`).join('') + '<|end_window|><|output|>',
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects bad budgets and oversized windows loudly', () => {
    const input = { history: [], snippets: [], window };
    expect(() => serializePrompt(input, tokenizer, { totalTokens: 10, historyTokens: 0, snippetTokens: 0 })).toThrow(TypeError);
    expect(() => serializePrompt(input, tokenizer, { totalTokens: 512, historyTokens: -1, snippetTokens: 0 })).toThrow(TypeError);
    const huge = { ...window, lines: Array.from({ length: 33 }, () => 'x'), cursor: undefined };
    expect(() => serializePrompt({ ...input, window: huge }, tokenizer)).toThrow(RangeError);
  });
});

const lineArbitrary = fc.oneof(
  fc.constantFrom('', 'a', 'b', '  return x;', '}', '\tfoo(1);'),
  fc.string({ unit: fc.constantFrom('x', ' ', '\t', 'é', '😀', '(', ';'), maxLength: 12 }),
);

function walkAllowed(ids: readonly number[], state: TargetState): void {
  for (const id of ids) {
    const allowed = allowedNextTokens(state);
    const isText = allowed.textTokens && id >= tokenizer.specialCount && !allowed.excludedTextIds.includes(id);
    const isAllowed = allowed.specialIds.includes(id) || (isText && (allowed.onlyTextIds?.includes(id) ?? true));
    expect(isAllowed).toBe(true);
    state = advanceTarget(state, id);
  }
  expect(state.phase).toBe('done');
}

describe('serializeTarget / parseTarget', () => {
  it('round-trips any new lines (property), and every token is allowed by the grammar', () => {
    fc.assert(
      fc.property(fc.array(lineArbitrary, { maxLength: 32 }), fc.array(lineArbitrary, { maxLength: 40 }), (oldLines, newLines) => {
        const target: EditWindow = { path: 'a.ts', startLine: 0, lines: oldLines };
        const ids = serializeTarget(target, newLines, tokenizer);
        const parsed = parseTarget(ids, target, tokenizer);
        const same = oldLines.length === newLines.length && oldLines.every((line, index) => line === newLines[index]);
        expect(parsed).toEqual(same ? { kind: 'no_change' } : { kind: 'change', newLines });
        walkAllowed(ids, initialTargetState(tokenizer, oldLines.length));
      }),
      { numRuns: 400 },
    );
  });

  it('writes the canonical ops for a typical edit', () => {
    const target: EditWindow = { path: 'a.ts', startLine: 0, lines: ['a', 'b', 'c'] };
    const ids = serializeTarget(target, ['a', 'B', 'new', 'c', 'tail'], tokenizer);
    expect(tokenizer.decode(ids)).toBe('<|replace|><|slot_1|>B<|end_line|><|insert|><|slot_2|>new<|end_line|><|insert|><|slot_3|>tail<|end_line|><|eos|>');
    expect(tokenizer.decode(serializeTarget(target, ['a', 'c'], tokenizer))).toBe('<|delete|><|slot_1|><|eos|>');
    expect(tokenizer.decode(serializeTarget(target, null, tokenizer))).toBe('<|no_change|><|eos|>');
  });

  it('a typed line opens the target: only its replace and slot, then text that keeps the typed prefix', () => {
    const typedLine = { slot: 1, prefix: '  return ite', suffix: '' };
    let state = initialTargetState(tokenizer, 3, { typedLine });
    const { vocabulary } = state;
    expect(allowedNextTokens(state).specialIds).toEqual([vocabulary.replace]);
    expect(advanceTarget(state, vocabulary.noChange).phase).toBe('invalid');
    state = advanceTarget(state, vocabulary.replace);
    expect(allowedNextTokens(state).specialIds).toEqual([vocabulary.slots[1]]);
    expect(advanceTarget(state, vocabulary.slots[0]!).phase).toBe('invalid');
    state = advanceTarget(state, vocabulary.slots[1]!);
    // Nothing but text that agrees with the prefix until it is written; no early <|end_line|>.
    expect(advanceTarget(state, vocabulary.endLine).phase).toBe('invalid');
    expect(advanceTarget(state, tokenizer.encode('x')[0]!).phase).toBe('invalid');
    for (const id of tokenizer.encode('  return ')) state = advanceTarget(state, id);
    const allowed = allowedNextTokens(state);
    expect(allowed.specialIds).toEqual([]);
    expect(allowed.onlyTextIds?.length).toBeGreaterThan(0);
    for (const id of allowed.onlyTextIds ?? []) {
      const text = tokenizer.decode([id]);
      expect('ite'.startsWith(text) || text.startsWith('ite')).toBe(true);
    }
    // After the prefix, the line goes on freely and may end.
    for (const id of tokenizer.encode('items;')) state = advanceTarget(state, id);
    expect(state.phase).toBe('line_text');
    expect(allowedNextTokens(state).specialIds).toEqual([vocabulary.endLine]);
    state = advanceTarget(state, vocabulary.endLine);
    expect(allowedNextTokens(state).specialIds).toContain(vocabulary.eos);
  });

  it('a typed line keeps what followed the cursor: its block may only end on a line that ends with it', () => {
    const typedLine = { slot: 0, prefix: 'call(', suffix: ');' };
    const { vocabulary } = initialTargetState(tokenizer, 2, { typedLine });
    const walk = (text: string): TargetState => {
      let state = initialTargetState(tokenizer, 2, { typedLine });
      for (const id of [vocabulary.replace, vocabulary.slots[0]!, ...tokenizer.encode(text), vocabulary.endLine]) state = advanceTarget(state, id);
      return state;
    };
    // Unchanged ('call();') or without the suffix: only a line inserted right after may follow.
    for (const text of ['call();', 'call(a)']) {
      const state = walk(text);
      expect(allowedNextTokens(state).specialIds).toEqual([vocabulary.insert]);
      expect(allowedNextTokens(advanceTarget(state, vocabulary.insert)).specialIds).toEqual([vocabulary.slots[1]]);
    }
    // Right after the prefix, the insertion may not open by copying the suffix ('call();' as it
    // was), but it may end the line there.
    let atCursor = initialTargetState(tokenizer, 2, { typedLine });
    for (const id of [vocabulary.replace, vocabulary.slots[0]!, ...tokenizer.encode('call(')]) atCursor = advanceTarget(atCursor, id);
    expect(advanceTarget(atCursor, tokenizer.encode(')')[0]!).phase).toBe('invalid');
    expect(allowedNextTokens(atCursor).onlyTextIds).not.toContain(tokenizer.encode(')')[0]);
    expect(allowedNextTokens(atCursor).onlyTextIds).toContain(tokenizer.encode('a')[0]);
    expect(advanceTarget(atCursor, vocabulary.endLine).phase).toBe('after_op');
    // 'call(a' then a new line 'b);' is a completion that inserted 'a\nb' at the cursor.
    let state = advanceTarget(advanceTarget(walk('call(a'), vocabulary.insert), vocabulary.slots[1]!);
    for (const id of tokenizer.encode('b);')) state = advanceTarget(state, id);
    state = advanceTarget(advanceTarget(state, vocabulary.endLine), vocabulary.eos);
    expect(state.phase).toBe('done');
    expect(allowedNextTokens(walk('call(a);')).specialIds).toContain(vocabulary.eos);
  });

  it('the typed line opening is how the finished line starts, whatever is typed next (property)', () => {
    const insertedArbitrary = fc.oneof(
      lineArbitrary.filter((text) => text !== ''),
      fc.tuple(lineArbitrary, lineArbitrary).map(([first, second]) => `${first}\n${second}`),
    );
    fc.assert(
      fc.property(lineArbitrary, insertedArbitrary, lineArbitrary, (prefix, inserted, suffix) => {
        const target: EditWindow = { path: 'a.ts', startLine: 0, lines: ['a', `${prefix}${suffix}`, 'c'] };
        const ids = serializeTarget(target, ['a', ...`${prefix}${inserted}${suffix}`.split('\n'), 'c'], tokenizer);
        const typedLine = { slot: 1, prefix, suffix };
        const opening = typedLineOpening(typedLine, tokenizer);
        // A multi-line insertion can leave the typed line as it was and only add lines (then
        // the canonical target does not open with it); every other target must.
        if (inserted.includes('\n') && ids[0] !== opening[0]) return;
        expect(ids.slice(0, opening.length)).toEqual(opening);
        // The one target the grammar gives up: an insertion that opens like the suffix.
        if (suffix !== '' && inserted[0] === suffix[0]) return;
        walkAllowed(ids, initialTargetState(tokenizer, 3, { typedLine }));
      }),
      { numRuns: 500 },
    );
  });

  it('only ever produces parseable targets when decoding follows allowedNextTokens', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 32 }), fc.array(fc.nat(), { minLength: 60, maxLength: 60 }), (slotCount, choices) => {
        const lines = Array.from({ length: slotCount }, (_, index) => `line ${index}`);
        let state = initialTargetState(tokenizer, slotCount, { lockedSlots: [0] });
        const ids: number[] = [];
        for (const choice of choices) {
          if (state.phase === 'done') break;
          const allowed = allowedNextTokens(state);
          const options = allowed.textTokens ? [...allowed.specialIds, ...tokenizer.encode('ab c')] : allowed.specialIds;
          const id = options[choice % options.length] as number;
          ids.push(id);
          state = advanceTarget(state, id);
          expect(state.phase).not.toBe('invalid');
        }
        const parsed = parseTarget(ids, { path: 'a.ts', startLine: 0, lines }, tokenizer, { lockedSlots: [0] });
        if (state.phase === 'done') expect(parsed.kind).not.toBe('invalid');
        else expect(parsed).toEqual({ kind: 'invalid', reason: 'target ended without <|eos|>' });
        if (parsed.kind === 'change' && slotCount > 0) expect(parsed.newLines).toContain('line 0');
      }),
      { numRuns: 300 },
    );
  });

  it('detects invalid targets', () => {
    const target: EditWindow = { path: 'a.ts', startLine: 0, lines: ['a', 'b', 'c'] };
    const special = promptVocabulary(tokenizer);
    const slot = (index: number): number => special.slots[index] as number;
    const textIds = tokenizer.encode('x');
    const cases: number[][] = [
      [],
      [special.replace, slot(1), ...textIds, special.endLine], // no eos
      [special.replace, slot(3), ...textIds, special.endLine, special.eos], // slot N is only for inserts
      [special.replace, slot(2), ...textIds, special.endLine, special.replace, slot(1), ...textIds, special.endLine, special.eos], // slots go back
      [special.delete, slot(1), special.replace, slot(1), ...textIds, special.endLine, special.eos], // line taken twice
      [special.replace, slot(1), ...textIds, special.eos], // no end_line
      [...textIds, special.eos], // text before any op
      [special.noChange, special.replace, slot(0), ...textIds, special.endLine, special.eos], // op after no_change
      [special.insert, slot(9), ...textIds, special.endLine, special.eos], // slot beyond the window
      [special.replace, slot(0), ...tokenizer.encode('x\ny'), special.endLine, special.eos], // line break inside a line
      [special.eos],
    ];
    for (const ids of cases) expect(parseTarget(ids, target, tokenizer).kind, tokenizer.decode(ids)).toBe('invalid');
    const locked = [special.replace, slot(1), ...textIds, special.endLine, special.eos];
    expect(parseTarget(locked, target, tokenizer).kind).toBe('change');
    expect(parseTarget(locked, target, tokenizer, { lockedSlots: [1] }).kind).toBe('invalid');
    // Tokens after <|eos|> are ignored; an identical replacement reads as no change.
    expect(parseTarget([special.replace, slot(0), ...tokenizer.encode('a'), special.endLine, special.eos, 5, 6], target, tokenizer)).toEqual({ kind: 'no_change' });
  });
});
