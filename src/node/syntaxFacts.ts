// Syntax facts of one file (identifier occurrences, definitions, imports, scopes), extracted per
// top-level node of its tree. After an edit, only the top-level nodes that overlap the edit or a
// range whose structure changed are walked again; every other one keeps its facts, moved by the
// lines the edit added or removed. That equals a walk of the whole tree because the syntax rules
// look only at a node, its descendants and its ancestors, all inside one top-level node (or the
// root, whose type never changes). Walking the tree of a large file takes hundreds of
// milliseconds, which done in one go would freeze the extension host, and with it typing: the
// walk checks a slice deadline as it goes and yields to the event loop once the slice is spent.

import { performance } from 'node:perf_hooks';
import { Edit, type Range, type Tree, type TreeCursor } from 'web-tree-sitter';
import type { ImportInfo, Scope, SymbolDefinition } from '../core/ports';
import { isKeyword } from '../core/symbols';
import { yieldWithSetImmediate } from './eventLoop';
import type { SyntaxRules } from './syntaxRules';

/** How long one slice of indexing may hold the event loop before it yields. */
export const INDEX_SLICE_MS = 8;

/** The deadline of the current slice of some long work, and the way to the next slice. */
export class TimeSlice {
  private deadlineMs: number;

  /**
   * @param sliceMs time per slice; 0 yields at every check, which tests use to pause the walk everywhere.
   * @param stopped polled after each yield: once true, the work is abandoned.
   */
  constructor(
    private readonly sliceMs: number,
    private readonly stopped: () => boolean,
  ) {
    if (!Number.isFinite(sliceMs) || sliceMs < 0) throw new RangeError(`sliceMs must be a finite number >= 0, got ${sliceMs}`);
    this.deadlineMs = performance.now() + sliceMs;
  }

  /** Whether the current slice has used up its time. */
  expired(): boolean {
    return performance.now() >= this.deadlineMs;
  }

  /** Whether the work should be abandoned. */
  cancelled(): boolean {
    return this.stopped();
  }

  /** Yields to the event loop and starts a new slice; false when the work has been cancelled meanwhile. */
  async next(): Promise<boolean> {
    await yieldWithSetImmediate();
    this.deadlineMs = performance.now() + this.sliceMs;
    return !this.stopped();
  }
}

export interface FactLimits {
  readonly maxOccurrences: number;
  readonly maxDefinitions: number;
  readonly maxImports: number;
  readonly maxScopes: number;
}

