// The workspace index: per-file syntax facts (definitions, identifier occurrences, imports,
// scopes) from tree-sitter, plus an inverted name -> files map so that cross-file queries touch
// only the files that mention a name. Facts are plain arrays; syntax trees (and the per-declaration
// facts that let an edit re-walk only what it touched) are kept only for a few recently updated
// files, so memory grows with facts, not with trees. Re-parsing is incremental and the walk runs
// in time slices, so re-indexing a large file after an edit never holds the event loop for long.

import { LRUCache } from 'lru-cache';
import type { Parser, Tree } from 'web-tree-sitter';
import { namesWithPrefix } from '../core/completionDrafts';
import type { ImportInfo, Logger, NameCount, Scope, SymbolDefinition, SymbolOccurrence, WorkspaceIndex } from '../core/ports';
import type { Position } from '../core/types';
import { positiveInteger } from '../core/validation';
import { type Grammars, languageForPath } from './grammars';
import {
  assembleFacts,
  EMPTY_FACTS,
  extractSegments,
  type FactLimits,
  type FileFacts,
  INDEX_SLICE_MS,
  SegmentReuse,
  type SegmentedFacts,
  textChange,
  TimeSlice,
} from './syntaxFacts';
import { type SyntaxRules, syntaxRules } from './syntaxRules';

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
  /** How long indexing may hold the event loop before it yields, in milliseconds; 0 yields at every check. */
  readonly sliceMs?: number;
}

interface RetainedTree {
  readonly tree: Tree;
  readonly text: string;
  readonly segments: SegmentedFacts;
}

export class TreeSitterIndex implements WorkspaceIndex {
  private readonly grammars: Grammars;
  private readonly logger: Logger;
  private readonly maxIndexedFiles: number;
  private readonly limits: FactLimits;
  private readonly sliceMs: number;
  private readonly facts = new Map<string, FileFacts>();
  private readonly filesByName = new Map<string, Set<string>>();
  private readonly trees: LRUCache<string, RetainedTree>;
  /** Latest update per path, so a slow update cannot overwrite a newer one. */
  private readonly versions = new Map<string, number>();
  private nextVersion = 0;
  private warnedFull = false;
  private disposed = false;

  constructor(options: TreeSitterIndexOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('TreeSitterIndex options must be an object');
    if (!options.grammars) throw new TypeError('TreeSitterIndex options.grammars is required');
    if (!options.logger) throw new TypeError('TreeSitterIndex options.logger is required');
    this.grammars = options.grammars;
    this.logger = options.logger;
    this.maxIndexedFiles = positiveInteger('TreeSitterIndex options.maxIndexedFiles', options.maxIndexedFiles ?? MAX_INDEXED_FILES);
    this.limits = {
      maxOccurrences: positiveInteger('TreeSitterIndex options.maxOccurrencesPerFile', options.maxOccurrencesPerFile ?? MAX_OCCURRENCES_PER_FILE),
      maxDefinitions: MAX_DEFINITIONS_PER_FILE,
      maxImports: MAX_IMPORTS_PER_FILE,
      maxScopes: MAX_SCOPES_PER_FILE,
    };
    this.sliceMs = options.sliceMs ?? INDEX_SLICE_MS;
    if (!Number.isFinite(this.sliceMs) || this.sliceMs < 0) throw new TypeError(`TreeSitterIndex options.sliceMs must be a finite number >= 0, got ${String(options.sliceMs)}`);
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

  namesStartingWith(prefix: string, limit: number): readonly NameCount[] {
    return namesWithPrefix(fileCounts(this.filesByName), prefix, limit);
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
    if (this.trees.get(path)?.text === text && this.facts.has(path)) return;
    const current = (): boolean => !this.disposed && !signal?.aborted && this.versions.get(path) === version;
    const parser = await this.grammars.parser(language);
    if (!current()) return;
    if (!parser) {
      // The grammar failed to load (logged once by Grammars): the file counts as indexed, without syntax facts.
      this.store(path, EMPTY_FACTS);
      return;
    }
    await this.reindex(path, text, parser, syntaxRules(language), new TimeSlice(this.sliceMs, () => !current()));
  }

  /**
   * Parses (incrementally when the previous tree is retained), then walks only what changed, in
   * time slices. The parse itself is not sliced: tree-sitter resumes a paused parse in a way that
   * can settle ambiguities differently, and facts must not depend on when the loop was yielded.
   */
  private async reindex(path: string, text: string, parser: Parser, rules: SyntaxRules, slice: TimeSlice): Promise<void> {
    const retained = this.trees.get(path);
    const change = retained ? textChange(retained.text, text) : undefined;
    const edited = retained && change ? retained.tree.copy() : undefined;
    if (edited && change) edited.edit(change);
    let tree: Tree | undefined;
    let reuse: SegmentReuse | undefined;
    try {
      tree = parser.parse(text, edited ?? null) ?? undefined;
      // The retained tree may be evicted and deleted while this update yields; its facts are plain data.
      if (tree && retained && edited && change) reuse = new SegmentReuse(retained.segments, change, edited.getChangedRanges(tree));
    } finally {
      edited?.delete();
    }
    if (!tree) return;
    try {
      const segments = await extractSegments(tree, text, path, rules, this.limits, slice, reuse);
      const facts = segments && (await assembleFacts(segments, this.limits, slice));
      if (!segments || !facts || slice.cancelled()) return;
      this.trees.set(path, { tree, text, segments });
      tree = undefined;
      this.store(path, facts);
    } finally {
      tree?.delete();
    }
  }

  remove(path: string): void {
    this.versions.delete(path);
    this.trees.delete(path);
    this.forgetFacts(path);
  }

  /** Frees the retained trees; updates in progress stop at their next slice. */
  dispose(): void {
    this.disposed = true;
    this.trees.clear();
  }

  /**
   * Replaces the facts of a file; its retained tree stays, for the next incremental parse. Only
   * the names that came or went are relinked: after an edit nearly all of them stay.
   */
  private store(path: string, facts: FileFacts): void {
    const old = this.facts.get(path);
    this.facts.set(path, facts);
    const linked = linkedNames(facts);
    const previous = old ? linkedNames(old) : new Set<string>();
    for (const name of previous) if (!linked.has(name)) this.unlink(name, path);
    for (const name of linked) if (!previous.has(name)) this.link(name, path);
  }

  private forgetFacts(path: string): void {
    const old = this.facts.get(path);
    if (!old) return;
    this.facts.delete(path);
    for (const name of linkedNames(old)) this.unlink(name, path);
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

/** The names under which a file is found: its identifiers and what it defines. */
function linkedNames(facts: FileFacts): Set<string> {
  const names = new Set(facts.names);
  for (const definition of facts.definitions) names.add(definition.name);
  return names;
}

function* fileCounts(filesByName: ReadonlyMap<string, ReadonlySet<string>>): Iterable<readonly [string, number]> {
  for (const [name, paths] of filesByName) yield [name, paths.size];
}
