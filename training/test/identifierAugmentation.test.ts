import { describe, it, expect } from 'vitest';
import { renameIdentifiers, renamingVocabulary } from '../data/identifierAugmentation';
import { Rng, type Example } from '../data/documents';
import type { RecordedEdit } from '../../src/core/types';

// Replacement names: each occurs at least MIN_POOL_COUNT times; "length" is common enough to keep.
const corpus = [
  'function loadAccount(accountStore) { return accountStore.length; }',
  'const loadAccount = accountStore => accountStore.length;',
  'loadAccount(accountStore); accountStore.length; ResultPage; ResultPage; ResultPage; MAX_ITEMS; MAX_ITEMS; MAX_ITEMS',
  'renderWidget renderWidget renderWidget widgetTree widgetTree widgetTree length length length length length',
];

function edit(beforeText: string, afterText: string): RecordedEdit {
  return {
    path: 'a.ts',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: beforeText.length } },
    removedText: beforeText,
    insertedText: afterText,
    hunk: { path: 'a.ts', startLine: 0, beforeText, afterText },
    timestampMs: 0,
  };
}

const renameExample: Example = {
  kind: 'rename',
  source: 'pkg',
  history: [edit('function fetchUser(userId) {', 'function getUser(userId) {')],
  snippets: [{ path: 'b.ts', startLine: 0, endLine: 1, text: 'import { fetchUser } from "./a";', reason: { kind: 'usage', symbol: 'fetchUser' }, score: 1 }],
  window: { path: 'a.ts', startLine: 4, lines: ['const user = fetchUser(userId);', 'return user.length;'] },
  newLines: ['const user = getUser(userId);', 'return user.length;'],
};

const mappingOf = (before: string, after: string): Map<string, string> => {
  const words = (text: string) => text.match(/[A-Za-z_$][\w$]*/g) ?? [];
  return new Map(words(before).map((word, index) => [word, words(after)[index]!]));
};

describe('identifier renaming', () => {
  // Only the most frequent name (length) counts as common in this small corpus.
  const vocabulary = renamingVocabulary(corpus, 1);

  it('renames each name the same way everywhere the example shows it', () => {
    const renamed = renameIdentifiers(renameExample, vocabulary, new Rng(3), 1);
    expect(renamed).not.toEqual(renameExample);
    const mapping = mappingOf(renameExample.window.lines.join('\n'), renamed.window.lines.join('\n'));
    for (const name of ['fetchUser', 'userId']) expect(mapping.get(name)).not.toBe(name);
    // Keywords and the corpus's common names stay.
    expect(mapping.get('const')).toBe('const');
    expect(mapping.get('length')).toBe('length');
    const newName = mappingOf(renameExample.newLines!.join('\n'), renamed.newLines!.join('\n')).get('getUser');
    expect(renamed.history[0]!.hunk.afterText).toBe(`function ${newName}(${mapping.get('userId')}) {`);
    expect(renamed.history[0]!.hunk.beforeText).toBe(`function ${mapping.get('fetchUser')}(${mapping.get('userId')}) {`);
    expect(renamed.history[0]!.insertedText).toBe(renamed.history[0]!.hunk.afterText);
    expect(renamed.snippets[0]!.text).toBe(`import { ${mapping.get('fetchUser')} } from "./a";`);
    // Distinct names stay distinct, and never take a name the example already uses.
    expect(new Set([mapping.get('fetchUser'), newName, mapping.get('userId'), mapping.get('user')]).size).toBe(4);
  });

  it('keeps the shape of a name', () => {
    const example: Example = { ...renameExample, history: [], snippets: [], window: { path: 'a.ts', startLine: 0, lines: ['new UserPage(LIMIT_COUNT)'] }, newLines: null };
    const line = renameIdentifiers(example, vocabulary, new Rng(5), 1).window.lines[0]!;
    expect(line).toMatch(/^new [A-Z][a-zA-Z]*\([A-Z_]+\)$/);
    expect(line).not.toBe('new UserPage(LIMIT_COUNT)');
  });

  it('keeps the word the cursor is in, and moves the cursor with the renamed text before it', () => {
    const typing: Example = {
      kind: 'complete_line',
      source: 'pkg',
      history: [],
      snippets: [],
      window: { path: 'a.ts', startLine: 0, lines: ['const total = compute(items, counterTo'], cursor: { line: 0, character: 38 } },
      newLines: ['const total = compute(items, counterTotal);'],
    };
    const renamed = renameIdentifiers(typing, vocabulary, new Rng(1), 1);
    const line = renamed.window.lines[0]!;
    const target = renamed.newLines![0]!;
    expect(line.endsWith(', counterTo')).toBe(true);
    expect(renamed.window.cursor!.character).toBe(line.length);
    // The typed text still begins the target line: the completion stays a completion.
    expect(target.startsWith(line)).toBe(true);
    expect(target.endsWith('counterTotal);')).toBe(true);
    expect(line).not.toContain('compute(items');
  });

  it('leaves the example alone at share 0', () => {
    expect(renameIdentifiers(renameExample, vocabulary, new Rng(3), 0)).toBe(renameExample);
  });
});
