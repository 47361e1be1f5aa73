// Composition for Node hosts (the extension and the CLI): the workspace-wide services that live
// as long as a workspace is open, and engines built over them.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { repeatLastEdit } from '../core/baseline';
import { DocumentStore } from '../core/documents';
import { combineSources } from '../core/candidateSources';
import { Engine, type CandidateSource, type SuggestionRanker } from '../core/engine';
import { LexedDocuments } from '../core/lexedDocuments';
import { MissingImportPredictor } from '../core/missingImports';
import type { CreatedEngine, EngineFactoryOptions, NextEditEngine } from '../core/engineApi';
import { suggestionId } from '../core/hash';
import { EditHistory } from '../core/history';
import type { Clock, Logger, NextEditModel } from '../core/ports';
import { PropagationPredictor } from '../core/propagation';
import { Ranker } from '../core/ranker';
import { Retriever } from '../core/retrieval';
import { SuggestionCache } from '../core/suggestionCache';
import { TextProvider } from '../core/textProvider';
import type { Suggestion } from '../core/types';
import { yieldWithSetImmediate } from './eventLoop';
import { NodeFileReader } from './fileReader';
import { Grammars } from './grammars';
import { OnnxNextEditModel } from './modelRuntime';
import { TreeSitterIndex } from './treeSitterIndex';
import { WorkspaceScanner, type ScanSummary } from './workspaceScanner';

/** How long loading the model may take during warm-up before Ripple carries on without it. */
export const MODEL_WARM_UP_BUDGET_MS = 30_000;

export interface WorkspaceOptions {
  readonly workspaceRoot: string;
  readonly logger: Logger;
  /** False: no model is loaded (the user turned it off); defaults to true. */
  readonly useModel?: boolean | undefined;
  /** Folder holding manifest.json; defaults to the models/ folder shipped with Ripple. */
  readonly modelDirectory?: string | undefined;
  /** Folder holding the grammar .wasm files; defaults to the grammar packages. */
  readonly grammarDirectory?: string | undefined;
  readonly maxIndexedFiles?: number;
  readonly onIndexProgress?: (indexed: number, total: number) => void;
  readonly clock?: Clock;
}

/** Services shared by every engine over one workspace. */
export interface Workspace {
  readonly root: string;
  readonly clock: Clock;
  readonly index: TreeSitterIndex;
  readonly fileReader: NodeFileReader;
  readonly model: NextEditModel | undefined;
  /** Resolves when the background index build has finished (or was aborted). */
  readonly ready: Promise<ScanSummary | undefined>;
  /** Loads the model now rather than on the first prediction. */
  warmUp(): Promise<void>;
  dispose(): void;
}

