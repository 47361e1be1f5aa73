import { describe, expect, it } from 'vitest';
import type { Scope, SymbolDefinition, SymbolKind, SymbolOccurrence } from '../../src/core/ports';
import { changedSymbols, isSecretPath, type RetrievalIndex, Retriever } from '../../src/core/retrieval';
import { identifiersInText, symbolAt } from '../../src/core/symbols';
import { estimateTokens, jaccardSimilarity, linesWithinTokens } from '../../src/core/tokens';
import type { Cursor, RecordedEdit, Snippet } from '../../src/core/types';

/** A small in-memory index: occurrences come from the regex scanner, definitions are declared. */
class FakeIndex implements RetrievalIndex {
  private readonly declared: SymbolDefinition[] = [];
  private readonly scopes: Scope[] = [];

  constructor(private readonly texts: ReadonlyMap<string, string>) {}

  define(path: string, name: string, kind: SymbolKind, startLine: number, endLine: number): this {
    const line = (this.texts.get(path) ?? '').split('\n')[startLine] ?? '';
    this.declared.push({ name, kind, path, position: { line: startLine, character: Math.max(0, line.indexOf(name)) }, span: { startLine, endLine } });
    if (kind === 'function' || kind === 'method' || kind === 'class') this.scopes.push({ path, name, kind, startLine, endLine });
    return this;
  }

  definitions(name: string): readonly SymbolDefinition[] {
    return this.declared.filter((definition) => definition.name === name);
  }

  occurrences(name: string, limit: number): readonly SymbolOccurrence[] {
    const found: SymbolOccurrence[] = [];
    for (const [path, text] of this.texts) {
      for (const identifier of identifiersInText(text)) if (identifier.name === name) found.push({ ...identifier, path });
    }
    return found.slice(0, limit);
  }

  enclosingScope(path: string, position: { line: number }): Scope | undefined {
    return this.scopes.filter((scope) => scope.path === path && scope.startLine <= position.line && position.line < scope.endLine).at(-1);
  }
}

function lines(count: number, make: (line: number) => string): string {
  return Array.from({ length: count }, (_, line) => make(line)).join('\n');
}

const CART = lines(50, (line) =>
  line === 20 ? '  const sum = computeTotal(order.items, taxRate);' : line === 35 ? '  const label = formatPrice(order.total);' : `  // cart line ${line}`,
);
const TEXTS = new Map<string, string>([
  ['src/cart.ts', CART],
  [
    'src/math.ts',
    [
      'export function computeTotal(items: Item[], rate: number): number {',
      '  let total = 0;',
      '  for (const item of items) total += item.price;',
      '  return total * (1 + rate);',
      '}',
      '',
      'export class Money {',
      '  amount = 0;',
      '  add(value: number) { this.amount += value; }',
      '}',
    ].join('\n'),
  ],
  ['src/report.ts', lines(12, (line) => (line === 5 ? '  const shown = formatCost(report.total);' : `// report line ${line}`))],
  ['src/invoice.ts', lines(12, (line) => (line === 8 ? '  const label = formatPrice(invoice.total);' : line === 9 ? '  print(label, order);' : `// invoice line ${line}`))],
  ['src/shipping.ts', lines(12, (line) => (line === 4 ? '  const label = describe(order.total);' : `// shipping line ${line}`))],
  ['.env', 'computeTotal=secret\nformatCost=secret'],
]);

// The latest edit renamed `formatCost` to `formatPrice` on cart line 35.
const RENAME: RecordedEdit = {
  path: 'src/cart.ts',
  range: { start: { line: 35, character: 16 }, end: { line: 35, character: 26 } },
  removedText: 'formatCost',
  insertedText: 'formatPrice',
  hunk: { path: 'src/cart.ts', startLine: 35, beforeText: '  const label = formatCost(order.total);', afterText: '  const label = formatPrice(order.total);' },
  timestampMs: 1_000,
};
const CURSOR: Cursor = { path: 'src/cart.ts', position: { line: 20, character: 20 } };

