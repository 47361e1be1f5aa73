import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger, SymbolDefinition } from '../../src/core/ports';
import { Grammars, languageForPath } from '../../src/node/grammars';
import { TreeSitterIndex } from '../../src/node/treeSitterIndex';

const FIXTURES = nodePath.join(__dirname, '..', 'fixtures', 'index');
const FIXTURE_FILES = ['sample.ts', 'widget.tsx', 'lib.js', 'tool.py', 'server.go', 'shapes.rs'];

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (message) => lines.push(`info: ${message}`), warn: (message) => lines.push(`warn: ${message}`) };
}

function fixture(name: string): string {
  return readFileSync(nodePath.join(FIXTURES, name), 'utf8');
}

function definitionIn(index: TreeSitterIndex, path: string, name: string, kind?: string): SymbolDefinition {
  const found = index.definitions(name).filter((definition) => definition.path === path && (kind === undefined || definition.kind === kind));
  expect(found, `${kind ?? 'any'} definition of ${name} in ${path}`).toHaveLength(1);
  return found[0] as SymbolDefinition;
}

/** Where `needle` occurs in `text`, as a UTF-16 line/character position. */
function positionOf(text: string, needle: string, occurrence = 0): { line: number; character: number } {
  let offset = -1;
  for (let count = 0; count <= occurrence; count++) offset = text.indexOf(needle, offset + 1);
  expect(offset).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: (before[before.length - 1] ?? '').length };
}