export function openWorkspace(options: WorkspaceOptions, signal: AbortSignal): Workspace {
  const clock = options.clock ?? (() => performance.now());
  const grammarDirectory = options.grammarDirectory ?? bundledGrammarDirectory();
  const grammars = new Grammars({ logger: options.logger, ...(grammarDirectory ? { wasmDirectory: grammarDirectory } : {}) });
  const index = new TreeSitterIndex({ grammars, logger: options.logger, ...(options.maxIndexedFiles ? { maxIndexedFiles: options.maxIndexedFiles } : {}) });
  const fileReader = new NodeFileReader({ root: options.workspaceRoot });
  const model = createModel(options, clock);
  const scanController = new AbortController();
  const abortScan = (): void => scanController.abort();
  signal.addEventListener('abort', abortScan, { once: true });
  const scanner = new WorkspaceScanner({
    root: options.workspaceRoot,
    index,
    ...(options.maxIndexedFiles ? { maxFiles: options.maxIndexedFiles } : {}),
    ...(options.onIndexProgress ? { onProgress: options.onIndexProgress } : {}),
  });
  const ready = scanner.scan(scanController.signal).then(
    (summary) => {
      options.logger.info(describeScan(summary));
      return summary;
    },
    (error: unknown) => {
      options.logger.warn(`indexing failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    },
  );
  return {
    root: options.workspaceRoot,
    clock,
    index,
    fileReader,
    model,
    ready,
    warmUp: () => warmUp(model, clock),
    dispose(): void {
      signal.removeEventListener('abort', abortScan);
      scanController.abort();
      model?.dispose();
      index.dispose();
      grammars.dispose();
    },
  };
}

export interface EngineSettings {
  readonly logger: Logger;
  readonly budgetMs?: number;
  /** Minimum confidence in [0, 1] for a suggestion to be shown. */
  readonly minScore?: number;
  /** Replace the candidate stages by the repeat-last-edit baseline (benchmark only). */
  readonly baseline?: boolean;
  /** The edit history to record into; a fresh one when absent (tests watch its bounds). */
  readonly history?: EditHistory;
}

/** A fresh engine (documents, history, cache) over a workspace's shared services. */
export function createEngine(workspace: Workspace, settings: EngineSettings): Engine {
  const documents = new DocumentStore();
  const texts = new TextProvider({ openText: (path) => documents.get(path), fileReader: workspace.fileReader });
  const readText = (path: string): string | undefined => texts.get(path);
  const history = settings.history ?? new EditHistory();
  const propagation: CandidateSource = settings.baseline
    ? baselineSource(readText)
    : symbolicSources(readText, workspace);
  const ranker: SuggestionRanker = settings.baseline ? passThroughRanker() : new Ranker(settings.minScore === undefined ? {} : { minScore: settings.minScore });
  return new Engine(
    {
      clock: workspace.clock,
      logger: settings.logger,
      documents,
      history,
      cache: new SuggestionCache(),
      propagation,
      retriever: new Retriever({ index: workspace.index, readText }),
      ranker,
      texts,
      index: workspace.index,
      fileReader: workspace.fileReader,
      ...(workspace.model && !settings.baseline ? { model: workspace.model } : {}),
      yieldToEventLoop: yieldWithSetImmediate,
    },
    settings.budgetMs === undefined ? {} : { budgetMs: settings.budgetMs },
  );
}

/** dist/grammars next to the bundle, where the build copies the .wasm files; absent when run from sources. */
function bundledGrammarDirectory(): string | undefined {
  const directory = join(__dirname, 'grammars');
  return existsSync(join(directory, 'tree-sitter-typescript.wasm')) ? directory : undefined;
}

function createModel(options: WorkspaceOptions, clock: Clock): OnnxNextEditModel | undefined {
  if (options.useModel === false) {
    options.logger.info('the local model is turned off (ripple.model.enable): predictions are symbolic only');
    return undefined;
  }
  const directory = options.modelDirectory ?? join(__dirname, '..', 'models');
  const manifestPath = join(directory, 'manifest.json');
  if (!existsSync(manifestPath)) {
    options.logger.warn(`no model at ${directory}: predictions are symbolic only`);
    return undefined;
  }
  return new OnnxNextEditModel({ manifestPath, logger: options.logger, clock });
}

async function warmUp(model: NextEditModel | undefined, clock: Clock): Promise<void> {
  if (!model) return;
  const window = { path: 'warm-up.ts', startLine: 0, lines: ['const value = 1;'] };
  await model.predict({ history: [], snippets: [], windows: [window], deadlineMs: clock() + MODEL_WARM_UP_BUDGET_MS }, new AbortController().signal);
}

function baselineSource(readText: (path: string) => string | undefined): CandidateSource {
  return {
    propose: ({ history }) => {
      const edits = repeatLastEdit(history, readText);
      if (edits.length === 0) return { suggestions: [] };
      const followsFrom = history[history.length - 1];
      const suggestion: Suggestion = {
        id: suggestionId('baseline', edits),
        edits,
        score: 1,
        source: 'propagation',
        explanation: { ...(followsFrom ? { followsFrom } : {}), pattern: 'repeat the last edit', snippets: [], confidence: 1, stageTimingsMs: {} },
      };
      return { suggestions: [suggestion] };
    },
  };
}

/** The symbolic candidate sources, sharing one cache of lexed documents. */
function symbolicSources(readText: (path: string) => string | undefined, workspace: Workspace): CandidateSource {
  const documents = new LexedDocuments();
  return combineSources([
    new PropagationPredictor({ readText, index: workspace.index, clock: workspace.clock, documents }),
    new MissingImportPredictor({ readText, index: workspace.index, documents }),
  ]);
}

function passThroughRanker(): SuggestionRanker {
  return { rank: (suggestions) => [...suggestions], modelScoreFloor: () => 0, accepted: () => undefined, rejected: () => undefined };
}

function describeScan(summary: ScanSummary): string {
  const skipped = Object.entries(summary.skipped)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${count} ${reason}`)
    .join(', ');
  return `indexed ${summary.indexed} of ${summary.total} files${skipped ? ` (skipped ${skipped})` : ''}${summary.aborted ? ', aborted' : ''}`;
}

/** One workspace, one engine: what the extension host needs. */
export function createNodeEngine(options: EngineFactoryOptions, signal?: AbortSignal): CreatedEngine {
  const workspace = openWorkspace(options, signal ?? new AbortController().signal);
  const engine = createEngine(workspace, {
    logger: options.logger,
    ...(options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs }),
    ...(options.eagerness === undefined ? {} : { minScore: options.eagerness }),
  });
  // Load the model behind the index build, so the first keystrokes do not wait for it.
  const ready = workspace.ready.then(() => undefined);
  void ready.then(() => workspace.warmUp()).catch(() => undefined);
  return {
    engine,
    ready,
    dispose(): void {
      engine.dispose();
      workspace.dispose();
    },
  };
}
