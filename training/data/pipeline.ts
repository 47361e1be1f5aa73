// The data pipeline's entry (bundled and run by training/data/build.mjs): corpus -> tokenizer ->
// real and synthetic edit examples -> serialized <split>.bin/.idx + meta.json. Deterministic for a
// seed; split by source (package), never by example.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BpeTokenizer } from '../../src/core/bpe';
import { DEFAULT_PROMPT_BUDGET } from '../../src/core/prompt';
import { formatTokenizerJson } from '../../src/node/tokenizerFile';
import {
  benchmarkPackages,
  collectFiles,
  fetchNpmPackage,
  pythonSources,
  repositorySources,
  type CorpusSource,
} from './corpus';
import { serializeExample, SplitWriter } from './datasetWriter';
import { hashString, Rng, type Example } from './documents';
import { NPM_PACKAGES, PYTHON_MODULES_FULL, PYTHON_MODULES_SMALL, PYTHON_STDLIB_ROOT, REAL_EDIT_PAIRS, SMALL_PACKAGE_COUNT } from './packages';
import { renameIdentifiers, renamingVocabulary } from './identifierAugmentation';
import { realEditExamples } from './realEdits';
import { fetchPinnedPair, pairExamples, type RealEditPin } from './replayedEdits';
import { GENERATORS } from './synthetic';
import { DEFAULT_VOCAB_SIZE, trainBpe } from './trainTokenizer';

export type DataSize = 'tiny' | 'small' | 'full';

export interface PipelineOptions {
  readonly size: DataSize;
  readonly repoRoot: string;
  /** Where the --tiny corpus is read from (the repository itself unless --corpus-dir is given). */
  readonly tinyCorpusRoot: string;
  readonly outDir: string;
  readonly cacheDir: string;
  /** Where the replayed pairs' packages are unpacked (surveyRealEdits.mjs fills the same place). */
  readonly realEditCacheDir: string;
  /** The version pairs replayed as benchmark-shaped cases (realEditPins.json). */
  readonly pinsPath: string;
  readonly tokenizerPath: string;
  readonly trainTokenizer: boolean;
  readonly vocabSize: number;
  readonly seed: number;
  readonly dumpExamples: boolean;
  /** Stop after training the tokenizer (no examples). */
  readonly tokenizerOnly: boolean;
  /** Examples to write, at most: the size's plan unless --max-examples says fewer. */
  readonly maxExamples: number;
  /** Rename identifiers in a share of the training examples (identifierAugmentation.ts). */
  readonly renameIdentifiers: boolean;
  readonly log: (message: string) => void;
}

interface SizePlan {
  readonly maxExamples: number;
  readonly passes: number;
  readonly realSamplesPerFile: number;
  /** Pinned version pairs replayed as benchmark-shaped cases (replayedEdits.ts), at most. */
  readonly replayedPairs: number;
  /** Corpus bytes the tokenizer trains on, at most. */
  readonly tokenizerBytes: number;
}

const PLANS: Readonly<Record<DataSize, SizePlan>> = {
  tiny: { maxExamples: 400, passes: 3, realSamplesPerFile: 0, replayedPairs: 0, tokenizerBytes: 4_000_000 },
  small: { maxExamples: 5_000, passes: 6, realSamplesPerFile: 2, replayedPairs: 4, tokenizerBytes: 24_000_000 },
  full: { maxExamples: 300_000, passes: 40, realSamplesPerFile: 6, replayedPairs: Number.POSITIVE_INFINITY, tokenizerBytes: 24_000_000 },
};

/** Share of "no change" examples the mix aims for: staying silent is the common right answer. */
export const NO_CHANGE_SHARE = 0.45;
const CHANGE_GENERATORS: readonly (readonly [string, number])[] = [
  ['rename', 3], ['member', 2], ['add_parameter', 1.5], ['remove_parameter', 1], ['insert_statement', 1.5],
  ['delete_statement', 1], ['complete_line', 3], ['type_into', 5],
];
const HISTORY_START_MS = 1_700_000_000_000;
/** Training examples whose identifiers are renamed; the rest keep real names for real priors. */
export const RENAMED_EXAMPLE_SHARE = 0.6;
/** In a renamed example, the share of its eligible identifiers that get a new name. */
export const RENAMED_IDENTIFIER_SHARE = 0.8;

