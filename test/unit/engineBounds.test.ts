// 10,000 edit-then-predict cycles through the real core engine, on a workload that drives every
// bounded structure to its bound: edits far apart (each its own history entry) that name ever new
// files (prefetched into the text cache), predictions at ever new places (new cache entries and
// remembered suggestions), and files opened and closed on the side (closed documents kept). At
// every sample each structure is at most its bound, and once warmed up exactly at it; the heap,
// measured after a forced collection, must not grow past the warm-up by more than a fixed margin.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { runSustained, type SustainedEdit } from '../../src/cli/soakCommand';
import { DocumentStore } from '../../src/core/documents';
import { Engine, MAX_REMEMBERED_SUGGESTIONS } from '../../src/core/engine';
import { DEFAULT_MAX_EDITS, EditHistory } from '../../src/core/history';
import type { FileReader, ModelInput, NextEditModel, SymbolDefinition, SymbolOccurrence, WorkspaceIndex } from '../../src/core/ports';
import { PropagationPredictor } from '../../src/core/propagation';
import { Ranker } from '../../src/core/ranker';
import { Retriever } from '../../src/core/retrieval';
import { DEFAULT_MAX_CACHED_SUGGESTIONS, SuggestionCache } from '../../src/core/suggestionCache';
import { TextProvider } from '../../src/core/textProvider';
import type { Suggestion } from '../../src/core/types';

const PREDICTIONS = 10_000;
/** By then every bounded structure has filled up; heap growth is measured from here. */
const WARM_UP_PREDICTIONS = 2_000;
/**
 * Heap growth allowed from warm-up to the end, after a forced collection. A healthy run grows
 * about 0.2 MB (the run's own latency list); keeping 130 bytes a cycle would exceed it.
 */
const MAX_HEAP_GROWTH_MB = 1;
const MAX_DOCUMENTS = 16;
const TEXT_CACHE_BYTES = 64 * 1024;
/** Fake time per cycle: the suggestion cache's 60 s time-to-live spans 1,200 cycles. */
const CYCLE_MS = 50;
const LINES = 97;
/** Consecutive edits land this many lines apart (LINES is prime): never coalesced. */
const EDIT_LINE_STRIDE = 37;
const PREDICT_LINE_STRIDE = 53;
const DISK_FILES = 4_000;
const SIDE_FILE_EVERY_CYCLES = 25;
/** Far more than the engine remembers: a leak there would show among these. */
const RECENT_IDS_KEPT = 16 * MAX_REMEMBERED_SUGGESTIONS;
const MAIN = 'src/main.ts';
const NAME = /^value(\d{4})$/;

const valueName = (file: number): string => `value${String(file % DISK_FILES).padStart(4, '0')}`;
const diskPath = (file: number): string => `lib/file${String(file).padStart(4, '0')}.ts`;
const slotPrefix = (line: number): string => `export const slot${String(line).padStart(3, '0')} = `;
const NAME_COLUMN = slotPrefix(0).length;

/** `valueNNNN` is defined in lib/fileNNNN.ts and used nowhere else: a name-to-file table, not a scan. */
class GeneratedIndex implements WorkspaceIndex {
  files(): readonly string[] {
    return [];
  }
  definitions(name: string): readonly SymbolDefinition[] {
    return this.occurrences(name).map((occurrence) => ({ ...occurrence, kind: 'variable', span: { startLine: 0, endLine: 1 } }));
  }
  occurrences(name: string): readonly SymbolOccurrence[] {
    const file = NAME.exec(name)?.[1];
    return file === undefined ? [] : [{ name, path: diskPath(Number(file)), position: { line: 0, character: 13 }, length: name.length }];
  }
  namesStartingWith(): readonly [] {
    return [];
  }
  identifiersIn(): readonly SymbolOccurrence[] {
    return [];
  }
  imports(): readonly [] {
    return [];
  }
  enclosingScope(): undefined {
    return undefined;
  }
  async update(): Promise<void> {}
  remove(): void {}
}

const diskReader: FileReader = {
  read: async (path) => {
    const file = /^lib\/file(\d{4})\.ts$/.exec(path)?.[1];
    return file === undefined ? undefined : `export const ${valueName(Number(file))} = ${Number(file)};\n`;
  },
};

/** Inserts a new numbered expression at the cursor each time: every answer is a new suggestion. */
function countingModel(): NextEditModel {
  let answers = 0;
  return {
    predict: async (input: ModelInput) => {
      const window = input.windows[0];
      if (!window?.cursor) return [];
      const row = window.cursor.line - window.startLine;
      const newLines = window.lines.map((line, index) => (index === row ? `${line.slice(0, window.cursor!.character)}${++answers} + ${line.slice(window.cursor!.character)}` : line));
      return [{ window, newLines, score: 0.9 }];
    },
  };
}

/** The last `capacity` distinct ids added, and how many were added in all. */
class RecentIds {
  private readonly recent = new Set<string>();
  added = 0;

  constructor(private readonly capacity: number) {}

  add(id: string): void {
    this.added++;
    this.recent.delete(id);
    this.recent.add(id);
    if (this.recent.size > this.capacity) this.recent.delete(this.recent.values().next().value as string);
  }

  ids(): string[] {
    return [...this.recent];
  }
}

/** global.gc without --expose-gc on the command line: V8 accepts the flag at run time. */
function exposeGarbageCollector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

