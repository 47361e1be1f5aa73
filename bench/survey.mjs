#!/usr/bin/env node
// Helps choose pins for bench/packages.json: for each named package, downloads its latest
// stable versions of the newest major line and counts, per consecutive pair, the changed source
// files that qualify (2 to 8 small hunks). Usage: node bench/survey.mjs [--last N] name...

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFileCases } from './lib/cases.mjs';
import { fetchExtracted, publishedVersions } from './lib/npm.mjs';
import { listSourceFiles, readSourceFile } from './lib/sourceFiles.mjs';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const CACHE_DIR = resolve(BENCH_DIR, '.cache');

/** Qualifying files and candidate cases between two extracted versions. */
export async function pairYield(aRoot, bRoot) {
  const [aFiles, bFiles] = await Promise.all([listSourceFiles(aRoot), listSourceFiles(bRoot)]);
  const inB = new Set(bFiles);
  let files = 0;
  let cases = 0;
  let changed = 0;
  for (const path of aFiles) {
    if (!inB.has(path)) continue;
    const [aText, bText] = await Promise.all([readSourceFile(aRoot, path), readSourceFile(bRoot, path)]);
    if (aText === undefined || bText === undefined || aText === bText) continue;
    changed += 1;
    const found = buildFileCases({ path, aText, bText, meta: {}, fractionFor: () => 0.5 });
    if (found.length > 0) {
      files += 1;
      cases += found.length;
    }
  }
  return { sourceFiles: aFiles.length, changed, files, cases };
}

/**
 * The last `last` stable versions of the package's newest major line, oldest first, each
 * downloaded (npm checks the registry's integrity) and extracted under `cacheDir`.
 * @returns {Promise<{ version: string, root: string, integrity: string }[]>}
 */
export async function fetchRecentVersions(name, last, cacheDir = CACHE_DIR) {
  const all = await publishedVersions(name);
  const numbers = (version) => version.split('.').map(Number);
  const bySemver = (a, b) => numbers(a).reduce((order, part, index) => order || part - numbers(b)[index], 0);
  const stable = all.filter((version) => /^\d+\.\d+\.\d+$/.test(version)).sort(bySemver);
  if (stable.length === 0) return [];
  const major = stable[stable.length - 1].split('.')[0];
  const versions = stable.filter((version) => version.split('.')[0] === major).slice(-last);
  const fetched = [];
  for (const version of versions) fetched.push({ version, ...(await fetchExtracted(name, version, cacheDir)) });
  return fetched;
}

async function survey(name, last) {
  const fetched = await fetchRecentVersions(name, last);
  for (let index = 1; index < fetched.length; index += 1) {
    const result = await pairYield(fetched[index - 1].root, fetched[index].root);
    console.log(`${name} ${fetched[index - 1].version} -> ${fetched[index].version}: ${JSON.stringify(result)}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let last = 6;
  const lastAt = args.indexOf('--last');
  if (lastAt >= 0) {
    last = Number(args[lastAt + 1]);
    args.splice(lastAt, 2);
  }
  for (const name of args) {
    try {
      await survey(name, last);
    } catch (error) {
      console.log(`${name}: ${error.message.split('\n')[0]}`);
    }
  }
}
