#!/usr/bin/env node
// Builds bench/data/dev.jsonl from the pinned npm package versions in bench/packages.json.
// Same pins, same bytes: downloads are cached, selection uses a seeded PRNG, output is sorted.
// Usage: node bench/generate.mjs [--pin-integrity]
//   --pin-integrity  records the sha512 of tarballs that have no pin yet in packages.json

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFileCases, typingFraction } from './lib/cases.mjs';
import { extractOnce, fetchTarball, isExtracted, packageDirName } from './lib/npm.mjs';
import { createRandom, hashString, shuffled } from './lib/random.mjs';
import { listSourceFiles, readSourceFile } from './lib/sourceFiles.mjs';

export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
export const REPO_ROOT = resolve(BENCH_DIR, '..');
export const PINS_PATH = join(BENCH_DIR, 'packages.json');
export const DATASET_PATH = join(BENCH_DIR, 'data', 'dev.jsonl');
export const SUMMARY_PATH = join(BENCH_DIR, 'data', 'summary.json');
const TARBALL_DIR = join(BENCH_DIR, '.cache', 'tarballs');
const WORKSPACE_DIR = join(BENCH_DIR, '.cache', 'workspaces');
/** Of every three cases taken from a package, at most one is a typing case. */
const KIND_PATTERN = ['next-edit', 'next-edit', 'typing'];

/** Reads and validates bench/packages.json loudly: a bad pin should stop generation at once. */
export async function loadPins(path = PINS_PATH) {
  const pins = JSON.parse(await readFile(path, 'utf8'));
  for (const key of ['seed', 'maxCases', 'maxCasesPerPackage', 'maxCasesPerFile']) {
    if (!Number.isInteger(pins[key]) || pins[key] < 0) throw new TypeError(`packages.json: ${key} must be a non-negative integer`);
  }
  if (!Array.isArray(pins.packages)) throw new TypeError('packages.json: packages must be an array');
  for (const entry of pins.packages) {
    if (typeof entry.name !== 'string') throw new TypeError('packages.json: every package needs a name');
    if (!Array.isArray(entry.pairs) || entry.pairs.length === 0) throw new TypeError(`packages.json: ${entry.name} needs pairs`);
    for (const pair of entry.pairs) {
      if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => typeof v === 'string')) {
        throw new TypeError(`packages.json: ${entry.name} has a bad pair ${JSON.stringify(pair)}`);
      }
    }
  }
  return pins;
}

/** Names the model's training data must exclude, so the benchmark measures generalisation. */
export async function heldOutPackageNames(path = PINS_PATH) {
  return (await loadPins(path)).packages.map((entry) => entry.name);
}

export function workspacePath(name, version) {
  return join(WORKSPACE_DIR, packageDirName(name, version));
}

/** Every pinned version's workspace, relative to the repository root. */
export function pinnedWorkspaces(pins) {
  const paths = new Set();
  for (const entry of pins.packages) {
    for (const version of entry.pairs.flat()) paths.add(workspacePath(entry.name, version));
  }
  return [...paths];
}

async function ensureVersion(entry, version, log) {
  const tarball = await fetchTarball(entry.name, version, TARBALL_DIR, entry.integrity?.[version]);
  if (tarball.downloaded) log(`downloaded ${entry.name}@${version}`);
  const directory = workspacePath(entry.name, version);
  if (!isExtracted(directory)) await extractOnce(tarball.path, directory);
  return { directory, integrity: tarball.integrity };
}

async function pairCases(entry, fromVersion, toVersion, seed) {
  const aRoot = workspacePath(entry.name, fromVersion);
  const bRoot = workspacePath(entry.name, toVersion);
  const [aFiles, bFiles] = await Promise.all([listSourceFiles(aRoot), listSourceFiles(bRoot)]);
  const inB = new Set(bFiles);
  const workspace = relative(REPO_ROOT, aRoot).split('\\').join('/');
  const meta = { package: entry.name, fromVersion, toVersion };
  const cases = [];
  for (const path of aFiles) {
    if (!inB.has(path)) continue;
    const [aText, bText] = await Promise.all([readSourceFile(aRoot, path), readSourceFile(bRoot, path)]);
    if (aText === undefined || bText === undefined || aText === bText) continue;
    const random = createRandom(hashString(`${seed}:${entry.name}@${fromVersion}:${path}`));
    const fractionFor = () => typingFraction(random());
    for (const found of buildFileCases({ path, aText, bText, meta, fractionFor })) {
      cases.push({ id: found.id, kind: found.kind, workspace, ...found });
    }
  }
  return cases;
}

