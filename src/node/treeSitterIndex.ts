// The workspace index: per-file syntax facts (definitions, identifier occurrences, imports,
// scopes) from tree-sitter, plus an inverted name -> files map so that cross-file queries touch
// only the files that mention a name. Facts are plain arrays; syntax trees are kept only for a
// few recently updated files, so memory grows with facts, not with trees.

import { LRUCache } from 'lru-cache';
import { Edit, type Node, type Tree } from 'web-tree-sitter';
import type { ImportInfo, Scope, SymbolDefinition, SymbolOccurrence, WorkspaceIndex } from '../core/ports';
import { isKeyword } from '../core/symbols';
import type { Logger } from '../core/ports';
import type { Position } from '../core/types';
import { type Grammars, languageForPath } from './grammars';
import { type SyntaxRules, syntaxRules } from './syntaxRules';
import { positiveInteger } from '../core/validation';

export const MAX_INDEXED_FILES = 20_000;
export const MAX_INDEXED_FILE_CHARS = 1_000_000;
export const MAX_OCCURRENCES_PER_FILE = 20_000;
export const MAX_DEFINITIONS_PER_FILE = 5_000;
export const MAX_IMPORTS_PER_FILE = 500;
export const MAX_SCOPES_PER_FILE = 5_000;
export const MAX_RETAINED_TREES = 8;

export interface TreeSitterIndexOptions {
  readonly grammars: Grammars;
  readonly logger: Logger;
  readonly maxIndexedFiles?: number;
  readonly maxOccurrencesPerFile?: number;
  readonly maxRetainedTrees?: number;
}

interface FileFacts {
  /** Distinct identifier names of the file; occurrences refer to them by index. */
  readonly names: readonly string[];
  readonly nameIds: ReadonlyMap<string, number>;
  /** Triples (name index, line, UTF-16 character), in document order: 12 bytes per occurrence. */
  readonly occurrences: Int32Array;
  readonly definitions: readonly SymbolDefinition[];
  readonly imports: readonly ImportInfo[];
  /** Sorted by start line, outer before inner. */
  readonly scopes: readonly Scope[];
}

interface RetainedTree {
  readonly tree: Tree;
  readonly text: string;
}

export class TreeSitterIndex implements WorkspaceIndex {
  private readonly grammars: Grammars;
  private readonly logger: Logger;
  private readonly maxIndexedFiles: number;
  private readonly maxOccurrencesPerFile: number;
  private readonly facts = new Map<string, FileFacts>();
  private readonly filesByName = new Map<string, Set<string>>();
  private readonly trees: LRUCache<string, RetainedTree>;
  /** Latest update per path, so a slow update cannot overwrite a newer one. */
  private readonly versions = new Map<string, number>();
  private nextVersion = 0;
  private warnedFull = false;

  constructor(options: TreeSitterIndexOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('TreeSitterIndex options must be an object');
    if (!options.grammars) throw new TypeError('TreeSitterIndex options.grammars is required');
    if (!options.logger) throw new TypeError('TreeSitterIndex options.logger is required');
    this.grammars = options.grammars;
    this.logger = options.logger;
    this.maxIndexedFiles = positiveInteger('TreeSitterIndex options.maxIndexedFiles', options.maxIndexedFiles ?? MAX_INDEXED_FILES);
    this.maxOccurrencesPerFile = positiveInteger('TreeSitterIndex options.maxOccurrencesPerFile', options.maxOccurrencesPerFile ?? MAX_OCCURRENCES_PER_FILE);
    this.trees = new LRUCache<string, RetainedTree>({
      max: positiveInteger('TreeSitterIndex options.maxRetainedTrees', options.maxRetainedTrees ?? MAX_RETAINED_TREES),
      // Trees live in WASM memory that the JS garbage collector cannot see.
      dispose: (retained) => retained.tree.delete(),
    });
  }

  files(): readonly string[] {
    return [...this.facts.keys()];
  }

  definitions(name: string): readonly SymbolDefinition[] {
    const found: SymbolDefinition[] = [];
    for (const path of this.filesByName.get(name) ?? []) {
      for (const definition of this.facts.get(path)?.definitions ?? []) if (definition.name === name) found.push(definition);
    }
    return found;
  }

  occurrences(name: string, limit: number): readonly SymbolOccurrence[] {
    const found: SymbolOccurrence[] = [];
    if (!(limit > 0)) return found;
    for (const path of this.filesByName.get(name) ?? []) {
      const facts = this.facts.get(path);
      const nameId = facts?.nameIds.get(name);
      if (!facts || nameId === undefined) continue;
      const packed = facts.occurrences;
      for (let offset = 0; offset < packed.length; offset += 3) {
        if (packed[offset] !== nameId) continue;
        found.push({ name, path, position: { line: packed[offset + 1] ?? 0, character: packed[offset + 2] ?? 0 }, length: name.length });
        if (found.length >= limit) return found;
      }
    }
    return found;
  }

  identifiersIn(path: string): readonly SymbolOccurrence[] {
    const facts = this.facts.get(path);
    if (!facts) return [];
    const found: SymbolOccurrence[] = [];
    const packed = facts.occurrences;
    for (let offset = 0; offset < packed.length; offset += 3) {
      const name = facts.names[packed[offset] ?? 0] ?? '';
      found.push({ name, path, position: { line: packed[offset + 1] ?? 0, character: packed[offset + 2] ?? 0 }, length: name.length });
    }
    return found;
  }

  imports(path: string): readonly ImportInfo[] {
    return this.facts.get(path)?.imports ?? [];
  }

