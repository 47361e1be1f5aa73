#!/usr/bin/env node
// Scores predictions against the benchmark cases. A prediction is exact when its first edit,
// applied to the document after the case's events, yields the very file text of one expected
// next edit (compared by SHA-256, so whitespace and line breaks count).
// Usage: node bench/score.mjs --cases bench/data/dev.jsonl --preds PREDS.jsonl [--json]

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from './lib/cases.mjs';
import { applyEdit } from './lib/text.mjs';

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const CASE_KINDS = ['next-edit', 'typing'];

/**
 * Reads workspace files relative to the repository root; missing files read as undefined.
 * @returns {(workspace: string, path: string) => string | undefined}
 */
export function workspaceReader(root = REPO_ROOT) {
  return (workspace, path) => {
    try {
      return readFileSync(resolve(root, workspace, path), 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** The text of `path` after the case's events; a file the events create starts empty. */
export function textAfterEvents(testCase, path, readText) {
  const initial = readText(testCase.workspace, path) ?? '';
  return testCase.events.filter((event) => event.path === path).reduce(applyEdit, initial);
}

function lineSpan(range) {
  const a = range.start.line;
  const b = range.end.line;
  return a <= b ? [a, b] : [b, a];
}

/** Line spans overlap or are adjacent. */
export function spansTouch(rangeA, rangeB) {
  const [aStart, aEnd] = lineSpan(rangeA);
  const [bStart, bEnd] = lineSpan(rangeB);
  return aStart <= bEnd + 1 && bStart <= aEnd + 1;
}

function isWellFormedEdit(edit) {
  const isPosition = (p) => p !== null && typeof p === 'object' && Number.isInteger(p.line) && Number.isInteger(p.character);
  return (
    edit !== null &&
    typeof edit === 'object' &&
    typeof edit.path === 'string' &&
    typeof edit.text === 'string' &&
    edit.range !== null &&
    typeof edit.range === 'object' &&
    isPosition(edit.range.start) &&
    isPosition(edit.range.end)
  );
}

/**
 * One case's outcome.
 * @param {object} testCase a line of dev.jsonl
 * @param {{ edits?: object[], latencyMs?: number } | undefined} prediction undefined when missing
 * @param {(workspace: string, path: string) => string | undefined} readText
 */
export function scoreCase(testCase, prediction, readText) {
  const result = {
    id: testCase.id,
    kind: testCase.kind,
    package: testCase.package,
    missing: prediction === undefined,
    suggested: false,
    exact: false,
    location: false,
    invalid: false,
    latencyMs: typeof prediction?.latencyMs === 'number' ? prediction.latencyMs : undefined,
  };
  const first = prediction?.edits?.[0];
  if (first === undefined) return result;
  result.suggested = true;
  if (!isWellFormedEdit(first)) {
    result.invalid = true;
    return result;
  }
  result.location = testCase.expected.some((edit) => edit.path === first.path && spansTouch(edit.range, first.range));
  const after = applyEdit(textAfterEvents(testCase, first.path, readText), first);
  const hash = sha256(after);
  result.exact = testCase.expectedFiles.some(
    (file) => file.path === first.path && (file.text !== undefined ? file.text === after : file.sha256 === hash),
  );
  return result;
}

/** Nearest-rank percentile of sorted numbers; undefined for none. */
export function percentile(sorted, fraction) {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1];
}

const ratio = (part, whole) => (whole === 0 ? 0 : part / whole);

function aggregate(results) {
  const n = results.length;
  const suggested = results.filter((r) => r.suggested).length;
  const exact = results.filter((r) => r.exact).length;
  const location = results.filter((r) => r.location).length;
  const latencies = results.map((r) => r.latencyMs).filter((v) => typeof v === 'number').sort((a, b) => a - b);
  const mean = latencies.length === 0 ? undefined : latencies.reduce((a, b) => a + b, 0) / latencies.length;
  return {
    n,
    suggested,
    exact,
    missing: results.filter((r) => r.missing).length,
    invalid: results.filter((r) => r.invalid).length,
    exactAt1: ratio(exact, n),
    precision: ratio(exact, suggested),
    coverage: ratio(suggested, n),
    locationAt1: ratio(location, n),
    latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), mean },
  };
}

/** Metrics over all cases and per case kind. */
export function summarize(results) {
  const byKind = {};
  for (const kind of CASE_KINDS) byKind[kind] = aggregate(results.filter((r) => r.kind === kind));
  return { ...aggregate(results), byKind };
}

/**
 * Scores a predictions list (any order; the last line for an id wins) against the cases.
 * @returns {{ summary: object, results: object[] }}
 */
export function scorePredictions(cases, predictions, readText) {
  const byId = new Map(predictions.map((prediction) => [prediction.id, prediction]));
  const results = cases.map((testCase) => scoreCase(testCase, byId.get(testCase.id), readText));
  return { summary: summarize(results), results };
}

/** A perfect predictor: the first expected edit of every case. Checks the data set itself. */
export function oraclePrediction(testCase) {
  const [edit] = testCase.expected;
  return { id: testCase.id, edits: [{ ...edit, score: 1, source: 'oracle' }], latencyMs: 0 };
}

/** @param {string} path */
export function readJsonl(path) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      try {
        return JSON.parse(line);
      } catch (error) {
        throw new Error(`${path}:${index + 1}: ${error.message}`);
      }
    });
}

function argument(args, name) {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const casesPath = argument(args, '--cases') ?? resolve(REPO_ROOT, 'bench/data/dev.jsonl');
  const predsPath = argument(args, '--preds');
  if (predsPath === undefined) {
    console.error('usage: node bench/score.mjs --cases CASES.jsonl --preds PREDS.jsonl [--json]');
    process.exit(2);
  }
  const cases = readJsonl(casesPath);
  const predictions = readJsonl(predsPath);
  const { summary } = scorePredictions(cases, predictions, workspaceReader());
  console.log(JSON.stringify(summary, null, args.includes('--json') ? 0 : 2));
}
