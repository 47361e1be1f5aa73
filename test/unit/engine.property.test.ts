// Random documents and random edit sequences through the whole core engine (real documents,
// history, cache, propagation, retrieval and ranker; an in-memory index and a scripted model).
// A reference copy of every document is kept here by plain splicing, and after every step:
//   - the engine's copy of each document equals the reference, whatever the engine was asked;
//   - every suggestion applies to the current document (ranges inside it, never splitting a
//     surrogate pair or a '\r\n', no overlaps), and undoing it restores the text exactly;
//   - a suggestion served from the cache is the one predicted earlier, followed through the
//     changes since (typed-through text consumed, other edits moved), or one the cache may still
//     hold; never one it had to forget.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocumentStore } from '../../src/core/documents';
import { applyEdits, invertEdits } from '../../src/core/edits';
import { Engine } from '../../src/core/engine';
import { EditHistory } from '../../src/core/history';
import { PropagationPredictor } from '../../src/core/propagation';
import { Ranker } from '../../src/core/ranker';
import { Retriever } from '../../src/core/retrieval';
import { SuggestionCache } from '../../src/core/suggestionCache';
import { TextProvider } from '../../src/core/textProvider';
import type { PredictionResult, Suggestion, TextEdit } from '../../src/core/types';
import { answerArbitrary, documentArbitrary, IMPORT_LINE, PATHS, ScriptedModel, stepArbitrary, type Answer, type FollowUp, type GeneratedDocument, type Step } from './support/editScript';
import { follow, type Tracked } from './support/cacheReference';
import { MemoryIndex } from './support/memoryIndex';
import { caretOffsets, caretUnits, offsetAt, positionAt, rangeProblem, replacedIn, splice, textIn } from './support/referenceText';

const KEYSTROKE_MS = 30;

/** How often each kind of outcome occurred over all runs: the properties must have been exercised. */
const seen = { fresh: 0, cached: 0, typedThrough: 0, accepted: 0, undone: 0, crlfSuggestions: 0, modelSuggestions: 0, propagationSuggestions: 0, crossFile: 0 };
/** 5 to 12 s on a busy 2-core machine; set RIPPLE_PROPERTY_RUNS higher for a longer hunt. */
const RUNS = Number(process.env.RIPPLE_PROPERTY_RUNS ?? 150);

interface LastPrediction {
  readonly cursorPath: string;
  readonly cursorOffset: number;
  readonly suggestions: readonly Suggestion[];
  readonly changes: number;
}

class Session {
  readonly engine: Engine;
  readonly texts = new Map<string, string>();
  readonly eols = new Map<string, string>();
  readonly open = new Set<string>();
  private readonly cursors = new Map<string, number>();
  private readonly tracked = new Map<string, Tracked>();
  private nowMs = 0;
  private changes = 0;
  private lastChange: { path: string; start: number; removed: string; inserted: string } | undefined;
  private last: LastPrediction | undefined;

  constructor(documents: readonly GeneratedDocument[], answers: readonly Answer[]) {
    const store = new DocumentStore();
    const texts = new TextProvider({ openText: (path) => store.get(path) });
    const clock = (): number => this.nowMs;
    const index = new MemoryIndex(() => this.texts.keys(), (path) => store.get(path));
    this.engine = new Engine({
      clock,
      logger: { info: () => undefined, warn: () => undefined },
      documents: store,
      history: new EditHistory(),
      cache: new SuggestionCache({ clock }),
      propagation: new PropagationPredictor({ readText: (path) => texts.get(path), index, clock }),
      retriever: new Retriever({ index, readText: (path) => texts.get(path) }),
      ranker: new Ranker(),
      texts,
      index,
      model: new ScriptedModel(answers),
      yieldToEventLoop: () => new Promise((resolve) => setImmediate(resolve)),
    });
    documents.forEach((document, number) => {
      const path = PATHS[number] as string;
      this.eols.set(path, document.eol);
      this.reopen(path, this.materialize(path, [...(document.withImport ? [IMPORT_LINE, '\n'] : []), ...document.tokens]));
    });
  }

