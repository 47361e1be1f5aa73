// Which files the symbolic stage may need to read: the files where the identifiers touched by
// recent edits also occur. Bounded so a common name cannot trigger a workspace-wide read.

import type { WorkspaceIndex } from './ports';
import type { RecordedEdit } from './types';

export const MAX_RELATED_NAMES = 8;
export const MAX_OCCURRENCES_PER_NAME = 200;
const RECENT_EDITS_CONSIDERED = 3;
const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

export function relatedPaths(history: readonly RecordedEdit[], index: WorkspaceIndex | undefined): string[] {
  if (!index) return [];
  const names = changedIdentifiers(history.slice(-RECENT_EDITS_CONSIDERED));
  const paths = new Set<string>();
  for (const name of names.slice(0, MAX_RELATED_NAMES)) {
    for (const occurrence of index.occurrences(name, MAX_OCCURRENCES_PER_NAME)) paths.add(occurrence.path);
  }
  return [...paths];
}

/** Identifiers that appear on one side of an edit's hunk but not the other, newest edit first. */
export function changedIdentifiers(edits: readonly RecordedEdit[]): string[] {
  const names: string[] = [];
  for (const edit of [...edits].reverse()) {
    const before = new Set(edit.hunk.beforeText.match(IDENTIFIER) ?? []);
    const after = new Set(edit.hunk.afterText.match(IDENTIFIER) ?? []);
    for (const name of before) if (!after.has(name) && !names.includes(name)) names.push(name);
    for (const name of after) if (!before.has(name) && !names.includes(name)) names.push(name);
    // Calls whose arguments changed keep their name on both sides; the callee still matters.
    for (const name of after) if (edit.hunk.afterText.includes(`${name}(`) && !names.includes(name)) names.push(name);
  }
  return names;
}