  enclosingScope(path: string, position: Position): Scope | undefined {
    let innermost: Scope | undefined;
    for (const scope of this.facts.get(path)?.scopes ?? []) {
      if (scope.startLine > position.line) break;
      if (position.line < scope.endLine && (!innermost || scope.endLine - scope.startLine <= innermost.endLine - innermost.startLine)) {
        innermost = scope;
      }
    }
    return innermost;
  }

  async update(path: string, text: string, signal?: AbortSignal): Promise<void> {
    const version = ++this.nextVersion;
    this.versions.set(path, version);
    const language = languageForPath(path);
    if (!language || text.length > MAX_INDEXED_FILE_CHARS) {
      this.remove(path);
      return;
    }
    if (!this.facts.has(path) && this.facts.size >= this.maxIndexedFiles) {
      if (!this.warnedFull) this.logger.warn(`Workspace index is full (${this.maxIndexedFiles} files); further files are not indexed.`);
      this.warnedFull = true;
      return;
    }
    const parser = await this.grammars.parser(language);
    if (signal?.aborted || this.versions.get(path) !== version) return;
    if (!parser) {
      this.remove(path);
      return;
    }
    const retained = this.trees.get(path);
    if (retained?.text === text && this.facts.has(path)) return;
    const previous = retained ? editedCopy(retained, text) : undefined;
    const tree = parser.parse(text, previous ?? null);
    previous?.delete();
    if (!tree) return;
    this.trees.set(path, { tree, text });
    this.store(path, extractFacts(tree.rootNode, text, path, syntaxRules(language), this.maxOccurrencesPerFile));
  }

  remove(path: string): void {
    this.versions.delete(path);
    this.trees.delete(path);
    const old = this.facts.get(path);
    if (!old) return;
    this.facts.delete(path);
    for (const name of old.names) this.unlink(name, path);
    for (const definition of old.definitions) this.unlink(definition.name, path);
  }

  dispose(): void {
    this.trees.clear();
  }

  private store(path: string, facts: FileFacts): void {
    this.remove(path);
    this.facts.set(path, facts);
    for (const name of facts.names) this.link(name, path);
    for (const definition of facts.definitions) this.link(definition.name, path);
  }

  private link(name: string, path: string): void {
    let paths = this.filesByName.get(name);
    if (!paths) {
      paths = new Set();
      this.filesByName.set(name, paths);
    }
    paths.add(path);
  }

  private unlink(name: string, path: string): void {
    const paths = this.filesByName.get(name);
    if (!paths) return;
    paths.delete(path);
    if (paths.size === 0) this.filesByName.delete(name);
  }
}

/**
 * A copy of the retained tree edited to match `text`, described as one replacement between the
 * common prefix and suffix; tree-sitter then re-parses only around it.
 */
function editedCopy(retained: RetainedTree, text: string): Tree {
  const old = retained.text;
  const shorter = Math.min(old.length, text.length);
  let prefix = 0;
  while (prefix < shorter && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const copy = retained.tree.copy();
  copy.edit(
    new Edit({
      startIndex: prefix,
      oldEndIndex: old.length - suffix,
      newEndIndex: text.length - suffix,
      startPosition: pointAt(old, prefix),
      oldEndPosition: pointAt(old, old.length - suffix),
      newEndPosition: pointAt(text, text.length - suffix),
    }),
  );
  return copy;
}

function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    row++;
    lineStart = index + 1;
  }
  return { row, column: offset - lineStart };
}

/** Walks the tree once with a cursor, materializing Nodes only for interesting node types. */
function extractFacts(root: Node, text: string, path: string, rules: SyntaxRules, maxOccurrences: number): FileFacts {
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  const packed: number[] = [];
  const definitions: SymbolDefinition[] = [];
  const imports: ImportInfo[] = [];
  const scopes: Scope[] = [];
  const cursor = root.walk();
  try {
    for (;;) {
      const type = cursor.nodeType;
      if (rules.identifierTypes.has(type)) {
        const name = text.slice(cursor.startIndex, cursor.endIndex);
        if (packed.length < maxOccurrences * 3 && !isKeyword(name)) {
          let nameId = nameIds.get(name);
          if (nameId === undefined) {
            nameId = names.length;
            names.push(name);
            nameIds.set(name, nameId);
          }
          const start = cursor.startPosition;
          packed.push(nameId, start.row, start.column);
        }
      } else if (cursor.nodeIsNamed && rules.interestingTypes.has(type)) {
        // Anonymous keyword tokens share type names with nodes (`function`, `class`): skip them.
        collect(cursor.currentNode, path, rules, definitions, imports, scopes);
      }
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return { names, nameIds, occurrences: Int32Array.from(packed), definitions, imports, scopes };
      }
    }
  } finally {
    cursor.delete();
  }
}

function collect(node: Node, path: string, rules: SyntaxRules, definitions: SymbolDefinition[], imports: ImportInfo[], scopes: Scope[]): void {
  for (const declaration of rules.declarations(node)) {
    for (const nameNode of declaration.nameNodes) {
      if (definitions.length >= MAX_DEFINITIONS_PER_FILE) break;
      definitions.push({
        name: nameNode.text,
        kind: declaration.kind,
        path,
        position: { line: nameNode.startPosition.row, character: nameNode.startPosition.column },
        span: { startLine: declaration.spanNode.startPosition.row, endLine: declaration.spanNode.endPosition.row + 1 },
      });
    }
  }
  const scope = rules.scope(node);
  if (scope && scopes.length < MAX_SCOPES_PER_FILE) {
    scopes.push({ path, kind: scope.kind, startLine: node.startPosition.row, endLine: node.endPosition.row + 1, ...(scope.name === undefined ? {} : { name: scope.name }) });
  }
  for (const fact of rules.imports(node)) {
    if (imports.length >= MAX_IMPORTS_PER_FILE) break;
    imports.push({ path, module: fact.module, names: fact.names, line: node.startPosition.row });
  }
}

