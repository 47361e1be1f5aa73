// Real edits: the line hunks between two published versions of a file, replayed in order. The
// earlier hunks become the history and the next one the target, like a maintainer's session.

import { diffArrays } from 'diff';
import { lineStartOffsets, type CorpusFile, type Example, type Rng, type Site } from './documents';
import { sequenceExamples } from './siteSequence';

/** Files rewritten more than this are refactors, not sequences of next edits. */
export const MAX_HUNKS_PER_FILE = 40;
export const MAX_HUNK_SIDE_LINES = 8;

/** Line hunks turning `before` into `after`, as sites on `before` (which must end with a newline). */
export function lineHunkSites(before: string, after: string): Site[] | undefined {
  const oldLines = before.split('\n').slice(0, -1);
  const newLines = after.split('\n').slice(0, -1);
  const starts = lineStartOffsets(before);
  const sites: Site[] = [];
  let oldIndex = 0;
  let removed = 0;
  let added: string[] = [];
  const flush = (): boolean => {
    if (removed === 0 && added.length === 0) return true;
    if (removed > MAX_HUNK_SIDE_LINES || added.length > MAX_HUNK_SIDE_LINES) return false;
    const start = starts[oldIndex - removed] as number;
    const end = starts[oldIndex] ?? before.length;
    // A replacement keeps the final line break, so the recorded hunk spans only the changed lines.
    if (removed > 0 && added.length > 0) sites.push({ start, end: end - 1, replacement: added.join('\n') });
    else sites.push({ start, end, replacement: added.map((line) => `${line}\n`).join('') });
    removed = 0;
    added = [];
    return true;
  };
  for (const change of diffArrays(oldLines, newLines)) {
    if (change.removed) {
      removed += change.value.length;
      oldIndex += change.value.length;
    } else if (change.added) {
      added.push(...change.value);
    } else {
      if (!flush()) return undefined;
      oldIndex += change.value.length;
    }
  }
  if (!flush()) return undefined;
  return sites.length > MAX_HUNKS_PER_FILE ? undefined : sites;
}

function withFinalNewline(text: string): string {
  const unix = text.replace(/\r\n?/g, '\n');
  return unix.endsWith('\n') ? unix : `${unix}\n`;
}

/**
 * Examples from every file that changed between two versions of one source; `samplesPerFile`
 * replays each file's hunks that many times with a different number of them already done.
 */
export function realEditExamples(
  source: string,
  oldFiles: ReadonlyMap<string, string>,
  newFiles: readonly CorpusFile[],
  rng: Rng,
  samplesPerFile: number,
  startMs: number,
): Example[] {
  const examples: Example[] = [];
  for (const file of newFiles) {
    const previous = oldFiles.get(file.path);
    if (previous === undefined) continue;
    const before = withFinalNewline(previous);
    const after = withFinalNewline(file.text);
    if (before === after) continue;
    const sites = lineHunkSites(before, after);
    if (!sites || sites.length < 2) continue;
    const neighbors = newFiles.filter((other) => other !== file).slice(0, 50);
    for (let sample = 0; sample < samplesPerFile; sample++) {
      const context = { file: { source, path: file.path, text: before }, neighbors, rng, startMs };
      examples.push(...sequenceExamples('real_edit', context, before, sites));
    }
  }
  return examples;
}