  async run(step: Step): Promise<void> {
    const path = 'doc' in step ? (PATHS[step.doc % this.eols.size] as string) : '';
    const text = this.texts.get(path) ?? '';
    const caret = (pick: number | undefined): number => (pick === undefined ? this.cursor(path) : pickFrom(caretOffsets(text), pick));
    switch (step.kind) {
      case 'type':
        return this.type(path, caret(step.at), caretUnits(this.materialize(path, step.tokens)));
      case 'backspace': {
        for (let count = 0; count < step.count; count++) {
          const offset = this.cursor(path);
          const unit = caretUnits((this.texts.get(path) ?? '').slice(0, offset)).at(-1);
          if (unit) this.change(path, offset - unit.length, offset, '');
        }
        return;
      }
      case 'paste': {
        const [from, to] = [caret(step.from), caret(step.to)].sort((a, b) => a - b) as [number, number];
        return void this.change(path, from, to, this.materialize(path, step.tokens));
      }
      case 'rename': {
        const words = [...text.matchAll(/(?<![\w$])(?:count|total|item)(?![\w$])/g)];
        const found = words[step.occurrence % Math.max(1, words.length)];
        if (!found) return;
        this.change(path, found.index, found.index + found[0].length, step.word === found[0] ? 'renamed' : step.word);
        // The editor asks for the next edit after every change; a rename is what propagation follows.
        return this.predict(path, this.cursor(path), undefined, step.then);
      }
      case 'undo': {
        const undone = this.lastChange;
        if (undone) this.change(undone.path, undone.start, undone.start + undone.inserted.length, undone.removed);
        return;
      }
      case 'predict':
        return this.predict(path, caret(step.at), step.interleave, step.then);
      case 'reopen':
        return this.reopen(path, step.appended ? text + this.materialize(path, step.appended) : text);
      case 'close':
        this.engine.closeDocument(path);
        this.open.delete(path);
        this.lastChange = undefined;
        return;
      case 'wait':
        this.nowMs += step.ms;
        return;
    }
  }

  expectDocumentsInStep(): void {
    for (const [path, text] of this.texts) expect(this.engine.documentText(path), path).toBe(this.open.has(path) ? text : undefined);
  }

  private materialize(path: string, parts: readonly string[]): string {
    return parts.join('').replace(/\n/g, this.eols.get(path) ?? '\n');
  }

  private cursor(path: string): number {
    const offsets = caretOffsets(this.texts.get(path) ?? '');
    const wanted = this.cursors.get(path) ?? 0;
    return offsets.filter((offset) => offset <= wanted).at(-1) ?? 0;
  }

  private type(path: string, at: number, units: readonly string[]): void {
    let offset = at;
    for (const unit of units) {
      if (!this.change(path, offset, offset, unit)) return;
      offset += unit.length;
    }
  }

  /** One change event, as the editor reports it; false when the document is not open. */
  private change(path: string, start: number, end: number, inserted: string): boolean {
    const before = this.texts.get(path) ?? '';
    this.nowMs += KEYSTROKE_MS;
    const event = { path, range: { start: positionAt(before, start), end: positionAt(before, end) }, text: inserted };
    const applied = this.engine.recordChange(event, this.nowMs);
    expect(applied).toBe(this.open.has(path));
    if (!applied) return false;
    this.texts.set(path, splice(before, start, end, inserted));
    this.cursors.set(path, start + inserted.length);
    for (const tracked of this.tracked.values()) follow(tracked, path, start, end, inserted);
    this.lastChange = { path, start, removed: before.slice(start, end), inserted };
    this.changes++;
    return true;
  }

  private reopen(path: string, text: string): void {
    this.engine.openDocument(path, text);
    this.texts.set(path, text);
    this.open.add(path);
    this.lastChange = undefined;
    this.changes++;
    // The engine cannot tell what changed: whatever the cache knew about the path is gone.
    for (const tracked of this.tracked.values()) {
      tracked.edits = tracked.edits.filter((edit) => edit.path !== path);
      if (tracked.anchor.path === path || tracked.edits.length === 0) tracked.state = 'forgotten';
    }
  }

  private async predict(path: string, offset: number, interleave: string | undefined, then: FollowUp): Promise<void> {
    const text = this.texts.get(path) ?? '';
    const pending = this.engine.predict({ path, position: positionAt(text, offset) }, {}, new AbortController().signal);
    if (interleave !== undefined) {
      // A keystroke while the prediction runs: its answer is for a text that is gone.
      this.type(path, 0, [this.materialize(path, [interleave])]);
      const result = await pending;
      for (const suggestion of result.kind === 'suggestions' ? result.suggestions : []) {
        if (!this.tracked.has(suggestion.id)) this.tracked.set(suggestion.id, { state: 'forgotten', anchor: { path, offset }, edits: [] });
      }
      this.last = undefined;
      return;
    }
    const result = await pending;
    if (!this.open.has(path)) expect(result).toMatchObject({ kind: 'none', reason: 'document not tracked' });
    this.expectApplicable(result);
    this.last = result.kind === 'suggestions' ? { cursorPath: path, cursorOffset: offset, suggestions: result.suggestions, changes: this.changes } : undefined;
    const top = result.kind === 'suggestions' ? result.suggestions[0] : undefined;
    if (top?.source === 'cache') this.expectFollowed(top);
    else if (top) this.track(top, path, offset);
    this.count(result, path);
    switch (then.kind) {
      case 'nothing':
        return;
      case 'again':
        return this.predictAgain(path, offset, top);
      case 'typeThrough':
        return this.typeThrough(then.count);
      case 'accept':
        return this.accept(then.undo);
      case 'reject':
        if (!top) return;
        this.engine.rejected(top.id);
        // A rejection clears the cache: nothing in it may come back.
        for (const tracked of this.tracked.values()) tracked.state = 'forgotten';
        return;
    }
  }

