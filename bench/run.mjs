#!/usr/bin/env node
// `npm run bench`: makes sure the data set and its workspaces exist, runs the CLI's bench
// command once per prediction source, scores each run and prints one table; writes
// bench/results/latest.json and bench/results/latest.md.
// Usage: node bench/run.mjs [--limit N] [--sources baseline,symbolic,model,model-unfiltered,all] [--oracle]
//   [--cases FILE] [--cli dist/cli.js] [--timeout-s SECONDS]
// --oracle adds an in-process predictor that returns the expected edit: a check of the data set
// and the scorer that needs no CLI.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASET_PATH, REPO_ROOT, generate, writeDataset } from './generate.mjs';
import { isExtracted } from './lib/npm.mjs';
import { oraclePrediction, readJsonl, scorePredictions, workspaceReader } from './score.mjs';
import { formatMarkdown, formatTable } from './lib/report.mjs';

/**
 * The CLI arguments of each source, in the report's order. `model-unfiltered` is the model with
 * every answer shown (no confidence threshold): what it gets right before the ranker's gate, so
 * its progress shows even while the gate keeps it out of the combination.
 */
const CLI_SOURCES = {
  baseline: ['--sources', 'baseline'],
  symbolic: ['--sources', 'symbolic'],
  model: ['--sources', 'model'],
  'model-unfiltered': ['--sources', 'model', '--min-score', '0'],
  all: ['--sources', 'all'],
};
export const DEFAULT_SOURCES = Object.keys(CLI_SOURCES);
const MODEL_SOURCES = new Set(['model', 'model-unfiltered']);
const KNOWN_SOURCES = new Set([...DEFAULT_SOURCES, 'oracle']);
const RUN_DIR = join(REPO_ROOT, 'bench', '.cache', 'run');
const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
const DEFAULT_TIMEOUT_S = 20 * 60;
const STDERR_TAIL_CHARS = 4000;
/** How the CLI says it has no model, e.g. "no model at DIR: predictions are symbolic only". */
const MODEL_UNAVAILABLE = /\bno model\b|model[^\n]*\b(unavailable|not available|not found|missing|could not be loaded)\b/i;

/** Parses and validates the command line loudly. */
export function parseArguments(args) {
  const options = {
    limit: undefined,
    sources: DEFAULT_SOURCES,
    oracle: false,
    casesPath: DATASET_PATH,
    cliPath: join(REPO_ROOT, 'dist', 'cli.js'),
    timeoutS: DEFAULT_TIMEOUT_S,
    runDir: RUN_DIR,
    resultsDir: RESULTS_DIR,
  };
  for (let index = 0; index < args.length; index += 1) {
    const name = args[index];
    const value = () => {
      const next = args[++index];
      if (next === undefined) throw new TypeError(`${name} needs a value`);
      return next;
    };
    if (name === '--limit') options.limit = positiveInteger(name, value());
    else if (name === '--timeout-s') options.timeoutS = positiveInteger(name, value());
    else if (name === '--sources') options.sources = value().split(',').filter((s) => s !== '');
    else if (name === '--cases') options.casesPath = resolve(value());
    else if (name === '--cli') options.cliPath = resolve(value());
    else if (name === '--oracle') options.oracle = true;
    else throw new TypeError(`unknown option ${name}`);
  }
  for (const source of options.sources) {
    if (!KNOWN_SOURCES.has(source)) throw new TypeError(`unknown source ${source}; known: ${[...KNOWN_SOURCES].join(', ')}`);
  }
  if (options.oracle && !options.sources.includes('oracle')) options.sources = [...options.sources, 'oracle'];
  return options;
}

function positiveInteger(name, text) {
  const number = Number(text);
  if (!Number.isInteger(number) || number <= 0) throw new TypeError(`${name} must be a positive integer, got ${text}`);
  return number;
}

/** Every `total / limit`-th case, so a quick run still spans every package. */
export function spreadSubset(cases, limit) {
  if (limit === undefined || limit >= cases.length) return cases;
  return Array.from({ length: limit }, (_, index) => cases[Math.floor((index * cases.length) / limit)]);
}

/** Creates the data set or its missing workspaces from the pins. */
async function ensureDataset(casesPath, log) {
  const exists = existsSync(casesPath);
  const cases = exists ? readJsonl(casesPath) : [];
  const workspaces = new Set(cases.map((item) => item.workspace));
  const missing = [...workspaces].filter((workspace) => !isExtracted(resolve(REPO_ROOT, workspace)));
  if (exists && missing.length === 0) return cases;
  if (casesPath !== DATASET_PATH) throw new Error(`${casesPath}: missing workspaces ${missing.join(', ')}`);
  log(exists ? `restoring ${missing.length} workspaces from the npm registry` : 'generating the data set');
  const generated = await generate({ log });
  const fresh = generated.cases.map((item) => JSON.stringify(item)).join('\n');
  const current = cases.map((item) => JSON.stringify(item)).join('\n');
  if (!exists || fresh !== current) {
    if (exists) log('warning: the pins now produce a different data set; rewriting bench/data/dev.jsonl');
    await writeDataset(generated);
  }
  return generated.cases;
}

