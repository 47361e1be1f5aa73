// A grammar that fails to load (missing, truncated, not WebAssembly), or a tree-sitter runtime
// that cannot start, must cost syntax facts and nothing else: one log line, files of that language
// still indexed (without facts) and predicted in through the real engine, other languages intact.
//
// The runtime test comes first on purpose: web-tree-sitter starts its runtime once per process,
// so once any test has started it, a broken runtime can no longer be observed (vitest gives each
// test file its own process). Run out of order, that test fails rather than passing vacuously.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { replayAndPredict } from '../../src/cli/replay';
import type { Logger } from '../../src/core/ports';
import { createEngine, openWorkspace } from '../../src/node/createEngine';
import { grammarFileName, Grammars, LANGUAGE_IDS, type LanguageId } from '../../src/node/grammars';
import { TreeSitterIndex } from '../../src/node/treeSitterIndex';
import { typeOver } from './support/typing';

const APP_TS = 'export function greet(name: string): string {\n  const label = name.trim();\n  return label + name;\n}\n';
const UTIL_TS = 'import { greet } from "./app";\nexport const hello = greet("world");\n';
const TOOL_PY = 'def shout(words):\n    loud = words.upper()\n    return loud\n';
const SERVER_GO = 'package main\n\nfunc Serve(port int) int {\n\treturn port\n}\n';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (message) => lines.push(`info: ${message}`), warn: (message) => lines.push(`warn: ${message}`) };
}

function packagedWasm(language: LanguageId): string {
  const packageName = language === 'tsx' ? 'tree-sitter-typescript' : `tree-sitter-${language}`;
  return join(dirname(require.resolve(`${packageName}/package.json`)), grammarFileName(language));
}

type Breakage = 'missing' | 'not wasm' | 'truncated';

/** A grammar folder like dist/grammars/, with the typescript grammar broken in one way. */
function grammarsWithBrokenTypescript(breakage: Breakage): string {
  const directory = mkdtempSync(join(tmpdir(), 'ripple-grammars-'));
  for (const language of LANGUAGE_IDS) {
    const target = join(directory, grammarFileName(language));
    if (language !== 'typescript') copyFileSync(packagedWasm(language), target);
    else if (breakage === 'not wasm') writeFileSync(target, 'this is not WebAssembly\n');
    else if (breakage === 'truncated') writeFileSync(target, readFileSync(packagedWasm(language)).subarray(0, 100_000));
  }
  return directory;
}

function grammarWarnings(logger: { lines: string[] }): string[] {
  return logger.lines.filter((line) => /grammar|tree-sitter/i.test(line));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a tree-sitter runtime that cannot start', () => {
  it('logs one line, indexes every file without syntax facts and never throws', async () => {
    const runtimeWasm = join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm');
    const truncated = join(mkdtempSync(join(tmpdir(), 'ripple-runtime-')), 'web-tree-sitter.wasm');
    writeFileSync(truncated, readFileSync(runtimeWasm).subarray(0, 20_000));
    const consoleErrors = vi.spyOn(console, 'error');
    const logger = recordingLogger();
    const index = new TreeSitterIndex({ grammars: new Grammars({ logger, runtimeWasmPath: truncated }), logger });

    await expect(index.update('app.ts', APP_TS)).resolves.toBeUndefined();
    await expect(index.update('tool.py', TOOL_PY)).resolves.toBeUndefined();
    await expect(index.update('server.go', SERVER_GO)).resolves.toBeUndefined();

    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(/^warn: Tree-sitter runtime failed to load; no file gets syntax facts: .*Aborted/);
    // Emscripten's own complaints are not printed next to that line.
    expect(consoleErrors).not.toHaveBeenCalled();
    expect([...index.files()].sort()).toEqual(['app.ts', 'server.go', 'tool.py']);
    expect(index.definitions('greet')).toEqual([]);
    expect(index.identifiersIn('tool.py')).toEqual([]);
    index.dispose();
  });
});

