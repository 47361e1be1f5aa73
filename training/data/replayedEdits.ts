// Real edits in the benchmark's own shape. bench/lib/cases.mjs turns two published versions of a
// file into next-edit cases (one hunk replayed keystroke by keystroke, the other hunks expected)
// and typing cases (a hunk typed 30-70% of the way, its rest expected); here each case becomes a
// training example through the runtime's own history (EditHistory coalesces the keystrokes as
// the extension does) and the windows the runtime would show. The pins come from packages the
// benchmark never uses (surveyRealEdits.mjs), so the model learns the shape, not the answers.

import { buildFileCases, typingFraction } from '../../bench/lib/cases.mjs';
import { fetchExtracted } from '../../bench/lib/npm.mjs';
import { listSourceFiles, readSourceFile } from '../../bench/lib/sourceFiles.mjs';
import { REPLAY_KEYSTROKE_INTERVAL_MS } from '../../src/cli/replay';
import { EditHistory } from '../../src/core/history';
import { LineIndex } from '../../src/core/text';
import type { ChangeEvent, Position } from '../../src/core/types';
import { CURSOR_LINES_ABOVE, CURSOR_LINES_BELOW, positionAt, windowAfterSites, type CorpusFile, type Example, type Rng, type Site } from './documents';
import { snippetsFor, withUnrelatedEdit } from './siteSequence';

/**
 * Each hunk is typed this many times, stopped at a different point: the typed prefix is what
 * changes the answer, while a next-edit case replays the same keystrokes every time.
 */
export const TYPING_PASSES = 3;
/** Files per version pair, at most: a release that touches hundreds of files is a refactor. */
export const MAX_FILES_PER_PAIR = 60;

export interface RealEditPin {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly fromIntegrity: string;
  readonly toIntegrity: string;
}

/** The benchmark's case shape (bench/README.md, "Cases"), as far as training reads it. */
export interface ReplayedCase {
  readonly kind: 'next-edit' | 'typing';
  readonly path: string;
  readonly events: readonly ChangeEvent[];
  readonly cursor: { readonly path: string; readonly line: number; readonly character: number };
  readonly expected: readonly ChangeEvent[];
}

/**
 * The example a case makes: the history the extension would hold after its events and the
 * window the runtime would decode, with every expected edit inside that window applied. The
 * cursor's window when an expected edit lies within its reach, else a window around the
 * nearest one (as the engine proposes for edits away from the cursor). Undefined when an
 * expected edit straddles the window's edge or an event is in another file.
 */
export function replayedExample(replayed: ReplayedCase, beforeText: string, source: string, context: { neighbors: readonly CorpusFile[]; rng: Rng; startMs: number }): Example | undefined {
  const history = new EditHistory();
  let text = beforeText;
  let clockMs = context.startMs;
  for (const event of replayed.events) {
    if (event.path !== replayed.path) return undefined;
    const index = new LineIndex(text);
    const start = index.offsetAt(event.range.start);
    const end = index.offsetAt(event.range.end);
    const after = text.slice(0, start) + event.text + text.slice(end);
    clockMs += REPLAY_KEYSTROKE_INTERVAL_MS;
    history.record(event, text, after, clockMs);
    text = after;
  }
  const index = new LineIndex(text);
  const sites: Site[] = replayed.expected
    .filter((edit) => edit.path === replayed.path)
    .map((edit) => ({ start: index.offsetAt(edit.range.start), end: index.offsetAt(edit.range.end), replacement: edit.text }))
    .sort((a, b) => a.start - b.start);
  if (sites.length === 0) return undefined;
  const cursor: Position = { line: replayed.cursor.line, character: replayed.cursor.character };
  const distance = (site: Site): number => Math.abs(positionAt(text, site.start).line - cursor.line);
  const nearest = sites.reduce((best, site) => (distance(site) < distance(best) ? site : best));
  const target =
    distance(nearest) <= Math.min(CURSOR_LINES_ABOVE, CURSOR_LINES_BELOW)
      ? windowAfterSites(replayed.path, text, sites, cursor.line, cursor)
      : windowAfterSites(replayed.path, text, sites, positionAt(text, nearest.start).line, undefined);
  if (!target || target.applied === 0) return undefined;
  const sequence = { file: { source, path: replayed.path, text: beforeText }, neighbors: context.neighbors, rng: context.rng, startMs: context.startMs };
  return {
    kind: replayed.kind === 'typing' ? 'real_typing' : 'real_edit',
    source,
    history: withUnrelatedEdit(history.edits(), sequence),
    snippets: snippetsFor(sequence, text, target.window.startLine + Math.floor(target.window.lines.length / 2)),
    window: target.window,
    newLines: target.newLines,
  };
}