interface BoundsSample {
  readonly predictions: number;
  readonly history: number;
  readonly cache: number;
  readonly remembered: number;
  readonly textBytes: number;
  readonly documents: number;
  readonly heapUsedMb: number;
}

describe('the engine over 10,000 predictions in a row', () => {
  // About 15 s of CPU; the timeout leaves room for a machine busy with other work.
  it('keeps every bounded structure at its bound and the heap flat', { timeout: 120_000 }, async () => {
    let nowMs = 0;
    const clock = (): number => nowMs;
    const store = new DocumentStore({ maxDocuments: MAX_DOCUMENTS });
    const texts = new TextProvider({ openText: (path) => store.get(path), fileReader: diskReader, maxCacheBytes: TEXT_CACHE_BYTES });
    const history = new EditHistory();
    const cache = new SuggestionCache({ clock });
    const index = new GeneratedIndex();
    const ranker = new Ranker();
    // The ids of recent cycles only: the test's own bookkeeping must not grow the heap it measures.
    const ranked = new RecentIds(RECENT_IDS_KEPT);
    const engine = new Engine({
      clock,
      logger: { info: () => undefined, warn: (message) => expect.fail(message) },
      documents: store,
      history,
      cache,
      propagation: new PropagationPredictor({ readText: (path) => texts.get(path), index, clock }),
      retriever: new Retriever({ index, readText: (path) => texts.get(path) }),
      // Every id the engine could remember passes through here.
      ranker: {
        rank: (suggestions: readonly Suggestion[]) => {
          const result = ranker.rank(suggestions);
          for (const suggestion of result) ranked.add(suggestion.id);
          return result;
        },
        modelScoreFloor: () => ranker.modelScoreFloor(),
        accepted: (suggestion) => ranker.accepted(suggestion),
        rejected: (suggestion) => ranker.rejected(suggestion),
      },
      texts,
      index,
      fileReader: diskReader,
      model: countingModel(),
      yieldToEventLoop: () => new Promise((resolve) => setImmediate(resolve)),
    });
    const names = Array.from({ length: LINES }, (_, line) => valueName(line));
    engine.openDocument(MAIN, names.map((name, line) => `${slotPrefix(line)}${name};`).join('\n'));

    const edit = (step: number): SustainedEdit => {
      nowMs += CYCLE_MS;
      if (step % SIDE_FILE_EVERY_CYCLES === 0) {
        engine.openDocument(`side/${step}.ts`, 'export {};\n');
        engine.closeDocument(`side/${step}.ts`);
      }
      const line = (step * EDIT_LINE_STRIDE) % LINES;
      const name = valueName(step * 7_919 + LINES);
      const range = { start: { line, character: NAME_COLUMN }, end: { line, character: NAME_COLUMN + (names[line] as string).length } };
      names[line] = name;
      return { event: { path: MAIN, range, text: name }, lengthDelta: 0, cursor: { path: MAIN, position: { line: (step * PREDICT_LINE_STRIDE + 11) % LINES, character: 0 } } };
    };

    const samples: BoundsSample[] = [];
    const report = await runSustained(engine, {
      path: MAIN,
      predictions: PREDICTIONS,
      sources: 'all',
      clock,
      edit,
      collectGarbage: exposeGarbageCollector(),
      onSample: (sample, predictions) =>
        samples.push({
          predictions,
          history: history.edits().length,
          cache: cache.size,
          remembered: ranked.ids().filter((id) => engine.suggestion(id) !== undefined).length,
          textBytes: texts.cachedBytes,
          documents: store.size,
          heapUsedMb: sample.heapUsedMb,
        }),
    });
    engine.dispose();

    expect(report.rejected).toBe(0);
    expect(report.documentLengthOk).toBe(true);
    expect(samples).toHaveLength(PREDICTIONS / 1_000);
    for (const sample of samples) {
      expect(sample.history).toBeLessThanOrEqual(DEFAULT_MAX_EDITS);
      expect(sample.cache).toBeLessThanOrEqual(DEFAULT_MAX_CACHED_SUGGESTIONS);
      expect(sample.remembered).toBeLessThanOrEqual(MAX_REMEMBERED_SUGGESTIONS);
      expect(sample.textBytes).toBeLessThanOrEqual(TEXT_CACHE_BYTES);
      expect(sample.documents).toBeLessThanOrEqual(MAX_DOCUMENTS);
    }
    const warm = samples.filter((sample) => sample.predictions >= WARM_UP_PREDICTIONS);
    for (const sample of warm) {
      // At the bound, not merely under it: the workload really pushed against each one.
      expect(sample).toMatchObject({ history: DEFAULT_MAX_EDITS, cache: DEFAULT_MAX_CACHED_SUGGESTIONS, remembered: MAX_REMEMBERED_SUGGESTIONS, documents: MAX_DOCUMENTS });
      expect(sample.textBytes).toBeGreaterThan(TEXT_CACHE_BYTES / 2);
    }
    const heapGrowthMb = (warm.at(-1)?.heapUsedMb ?? 0) - (warm[0]?.heapUsedMb ?? 0);
    console.info(`heap after collection, from ${WARM_UP_PREDICTIONS} predictions on: ${warm.map((sample) => sample.heapUsedMb).join(', ')} MB`);
    expect(heapGrowthMb).toBeLessThan(MAX_HEAP_GROWTH_MB);
    expect(ranked.added).toBeGreaterThan(PREDICTIONS / 2);
  });
});
