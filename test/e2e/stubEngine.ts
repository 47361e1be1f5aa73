// Stand-in for src/node/createEngine.ts (E2E_ENGINE=stub, or while it does not exist), so the harness and
// the editor experience can be exercised for real. It knows exactly two patterns, the two the
// scenarios use: an identifier renamed on one line is renamed at its other uses in that file, and an
// argument appended to one call is appended at the other calls of that function in the workspace.
// run.sh builds with it only when src/node/createEngine.ts is missing, and says so loudly.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NextEditEngine } from '../../src/core/engineApi';
import { replacedTextReader } from '../../src/core/replacedText';
import type { ChangeEvent, Explanation, ScoredEdit, Suggestion } from '../../src/core/types';
import type { CreatedEngine, EngineFactoryOptions } from '../../src/vscode/engineHost';

interface LineChange {
  readonly path: string;
  readonly line: number;
  readonly character: number;
  readonly removed: string;
  readonly inserted: string;
  readonly lineText: string;
}

export function createNodeEngine(options: EngineFactoryOptions): CreatedEngine {
  const texts = new Map<string, string>();
  const baselines = new Map<string, string>();
  const suggestions = new Map<string, Suggestion>();
  let lastPath: string | undefined;
  let counter = 0;

  const read = (file: string): string | undefined => {
    const open = texts.get(file);
    if (open !== undefined) return open;
    try {
      return fs.readFileSync(path.join(options.workspaceRoot, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  const workspaceFiles = (): string[] =>
    fs.readdirSync(options.workspaceRoot).filter((name) => /\.(ts|js)$/.test(name));

  const lastChange = (): LineChange | undefined => {
    if (lastPath === undefined) return undefined;
    const before = (baselines.get(lastPath) ?? '').split('\n');
    const after = (texts.get(lastPath) ?? '').split('\n');
    if (before.length !== after.length) return undefined;
    const changed = after.map((text, line) => ({ text, line })).filter(({ text, line }) => text !== before[line]);
    const only = changed[0];
    if (changed.length !== 1 || !only) return undefined;
    const old = before[only.line] ?? '';
    let start = 0;
    while (start < old.length && start < only.text.length && old[start] === only.text[start]) start++;
    let end = 0;
    while (end < old.length - start && end < only.text.length - start && old[old.length - 1 - end] === only.text[only.text.length - 1 - end]) end++;
    // Grow to whole identifiers so a rename reads as one word replacing another.
    const word = (text: string, index: number): boolean => /\w/.test(text[index] ?? '');
    const startsInWord = word(old, start) || word(only.text, start);
    const endsInWord = word(old, old.length - end - 1) || word(only.text, only.text.length - end - 1);
    while (startsInWord && start > 0 && word(old, start - 1) && word(only.text, start - 1)) start--;
    while (endsInWord && end > 0 && word(old, old.length - end) && word(only.text, only.text.length - end)) end--;
    return { path: lastPath, line: only.line, character: start, removed: old.slice(start, old.length - end), inserted: only.text.slice(start, only.text.length - end), lineText: only.text };
  };

  const edit = (file: string, line: number, start: number, end: number, text: string): ScoredEdit => ({
    path: file,
    range: { start: { line, character: start }, end: { line, character: end } },
    text,
    score: 0.9,
    source: 'propagation',
  });

  const renameEdits = (change: LineChange): ScoredEdit[] => {
    const edits: ScoredEdit[] = [];
    (texts.get(change.path) ?? '').split('\n').forEach((text, line) => {
      for (const match of text.matchAll(new RegExp(`\\b${change.removed}\\b`, 'g'))) edits.push(edit(change.path, line, match.index, match.index + change.removed.length, change.inserted));
    });
    return edits;
  };

  const argumentEdits = (change: LineChange): { callee: string; edits: ScoredEdit[] } | undefined => {
    const call = /(\w+)\([^()]*$/.exec(change.lineText.slice(0, change.character));
    const callee = call?.[1];
    if (!callee) return undefined;
    const edits: ScoredEdit[] = [];
    const files = [change.path, ...workspaceFiles().filter((file) => file !== change.path)];
    for (const file of files) {
      (read(file) ?? '').split('\n').forEach((text, line) => {
        for (const match of text.matchAll(new RegExp(`\\b${callee}\\(([^()]*)\\)`, 'g'))) {
          if (/function\s+$/.test(text.slice(0, match.index)) || (match[1] ?? '').endsWith(change.inserted.slice(2))) continue;
          const close = match.index + match[0].length - 1;
          edits.push(edit(file, line, close, close, change.inserted));
        }
      });
    }
    return { callee, edits };
  };

  const suggest = (found: ScoredEdit[], pattern: string, change: LineChange): Suggestion | undefined => {
    // Like the real engine: every edit says what it replaces, or the suggestion is not offered.
    const edits = replacedTextReader(read)(found);
    if (!edits || edits.length === 0) return undefined;
    const explanation: Explanation = {
      pattern,
      followsFrom: {
        path: change.path,
        range: { start: { line: change.line, character: change.character }, end: { line: change.line, character: change.character + change.removed.length } },
        removedText: change.removed,
        insertedText: change.inserted,
        hunk: { path: change.path, startLine: change.line, beforeText: (baselines.get(change.path) ?? '').split('\n')[change.line] ?? '', afterText: change.lineText },
        timestampMs: 0,
      },
      snippets: [],
      confidence: 0.9,
      stageTimingsMs: { history: 0.1, propagation: 0.4 },
    };
    const suggestion: Suggestion = { id: `stub-${++counter}`, edits, score: 0.9, source: 'propagation', explanation };
    suggestions.set(suggestion.id, suggestion);
    return suggestion;
  };

  const engine: NextEditEngine = {
    openDocument: (file, text) => {
      texts.set(file, text);
      if (!baselines.has(file)) baselines.set(file, text);
    },
    closeDocument: (file) => void texts.delete(file),
    deleteDocument: (file) => void texts.delete(file),
    recordChange: (event: ChangeEvent) => {
      const text = texts.get(event.path);
      if (text === undefined) return false;
      const lines = text.split('\n');
      const offset = (line: number, character: number): number => lines.slice(0, line).reduce((sum, each) => sum + each.length + 1, 0) + character;
      texts.set(event.path, text.slice(0, offset(event.range.start.line, event.range.start.character)) + event.text + text.slice(offset(event.range.end.line, event.range.end.character)));
      lastPath = event.path;
      return true;
    },
    predict: async () => {
      const started = performance.now();
      const change = lastChange();
      let suggestion: Suggestion | undefined;
      if (change && /^\w+$/.test(change.removed) && /^\w+$/.test(change.inserted)) {
        suggestion = suggest(renameEdits(change), `rename \`${change.removed}\` → \`${change.inserted}\``, change);
      } else if (change && change.removed === '' && /^, \S/.test(change.inserted)) {
        const found = argumentEdits(change);
        if (found) suggestion = suggest(found.edits, `add argument \`${change.inserted.slice(2)}\` to calls of \`${found.callee}\``, change);
      }
      const latencyMs = performance.now() - started;
      return suggestion ? { kind: 'suggestions', suggestions: [suggestion], latencyMs } : { kind: 'none', reason: 'nothing predictable', latencyMs };
    },
    accepted: () => {
      for (const [file, text] of texts) baselines.set(file, text);
    },
    rejected: () => undefined,
    suggestion: (id) => suggestions.get(id),
    explain: (id) => suggestions.get(id)?.explanation,
    documentText: (file) => texts.get(file),
    dispose: () => texts.clear(),
  };
  options.logger.warn('using the e2e stub engine: src/node/createEngine.ts is missing');
  options.onIndexProgress?.(1, 1);
  return { engine, ready: Promise.resolve(), dispose: () => engine.dispose() };
}