/** Every case of one version pair's changed files, each as an example where it makes one. */
export async function pairExamples(pin: RealEditPin, fromRoot: string, toRoot: string, rng: Rng, startMs: number): Promise<Example[]> {
  const fromFiles = await sourceFiles(fromRoot);
  const toFiles = new Map((await sourceFiles(toRoot)).map((file) => [file.path, file.text]));
  const neighbors = fromFiles.map((file) => ({ source: pin.name, path: file.path, text: file.text })).slice(0, 50);
  const examples: Example[] = [];
  let files = 0;
  for (const file of fromFiles) {
    const next = toFiles.get(file.path);
    if (next === undefined || next === file.text || file.text.includes('\r') || next.includes('\r')) continue;
    const meta = { package: pin.name, fromVersion: pin.from, toVersion: pin.to };
    const fractionFor = (): number => typingFraction(rng.next());
    const cases: ReplayedCase[] = [];
    for (let pass = 0; pass < TYPING_PASSES; pass++) {
      const found = buildFileCases({ path: file.path, aText: file.text, bText: next, meta, fractionFor }) as ReplayedCase[];
      cases.push(...(pass === 0 ? found : found.filter((replayed) => replayed.kind === 'typing')));
    }
    if (cases.length === 0) continue;
    if (++files > MAX_FILES_PER_PAIR) break;
    const others = neighbors.filter((other) => other.path !== file.path);
    for (const replayed of cases) {
      const example = replayedExample(replayed, file.text, pin.name, { neighbors: others, rng, startMs });
      if (example) examples.push(example);
    }
  }
  return examples;
}

/**
 * The benchmark's hand-written source files of an extracted package (its own listing and
 * reading rules) in folder-walk order: each folder's entries sorted by name, a subfolder's files
 * where the subfolder's name sorts. That order picks the neighbours and the order of the random
 * draws, so data v7 rebuilds as it was built.
 */
export async function sourceFiles(root: string): Promise<{ path: string; text: string }[]> {
  const found: { path: string; text: string }[] = [];
  for (const path of (await listSourceFiles(root)).sort(byFolderWalk)) {
    const text = await readSourceFile(root, path);
    if (text !== undefined) found.push({ path, text });
  }
  return found;
}

function byFolderWalk(a: string, b: string): number {
  const aParts = a.split('/');
  const bParts = b.split('/');
  for (let index = 0; index < Math.min(aParts.length, bParts.length); index++) {
    if (aParts[index] !== bParts[index]) return aParts[index]! < bParts[index]! ? -1 : 1;
  }
  return aParts.length - bParts.length;
}

/**
 * The pin's two versions extracted under `cacheDir`, in the layout the survey fills (so its
 * downloads serve), through the benchmark's own npm client: npm checks the registry's integrity
 * and the pinned sha512 is checked again, so a republished tarball cannot change the data.
 * Otherwise the reason they could not be.
 */
export async function fetchPinnedPair(pin: RealEditPin, cacheDir: string): Promise<{ from: string; to: string } | { error: string }> {
  try {
    const from = await fetchExtracted(pin.name, pin.from, cacheDir, pin.fromIntegrity);
    const to = await fetchExtracted(pin.name, pin.to, cacheDir, pin.toIntegrity);
    return { from: from.root, to: to.root };
  } catch (error) {
    return { error: `${pin.name}@${pin.from}..${pin.to}: ${String((error as Error).message).split('\n')[0]}` };
  }
}
