// Keystroke-level change events, as VS Code sends them, for tests that replay typing.

import type { ChangeEvent } from '../../../src/core/types';

/** Types `replacement` over `length` characters at (line, character), a keystroke at a time. */
export function typeOver(path: string, line: number, character: number, length: number, replacement: string): ChangeEvent[] {
  const events: ChangeEvent[] = [{ path, range: { start: { line, character }, end: { line, character: character + length } }, text: replacement[0] as string }];
  for (const [offset, letter] of [...replacement.slice(1)].entries()) {
    const at = character + 1 + offset;
    events.push({ path, range: { start: { line, character: at }, end: { line, character: at } }, text: letter });
  }
  return events;
}
