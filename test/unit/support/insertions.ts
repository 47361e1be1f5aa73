// A text with one import insertion applied, through the engine's own edit application.

import { applyEdits } from '../../../src/core/edits';
import type { Insertion } from '../../../src/core/importLists';

export function inserted(text: string, insertion: Insertion): string {
  const { position } = insertion;
  const result = applyEdits(text, [{ path: 'file', range: { start: position, end: position }, text: insertion.text }]);
  if (result.kind !== 'applied') throw new Error(`insertion does not apply: ${JSON.stringify(result)}`);
  return result.text;
}