  /** Asking again where nothing changed: the cache answers with the very same edits. */
  private async predictAgain(path: string, offset: number, previous: Suggestion | undefined): Promise<void> {
    const stored = previous !== undefined && this.tracked.get(previous.id)?.state === 'exact';
    const result = await this.engine.predict({ path, position: positionAt(this.texts.get(path) ?? '', offset) }, {}, new AbortController().signal);
    this.expectApplicable(result);
    const top = result.kind === 'suggestions' ? result.suggestions[0] : undefined;
    if (stored) expect(top?.source === 'cache' && top.id, 'asking again is a cache hit').toBe(previous.id);
    if (top?.source === 'cache') this.expectFollowed(top);
    else if (top) this.track(top, path, offset);
    this.count(result, path);
  }

  private count(result: PredictionResult, path: string): void {
    if (result.kind !== 'suggestions') return;
    const top = result.suggestions[0] as Suggestion;
    if (top.source === 'cache') seen.cached++;
    else seen.fresh++;
    if (this.eols.get(path) === '\r\n' && (this.texts.get(path) ?? '').includes('\r\n')) seen.crlfSuggestions++;
    if (result.suggestions.some((suggestion) => suggestion.source === 'model')) seen.modelSuggestions++;
    if (result.suggestions.some((suggestion) => suggestion.source === 'propagation')) seen.propagationSuggestions++;
    if (result.suggestions.some((suggestion) => suggestion.edits.some((edit) => edit.path !== path))) seen.crossFile++;
  }

  private expectApplicable(result: PredictionResult): void {
    if (result.kind === 'none') return;
    expect(result.suggestions.length).toBeGreaterThan(0);
    for (const suggestion of result.suggestions) {
      expect(suggestion.edits.length).toBeGreaterThan(0);
      for (const [path, edits] of byPath(suggestion.edits)) {
        // A cached edit may point into a document closed since; fresh ones only into open ones.
        if (!this.open.has(path) && suggestion.source === 'cache') continue;
        expect(this.open.has(path), `${suggestion.id} edits closed ${path}`).toBe(true);
        const text = this.texts.get(path) as string;
        for (const edit of edits) {
          expect(rangeProblem(text, edit.range), `${suggestion.id} in ${path}: ${JSON.stringify(edit.range)}`).toBeUndefined();
          if (edit.replaced) expect(edit.replaced, `${suggestion.id} replaced`).toEqual(replacedIn(text, edit.range));
        }
        const applied = applyEdits(text, edits);
        if (applied.kind !== 'applied') throw new Error(`${suggestion.id} does not apply: ${applied.reason}`);
        const inverse = invertEdits(text, edits);
        if (inverse.kind !== 'inverted') throw new Error(inverse.reason);
        expect(applyOrThrow(applied.text, inverse.edits)).toBe(text);
      }
    }
  }

  /** What the cache will hold for `suggestion`: its edits that change something. */
  private track(suggestion: Suggestion, path: string, offset: number): void {
    const text = this.texts.get(path) ?? '';
    const edits = suggestion.edits
      .filter((edit) => edit.path !== path || textIn(text, edit.range) !== edit.text)
      .map((edit) => {
        const editText = this.texts.get(edit.path) ?? '';
        return { path: edit.path, start: offsetAt(editText, edit.range.start), end: offsetAt(editText, edit.range.end), text: edit.text };
      });
    this.tracked.set(suggestion.id, { state: edits.length > 0 ? 'exact' : 'forgotten', anchor: { path, offset }, edits });
  }

  private expectFollowed(served: Suggestion): void {
    const tracked = this.tracked.get(served.id);
    expect(tracked?.state, `cache served ${served.id}`).toBeDefined();
    expect(tracked?.state, `cache served ${served.id}, which it had to forget`).not.toBe('forgotten');
    if (tracked?.state !== 'exact') return;
    const expected = tracked.edits.map((edit) => {
      const text = this.texts.get(edit.path) ?? '';
      return { path: edit.path, range: { start: positionAt(text, edit.start), end: positionAt(text, edit.end) }, text: edit.text };
    });
    expect(served.edits.map(({ path, range, text }) => ({ path, range, text }))).toEqual(expected);
  }

