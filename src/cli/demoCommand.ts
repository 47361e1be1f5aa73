// `ripple demo`: replays a realistic multi-file editing session on the bundled sample workspace
// and prints every predicted next edit as a coloured diff with its latency.

import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { applyEdits } from '../core/edits';
import { splitLines } from '../core/text';
import type { NextEditEngine } from '../core/engineApi';
import type { Logger } from '../core/ports';
import type { ScoredEdit, Suggestion } from '../core/types';
import { createEngine, openWorkspace } from '../node/createEngine';
import { cursorAfter } from './inputs';
import { round } from './predictCommand';
import { DEMO_STEPS } from './demoScript';
import { REPLAY_KEYSTROKE_INTERVAL_MS, REPLAY_PAUSE_MS } from './replay';


interface Palette {
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

export function palette(colour: boolean): Palette {
  const wrap = (code: string) => (text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { red: wrap('31'), green: wrap('32'), dim: wrap('2'), bold: wrap('1') };
}

export async function demoCommand(workspaceRoot: string, logger: Logger, colour: boolean): Promise<string> {
  const paint = palette(colour);
  const output: string[] = [];
  const workspace = openWorkspace({ workspaceRoot, logger }, new AbortController().signal);
  try {
    await workspace.ready;
    await workspace.warmUp();
    const engine = createEngine(workspace, { logger });
    for (const path of await listFiles(workspaceRoot)) engine.openDocument(path, await readFile(join(workspaceRoot, path), 'utf8'));
    for (const [index, step] of DEMO_STEPS.entries()) {
      output.push('', paint.bold(`Step ${index + 1}: ${step.title}`));
      // Keystrokes 40 ms apart, then the user pauses before the prediction, as in the editor.
      let clockMs = workspace.clock() - REPLAY_PAUSE_MS - step.events.length * REPLAY_KEYSTROKE_INTERVAL_MS;
      for (const event of step.events) engine.recordChange(event, (clockMs += REPLAY_KEYSTROKE_INTERVAL_MS));
      const lastEvent = step.events[step.events.length - 1];
      if (!lastEvent) continue;
      const result = await engine.predict(cursorAfter(lastEvent), {}, new AbortController().signal);
      if (result.kind === 'none') {
        output.push(paint.dim(`  no suggestion (${result.reason}) in ${round(result.latencyMs)} ms`));
        continue;
      }
      const top = result.suggestions[0];
      if (!top) continue;
      output.push(`  ${top.explanation.pattern ?? top.source} · confidence ${top.score.toFixed(2)} · ${round(result.latencyMs)} ms`);
      for (const edit of top.edits) output.push(...renderEdit(engine, edit, paint));
      if (step.accept) {
        accept(engine, top, workspace.clock());
        output.push(paint.dim(`  accepted (${top.edits.length} edit${top.edits.length === 1 ? '' : 's'})`));
      }
    }
    engine.dispose();
  } finally {
    workspace.dispose();
  }
  return output.join('\n');
}

/** Applies a suggestion the way the editor does: per file, last edit first, as change events. */
function accept(engine: NextEditEngine, suggestion: Suggestion, timestampMs: number): void {
  const byPath = new Map<string, ScoredEdit[]>();
  for (const edit of suggestion.edits) byPath.set(edit.path, [...(byPath.get(edit.path) ?? []), edit]);
  for (const edits of byPath.values()) {
    const ordered = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    for (const edit of ordered) engine.recordChange({ path: edit.path, range: edit.range, text: edit.text }, timestampMs);
  }
  engine.accepted(suggestion.id);
}

function renderEdit(engine: NextEditEngine, edit: ScoredEdit, paint: Palette): string[] {
  const text = engine.documentText(edit.path) ?? '';
  const applied = applyEdits(text, [edit]);
  if (applied.kind !== 'applied') return [paint.dim(`  ${edit.path}: edit no longer applies`)];
  const beforeLines = splitLines(text);
  const afterLines = splitLines(applied.text);
  const first = edit.range.start.line;
  const removed = beforeLines.slice(first, edit.range.end.line + 1);
  const addedCount = removed.length + (afterLines.length - beforeLines.length);
  const added = afterLines.slice(first, first + addedCount);
  return [
    paint.dim(`  ${edit.path}:${first + 1}`),
    ...removed.map((line) => paint.red(`  - ${line}`)),
    ...added.map((line) => paint.green(`  + ${line}`)),
  ];
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}
