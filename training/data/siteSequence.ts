// Turns "the user makes these changes, one after another" into training examples: the first k
// changes become the history, and the window the runtime would show for the next change becomes
// the target. When every change is done, the cursor's window is a "no change" example.

import type { Position, RecordedEdit, Snippet } from '../../src/core/types';
import {
  CURSOR_LINES_ABOVE,
  CURSOR_LINES_BELOW,
  positionAt,
  recordEdit,
  splitLines,
  windowAfterSites,
  type CorpusFile,
  type Example,
  type ExampleKind,
  type Rng,
  type Site,
} from './documents';

/** History shows at most this many of the sequence's own changes. */
export const MAX_SEQUENCE_HISTORY = 4;
export const MAX_SNIPPET_LINES = 8;

export interface SequenceContext {
  readonly file: CorpusFile;
  /** Other files of the same source, for snippets and unrelated earlier edits. */
  readonly neighbors: readonly CorpusFile[];
  readonly rng: Rng;
  /** The clock the history's timestamps start from. */
  readonly startMs: number;
}

/**
 * `sites` are non-overlapping changes of `baseText`, in the order the user makes them.
 * Returns the example for the next change after a random number of done ones, and possibly a
 * "no change" example after all of them.
 */
export function sequenceExamples(kind: ExampleKind, context: SequenceContext, baseText: string, sites: readonly Site[]): Example[] {
  const { rng, file } = context;
  if (sites.length < 2) return [];
  const examples: Example[] = [];
  const done = 1 + rng.int(Math.min(sites.length - 1, MAX_SEQUENCE_HISTORY));
  const progress = applyInOrder(file.path, baseText, sites, done, context);
  const next = progress.remaining[0] as Site;
  const nextLine = positionAt(progress.text, next.start).line;
  const nearCursor = Math.abs(nextLine - progress.cursor.line) <= Math.min(CURSOR_LINES_ABOVE, CURSOR_LINES_BELOW);
  const target = nearCursor
    ? windowAfterSites(file.path, progress.text, progress.remaining, progress.cursor.line, progress.cursor)
    : windowAfterSites(file.path, progress.text, progress.remaining, nextLine, undefined);
  if (target && target.applied > 0) {
    examples.push({
      kind,
      source: file.source,
      history: withUnrelatedEdit(progress.history, context),
      snippets: snippetsFor(context, progress.text, progress.cursor.line),
      window: target.window,
      newLines: target.newLines,
    });
  }
  if (rng.chance(0.35)) {
    const finished = applyInOrder(file.path, baseText, sites, sites.length, context);
    const still = windowAfterSites(file.path, finished.text, [], finished.cursor.line, finished.cursor);
    if (still) {
      examples.push({
        kind: 'no_change',
        source: file.source,
        history: finished.history.slice(-MAX_SEQUENCE_HISTORY),
        snippets: snippetsFor(context, finished.text, finished.cursor.line),
        window: still.window,
        newLines: null,
      });
    }
  }
  return examples;
}

interface Progress {
  readonly text: string;
  readonly history: RecordedEdit[];
  readonly remaining: Site[];
  readonly cursor: Position;
}

/** Applies the first `count` sites in order, shifting the later ones as text before them changes. */
function applyInOrder(path: string, baseText: string, sites: readonly Site[], count: number, context: SequenceContext): Progress {
  let text = baseText;
  let pending = [...sites];
  const history: RecordedEdit[] = [];
  let timestampMs = context.startMs;
  let cursor: Position = { line: 0, character: 0 };
  for (let index = 0; index < count; index++) {
    const site = pending.shift() as Site;
    timestampMs += 400 + context.rng.int(6000);
    const recorded = recordEdit(path, text, site.start, site.end, site.replacement, timestampMs);
    history.push(recorded.edit);
    text = recorded.text;
    cursor = positionAt(text, site.start + site.replacement.length);
    const delta = site.replacement.length - (site.end - site.start);
    pending = pending.map((other) =>
      other.start >= site.end ? { ...other, start: other.start + delta, end: other.end + delta } : other,
    );
  }
  return { text, history: history.slice(-MAX_SEQUENCE_HISTORY), remaining: pending, cursor };
}

/** Sometimes the user touched another file first: the model must learn to look past it. */
export function withUnrelatedEdit(history: readonly RecordedEdit[], context: SequenceContext): RecordedEdit[] {
  const { rng, neighbors } = context;
  if (neighbors.length === 0 || !rng.chance(0.3)) return [...history];
  const other = rng.pick(neighbors);
  const lines = splitLines(other.text);
  const lineIndex = rng.int(lines.length);
  const line = lines[lineIndex] as string;
  const offset = lines.slice(0, lineIndex).reduce((sum, text) => sum + text.length + 1, 0) + line.length;
  const firstMs = history[0]?.timestampMs ?? context.startMs;
  const recorded = recordEdit(other.path, other.text, offset, offset, rng.pick([' // TODO', ';', ' ', '\n']), firstMs - 20_000);
  return [recorded.edit, ...history];
}

/** What retrieval might have found: a nearby usage in this file and similar code elsewhere. */
export function snippetsFor(context: SequenceContext, text: string, aroundLine: number): Snippet[] {
  const { rng, file, neighbors } = context;
  const snippets: Snippet[] = [];
  let score = 1;
  if (rng.chance(0.4)) {
    const lines = splitLines(text);
    const far = rng.int(lines.length);
    if (Math.abs(far - aroundLine) > CURSOR_LINES_BELOW + 2) snippets.push(chunk(file.path, lines, far, rng, (score -= 0.1), 'usage'));
  }
  const count = rng.chance(0.6) ? 1 + rng.int(2) : 0;
  for (let index = 0; index < count && neighbors.length > 0; index++) {
    const other = rng.pick(neighbors);
    const lines = splitLines(other.text);
    snippets.push(chunk(other.path, lines, rng.int(lines.length), rng, (score -= 0.1 + rng.next() * 0.2), 'similar'));
  }
  return snippets;
}

function chunk(path: string, lines: readonly string[], start: number, rng: Rng, score: number, kind: 'usage' | 'similar'): Snippet {
  const end = Math.min(lines.length, start + 3 + rng.int(MAX_SNIPPET_LINES - 2));
  const text = lines.slice(start, end).join('\n');
  const symbol = /[A-Za-z_$][\w$]*/.exec(text)?.[0] ?? 'value';
  return {
    path,
    startLine: start,
    endLine: end,
    text,
    reason: kind === 'usage' ? { kind: 'usage', symbol } : { kind: 'similar', similarity: Math.max(0, score) },
    score: Math.max(0, score),
  };
}