export function parseArguments(argv: readonly string[], repoRoot: string): PipelineOptions {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(name);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const size = (argv.includes('--tiny') ? 'tiny' : value('--size') ?? 'small') as DataSize;
  if (!(size in PLANS)) throw new TypeError(`--size must be tiny, small or full, got ${size}`);
  const seed = Number(value('--seed') ?? 1);
  const vocabSize = Number(value('--vocab-size') ?? (size === 'tiny' ? 1024 : DEFAULT_VOCAB_SIZE));
  if (!Number.isInteger(seed)) throw new TypeError('--seed must be an integer');
  const maxExamples = Number(value('--max-examples') ?? PLANS[size].maxExamples);
  if (!Number.isInteger(maxExamples) || maxExamples < 1) throw new TypeError('--max-examples must be a positive integer');
  const outDir = resolve(repoRoot, value('--out') ?? join('training', '.data', size === 'full' ? '' : size));
  const cacheDir = resolve(repoRoot, value('--cache') ?? join('training', '.data', 'cache'));
  const tokenizerPath = resolve(repoRoot, value('--tokenizer') ?? (size === 'tiny' ? join(outDir, 'tokenizer.json') : 'models/tokenizer.json'));
  return {
    size,
    repoRoot,
    tinyCorpusRoot: resolve(repoRoot, value('--corpus-dir') ?? '.'),
    outDir,
    cacheDir,
    realEditCacheDir: join(cacheDir, 'real-edits'),
    pinsPath: resolve(repoRoot, value('--pins') ?? join('training', 'data', 'realEditPins.json')),
    tokenizerPath,
    trainTokenizer: argv.includes('--train-tokenizer') || argv.includes('--tokenizer-only') || size === 'tiny' || !existsSync(tokenizerPath),
    vocabSize,
    seed,
    maxExamples,
    dumpExamples: argv.includes('--dump-examples') || size === 'tiny',
    tokenizerOnly: argv.includes('--tokenizer-only'),
    renameIdentifiers: !argv.includes('--no-rename-identifiers'),
    log: (message) => process.stderr.write(`${message}\n`),
  };
}

function gatherCorpus(options: PipelineOptions, excluded: ReadonlySet<string>): CorpusSource[] {
  if (options.size === 'tiny') return repositorySources(options.tinyCorpusRoot);
  const seen = new Set<string>();
  const allowed = NPM_PACKAGES.filter((pinned) => !excluded.has(pinned.name));
  const skipped = NPM_PACKAGES.filter((pinned) => excluded.has(pinned.name)).map((pinned) => pinned.name);
  if (skipped.length > 0) options.log(`skip (in bench/packages.json): ${skipped.join(', ')}`);
  const packages = options.size === 'small' ? allowed.slice(0, SMALL_PACKAGE_COUNT) : allowed;
  const sources: CorpusSource[] = [];
  for (const pinned of packages) {
    const root = fetchNpmPackage(pinned.name, pinned.version, options.cacheDir);
    if (!root) {
      options.log(`skip ${pinned.name}@${pinned.version}: npm pack failed`);
      continue;
    }
    const files = collectFiles(root, pinned.name, seen);
    if (files.length > 0) sources.push({ ...pinned, files });
  }
  const modules = options.size === 'small' ? PYTHON_MODULES_SMALL : PYTHON_MODULES_FULL;
  if (existsSync(PYTHON_STDLIB_ROOT)) sources.push(...pythonSources(PYTHON_STDLIB_ROOT, modules, seen));
  return sources;
}

function* corpusTexts(sources: readonly CorpusSource[], maxBytes: number): Generator<string> {
  let bytes = 0;
  for (const source of sources) {
    for (const file of source.files) {
      if (bytes >= maxBytes) return;
      bytes += file.text.length;
      yield file.text;
    }
  }
}

