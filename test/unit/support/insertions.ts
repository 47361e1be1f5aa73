// A text with import insertions applied, through the engine's own edit application.

import { applyEdits } from '../../../src/core/edits';
import type { Insertion } from '../../../src/core/importLists';

export function inserted(text: string, insertions: readonly Insertion[]): string {
  const edits = insertions.map(({ position, text: inserted }) => ({ path: 'file', range: { start: position, end: position }, text: inserted }));
  const result = applyEdits(text, edits);
  if (result.kind !== 'applied') throw new Error(`insertion does not apply: ${JSON.stringify(result)}`);
  return result.text;
}