  /** Types part of the top suggestion's insertion at the cursor; the cache must answer the rest. */
  private async typeThrough(count: number): Promise<void> {
    const last = this.last;
    if (!last || last.changes !== this.changes) return;
    const text = this.texts.get(last.cursorPath) ?? '';
    const top = last.suggestions[0] as Suggestion;
    const insertion = top.edits.find((edit) => edit.path === last.cursorPath && offsetAt(text, edit.range.start) === last.cursorOffset && offsetAt(text, edit.range.end) === last.cursorOffset);
    const units = caretUnits(insertion?.text ?? '');
    // Only text the editor would type as is: line breaks of the document's own kind.
    if (units.length < 2 || this.materialize(last.cursorPath, [insertion!.text.replace(/\r\n/g, '\n')]) !== insertion!.text) return;
    const typed = units.slice(0, 1 + (count % (units.length - 1)));
    this.type(last.cursorPath, last.cursorOffset, typed);
    const offset = last.cursorOffset + typed.join('').length;
    const result = await this.engine.predict({ path: last.cursorPath, position: positionAt(this.texts.get(last.cursorPath) ?? '', offset) }, {}, new AbortController().signal);
    expect(result.kind === 'suggestions' && result.suggestions[0]?.source, 'typing through a suggestion is a cache hit').toBe('cache');
    if (result.kind !== 'suggestions') return;
    expect(result.suggestions[0]?.id).toBe(top.id);
    this.expectApplicable(result);
    this.expectFollowed(result.suggestions[0] as Suggestion);
    seen.typedThrough++;
    this.last = undefined;
  }

  /** Applies the top suggestion as the editor would (one change per edit, last first), then maybe undoes it. */
  private accept(undo: boolean): void {
    const last = this.last;
    const top = last?.suggestions[0];
    if (!last || !top || last.changes !== this.changes) return;
    this.engine.accepted(top.id);
    seen.accepted++;
    for (const [path, edits] of byPath(top.edits)) {
      const before = this.texts.get(path) as string;
      // The editor puts text in with the document's line break.
      const normalized = edits.map((edit) => ({ ...edit, text: this.materialize(path, [edit.text.replace(/\r\n/g, '\n')]) }));
      this.applyAsChanges(path, before, normalized);
      const after = this.texts.get(path) as string;
      expect(after).toBe(applyOrThrow(before, normalized));
      const inverse = invertEdits(before, normalized, { eol: 'literal' });
      if (inverse.kind !== 'inverted') throw new Error(inverse.reason);
      expect(applyOrThrow(after, inverse.edits)).toBe(before);
      if (!undo) continue;
      this.applyAsChanges(path, after, inverse.edits);
      expect(this.texts.get(path)).toBe(before);
      seen.undone++;
    }
    this.last = undefined;
  }

  private applyAsChanges(path: string, text: string, edits: readonly TextEdit[]): void {
    const ordered = edits
      .map((edit, order) => ({ edit, order, start: offsetAt(text, edit.range.start), end: offsetAt(text, edit.range.end) }))
      .sort((a, b) => b.start - a.start || b.order - a.order);
    for (const { edit, start, end } of ordered) this.change(path, start, end, edit.text);
  }
}

function byPath<T extends TextEdit>(edits: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const edit of edits) groups.set(edit.path, [...(groups.get(edit.path) ?? []), edit]);
  return groups;
}

function applyOrThrow(text: string, edits: readonly TextEdit[]): string {
  const applied = applyEdits(text, edits, { eol: 'literal' });
  if (applied.kind !== 'applied') throw new Error(applied.reason);
  return applied.text;
}

function pickFrom(values: readonly number[], pick: number): number {
  return values[pick % values.length] as number;
}

describe('Engine over random documents and edit sequences', () => {
  it('keeps documents exact and every suggestion applicable, reversible and faithfully cached', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(documentArbitrary, { minLength: 1, maxLength: PATHS.length }),
        fc.array(answerArbitrary, { minLength: 1, maxLength: 8 }),
        fc.array(stepArbitrary, { minLength: 5, maxLength: 40, size: 'max' }),
        async (documents, answers, steps) => {
          const session = new Session(documents, answers);
          try {
            session.expectDocumentsInStep();
            for (const step of steps) {
              await session.run(step);
              session.expectDocumentsInStep();
            }
            await session.engine.settled();
            session.expectDocumentsInStep();
          } finally {
            session.engine.dispose();
          }
        },
      ),
      { numRuns: RUNS },
    );
    for (const [outcome, count] of Object.entries(seen)) expect(count, `${outcome} never happened`).toBeGreaterThan(0);
  });
});