describe('TreeSitterIndex with the real grammars', () => {
  const logger = recordingLogger();
  const grammars = new Grammars({ logger });
  const index = new TreeSitterIndex({ grammars, logger });

  beforeAll(async () => {
    for (const name of FIXTURE_FILES) await index.update(name, fixture(name));
  });
  afterAll(() => {
    index.dispose();
    grammars.dispose();
  });

  it('maps extensions to languages', () => {
    expect(['a.ts', 'a.mts', 'a.cts', 'a.tsx', 'a.js', 'a.mjs', 'a.cjs', 'a.jsx', 'a.py', 'a.go', 'a.rs', 'a.md', 'dir.ts/file'].map(languageForPath)).toEqual([
      'typescript', 'typescript', 'typescript', 'tsx', 'javascript', 'javascript', 'javascript', 'javascript', 'python', 'go', 'rust', undefined, undefined,
    ]);
  });

  it('indexes every fixture and logs nothing', () => {
    expect([...index.files()].sort()).toEqual([...FIXTURE_FILES].sort());
    expect(logger.lines).toEqual([]);
  });

  it('finds TypeScript definitions with kinds, identifier positions and declaration spans', () => {
    const text = fixture('sample.ts');
    const expectations: [string, string, string][] = [
      ['Shape', 'interface', 'interface Shape'],
      ['Point', 'type', 'type Point'],
      ['Color', 'enum', 'enum Color'],
      ['Circle', 'class', 'class Circle'],
      ['total', 'function', 'function total'],
      ['double', 'function', 'const double'],
      ['sum', 'variable', 'let sum'],
      ['items', 'parameter', 'items: number[]'],
      ['radius', 'parameter', 'private radius'],
    ];
    for (const [name, kind, context] of expectations) {
      const definition = definitionIn(index, 'sample.ts', name, kind);
      const contextPosition = positionOf(text, context);
      expect(definition.position.line).toBe(contextPosition.line);
      expect(text.split('\n')[definition.position.line]?.slice(definition.position.character, definition.position.character + name.length)).toBe(name);
    }
    // A method's span covers its whole body; an exported class starts at `export`.
    expect(definitionIn(index, 'sample.ts', 'total').span).toEqual({ startLine: 26, endLine: 31 });
    expect(definitionIn(index, 'sample.ts', 'Circle').span).toEqual({ startLine: 17, endLine: 25 });
    expect(index.definitions('area').filter((definition) => definition.path === 'sample.ts').map((definition) => definition.kind)).toEqual(['method', 'method']);
    expect(index.definitions('name').filter((definition) => definition.path === 'sample.ts').map((definition) => definition.kind)).toEqual(['property', 'property']);
  });

  it('finds definitions in TSX, JavaScript, Python, Go and Rust', () => {
    expect(definitionIn(index, 'widget.tsx', 'Widget').kind).toBe('function');
    expect(definitionIn(index, 'widget.tsx', 'Props').kind).toBe('interface');
    expect(definitionIn(index, 'lib.js', 'Counter').kind).toBe('class');
    expect(definitionIn(index, 'lib.js', 'increment').kind).toBe('method');
    expect(definitionIn(index, 'lib.js', 'count').kind).toBe('property');
    expect(definitionIn(index, 'lib.js', 'step').kind).toBe('parameter');
    expect(definitionIn(index, 'lib.js', 'arrow').kind).toBe('function');
    expect(definitionIn(index, 'tool.py', 'Repository').kind).toBe('class');
    expect(definitionIn(index, 'tool.py', '__init__').kind).toBe('method');
    expect(definitionIn(index, 'tool.py', 'load').kind).toBe('function');
    expect(definitionIn(index, 'tool.py', 'LIMIT').kind).toBe('variable');
    expect(definitionIn(index, 'tool.py', 'verbose').kind).toBe('parameter');
    // The decorator belongs to the declaration's span.
    expect(definitionIn(index, 'tool.py', 'size')).toMatchObject({ kind: 'method', position: { line: 13, character: 8 }, span: { startLine: 12, endLine: 15 } });
    expect(definitionIn(index, 'server.go', 'Server').kind).toBe('class');
    expect(definitionIn(index, 'server.go', 'Handler').kind).toBe('interface');
    expect(definitionIn(index, 'server.go', 'Start')).toMatchObject({ kind: 'method', position: { line: 20, character: 17 } });
    expect(definitionIn(index, 'server.go', 'NewServer').kind).toBe('function');
    expect(definitionIn(index, 'server.go', 'MaxItems').kind).toBe('variable');
    expect(definitionIn(index, 'server.go', 'count').kind).toBe('variable');
    expect(definitionIn(index, 'server.go', 'ID').kind).toBe('type');
    expect(definitionIn(index, 'shapes.rs', 'Rect').kind).toBe('class');
    expect(definitionIn(index, 'shapes.rs', 'Kind').kind).toBe('enum');
    expect(definitionIn(index, 'shapes.rs', 'Area').kind).toBe('interface');
    expect(definitionIn(index, 'shapes.rs', 'build')).toMatchObject({ kind: 'function', span: { startLine: 25, endLine: 29 } });
    expect(definitionIn(index, 'shapes.rs', 'rect').kind).toBe('variable');
    expect(definitionIn(index, 'shapes.rs', 'Map').kind).toBe('type');
    expect(index.definitions('area').filter((definition) => definition.path === 'shapes.rs').map((definition) => definition.kind)).toEqual(['method', 'method']);
  });

  it('reports occurrence columns in UTF-16 code units after non-ASCII and emoji', () => {
    const text = fixture('sample.ts');
    const occurrences = index.occurrences('café', 10);
    expect(occurrences.map((occurrence) => occurrence.position)).toEqual([positionOf(text, 'café'), positionOf(text, 'café', 1)]);
    expect(occurrences.every((occurrence) => occurrence.length === 4)).toBe(true);
    // `total` after the emoji string: two surrogate pairs before it on the same line.
    const call = index.occurrences('total', 10).find((occurrence) => occurrence.position.line === 33);
    expect(call?.position).toEqual(positionOf(text, 'total([1]'));
    expect(call?.position.character).toBe(42);
  });

  it('lists identifiers of one file in document order and finds names across files', () => {
    const identifiers = index.identifiersIn('server.go');
    const sorted = [...identifiers].sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
    expect(identifiers).toEqual(sorted);
    expect(identifiers.filter((identifier) => identifier.name === 'port').map((identifier) => identifier.position.line)).toEqual([11, 20, 21, 21]);
    expect(index.occurrences('port', 2)).toHaveLength(2);
    expect(index.occurrences('nowhere', 10)).toEqual([]);
  });

  it('extracts imports for TS, JS, Python, Go and Rust', () => {
    const modules = (path: string) => index.imports(path).map((info) => [info.module, [...info.names], info.line]);
    expect(modules('sample.ts')).toEqual([
      ['./util', ['read', 'join'], 0],
      ['node:path', ['Default', 'path'], 1],
      ['fs', ['fs'], 2],
      ['lodash', ['lodash'], 3],
    ]);
    expect(modules('lib.js')).toEqual([
      ['./helper', ['helper', 'renamed'], 0],
      ['./def.js', ['def'], 1],
    ]);
    expect(modules('tool.py')).toEqual([
      ['os', ['os'], 0],
      ['numpy', ['np'], 1],
      ['.models', ['User', 'Purchase'], 2],
      ['collections', ['*'], 3],
    ]);
    expect(modules('server.go')).toEqual([
      ['fmt', ['fmt'], 3],
      ['strings', ['str'], 4],
    ]);
    expect(modules('shapes.rs')).toEqual([
      ['std::collections', ['HashMap'], 0],
      ['crate::geometry', ['Point', 'Vec2'], 1],
    ]);
  });

  it('finds the innermost enclosing scope', () => {
    expect(index.enclosingScope('sample.ts', { line: 22, character: 4 })).toMatchObject({ kind: 'method', name: 'area', startLine: 21, endLine: 24 });
    expect(index.enclosingScope('sample.ts', { line: 18, character: 2 })).toMatchObject({ kind: 'class', name: 'Circle' });
    expect(index.enclosingScope('sample.ts', { line: 32, character: 30 })).toMatchObject({ kind: 'function', name: 'double' });
    expect(index.enclosingScope('sample.ts', { line: 3, character: 0 })).toBeUndefined();
    expect(index.enclosingScope('tool.py', { line: 14, character: 8 })).toMatchObject({ kind: 'function', name: 'size' });
    expect(index.enclosingScope('shapes.rs', { line: 21, character: 8 })).toMatchObject({ kind: 'method', name: 'area' });
    expect(index.enclosingScope('shapes.rs', { line: 19, character: 0 })).toMatchObject({ kind: 'class', name: 'Rect' });
    expect(index.enclosingScope('server.go', { line: 22, character: 1 })).toMatchObject({ kind: 'method', name: 'Start' });
  });
});

