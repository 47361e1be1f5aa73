// The scripted session `ripple demo` replays on demo/workspace: a parameter rename, then a new
// parameter whose call sites live in two other files. Positions are 0-based, as in VS Code.

import type { ChangeEvent } from '../core/types';

export interface DemoStep {
  readonly title: string;
  readonly events: readonly ChangeEvent[];
  /** Accept the top suggestion afterwards, as a user pressing Tab would. */
  readonly accept: boolean;
}

function typed(path: string, line: number, character: number, text: string): ChangeEvent[] {
  return [...text].map((letter, index) => ({
    path,
    range: { start: { line, character: character + index }, end: { line, character: character + index } },
    text: letter,
  }));
}

export const DEMO_STEPS: readonly DemoStep[] = [
  {
    title: 'Rename the parameter `w` of area() to `width` (typed after the w)',
    events: typed('src/geometry.ts', 5, 22, 'idth'),
    accept: true,
  },
  {
    title: 'Add a `unit` parameter to formatArea()',
    events: typed('src/geometry.ts', 12, 47, ', unit: string'),
    accept: false,
  },
  {
    title: "Pass 'm²' at the first call site, in report.ts",
    events: typed('src/report.ts', 3, 36, ", 'm²'"),
    accept: true,
  },
];