describe('a typescript grammar that fails to load', () => {
  for (const breakage of ['missing', 'not wasm', 'truncated'] as const) {
    it(`(${breakage}) logs once, indexes .ts files without facts and keeps the other languages`, async () => {
      const logger = recordingLogger();
      const grammars = new Grammars({ logger, wasmDirectory: grammarsWithBrokenTypescript(breakage) });
      const index = new TreeSitterIndex({ grammars, logger });

      for (const [path, text] of [['app.ts', APP_TS], ['util.ts', UTIL_TS], ['tool.py', TOOL_PY], ['more.ts', APP_TS], ['server.go', SERVER_GO]]) {
        await expect(index.update(path as string, text as string)).resolves.toBeUndefined();
      }
      // Editing a file of the broken language again does not log again.
      await index.update('app.ts', APP_TS.replace('label', 'title'));

      expect(logger.lines).toHaveLength(1);
      expect(logger.lines[0]).toMatch(/^warn: Grammar for typescript failed to load from .*tree-sitter-typescript\.wasm; typescript files get no syntax facts/);
      expect([...index.files()].sort()).toEqual(['app.ts', 'more.ts', 'server.go', 'tool.py', 'util.ts']);
      expect(index.identifiersIn('app.ts')).toEqual([]);
      expect(index.definitions('greet')).toEqual([]);
      expect(index.definitions('shout')).toMatchObject([{ path: 'tool.py', kind: 'function' }]);
      expect(index.definitions('Serve')).toMatchObject([{ path: 'server.go', kind: 'function' }]);
      expect(index.enclosingScope('tool.py', { line: 1, character: 4 })).toMatchObject({ kind: 'function', name: 'shout' });
      // The same grammar folder, tsx grammar intact: only the one language lost its facts.
      await index.update('view.tsx', 'export function View() { return <div />; }\n');
      expect(index.definitions('View')).toMatchObject([{ path: 'view.tsx' }]);
      index.dispose();
      grammars.dispose();
    });
  }
});

describe('the real engine over a workspace whose typescript grammar is broken', () => {
  it('scans, logs the failure once and still predicts in .ts files', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ripple-broken-grammar-'));
    for (const [path, text] of [['src/app.ts', APP_TS], ['src/util.ts', UTIL_TS], ['src/more.ts', APP_TS], ['tools/tool.py', TOOL_PY]] as const) {
      mkdirSync(join(root, dirname(path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const logger = recordingLogger();
    const workspace = openWorkspace(
      { workspaceRoot: root, logger, useModel: false, grammarDirectory: grammarsWithBrokenTypescript('truncated') },
      new AbortController().signal,
    );
    try {
      const summary = await workspace.ready;
      expect(summary).toMatchObject({ indexed: 4, total: 4, aborted: false });
      expect(grammarWarnings(logger)).toHaveLength(1);
      expect([...workspace.index.files()].sort()).toEqual(['src/app.ts', 'src/more.ts', 'src/util.ts', 'tools/tool.py']);
      expect(workspace.index.definitions('greet')).toEqual([]);
      expect(workspace.index.definitions('shout')).toHaveLength(1);

      const engine = createEngine(workspace, { logger, budgetMs: 300 });
      // Rename the parameter `name` to `person`, a keystroke at a time.
      const events = typeOver('src/app.ts', 0, 22, 4, 'person');
      const outcome = await replayAndPredict(engine, { workspaceRoot: root, events, sources: 'all', top: 5 }, workspace.clock, new AbortController().signal);
      // Without syntax facts the rename still propagates, from the text alone.
      expect(outcome.result.kind).toBe('suggestions');
      expect(outcome.edits.map((edit) => [edit.path, edit.text])).toContainEqual(['src/app.ts', 'person.trim();\n  return label + person']);
      expect(engine.documentText('src/app.ts')).toContain('greet(person: string)');
      await engine.settled();
      expect(await engine.predict({ path: 'src/app.ts', position: { line: 1, character: 0 } }, { sources: 'symbolic', budgetMs: 300 }, new AbortController().signal)).toMatchObject({
        kind: expect.stringMatching(/^(suggestions|none)$/),
      });
      engine.dispose();
      // Re-indexing the edited file after the engine settled did not log the failure again.
      expect(grammarWarnings(logger)).toHaveLength(1);
    } finally {
      workspace.dispose();
    }
  });
});