/**
 * Up to `maxCasesPerPackage` cases of one package, shuffled with the seed, at most
 * `maxCasesPerFile` from one file version, kinds interleaved by KIND_PATTERN.
 */
export function selectForPackage(cases, pins, name) {
  const random = createRandom(hashString(`${pins.seed}:${name}`));
  const sorted = [...cases].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const queues = {
    'next-edit': shuffled(sorted.filter((c) => c.kind === 'next-edit'), random),
    typing: shuffled(sorted.filter((c) => c.kind === 'typing'), random),
  };
  const perFile = new Map();
  const chosen = [];
  const take = (kind) => {
    const queue = queues[kind];
    while (queue.length > 0) {
      const candidate = queue.shift();
      const fileKey = `${candidate.fromVersion}:${candidate.path}`;
      const count = perFile.get(fileKey) ?? 0;
      if (count >= pins.maxCasesPerFile) continue;
      perFile.set(fileKey, count + 1);
      chosen.push(candidate);
      return true;
    }
    return false;
  };
  for (let turn = 0; chosen.length < pins.maxCasesPerPackage; turn += 1) {
    const kind = KIND_PATTERN[turn % KIND_PATTERN.length];
    if (!take(kind) && !take(kind === 'typing' ? 'next-edit' : 'typing')) break;
  }
  return chosen;
}

/** Takes one case from each package in turn until `maxCases`, so no package dominates. */
export function roundRobin(perPackage, maxCases) {
  const queues = perPackage.map((cases) => [...cases]);
  const result = [];
  while (result.length < maxCases && queues.some((queue) => queue.length > 0)) {
    for (const queue of queues) {
      if (result.length >= maxCases) break;
      const next = queue.shift();
      if (next !== undefined) result.push(next);
    }
  }
  return result.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Downloads, extracts and builds the data set; returns the cases and a summary.
 * @param {{ pinIntegrity?: boolean, log?: (line: string) => void }} options
 */
export async function generate({ pinIntegrity = false, log = () => {} } = {}) {
  const pins = await loadPins();
  const perPackage = [];
  const summary = { cases: 0, byKind: {}, byPackage: {} };
  let pinsChanged = false;
  for (const entry of pins.packages) {
    const versions = [...new Set(entry.pairs.flat())];
    for (const version of versions) {
      const { integrity } = await ensureVersion(entry, version, log);
      if (pinIntegrity && entry.integrity?.[version] === undefined) {
        entry.integrity = { ...entry.integrity, [version]: integrity };
        pinsChanged = true;
      }
    }
    const candidates = [];
    for (const [fromVersion, toVersion] of entry.pairs) {
      candidates.push(...(await pairCases(entry, fromVersion, toVersion, pins.seed)));
    }
    const selected = selectForPackage(candidates, pins, entry.name);
    perPackage.push(selected);
    log(`${entry.name}: ${candidates.length} candidate cases, ${selected.length} kept`);
  }
  const cases = roundRobin(perPackage, pins.maxCases);
  for (const item of cases) {
    summary.cases += 1;
    summary.byKind[item.kind] = (summary.byKind[item.kind] ?? 0) + 1;
    summary.byPackage[item.package] = (summary.byPackage[item.package] ?? 0) + 1;
  }
  if (pinsChanged) await writeFile(PINS_PATH, formatPins(pins));
  return { cases, summary };
}

/** Pretty JSON that keeps each version pair on one line, so pins stay reviewable. */
export function formatPins(pins) {
  const pretty = JSON.stringify(pins, null, 2);
  return `${pretty.replace(/\[\s+("[^"]*"),\s+("[^"]*")\s+\]/g, '[$1, $2]')}\n`;
}

/** Writes the data set; the bytes depend only on the pins. */
export async function writeDataset({ cases, summary }) {
  await mkdir(join(BENCH_DIR, 'data'), { recursive: true });
  await writeFile(DATASET_PATH, cases.map((item) => JSON.stringify(item)).join('\n') + '\n');
  await writeFile(SUMMARY_PATH, `${JSON.stringify(summary, null, 2)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await generate({
    pinIntegrity: process.argv.includes('--pin-integrity'),
    log: (line) => console.error(line),
  });
  await writeDataset(result);
  console.log(`${result.summary.cases} cases -> ${relative(REPO_ROOT, DATASET_PATH)}`);
  console.log(JSON.stringify(result.summary.byKind));
}
