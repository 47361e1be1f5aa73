#!/usr/bin/env node
// Chooses the version pairs that training's benchmark-shaped real edits come from
// (replayedEdits.ts): for each named package, its last stable versions of the newest major line,
// and per consecutive pair the changed source files that qualify as benchmark cases would
// (bench/lib/cases.mjs). Pairs with at least one qualifying file are written, with npm's
// integrity of both tarballs, to realEditPins.json. Packages the benchmark uses are refused.
// Usage: node training/data/surveyRealEdits.mjs [--last N] [--out FILE] name...

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { heldOutPackageNames } from '../../bench/generate.mjs';
import { fetchRecentVersions, pairYield } from '../../bench/survey.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = resolve(HERE, '../..');
export const REAL_EDIT_CACHE = resolve(REPO, 'training/.data/cache/real-edits');
export const DEFAULT_PINS = resolve(HERE, 'realEditPins.json');

/** The package's qualifying consecutive pairs among its last `last` stable versions. */
async function surveyPackage(name, last) {
  const fetched = await fetchRecentVersions(name, last, REAL_EDIT_CACHE);
  const pairs = [];
  for (let index = 1; index < fetched.length; index += 1) {
    const [from, to] = [fetched[index - 1], fetched[index]];
    const found = await pairYield(from.root, to.root);
    if (found.files === 0) continue;
    pairs.push({ name, from: from.version, to: to.version, fromIntegrity: from.integrity, toIntegrity: to.integrity, files: found.files, cases: found.cases });
  }
  return pairs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (flag, fallback) => {
    const at = args.indexOf(flag);
    if (at < 0) return fallback;
    const [value] = args.splice(at, 2).slice(1);
    return value;
  };
  const last = Number(option('--last', '6'));
  const out = option('--out', DEFAULT_PINS);
  const excluded = new Set(await heldOutPackageNames());
  const pairs = [];
  for (const name of args) {
    if (excluded.has(name)) {
      console.log(`${name}: used by the benchmark, skipped`);
      continue;
    }
    try {
      const found = await surveyPackage(name, last);
      pairs.push(...found);
      console.log(`${name}: ${found.length} pairs, ${found.reduce((sum, pair) => sum + pair.cases, 0)} cases`);
    } catch (error) {
      console.log(`${name}: ${String(error.message).split('\n')[0]}`);
    }
  }
  const comment = 'Version pairs for training/data/replayedEdits.ts, written by surveyRealEdits.mjs; integrity is npm pack\'s sha512.';
  writeFileSync(out, `${JSON.stringify({ $comment: comment, pairs }, null, 1)}\n`);
  console.log(`wrote ${pairs.length} pairs, ${pairs.reduce((sum, pair) => sum + pair.cases, 0)} cases to ${out}`);
}