/** The CLI's input: no answers, workspaces as absolute paths. */
function cliInput(cases) {
  return cases
    .map(({ id, workspace, events, cursor }) => JSON.stringify({ id, workspace: resolve(REPO_ROOT, workspace), events, cursor }))
    .join('\n')
    .concat('\n');
}

function runCli(cliPath, casesFile, outFile, sourceArguments, timeoutS) {
  return new Promise((resolvePromise) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cliPath, 'bench', '--cases', casesFile, '--out', outFile, ...sourceArguments], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      process.stderr.write(chunk);
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stderr, stdout, wallMs: performance.now() - started });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolvePromise({ code: -1, signal: null, stderr: String(error), stdout, wallMs: performance.now() - started });
    });
  });
}

const lastLine = (text) => text.trim().split('\n').pop() ?? '';

async function runSource(source, cases, options, casesFile, readText, log) {
  if (source === 'oracle') {
    const { summary } = scorePredictions(cases, cases.map(oraclePrediction), readText);
    return { source, status: 'ok', summary, wallMs: 0 };
  }
  if (!existsSync(options.cliPath)) {
    return { source, status: 'skipped', reason: `${relative(REPO_ROOT, options.cliPath)} not built (npm run build)` };
  }
  const outFile = join(options.runDir, `predictions-${source}.jsonl`);
  await rm(outFile, { force: true });
  log(`running ${source} on ${cases.length} cases`);
  const run = await runCli(options.cliPath, casesFile, outFile, CLI_SOURCES[source], options.timeoutS);
  if (run.code !== 0) {
    const reason = run.signal ? `killed by ${run.signal} after ${Math.round(run.wallMs / 1000)} s` : lastLine(run.stderr) || `exit ${run.code}`;
    return { source, status: MODEL_SOURCES.has(source) ? 'skipped' : 'error', reason };
  }
  const { summary } = scorePredictions(cases, existsSync(outFile) ? readJsonl(outFile) : [], readText);
  const unavailable = run.stderr.split('\n').find((line) => MODEL_UNAVAILABLE.test(line));
  if (MODEL_SOURCES.has(source) && summary.suggested === 0 && unavailable !== undefined) {
    return { source, status: 'skipped', reason: unavailable.trim() };
  }
  return { source, status: 'ok', summary, wallMs: run.wallMs, ...cacheHits(run.stdout) };
}

/** Typing into a shown insertion on the typing cases' real documents, answered from the cache. */
async function probeCache(options, log) {
  log('probing typing-through cache hits');
  const child = spawn(process.execPath, [options.cliPath, 'cache-probe', '--cases', options.casesPath, '--limit', String(options.limit ?? 100)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk.toString();
  });
  await new Promise((done) => child.on('close', done));
  return cacheHits(stdout).cacheHits;
}

/** The CLI's own measurement of typing-through: a keystroke into a shown insertion, served from the cache. */
function cacheHits(stdout) {
  const match = /typing-through cache hits (\d+): p50 ([\d.]+) ms, p95 ([\d.]+) ms/.exec(stdout);
  return match ? { cacheHits: { n: Number(match[1]), p50Ms: Number(match[2]), p95Ms: Number(match[3]) } } : {};
}

/**
 * Runs the benchmark; resolves to the report written to `options.resultsDir`/latest.json.
 * @param {ReturnType<typeof parseArguments>} options
 */
export async function runBenchmark(options, log = (line) => console.error(line)) {
  const allCases = await ensureDataset(options.casesPath, log);
  const cases = spreadSubset(allCases, options.limit);
  await mkdir(options.runDir, { recursive: true });
  const casesFile = join(options.runDir, 'cases.jsonl');
  await writeFile(casesFile, cliInput(cases));
  const readText = workspaceReader(REPO_ROOT);
  const rows = [];
  for (const source of options.sources) rows.push(await runSource(source, cases, options, casesFile, readText, log));
  const cacheProbe = existsSync(options.cliPath) ? await probeCache(options, log) : undefined;
  const report = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), node: process.version },
    cases: relative(REPO_ROOT, options.casesPath),
    n: cases.length,
    limit: options.limit ?? null,
    rows,
    ...(cacheProbe ? { cacheProbe } : {}),
  };
  await mkdir(options.resultsDir, { recursive: true });
  await writeFile(join(options.resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(options.resultsDir, 'latest.md'), formatMarkdown(report));
  return report;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
  const report = await runBenchmark(options);
  console.log(formatTable(report));
  const failed = report.rows.some((row) => row.status === 'error') || !report.rows.some((row) => row.status === 'ok');
  process.exitCode = failed ? 1 : 0;
}
