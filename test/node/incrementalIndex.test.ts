// Re-indexing after an edit parses incrementally, re-walks only the top-level declarations the
// edit touched and yields to the event loop between time slices. These tests hold it to two
// promises: the facts equal a from-scratch index of the same text, whatever the edits, the
// slicing and the interleaving; and no synchronous stretch of re-indexing a ~500 KB file after an
// edit holds the event loop for long. (The first index of such a file still parses it in one go.)

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/ports';
import { Grammars } from '../../src/node/grammars';
import { assembleFacts, extractSegments, SegmentReuse, textChange, TimeSlice, type FactLimits } from '../../src/node/syntaxFacts';
import { syntaxRules } from '../../src/node/syntaxRules';
import { TreeSitterIndex } from '../../src/node/treeSitterIndex';

const REPO = resolve(__dirname, '..', '..');
const FIXTURES = join(REPO, 'test', 'fixtures', 'index');
/** Longest the event loop may be held while indexing, with headroom for a busy shared machine. */
const MAX_EVENT_LOOP_BLOCK_MS = 100;
const BIG_FILE_CHARS = 500_000;
const EDITS_PER_FILE = 30;
const LIMITS: FactLimits = { maxOccurrences: 20_000, maxDefinitions: 5_000, maxImports: 500, maxScopes: 5_000 };
const silent: Logger = { info: () => undefined, warn: () => undefined };

const grammars = new Grammars({ logger: silent });
afterAll(() => grammars.dispose());

/**
 * Real files of every language; the small fixtures repeated so that they have many top-level
 * nodes. The TypeScript and Python files are frozen copies of this project's own sources: the
 * random edits are seeded by the text, so reading the live files made this test's inputs change
 * with every unrelated edit to them.
 */
const FILES: readonly { path: string; text: string }[] = [
  { path: 'propagation.ts', text: readFileSync(join(FIXTURES, 'propagation.ts.txt'), 'utf8') },
  { path: 'model.py', text: readFileSync(join(FIXTURES, 'model.py.txt'), 'utf8') },
  { path: 'server.go', text: readFileSync(join(FIXTURES, 'server.go'), 'utf8').repeat(4) },
  { path: 'shapes.rs', text: readFileSync(join(FIXTURES, 'shapes.rs'), 'utf8').repeat(4) },
  { path: 'lib.js', text: readFileSync(join(FIXTURES, 'lib.js'), 'utf8').repeat(4) },
  { path: 'widget.tsx', text: readFileSync(join(FIXTURES, 'widget.tsx'), 'utf8').repeat(4) },
];

/** Snippets that change structure far from where they land (comments, strings, braces) as well as near it. */
const SNIPPETS = ['\n', '\n\n', 'x', 'renamed', 'const extra = 1;\n', '{', '}', '(', ')', '/*', '*/', '"', "'", '`', '#', '//', 'def f():\n    pass\n', 'fn g() {}\n', '    '];

/** Deterministic pseudo-random numbers (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomEdit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const removed = next() < 0.4 ? Math.floor(next() * Math.min(200, text.length - at)) : 0;
  const inserted = next() < 0.8 ? (SNIPPETS[Math.floor(next() * SNIPPETS.length)] as string) : '';
  return text.slice(0, at) + inserted + text.slice(at + removed);
}

/** Everything the index answers about one file, through its public queries. */
function snapshot(index: TreeSitterIndex, path: string, text: string) {
  const words = new Set(text.match(/[\p{L}_$][\p{L}\p{N}_$]*/gu) ?? []);
  const lineCount = text.split('\n').length;
  return {
    identifiers: index.identifiersIn(path),
    definitions: [...words].sort().flatMap((word) => index.definitions(word).filter((definition) => definition.path === path)),
    imports: index.imports(path),
    scopes: Array.from({ length: lineCount }, (_, line) => index.enclosingScope(path, { line, character: 0 }) ?? null),
  };
}

async function fromScratch(path: string, text: string) {
  const fresh = new TreeSitterIndex({ grammars, logger: silent });
  await fresh.update(path, text);
  const facts = snapshot(fresh, path, text);
  fresh.dispose();
  return facts;
}