function loadOrTrainTokenizer(options: PipelineOptions, sources: readonly CorpusSource[]): { tokenizer: BpeTokenizer; sha256: string } {
  if (options.trainTokenizer) {
    const started = performance.now();
    const data = trainBpe(corpusTexts(sources, PLANS[options.size].tokenizerBytes), { vocabSize: options.vocabSize });
    mkdirSync(dirname(options.tokenizerPath), { recursive: true });
    writeFileSync(options.tokenizerPath, formatTokenizerJson(data));
    options.log(`trained tokenizer: ${data.vocabSize} tokens in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${options.tokenizerPath}`);
  }
  const bytes = readFileSync(options.tokenizerPath);
  return { tokenizer: new BpeTokenizer(JSON.parse(bytes.toString('utf8'))), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The pinned pairs; none when the file is missing (the --tiny data needs none). */
function readPins(path: string): RealEditPin[] {
  if (!existsSync(path)) return [];
  return (JSON.parse(readFileSync(path, 'utf8')) as { pairs: RealEditPin[] }).pairs;
}

/** Every tenth source (by a stable hash of its name) validates; at least one source each way. */
export function validationSources(names: readonly string[]): Set<string> {
  const sorted = [...names].sort((a, b) => hashString(a) - hashString(b) || a.localeCompare(b));
  const count = Math.min(Math.max(1, Math.round(names.length / 10)), Math.max(0, names.length - 1));
  return new Set(sorted.slice(0, count));
}

function pickGenerator(rng: Rng, noChangeCount: number, total: number): string {
  if (total > 0 && noChangeCount / total < NO_CHANGE_SHARE && rng.chance(0.7)) return 'no_change';
  let roll = rng.next() * CHANGE_GENERATORS.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [name, weight] of CHANGE_GENERATORS) {
    roll -= weight;
    if (roll <= 0) return name;
  }
  return 'rename';
}

function* syntheticExamples(sources: readonly CorpusSource[], plan: SizePlan, rng: Rng, counts: { noChange: number; total: number }): Generator<Example> {
  const items = sources.flatMap((source) => source.files.map((file) => ({ source, file })));
  for (let pass = 0; pass < plan.passes; pass++) {
    const order = items.map((item, index) => ({ item, key: rng.next() + index * 0 }));
    order.sort((a, b) => a.key - b.key);
    for (const { item } of order) {
      const name = pickGenerator(rng, counts.noChange, counts.total);
      const neighbors = item.source.files.filter((other) => other !== item.file);
      const context = { file: item.file, neighbors: neighbors.length > 40 ? neighbors.slice(0, 40) : neighbors, rng, startMs: HISTORY_START_MS + pass * 1e7 };
      const generate = GENERATORS[name];
      if (generate) yield* generate(context);
    }
  }
}

export async function runPipeline(options: PipelineOptions): Promise<Record<string, unknown>> {
  const started = performance.now();
  const plan = PLANS[options.size];
  const rng = new Rng(options.seed);
  mkdirSync(options.outDir, { recursive: true });
  const excluded = benchmarkPackages(options.repoRoot);
  const sources = gatherCorpus(options, excluded);
  const corpusBytes = sources.reduce((sum, source) => sum + source.files.reduce((inner, file) => inner + file.text.length, 0), 0);
  options.log(`corpus: ${sources.length} sources, ${sources.reduce((sum, source) => sum + source.files.length, 0)} files, ${(corpusBytes / 1e6).toFixed(1)} MB`);
  const { tokenizer, sha256 } = loadOrTrainTokenizer(options, sources);
  if (options.tokenizerOnly) return { vocabSize: tokenizer.vocabSize, tokenizerSha256: sha256, corpusBytes };

  const pins = readPins(options.pinsPath).filter((pin) => !excluded.has(pin.name)).slice(0, plan.replayedPairs);
  const corpusNames = new Set(sources.map((source) => source.name));
  // Replayed packages outside the corpus get a validation share of their own, by the same rule.
  const validNames = new Set([
    ...validationSources([...corpusNames]),
    ...validationSources([...new Set(pins.map((pin) => pin.name))].filter((name) => !corpusNames.has(name))),
  ]);
  const writers = {
    train: new SplitWriter(options.outDir, 'train', tokenizer.vocabSize, options.dumpExamples),
    valid: new SplitWriter(options.outDir, 'valid', tokenizer.vocabSize, options.dumpExamples),
  };
  const skipped: Record<string, number> = {};
  const counts = { noChange: 0, total: 0, renamed: 0 };
  // Replacement names come from the training packages only, so validation stays unseen.
  const renaming = options.renameIdentifiers
    ? renamingVocabulary(sources.filter((source) => !validNames.has(source.name)).flatMap((source) => source.files.map((file) => file.text)))
    : undefined;
  const renameRng = rng.fork('rename');
  const accept = (original: Example): boolean => {
    if (counts.total >= options.maxExamples) return false;
    const training = !validNames.has(original.source);
    const renamed = renaming && training && renameRng.chance(RENAMED_EXAMPLE_SHARE);
    const example = renamed ? renameIdentifiers(original, renaming, renameRng, RENAMED_IDENTIFIER_SHARE) : original;
    if (example !== original) counts.renamed++;
    const outcome = serializeExample(example, tokenizer, DEFAULT_PROMPT_BUDGET);
    if (outcome.kind === 'skipped') {
      skipped[outcome.reason] = (skipped[outcome.reason] ?? 0) + 1;
      return true;
    }
    writers[training ? 'train' : 'valid'].add(example, outcome.ids, outcome.promptLength);
    counts.total++;
    if (example.newLines === null) counts.noChange++;
    return true;
  };

  const realSources: string[] = [];
  if (plan.realSamplesPerFile > 0) {
    for (const pair of REAL_EDIT_PAIRS) {
      if (excluded.has(pair.name)) continue;
      const before = fetchNpmPackage(pair.name, pair.from, options.cacheDir);
      const after = fetchNpmPackage(pair.name, pair.to, options.cacheDir);
      if (!before || !after) continue;
      const oldFiles = new Map(collectFiles(before, pair.name, new Set()).map((file) => [file.path, file.text]));
      const newFiles = collectFiles(after, pair.name, new Set());
      const examples = realEditExamples(pair.name, oldFiles, newFiles, rng.fork(pair.name), plan.realSamplesPerFile, HISTORY_START_MS);
      realSources.push(`${pair.name}@${pair.from}..${pair.to} (${examples.length} examples)`);
      for (const example of examples) if (!accept(example)) break;
    }
  }
  const replayedSources: string[] = [];
  for (const pin of pins) {
    const roots = await fetchPinnedPair(pin, options.realEditCacheDir);
    if ('error' in roots) {
      options.log(`replayed edits: skipped ${roots.error}`);
      continue;
    }
    const examples = await pairExamples(pin, roots.from, roots.to, rng.fork(`replayed ${pin.name}@${pin.from}`), HISTORY_START_MS);
    replayedSources.push(`${pin.name}@${pin.from}..${pin.to} (${examples.length} examples)`);
    for (const example of examples) if (!accept(example)) break;
  }
  for (const example of syntheticExamples(sources, plan, rng.fork('synthetic'), counts)) {
    if (!accept(example)) break;
  }
  writers.train.close();
  writers.valid.close();

  const meta = {
    format: 1,
    vocabSize: tokenizer.vocabSize,
    specialTokens: tokenizer.specialTokens,
    tokenizerSha256: sha256,
    size: options.size,
    seed: options.seed,
    budget: DEFAULT_PROMPT_BUDGET,
    counts: {
      examples: writers.train.counts.examples + writers.valid.counts.examples,
      tokens: writers.train.counts.tokens + writers.valid.counts.tokens,
      byKind: mergeCounts(writers.train.counts.byKind, writers.valid.counts.byKind),
    },
    splits: { train: writers.train.counts, valid: writers.valid.counts },
    skipped,
    renamedExamples: counts.renamed,
    sources: sources.map((source) => ({
      name: source.name,
      version: source.version,
      files: source.files.length,
      bytes: source.files.reduce((sum, file) => sum + file.text.length, 0),
      split: validNames.has(source.name) ? 'valid' : 'train',
    })),
    realEdits: realSources,
    replayedEdits: replayedSources,
    excludedBenchmarkPackages: [...excluded].sort(),
    corpusBytes,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
  writeFileSync(join(options.outDir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  options.log(`wrote ${meta.counts.examples} examples, ${meta.counts.tokens} tokens to ${options.outDir} in ${meta.seconds} s`);
  return meta;
}

function mergeCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const merged: Record<string, number> = { ...a };
  for (const [key, value] of Object.entries(b)) merged[key] = (merged[key] ?? 0) + value;
  return merged;
}

export async function main(argv: readonly string[], repoRoot: string): Promise<void> {
  await runPipeline(parseArguments(argv, repoRoot));
}
