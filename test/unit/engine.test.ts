import { describe, expect, it } from 'vitest';
import { DocumentStore } from '../../src/core/documents';
import { Engine, type CandidateOutcome, type CandidateSource, type EngineDependencies } from '../../src/core/engine';
import { EditHistory } from '../../src/core/history';
import type { ModelInput, NextEditModel, WindowPrediction } from '../../src/core/ports';
import { PropagationPredictor } from '../../src/core/propagation';
import { MIN_CONFIRMING_SCORE, Ranker } from '../../src/core/ranker';
import { SuggestionCache } from '../../src/core/suggestionCache';
import { TextProvider } from '../../src/core/textProvider';
import type { ChangeEvent, Cursor, Suggestion } from '../../src/core/types';



interface Harness {
  readonly engine: Engine;
  readonly warnings: string[];
}

function harness(options: { model?: NextEditModel; propagation?: CandidateSource; budgetMs?: number } = {}): Harness {
  const documents = new DocumentStore();
  const texts = new TextProvider({ openText: (path) => documents.get(path) });
  const warnings: string[] = [];
  const dependencies: EngineDependencies = {
    clock: () => performance.now(),
    logger: { info: () => undefined, warn: (message) => warnings.push(message) },
    documents,
    history: new EditHistory(),
    cache: new SuggestionCache(),
    propagation: options.propagation ?? new PropagationPredictor({ readText: (path) => texts.get(path) }),
    retriever: { retrieve: () => [] },
    ranker: new Ranker(),
    texts,
    ...(options.model ? { model: options.model } : {}),
  };
  return { engine: new Engine(dependencies, options.budgetMs ? { budgetMs: options.budgetMs } : {}), warnings };
}

function typeText(engine: Engine, path: string, line: number, character: number, text: string, startMs = 0): Cursor {
  [...text].forEach((letter, index) => {
    const at = { line, character: character + index };
    engine.recordChange({ path, range: { start: at, end: at }, text: letter }, startMs + index * 30);
  });
  return { path, position: { line, character: character + text.length } };
}

/** A model that answers after `delayMs`, or never when the signal fires first. */
function slowModel(delayMs: number, answer: (input: ModelInput) => WindowPrediction[]): NextEditModel & { calls: number } {
  const model = {
    calls: 0,
    predict(input: ModelInput, signal: AbortSignal): Promise<readonly WindowPrediction[]> {
      model.calls++;
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(answer(input)), delayMs);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve([]);
        });
      });
    },
  };
  return model;
}

const renameSource = 'function area(size: number) {\n  return size * size;\n}\n';