describe('incremental re-indexing', () => {
  for (const { path, text: original } of FILES) {
    it(`equals a from-scratch index after random edits to ${path}`, async () => {
      // The default slice for the bigger files; a slice of 0 pauses the walk at every node.
      const index = new TreeSitterIndex({ grammars, logger: silent, ...(original.length > 5_000 ? {} : { sliceMs: 0 }) });
      const next = random(original.length);
      let text = original;
      await index.update(path, text);
      expect(index.identifiersIn(path).length).toBeGreaterThan(0);
      for (let step = 0; step < EDITS_PER_FILE; step++) {
        const skipped = randomEdit(text, next);
        text = randomEdit(skipped, next);
        if (step % 3 === 0) {
          // An update overtaken by the next one, possibly in the middle of its walk, must leave no trace.
          const overtaken = index.update(path, skipped);
          await new Promise((resolve) => setImmediate(resolve));
          await index.update(path, text);
          await overtaken;
        } else {
          await index.update(path, text);
        }
        expect(snapshot(index, path, text), `${path} after edit ${step}`).toEqual(await fromScratch(path, text));
      }
      index.dispose();
    });
  }

  it('keeps files apart when their updates interleave and their trees are evicted mid-update', async () => {
    const index = new TreeSitterIndex({ grammars, logger: silent, sliceMs: 0, maxRetainedTrees: 2 });
    const texts = new Map(FILES.map(({ path, text }) => [path, text]));
    const next = random(7);
    for (let round = 0; round < 4; round++) {
      for (const [path, text] of texts) texts.set(path, randomEdit(text, next));
      await Promise.all([...texts].map(([path, text]) => index.update(path, text)));
    }
    for (const [path, text] of texts) expect(snapshot(index, path, text), path).toEqual(await fromScratch(path, text));
    index.dispose();
  });

  it('stops an update in the middle of its walk when aborted or disposed, keeping the facts it had', async () => {
    const { path, text } = FILES[0] as { path: string; text: string };
    const index = new TreeSitterIndex({ grammars, logger: silent, sliceMs: 0 });
    await index.update(path, text);
    const before = snapshot(index, path, text);
    const controller = new AbortController();
    const aborted = index.update(path, `const added = 1;\n${text}`, controller.signal);
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await aborted;
    expect(snapshot(index, path, text)).toEqual(before);

    const disposedMidWalk = index.update('other.ts', text);
    await new Promise((resolve) => setImmediate(resolve));
    index.dispose();
    await disposedMidWalk;
    expect(index.files()).toEqual([path]);
  });

  it('re-walks only the declarations an edit touches and keeps the facts of the others', async () => {
    const text = (FILES[0] as { text: string }).text;
    const parser = await grammars.parser('typescript');
    if (!parser) throw new Error('the typescript grammar did not load');
    const rules = syntaxRules('typescript');
    const slice = new TimeSlice(Number.MAX_SAFE_INTEGER, () => false);
    const tree = parser.parse(text);
    if (!tree) throw new Error('no tree');
    const before = await extractSegments(tree, text, 'p.ts', rules, LIMITS, slice, undefined);
    if (!before) throw new Error('cancelled');

    const middle = text.indexOf('\n', text.length / 2) + 1;
    for (const inserted of ['const added = 1;\n', '/*']) {
      const edited = text.slice(0, middle) + inserted + text.slice(middle);
      const change = textChange(text, edited);
      const oldTree = tree.copy();
      oldTree.edit(change);
      const newTree = parser.parse(edited, oldTree);
      if (!newTree) throw new Error('no tree');
      const reuse = new SegmentReuse(before, change, oldTree.getChangedRanges(newTree));
      const after = await extractSegments(newTree, edited, 'p.ts', rules, LIMITS, slice, reuse);
      const freshTree = parser.parse(edited);
      if (!after || !freshTree) throw new Error('cancelled');
      const fresh = await extractSegments(freshTree, edited, 'p.ts', rules, LIMITS, slice, undefined);
      if (!fresh) throw new Error('cancelled');

      const oldFacts = new Set(before.children.map((segment) => segment.facts));
      const kept = after.children.filter((segment) => oldFacts.has(segment.facts)).length;
      // A plain statement disturbs at most the declaration it lands in; an opened comment sends error
      // recovery through the whole file, and tree-sitter reports the whole file as changed.
      if (inserted === '/*') expect(kept).toBeLessThan(after.children.length - 1);
      else expect(kept).toBeGreaterThanOrEqual(after.children.length - 1);
      expect(await assembleFacts(after, LIMITS, slice)).toEqual(await assembleFacts(fresh, LIMITS, slice));
      for (const made of [oldTree, newTree, freshTree]) made.delete();
    }
    tree.delete();
  });
});

/** Real TypeScript from this repository, repeated up to `chars` and cut at a line break. */
function bigTypeScript(chars: number): string {
  const sources: string[] = [];
  const collect = (directory: string): void => {
    for (const name of readdirSync(directory).sort()) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) collect(path);
      else if (name.endsWith('.ts')) sources.push(readFileSync(path, 'utf8'));
    }
  };
  collect(join(REPO, 'src'));
  const all = sources.join('\n');
  let text = all;
  while (text.length < chars) text += `\n${all}`;
  return text.slice(0, text.indexOf('\n', chars) + 1);
}

/** The longest stretch the event loop was held while `work` ran, timed by a chain of setImmediate ticks. */
async function longestEventLoopBlockMs(work: () => Promise<void>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  let running = true;
  const tick = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  running = false;
  return Math.max(longest, performance.now() - last);
}

describe('indexing a large file', () => {
  it(`re-indexes after an edit walking only what changed, never holding the event loop ${MAX_EVENT_LOOP_BLOCK_MS} ms`, async () => {
    const index = new TreeSitterIndex({ grammars, logger: silent });
    let text = `export function firstDeclaration(): void {}\n${bigTypeScript(BIG_FILE_CHARS)}`;
    expect(text.length).toBeGreaterThanOrEqual(BIG_FILE_CHARS);
    const blocks: Record<string, number> = {};
    await index.update('big.ts', text);
    expect(index.identifiersIn('big.ts').length).toBeGreaterThan(1_000);
    const untouched = index.definitions('firstDeclaration')[0];
    for (const fraction of [0.1, 0.5, 0.9]) {
      const at = text.indexOf('\n', Math.floor(text.length * fraction)) + 1;
      text = `${text.slice(0, at)}export const insertedAt${fraction * 10} = 1;\n${text.slice(at)}`;
      blocks[`edit at ${fraction}`] = await longestEventLoopBlockMs(() => index.update('big.ts', text));
      // The declaration before the edit was not walked again: its facts are the very same objects.
      expect(index.definitions('firstDeclaration')[0]).toBe(untouched);
    }
    for (const [when, blockMs] of Object.entries(blocks)) expect(blockMs, `longest block, ${when}`).toBeLessThan(MAX_EVENT_LOOP_BLOCK_MS);
    // The file is past the per-file limits: the facts kept after the edits are still the first ones, as from scratch.
    expect(snapshot(index, 'big.ts', text)).toEqual(await fromScratch('big.ts', text));
    index.dispose();
  });
});