describe('TreeSitterIndex updates', () => {
  it('replaces facts on update, incrementally and identically to a fresh parse', async () => {
    const logger = recordingLogger();
    const grammars = new Grammars({ logger });
    const incremental = new TreeSitterIndex({ grammars, logger });
    const original = 'export function count(items: string[]): number {\n  return items.length;\n}\nconst used = count([]);\n';
    await incremental.update('a.ts', original);
    expect(incremental.definitions('count')).toHaveLength(1);

    const renamed = original.replace(/count/g, 'total').replace('return', '// ✨ 😀\n  return');
    await incremental.update('a.ts', renamed);
    expect(incremental.definitions('count')).toEqual([]);
    expect(incremental.occurrences('count', 10)).toEqual([]);
    expect(incremental.definitions('total')).toHaveLength(1);

    const fresh = new TreeSitterIndex({ grammars, logger });
    await fresh.update('a.ts', renamed);
    expect(incremental.identifiersIn('a.ts')).toEqual(fresh.identifiersIn('a.ts'));
    expect(incremental.definitions('total')).toEqual(fresh.definitions('total'));
    expect(incremental.occurrences('used', 5)[0]?.position).toEqual({ line: 4, character: 6 });
  });

  it('forgets a removed file everywhere', async () => {
    const logger = recordingLogger();
    const index = new TreeSitterIndex({ grammars: new Grammars({ logger }), logger });
    await index.update('a.py', 'def shared():\n    pass\n');
    await index.update('b.py', 'from a import shared\nshared()\n');
    expect(index.occurrences('shared', 10).map((occurrence) => occurrence.path).sort()).toEqual(['a.py', 'b.py', 'b.py']);
    index.remove('a.py');
    expect(index.files()).toEqual(['b.py']);
    expect(index.definitions('shared')).toEqual([]);
    expect(index.occurrences('shared', 10).map((occurrence) => occurrence.path)).toEqual(['b.py', 'b.py']);
    expect(index.enclosingScope('a.py', { line: 1, character: 4 })).toBeUndefined();
  });

  it('skips unsupported and oversized files and caps the file count', async () => {
    const logger = recordingLogger();
    const index = new TreeSitterIndex({ grammars: new Grammars({ logger }), logger, maxIndexedFiles: 2 });
    await index.update('notes.md', '# title');
    await index.update('big.ts', `const x = 1;\n${'// filler\n'.repeat(110_000)}`);
    expect(index.files()).toEqual([]);
    await index.update('one.ts', 'const one = 1;');
    await index.update('two.ts', 'const two = 2;');
    await index.update('three.ts', 'const three = 3;');
    expect([...index.files()].sort()).toEqual(['one.ts', 'two.ts']);
    expect(logger.lines.filter((line) => line.includes('full'))).toHaveLength(1);
  });

  it('ignores an update aborted while its grammar loads', async () => {
    const logger = recordingLogger();
    const index = new TreeSitterIndex({ grammars: new Grammars({ logger }), logger });
    const controller = new AbortController();
    const pending = index.update('late.go', 'package main\nfunc Late() {}\n', controller.signal);
    controller.abort();
    await pending;
    expect(index.files()).toEqual([]);
  });

  it('rejects bad options loudly', () => {
    const logger = recordingLogger();
    const grammars = new Grammars({ logger });
    expect(() => new TreeSitterIndex({ grammars, logger, maxIndexedFiles: 0 })).toThrow(TypeError);
    expect(() => new TreeSitterIndex({ grammars, logger, maxRetainedTrees: 1.5 })).toThrow(TypeError);
    expect(() => new TreeSitterIndex({ grammars, logger, sliceMs: -1 })).toThrow(TypeError);
    expect(() => new Grammars({ logger, wasmDirectory: '' })).toThrow(TypeError);
    expect(() => new Grammars({ logger, runtimeWasmPath: '' })).toThrow(TypeError);
  });
});

describe('TreeSitterIndex scopes and keyword tokens', () => {
  it('does not mistake the `function` keyword for a one-line function scope', async () => {
    const logger = { info: () => undefined, warn: () => undefined };
    const index = new TreeSitterIndex({ grammars: new Grammars({ logger }), logger });
    await index.update('g.ts', 'export function area(w: number): number {\n  const twice = w * 2;\n  return twice;\n}\n');
    expect(index.enclosingScope('g.ts', { line: 0, character: 22 })).toMatchObject({ name: 'area', startLine: 0, endLine: 4 });
    index.dispose();
  });
});