describe('Engine', () => {
  it('proposes the propagated rename after a parameter is renamed', async () => {
    const { engine } = harness();
    engine.openDocument('a.ts', renameSource);
    engine.recordChange({ path: 'a.ts', range: { start: { line: 0, character: 14 }, end: { line: 0, character: 18 } }, text: 'side' }, 0);
    const result = await engine.predict({ path: 'a.ts', position: { line: 0, character: 18 } }, {}, new AbortController().signal);
    expect(result.kind).toBe('suggestions');
    if (result.kind !== 'suggestions') return;
    const top = result.suggestions[0]!;
    expect(top.source).toBe('propagation');
    expect(top.edits.every((edit) => edit.path === 'a.ts' && edit.range.start.line === 1)).toBe(true);
    expect(top.explanation.stageTimingsMs).toHaveProperty('propagation');
    expect(engine.explain(top.id)?.pattern).toMatch(/size/);
  });

  it('stays silent when nothing is predictable', async () => {
    const { engine } = harness();
    engine.openDocument('a.ts', renameSource);
    const cursor = typeText(engine, 'a.ts', 3, 0, 'console.log(42);');
    const result = await engine.predict(cursor, {}, new AbortController().signal);
    expect(result.kind).toBe('none');
  });

  it('returns what it has at the budget when the model is too slow', async () => {
    const model = slowModel(5_000, () => []);
    const { engine } = harness({ model, budgetMs: 80 });
    engine.openDocument('a.ts', renameSource);
    engine.recordChange({ path: 'a.ts', range: { start: { line: 0, character: 14 }, end: { line: 0, character: 18 } }, text: 'side' }, 0);
    const started = performance.now();
    const result = await engine.predict({ path: 'a.ts', position: { line: 0, character: 18 } }, {}, new AbortController().signal);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(model.calls).toBe(1);
    expect(result.kind).toBe('suggestions');
    if (result.kind === 'suggestions') expect(result.suggestions[0]!.source).toBe('propagation');
  });

  it('turns a model window prediction into a minimal insertion at the cursor', async () => {
    const model = slowModel(1, (input) => {
      const window = input.windows[0]!;
      const lines = [...window.lines];
      const cursorLine = window.cursor!.line - window.startLine;
      lines[cursorLine] = '  return size * size * 2;';
      return [{ window, newLines: lines, score: 0.9 }];
    });
    const { engine } = harness({ model });
    engine.openDocument('a.ts', 'function area(size: number) {\n  return size * size\n}\n');
    const cursor = { path: 'a.ts', position: { line: 1, character: 20 } };
    const result = await engine.predict(cursor, { sources: 'model' }, new AbortController().signal);
    expect(result.kind).toBe('suggestions');
    if (result.kind !== 'suggestions') return;
    const edit = result.suggestions[0]!.edits[0]!;
    expect(edit.range).toEqual({ start: { line: 1, character: 20 }, end: { line: 1, character: 20 } });
    expect(edit.text).toBe(' * 2;');
    expect(edit.source).toBe('model');
  });

  it('serves typing-through from the cache without asking the model again', async () => {
    const model = slowModel(1, (input) => {
      const window = input.windows[0]!;
      const lines = [...window.lines];
      lines[window.cursor!.line - window.startLine] = '  counter += 1;';
      return [{ window, newLines: lines, score: 0.95 }];
    });
    const { engine } = harness({ model });
    engine.openDocument('a.ts', 'function tick() {\n  \n}\n');
    const first = await engine.predict({ path: 'a.ts', position: { line: 1, character: 2 } }, {}, new AbortController().signal);
    expect(first.kind).toBe('suggestions');
    const cursor = typeText(engine, 'a.ts', 1, 2, 'cou', 10_000);
    const second = await engine.predict(cursor, {}, new AbortController().signal);
    expect(model.calls).toBe(1);
    expect(second.kind).toBe('suggestions');
    if (second.kind !== 'suggestions') return;
    expect(second.suggestions[0]!.source).toBe('cache');
    expect(second.suggestions[0]!.edits[0]!.text).toBe('nter += 1;');
  });

  it('offers the model completion drafts from the code while the user types, and none otherwise', async () => {
    const seen: ModelInput[] = [];
    const model = slowModel(1, (input) => (seen.push(input), []));
    const { engine } = harness({ model });
    engine.openDocument('a.ts', 'const counter = 0;\nfunction tick() {\n  \n}\n');
    await engine.predict({ path: 'a.ts', position: { line: 2, character: 2 } }, {}, new AbortController().signal);
    expect(seen[0]!.windows[0]!.drafts).toBeUndefined();
    const cursor = typeText(engine, 'a.ts', 2, 2, 'cou', 10_000);
    await engine.predict(cursor, {}, new AbortController().signal);
    expect(seen[1]!.windows[0]).toMatchObject({ typing: true, drafts: ['nter'] });
    // The ranker's floor travels with the request, so the model stops on answers nobody would see.
    expect(seen.map((input) => input.minScore)).toEqual([MIN_CONFIRMING_SCORE, MIN_CONFIRMING_SCORE]);
  });

  it('lets the newest request win and resolves the older one silently', async () => {
    const model = slowModel(200, () => []);
    const { engine, warnings } = harness({ model });
    engine.openDocument('a.ts', renameSource);
    const cursor = { path: 'a.ts', position: { line: 1, character: 0 } };
    const older = engine.predict(cursor, {}, new AbortController().signal);
    const newer = engine.predict(cursor, {}, new AbortController().signal);
    const [olderResult] = await Promise.all([older, newer]);
    expect(olderResult).toMatchObject({ kind: 'none', reason: 'cancelled' });
    expect(warnings).toEqual([]);
  });

  it('resolves an aborted request to none without throwing', async () => {
    const { engine } = harness({ model: slowModel(500, () => []) });
    engine.openDocument('a.ts', renameSource);
    const controller = new AbortController();
    const pending = engine.predict({ path: 'a.ts', position: { line: 0, character: 0 } }, {}, controller.signal);
    controller.abort();
    await expect(pending).resolves.toMatchObject({ kind: 'none', reason: 'cancelled' });
  });

  it('rejects a change that does not apply and reports it once', () => {
    const { engine, warnings } = harness();
    engine.openDocument('a.ts', 'x\n');
    const outside: ChangeEvent = { path: 'a.ts', range: { start: { line: 9, character: 0 }, end: { line: 9, character: 1 } }, text: 'y' };
    expect(engine.recordChange(outside, 0)).toBe(false);
    expect(engine.documentText('a.ts')).toBe('x\n');
    expect(warnings).toHaveLength(1);
  });

  it('survives a candidate stage that throws', async () => {
    const failing: CandidateSource = {
      propose: (): CandidateOutcome => {
        throw new Error('boom');
      },
    };
    const { engine, warnings } = harness({ propagation: failing });
    engine.openDocument('a.ts', renameSource);
    const result = await engine.predict({ path: 'a.ts', position: { line: 0, character: 0 } }, {}, new AbortController().signal);
    expect(result).toMatchObject({ kind: 'none', reason: 'internal error' });
    expect(warnings.join('\n')).toMatch(/boom/);
  });

  it('passes on that a held-back proposal may come after a typing pause, only when nothing else is offered', async () => {
    const waiting: CandidateSource = { propose: () => ({ suggestions: [], retryAfterMs: 250 }) };
    const { engine } = harness({ propagation: waiting });
    engine.openDocument('a.ts', renameSource);
    const cursor = { path: 'a.ts', position: { line: 0, character: 0 } };
    const result = await engine.predict(cursor, { sources: 'symbolic' }, new AbortController().signal);
    expect(result).toMatchObject({ kind: 'none', reason: 'waiting for a typing pause', retryAfterMs: 250 });
    const settled: CandidateSource = { propose: () => ({ suggestions: [] }) };
    const plain = harness({ propagation: settled });
    plain.engine.openDocument('a.ts', renameSource);
    const final = await plain.engine.predict(cursor, { sources: 'symbolic' }, new AbortController().signal);
    expect(final).toMatchObject({ kind: 'none', reason: 'nothing predictable' });
    expect(final).not.toHaveProperty('retryAfterMs');
  });

  it('validates its options loudly', () => {
    expect(() => harness({ budgetMs: -5 })).toThrow(RangeError);

  });
});
