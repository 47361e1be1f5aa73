// Shared by the benchmark's own tests (bench*.test.ts): the shapes of the bench/ modules, which are
// plain JavaScript, a loader for them, and small builders for positions, edits, predictions and
// one-file workspaces on disk.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface Edit { path: string; range: Range; text: string }
export interface BenchCase {
  id: string; kind: 'next-edit' | 'typing'; workspace: string; path: string; fromVersion?: string;
  events: Edit[]; cursor: { path: string; line: number; character: number };
  expected: Edit[]; expectedFiles: { path: string; sha256?: string; text?: string }[];
}
export interface CaseResult { suggested: boolean; exact: boolean; location: boolean; invalid: boolean; missing: boolean }
export type ReadText = (workspace: string, path: string) => string | undefined;
export interface Prediction { id: string; edits: (Edit & { score?: number; source?: string })[]; latencyMs: number }
export interface Summary {
  n: number; exactAt1: number; precision: number; coverage: number; locationAt1: number;
  latencyMs: { p50?: number; p95?: number; mean?: number }; byKind: Record<string, { n: number; exactAt1: number }>;
}
export interface TextModule {
  applyEdit(text: string, edit: { range: Range; text: string }): string; splitLines(text: string): string[];
  applyEditsInOrder(text: string, edits: { range: Range; text: string }[]): string;
}
export interface ScoreModule {
  scoreCase(testCase: BenchCase, prediction: Prediction | undefined, readText: ReadText): CaseResult;
  scorePredictions(cases: BenchCase[], predictions: Prediction[], readText: ReadText): { summary: Summary };
  oraclePrediction(testCase: BenchCase): Prediction;
}
export interface CasesModule {
  buildFileCases(input: { path: string; aText: string; bText: string; meta: Record<string, string>; fractionFor: (index: number) => number }): Omit<BenchCase, 'workspace'>[];
  qualifyingHunks(aText: string, bText: string): { eol: string; hunks: { aStart: number; aLines: string[]; bLines: string[] }[] } | undefined;
}
export interface HunksModule { linesWithHunk(aLines: string[], hunks: unknown[], index: number): string[] }
export interface GenerateModule {
  selectForPackage(cases: BenchCase[], pins: Record<string, number>, name: string): BenchCase[]; roundRobin(perPackage: BenchCase[][], maxCases: number): BenchCase[];
}
export interface RunModule {
  parseArguments(args: string[]): Record<string, unknown>;
  spreadSubset<T>(items: T[], limit: number | undefined): T[];
  runBenchmark(options: Record<string, unknown>, log?: (line: string) => void): Promise<{ rows: { source: string; status: string; reason?: string; summary?: Summary }[] }>;
}

const BENCH_DIR = resolve(__dirname, '../../../bench');
/** Imports a module of bench/ by its path relative to that folder. */
export const load = async <T>(relative: string): Promise<T> => (await import(pathToFileURL(join(BENCH_DIR, relative)).href)) as T;

export const sha = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');
export const at = (line: number, character: number): Position => ({ line, character });
export const range = (a: Position, b: Position): Range => ({ start: a, end: b });

/** A workspace under `root` with one file, and a reader for it. */
export function workspaceWith(root: string, name: string, path: string, content: string): { workspace: string; readText: ReadText } {
  const workspace = join(root, name);
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, path), content);
  return {
    workspace,
    readText: (ws, file) => {
      try {
        return readFileSync(join(ws, file), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

export const predict = (id: string, ...edits: Edit[]): Prediction => ({ id, edits, latencyMs: 12 });
