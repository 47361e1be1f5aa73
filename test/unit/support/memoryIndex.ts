// An in-memory WorkspaceIndex for core tests: answers from the current texts with the regex
// identifier scanner instead of syntax trees, which is all propagation and retrieval need to
// find the files that mention, define or import a name. It re-reads the texts on every query, so
// it is never stale and `update` only records that the engine asked for a refresh.

import { namesWithPrefix } from '../../../src/core/completionDrafts';
import type { ImportInfo, NameCount, Scope, SymbolDefinition, SymbolOccurrence, WorkspaceIndex } from '../../../src/core/ports';
import { identifiersInText } from '../../../src/core/symbols';
import type { Position } from '../../../src/core/types';

const DECLARATION_BEFORE = /(?:function|const|let|var|class)\s+$/;
const NAMED_IMPORT = /import \{([^}]*)\} from '([^']*)'/g;
const LINE_BREAK = /\r\n|\r|\n/;

export class MemoryIndex implements WorkspaceIndex {
  /** Paths passed to update(), in call order. */
  readonly updates: string[] = [];

  constructor(
    private readonly paths: () => Iterable<string>,
    private readonly readText: (path: string) => string | undefined,
  ) {}

  files(): readonly string[] {
    return [...this.paths()];
  }

  definitions(name: string): readonly SymbolDefinition[] {
    return this.occurrences(name, Number.MAX_SAFE_INTEGER)
      .filter((occurrence) => DECLARATION_BEFORE.test(this.lineBefore(occurrence)))
      .map((occurrence) => ({
        name,
        kind: 'function',
        path: occurrence.path,
        position: occurrence.position,
        span: { startLine: occurrence.position.line, endLine: occurrence.position.line + 1 },
      }));
  }

  occurrences(name: string, limit: number): readonly SymbolOccurrence[] {
    const found: SymbolOccurrence[] = [];
    for (const path of this.paths()) {
      for (const identifier of identifiersInText(this.readText(path) ?? '')) {
        if (found.length >= limit) return found;
        if (identifier.name === name) found.push({ ...identifier, path });
      }
    }
    return found;
  }

  namesStartingWith(prefix: string, limit: number): readonly NameCount[] {
    const files = new Map<string, number>();
    for (const path of this.paths()) {
      for (const name of new Set(identifiersInText(this.readText(path) ?? '').map((identifier) => identifier.name))) files.set(name, (files.get(name) ?? 0) + 1);
    }
    return namesWithPrefix(files, prefix, limit);
  }

  identifiersIn(path: string): readonly SymbolOccurrence[] {
    return identifiersInText(this.readText(path) ?? '').map((identifier) => ({ ...identifier, path }));
  }

  imports(path: string): readonly ImportInfo[] {
    const text = this.readText(path) ?? '';
    return [...text.matchAll(NAMED_IMPORT)].map((match) => ({
      path,
      module: match[2] as string,
      names: (match[1] as string).split(',').map((name) => name.trim()),
      line: text.slice(0, match.index).split(LINE_BREAK).length - 1,
    }));
  }

  enclosingScope(_path: string, _position: Position): Scope | undefined {
    return undefined;
  }

  async update(path: string): Promise<void> {
    this.updates.push(path);
  }

  remove(): void {}

  private lineBefore(occurrence: SymbolOccurrence): string {
    const line = (this.readText(occurrence.path) ?? '').split(LINE_BREAK)[occurrence.position.line] ?? '';
    return line.slice(0, occurrence.position.character);
  }
}