function fixture() {
  const index = new FakeIndex(TEXTS)
    .define('src/math.ts', 'computeTotal', 'function', 0, 5)
    .define('src/math.ts', 'total', 'variable', 1, 2)
    .define('src/math.ts', 'Money', 'class', 6, 10)
    .define('src/math.ts', 'add', 'method', 8, 9)
    .define('.env', 'computeTotal', 'variable', 0, 1);
  const reads: string[] = [];
  const readText = (path: string) => {
    reads.push(path);
    return TEXTS.get(path);
  };
  return { index, reads, readText };
}

function run(options: Partial<ConstructorParameters<typeof Retriever>[0]> = {}, history: readonly RecordedEdit[] = [RENAME], cursor = CURSOR): { snippets: Snippet[]; reads: string[] } {
  const { index, reads, readText } = fixture();
  const retriever = new Retriever({ index, readText, ...options });
  return { snippets: retriever.retrieve({ cursor, history }, new AbortController().signal), reads };
}

describe('Retriever', () => {
  it('puts the definition of the symbol at the cursor first, then usages, then similar code', () => {
    const { snippets } = run({ maxSnippetTokens: 2_000 });
    expect(snippets[0]).toMatchObject({ path: 'src/math.ts', startLine: 0, endLine: 5, reason: { kind: 'definition', symbol: 'computeTotal' }, score: 1 });
    expect(snippets[0]?.text.startsWith('export function computeTotal(')).toBe(true);
    const usage = snippets.find((snippet) => snippet.reason.kind === 'usage' && snippet.path === 'src/report.ts');
    expect(usage).toMatchObject({ reason: { kind: 'usage', symbol: 'formatCost' }, startLine: 3, endLine: 8 });
    expect(usage?.text).toContain('formatCost(report.total)');
    const similar = snippets.find((snippet) => snippet.reason.kind === 'similar');
    expect(similar?.path).toBe('src/shipping.ts');
    expect(similar?.text).toContain('describe(order.total)');
    // invoice.ts is similar too, but its lines already came back as a usage of the new name.
    expect(snippets.filter((snippet) => snippet.path === 'src/invoice.ts').map((snippet) => snippet.reason)).toEqual([{ kind: 'usage', symbol: 'formatPrice' }]);
    const kinds = snippets.map((snippet) => snippet.reason.kind);
    expect(kinds.lastIndexOf('definition')).toBeLessThan(kinds.indexOf('usage'));
    expect(kinds.lastIndexOf('usage')).toBeLessThan(kinds.indexOf('similar'));
    const scores = snippets.map((snippet) => snippet.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('snippet text is exactly the file lines it names', () => {
    for (const snippet of run({ maxSnippetTokens: 2_000 }).snippets) {
      expect(snippet.text).toBe((TEXTS.get(snippet.path) ?? '').split('\n').slice(snippet.startLine, snippet.endLine).join('\n'));
    }
  });

  it('respects the token budget and the snippet count', () => {
    const generous = run({ maxSnippetTokens: 2_000 }).snippets;
    expect(generous.length).toBeGreaterThan(2);
    const tight = run({ maxSnippetTokens: 40 }).snippets;
    expect(tight.length).toBeGreaterThan(0);
    expect(tight.reduce((sum, snippet) => sum + estimateTokens(snippet.text), 0)).toBeLessThanOrEqual(40);
    expect(run({ maxSnippetTokens: 2_000, maxSnippets: 2 }).snippets).toHaveLength(2);
    expect(run({ maxSnippetTokens: 2_000, maxLinesPerSnippet: 2 }).snippets.every((snippet) => snippet.endLine - snippet.startLine <= 2)).toBe(true);
  });

  it('never includes the editable region around the cursor', () => {
    // Cursor on line 35: its own edit and neighbours must not come back as context.
    const { snippets } = run({ maxSnippetTokens: 2_000 }, [RENAME], { path: 'src/cart.ts', position: { line: 35, character: 20 } });
    for (const snippet of snippets.filter((candidate) => candidate.path === 'src/cart.ts')) {
      expect(snippet.endLine <= 25 || snippet.startLine > 45).toBe(true);
    }
  });

  it('merges overlapping snippets so that no line appears twice', () => {
    // Cursor on `add` inside Money: both definitions overlap in math.ts.
    const cursorFile = 'src/math.ts';
    const { snippets } = run({ maxSnippetTokens: 2_000, editableRadiusLines: 0 }, [], { path: cursorFile, position: { line: 0, character: 20 } });
    const lineOwners = new Map<string, number>();
    for (const snippet of snippets) {
      for (let line = snippet.startLine; line < snippet.endLine; line++) {
        const key = `${snippet.path}:${line}`;
        lineOwners.set(key, (lineOwners.get(key) ?? 0) + 1);
      }
    }
    expect([...lineOwners.values()].every((count) => count === 1)).toBe(true);
  });

  it('never reads or returns secret-looking files', () => {
    const { snippets, reads } = run({ maxSnippetTokens: 2_000 });
    expect(snippets.some((snippet) => isSecretPath(snippet.path))).toBe(false);
    expect(reads).not.toContain('.env');
  });

  it('is deterministic and silent when aborted', () => {
    expect(run({ maxSnippetTokens: 2_000 })).toEqual(run({ maxSnippetTokens: 2_000 }));
    const { index, readText } = fixture();
    const controller = new AbortController();
    controller.abort();
    expect(new Retriever({ index, readText }).retrieve({ cursor: CURSOR, history: [RENAME] }, controller.signal)).toEqual([]);
  });

  it('works without history and without any text', () => {
    const { index } = fixture();
    expect(new Retriever({ index, readText: () => undefined }).retrieve({ cursor: CURSOR, history: [] }, new AbortController().signal)).toEqual([]);
  });

  it('rejects bad options at construction', () => {
    const { index, readText } = fixture();
    expect(() => new Retriever({ index, readText, maxSnippetTokens: 0 })).toThrow(TypeError);
    expect(() => new Retriever({ index, readText, maxSnippets: 1.5 })).toThrow(TypeError);
    expect(() => new Retriever({ index, readText: undefined as never })).toThrow(TypeError);
  });
});

describe('changedSymbols', () => {
  it('lists the renamed-away name first, then the callee, then new names', () => {
    expect(changedSymbols([RENAME], new FakeIndex(TEXTS))).toEqual(['formatCost', 'formatPrice']);
  });

  it('includes the function whose signature an edit touched', () => {
    const edit: RecordedEdit = {
      ...RENAME,
      path: 'src/math.ts',
      hunk: { path: 'src/math.ts', startLine: 0, beforeText: 'export function computeTotal(items: Item[]): number {', afterText: 'export function computeTotal(items: Item[], rate: number): number {' },
    };
    const index = new FakeIndex(TEXTS).define('src/math.ts', 'computeTotal', 'function', 0, 5);
    expect(changedSymbols([edit], index)).toEqual(['computeTotal', 'rate']);
  });
});

describe('symbols and tokens', () => {
  it('finds identifiers with UTF-16 positions, skipping keywords', () => {
    expect(identifiersInText('const café = "😀"; return café;\nif (x) y')).toEqual([
      { name: 'café', position: { line: 0, character: 6 }, length: 4 },
      { name: 'café', position: { line: 0, character: 26 }, length: 4 },
      { name: 'x', position: { line: 1, character: 4 }, length: 1 },
      { name: 'y', position: { line: 1, character: 7 }, length: 1 },
    ]);
  });

  it('finds the symbol under or just before the cursor', () => {
    expect(symbolAt('  total += item.price;', 4)).toEqual({ name: 'total', start: 2, end: 7 });
    expect(symbolAt('  total += item.price;', 7)).toEqual({ name: 'total', start: 2, end: 7 });
    expect(symbolAt('  total += item.price;', 9)).toBeUndefined();
    expect(symbolAt('  return x', 4)).toBeUndefined();
    expect(symbolAt('abc', 10)).toBeUndefined();
  });

  it('estimates tokens and similarity deterministically', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcdefg')).toBe(2);
    expect(linesWithinTokens(['1234567', '1234567', '1234567'], 5)).toBe(2);
    expect(jaccardSimilarity(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
    expect(jaccardSimilarity(new Set(), new Set())).toBe(0);
  });
});
