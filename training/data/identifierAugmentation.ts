// Identifier renaming for training examples. Every package yields thousands of examples from the
// same few files, so a small model learns to recall that package's names instead of copying
// them from the prompt: on held-out packages its loss on target tokens that ARE in the prompt
// was 5.96 nats against 2.81 on training packages (session 3 diagnosis). Renaming a package's
// own identifiers consistently, per example, to names drawn from other packages makes recall
// useless and copying from the history, snippets and window the only way to predict them.

import type { RecordedEdit, Snippet } from '../../src/core/types';
import type { EditWindow } from '../../src/core/ports';
import type { Example, Rng } from './documents';

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
const WORD_BEFORE_CURSOR = /[\w$]*$/;
const WORD_AFTER_CURSOR = /^[\w$]*/;
/** Names this short are loop variables and the like: renaming them teaches nothing. */
export const MIN_RENAMED_CHARS = 3;
/** The corpus's most frequent names are the language's vocabulary (length, push, value): kept. */
export const KEPT_COMMON_NAMES = 400;
/** A name must occur this often in the corpus to serve as a replacement. */
export const MIN_POOL_COUNT = 3;

const KEYWORDS = new Set(
  (
    'abstract any as async await boolean break case catch class const constructor continue debugger declare default delete do else enum export ' +
    'extends false finally for from function get if implements import in infer instanceof interface is keyof let module namespace never new null ' +
    'number object of package private protected public readonly require return set static string super switch symbol this throw true try type ' +
    'typeof undefined unique unknown var void while with yield and assert def del elif except global lambda nonlocal not or pass raise None True ' +
    'False self cls print len range str int float dict list tuple bool'
  ).split(' '),
);

/** Names to keep and names to draw replacements from, built from the training corpus only. */
export interface RenamingVocabulary {
  readonly kept: ReadonlySet<string>;
  /** Replacement names by shape, so a class stays PascalCase and a constant UPPER_CASE. */
  readonly poolByShape: ReadonlyMap<string, readonly string[]>;
}

export function renamingVocabulary(texts: Iterable<string>, keptCommonNames = KEPT_COMMON_NAMES): RenamingVocabulary {
  const counts = new Map<string, number>();
  for (const text of texts) for (const name of text.match(IDENTIFIER) ?? []) counts.set(name, (counts.get(name) ?? 0) + 1);
  const byFrequency = [...counts.entries()].sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1));
  const kept = new Set([...KEYWORDS, ...byFrequency.slice(0, keptCommonNames).map(([name]) => name)]);
  const poolByShape = new Map<string, string[]>();
  for (const [name, count] of byFrequency) {
    if (count < MIN_POOL_COUNT || kept.has(name) || name.length < MIN_RENAMED_CHARS) continue;
    const shape = nameShape(name);
    poolByShape.set(shape, [...(poolByShape.get(shape) ?? []), name]);
  }
  return { kept, poolByShape };
}

function nameShape(name: string): string {
  if (/^[A-Z0-9_$]+$/.test(name)) return 'constant';
  return /^[A-Z]/.test(name) ? 'pascal' : 'lower';
}

/**
 * The example with a share of its own identifiers renamed consistently everywhere it shows
 * them: history hunks, snippets, window and target. Names the cursor is inside are kept, so a
 * half-typed word still begins its completion.
 */
export function renameIdentifiers(example: Example, vocabulary: RenamingVocabulary, rng: Rng, share: number): Example {
  const { window } = example;
  const texts = [
    ...example.history.flatMap((edit) => [edit.hunk.beforeText, edit.hunk.afterText]),
    ...example.snippets.map((snippet) => snippet.text),
    ...window.lines,
    ...(example.newLines ?? []),
  ];
  const present = new Set(texts.flatMap((text) => text.match(IDENTIFIER) ?? []));
  const cursor = cursorWords(window);
  const typedWord = cursor?.typed ?? '';
  const followingWord = cursor?.following ?? '';
  const mapping = new Map<string, string>();
  const used = new Set(present);
  for (const name of [...present].sort()) {
    if (name.length < MIN_RENAMED_CHARS || vocabulary.kept.has(name) || !rng.chance(share)) continue;
    if ((typedWord !== '' && name.startsWith(typedWord)) || (followingWord !== '' && name.endsWith(followingWord))) continue;
    const pool = vocabulary.poolByShape.get(nameShape(name)) ?? [];
    for (let attempt = 0; attempt < 8 && pool.length > 0; attempt++) {
      const replacement = pool[rng.int(pool.length)]!;
      if (!used.has(replacement)) {
        mapping.set(name, replacement);
        used.add(replacement);
        break;
      }
    }
  }
  if (mapping.size === 0) return example;
  const rename = (text: string): string => text.replace(IDENTIFIER, (name) => mapping.get(name) ?? name);
  const renamedWindow = renameWindow(window, rename, cursor);
  return {
    ...example,
    history: example.history.map((edit): RecordedEdit => ({
      ...edit,
      removedText: rename(edit.removedText),
      insertedText: rename(edit.insertedText),
      hunk: { ...edit.hunk, beforeText: rename(edit.hunk.beforeText), afterText: rename(edit.hunk.afterText) },
    })),
    snippets: example.snippets.map((snippet): Snippet => ({ ...snippet, text: rename(snippet.text) })),
    window: renamedWindow,
    newLines: example.newLines === null ? null : example.newLines.map(rename),
  };
}

/** The cursor's line split at the cursor, with the word parts that touch it on either side. */
interface CursorWords {
  readonly slot: number;
  readonly before: string;
  readonly after: string;
  /** The word run ending at the cursor (maybe half typed). */
  readonly typed: string;
  /** The word run starting at the cursor. */
  readonly following: string;
}

function cursorWords(window: EditWindow): CursorWords | undefined {
  if (!window.cursor) return undefined;
  const slot = window.cursor.line - window.startLine;
  const line = window.lines[slot];
  if (line === undefined) return undefined;
  const before = line.slice(0, window.cursor.character);
  const after = line.slice(window.cursor.character);
  return { slot, before, after, typed: WORD_BEFORE_CURSOR.exec(before)?.[0] ?? '', following: WORD_AFTER_CURSOR.exec(after)?.[0] ?? '' };
}

/** Renames the window's lines; the cursor's line is renamed on each side of the cursor. */
function renameWindow(window: EditWindow, rename: (text: string) => string, cursor: CursorWords | undefined): EditWindow {
  if (!cursor || !window.cursor) return { ...window, lines: window.lines.map(rename) };
  // A word the cursor splits stays whole: only the parts away from the cursor are renamed.
  const renamedBefore = rename(cursor.before.slice(0, cursor.before.length - cursor.typed.length)) + cursor.typed;
  const renamedAfter = cursor.following + rename(cursor.after.slice(cursor.following.length));
  return {
    ...window,
    lines: window.lines.map((line, index) => (index === cursor.slot ? renamedBefore + renamedAfter : rename(line))),
    cursor: { line: window.cursor.line, character: renamedBefore.length },
  };
}