export interface FileFacts {
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

export const EMPTY_FACTS: FileFacts = { names: [], nameIds: new Map(), occurrences: new Int32Array(0), definitions: [], imports: [], scopes: [] };

/** Facts of one top-level node (or of the root node alone), positioned as in the tree it was walked in. */
export interface SegmentFacts {
  readonly type: string;
  /** The node's first line in the tree it was walked in, where its facts' lines hold as they are. */
  readonly originRow: number;
  /** One name per occurrence, each limit applied as for a whole file. */
  readonly occurrenceNames: readonly string[];
  /** Pairs (line, UTF-16 character), one per occurrence name. */
  readonly occurrencePositions: Int32Array;
  readonly definitions: readonly SymbolDefinition[];
  readonly imports: readonly ImportInfo[];
  readonly scopes: readonly Scope[];
}

/** Where a node with known facts sits in the current tree; its facts move by startRow - originRow lines. */
export interface Segment {
  readonly facts: SegmentFacts;
  /** Offsets in UTF-16 code units, like JavaScript string indices. */
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startRow: number;
}

export interface SegmentedFacts {
  /** The root node's own facts, walked every time because the root always spans the edit. */
  readonly root: Segment;
  readonly children: readonly Segment[];
}

/** Characters compared at once while looking for the common prefix and suffix. */
const COMPARE_CHUNK_CHARS = 1024;

/** The one replacement that turns an old text into a new one, as tree-sitter's Edit wants it. */
export function textChange(oldText: string, newText: string): Edit {
  const shorter = Math.min(oldText.length, newText.length);
  // Whole chunks first: comparing two slices runs in native code, a loop over characters does not.
  let prefix = 0;
  while (prefix + COMPARE_CHUNK_CHARS <= shorter && oldText.slice(prefix, prefix + COMPARE_CHUNK_CHARS) === newText.slice(prefix, prefix + COMPARE_CHUNK_CHARS)) {
    prefix += COMPARE_CHUNK_CHARS;
  }
  while (prefix < shorter && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix++;
  const oldEnd = (suffix: number): number => oldText.length - suffix;
  const newEnd = (suffix: number): number => newText.length - suffix;
  let suffix = 0;
  while (suffix + COMPARE_CHUNK_CHARS <= shorter - prefix && oldText.slice(oldEnd(suffix + COMPARE_CHUNK_CHARS), oldEnd(suffix)) === newText.slice(newEnd(suffix + COMPARE_CHUNK_CHARS), newEnd(suffix))) {
    suffix += COMPARE_CHUNK_CHARS;
  }
  while (suffix < shorter - prefix && oldText.charCodeAt(oldEnd(suffix) - 1) === newText.charCodeAt(newEnd(suffix) - 1)) suffix++;
  return new Edit({
    startIndex: prefix,
    oldEndIndex: oldEnd(suffix),
    newEndIndex: newEnd(suffix),
    startPosition: pointAt(oldText, prefix),
    oldEndPosition: pointAt(oldText, oldEnd(suffix)),
    newEndPosition: pointAt(newText, newEnd(suffix)),
  });
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

/** Which facts of the previous version of a file still hold after one change. */
export class SegmentReuse {
  private readonly byStart = new Map<number, Segment>();

  /** `changedRanges` are in the new tree's coordinates, from the edited old tree's getChangedRanges. */
  constructor(
    previous: SegmentedFacts,
    private readonly change: Edit,
    private readonly changedRanges: readonly Range[],
  ) {
    for (const segment of previous.children) this.byStart.set(segment.startIndex, segment);
  }

  /** The previous facts of a top-level node of the new tree, when it is untouched; otherwise undefined. */
  find(type: string, startIndex: number, endIndex: number, startRow: number): Segment | undefined {
    const change = this.change;
    if (overlaps(startIndex, endIndex, change.startIndex, change.newEndIndex)) return undefined;
    for (const range of this.changedRanges) if (overlaps(startIndex, endIndex, range.startIndex, range.endIndex)) return undefined;
    const after = startIndex > change.newEndIndex;
    // A node starting on the line the change ends on would also move sideways: walk it again.
    if (after && startRow <= change.newEndPosition.row) return undefined;
    const shift = after ? change.newEndIndex - change.oldEndIndex : 0;
    const old = this.byStart.get(startIndex - shift);
    if (!old || old.endIndex !== endIndex - shift || old.facts.type !== type) return undefined;
    return { facts: old.facts, startIndex, endIndex, startRow };
  }
}

/** Touching counts as overlapping: an edit right at a node's edge may extend the node. */
function overlaps(start: number, end: number, otherStart: number, otherEnd: number): boolean {
  return start <= otherEnd && otherStart <= end;
}

/**
 * Walks the tree's root and every top-level node that `reuse` cannot supply, pausing whenever the
 * slice runs out. Resolves to undefined when the slice reports the work cancelled.
 */
export async function extractSegments(
  tree: Tree,
  text: string,
  path: string,
  rules: SyntaxRules,
  limits: FactLimits,
  slice: TimeSlice,
  reuse: SegmentReuse | undefined,
): Promise<SegmentedFacts | undefined> {
  const cursor = tree.rootNode.walk();
  try {
    const rootBuilder = new SegmentBuilder(cursor, path, limits);
    rootBuilder.visit(cursor, text, rules);
    const children: Segment[] = [];
    if (cursor.gotoFirstChild()) {
      do {
        const type = cursor.nodeType;
        const startIndex = cursor.startIndex;
        const endIndex = cursor.endIndex;
        const startRow = cursor.startPosition.row;
        const kept = reuse?.find(type, startIndex, endIndex, startRow);
        if (kept) {
          children.push(kept);
        } else {
          const builder = new SegmentBuilder(cursor, path, limits);
          if (!(await walkSubtree(cursor, builder, text, rules, slice))) return undefined;
          children.push(builder.finish());
        }
        if (slice.expired() && !(await slice.next())) return undefined;
      } while (cursor.gotoNextSibling());
    }
    return { root: rootBuilder.finish(), children };
  } finally {
    cursor.delete();
  }
}

/** Pre-order walk of the cursor's current node and its descendants; leaves the cursor where it began. */
async function walkSubtree(cursor: TreeCursor, builder: SegmentBuilder, text: string, rules: SyntaxRules, slice: TimeSlice): Promise<boolean> {
  let depth = 0;
  for (;;) {
    builder.visit(cursor, text, rules);
    if (slice.expired() && !(await slice.next())) return false;
    if (cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    for (;;) {
      if (depth === 0) return true;
      if (cursor.gotoNextSibling()) break;
      cursor.gotoParent();
      depth--;
    }
  }
}

class SegmentBuilder {
  private readonly type: string;
  private readonly startIndex: number;
  private readonly endIndex: number;
  private readonly startRow: number;
  private readonly names: string[] = [];
  private readonly positions: number[] = [];
  private readonly definitions: SymbolDefinition[] = [];
  private readonly imports: ImportInfo[] = [];
  private readonly scopes: Scope[] = [];

  constructor(
    at: TreeCursor,
    private readonly path: string,
    private readonly limits: FactLimits,
  ) {
    this.type = at.nodeType;
    this.startIndex = at.startIndex;
    this.endIndex = at.endIndex;
    this.startRow = at.startPosition.row;
  }

  /** Records the cursor's node; Nodes are materialized only for interesting node types. */
  visit(cursor: TreeCursor, text: string, rules: SyntaxRules): void {
    const type = cursor.nodeType;
    if (rules.identifierTypes.has(type)) {
      if (this.names.length >= this.limits.maxOccurrences) return;
      const name = text.slice(cursor.startIndex, cursor.endIndex);
      if (isKeyword(name)) return;
      const start = cursor.startPosition;
      this.names.push(name);
      this.positions.push(start.row, start.column);
    } else if (cursor.nodeIsNamed && rules.interestingTypes.has(type)) {
      // Anonymous keyword tokens share type names with nodes (`function`, `class`): skip them.
      this.collect(cursor, rules);
    }
  }

  finish(): Segment {
    const facts: SegmentFacts = {
      type: this.type,
      originRow: this.startRow,
      occurrenceNames: this.names,
      occurrencePositions: Int32Array.from(this.positions),
      definitions: this.definitions,
      imports: this.imports,
      scopes: this.scopes,
    };
    return { facts, startIndex: this.startIndex, endIndex: this.endIndex, startRow: this.startRow };
  }

  private collect(cursor: TreeCursor, rules: SyntaxRules): void {
    const node = cursor.currentNode;
    const { path, limits } = this;
    for (const declaration of rules.declarations(node)) {
      for (const nameNode of declaration.nameNodes) {
        if (this.definitions.length >= limits.maxDefinitions) break;
        this.definitions.push({
          name: nameNode.text,
          kind: declaration.kind,
          path,
          position: { line: nameNode.startPosition.row, character: nameNode.startPosition.column },
          span: { startLine: declaration.spanNode.startPosition.row, endLine: declaration.spanNode.endPosition.row + 1 },
        });
      }
    }
    const scope = rules.scope(node);
    if (scope && this.scopes.length < limits.maxScopes) {
      this.scopes.push({ path, kind: scope.kind, startLine: node.startPosition.row, endLine: node.endPosition.row + 1, ...(scope.name === undefined ? {} : { name: scope.name }) });
    }
    for (const fact of rules.imports(node)) {
      if (this.imports.length >= limits.maxImports) break;
      this.imports.push({ path, module: fact.module, names: fact.names, line: node.startPosition.row });
    }
  }
}

/**
 * The file's facts: the segments' facts in document order, moved to where their nodes are now and
 * each list cut at its limit. Yields between segments; undefined when the slice reports the work cancelled.
 */
export async function assembleFacts(segmented: SegmentedFacts, limits: FactLimits, slice: TimeSlice): Promise<FileFacts | undefined> {
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  const packed: number[] = [];
  const definitions: SymbolDefinition[] = [];
  const imports: ImportInfo[] = [];
  const scopes: Scope[] = [];
  for (const segment of [segmented.root, ...segmented.children]) {
    const { facts } = segment;
    const lines = segment.startRow - facts.originRow;
    const positions = facts.occurrencePositions;
    for (let occurrence = 0; occurrence < facts.occurrenceNames.length && packed.length < limits.maxOccurrences * 3; occurrence++) {
      const name = facts.occurrenceNames[occurrence] as string;
      let nameId = nameIds.get(name);
      if (nameId === undefined) {
        nameId = names.length;
        names.push(name);
        nameIds.set(name, nameId);
      }
      packed.push(nameId, (positions[occurrence * 2] ?? 0) + lines, positions[occurrence * 2 + 1] ?? 0);
    }
    appendUpTo(definitions, facts.definitions, limits.maxDefinitions, lines, movedDefinition);
    appendUpTo(imports, facts.imports, limits.maxImports, lines, (info, by) => ({ ...info, line: info.line + by }));
    appendUpTo(scopes, facts.scopes, limits.maxScopes, lines, (scope, by) => ({ ...scope, startLine: scope.startLine + by, endLine: scope.endLine + by }));
    if (slice.expired() && !(await slice.next())) return undefined;
  }
  return { names, nameIds, occurrences: Int32Array.from(packed), definitions, imports, scopes };
}

function movedDefinition(definition: SymbolDefinition, lines: number): SymbolDefinition {
  return {
    ...definition,
    position: { line: definition.position.line + lines, character: definition.position.character },
    span: { startLine: definition.span.startLine + lines, endLine: definition.span.endLine + lines },
  };
}

/** Appends facts until `target` holds `limit`, moving each by `lines` (unmoved facts are shared, not copied). */
function appendUpTo<T>(target: T[], source: readonly T[], limit: number, lines: number, move: (fact: T, lines: number) => T): void {
  for (let index = 0; index < source.length && target.length < limit; index++) {
    const fact = source[index] as T;
    target.push(lines === 0 ? fact : move(fact, lines));
  }
}
