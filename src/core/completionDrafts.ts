// Completion drafts: while the user types, ways the typed line could go on that the code already
// shows. A small model writes free text poorly but judges offered text well, so the engine finds
// candidates (the identifier the half-typed word could become, the rest of a line that starts
// like the typed one) and the model scores each next to its own answer (models/FORMAT.md,
// "Completion drafts"). A draft is the text to insert at the cursor.

import type { EditWindow, NameCount, WorkspaceIndex } from './ports';
import type { RecordedEdit, Snippet } from './types';
import { isIdentifierCharacter, isKeyword } from './symbols';
import { escapeRegExp, splitLines } from './text';
import { typedLineOf, type TypedLine } from './typedLine';

/** Drafts offered per typed line: each costs the model one short forward pass. */
export const MAX_COMPLETION_DRAFTS = 4;
/** Of those, at most this many from each kind, so one kind cannot crowd out the other. */
export const MAX_DRAFTS_PER_KIND = 2;
/** A draft longer than this is not a completion the model could vouch for in one pass. */
export const MAX_DRAFT_CHARS = 160;
/** Lines searched for continuations, at most: the window's document and the context first. */
export const MAX_SEARCHED_LINES = 20_000;
/** A mid-line tail of the typed text must be this long to match elsewhere by itself. */
export const MIN_MATCHED_TAIL_CHARS = 6;
/** Workspace names asked of the index per half-typed word. */
export const MAX_WORKSPACE_NAMES = 64;
/**
 * Matches counted in the searched lines (continuations of the typed line, words that complete the
 * half-typed one), nearest first: enough to rank a neighbourhood's habits, and a bound on the
 * work a short prefix in a long file would otherwise cost per keystroke.
 */
export const MAX_NEARBY_MATCHES = 256;

export interface DraftSources {
  readonly typedLine: TypedLine;
  /** Text to search, most relevant first: the document (without the typed line), snippets, history. */
  readonly lines: readonly string[];
  /** Workspace names that start with a prefix, when an index is there. */
  readonly namesStartingWith?: (prefix: string, limit: number) => readonly NameCount[];
}

/** Up to MAX_COMPLETION_DRAFTS insertions at the cursor, best first, none empty, none repeated. */
export function completionDrafts(sources: DraftSources): string[] {
  const byLine = lineDrafts(sources.typedLine, sources.lines);
  const byName = identifierDrafts(sources.typedLine, sources.lines, sources.namesStartingWith);
  const drafts: string[] = [];
  const add = (draft: string): void => {
    if (draft !== '' && draft.length <= MAX_DRAFT_CHARS && !drafts.includes(draft) && drafts.length < MAX_COMPLETION_DRAFTS) drafts.push(draft);
  };
  for (let index = 0; index < MAX_DRAFTS_PER_KIND; index++) {
    if (byLine[index] !== undefined) add(byLine[index]!);
    if (byName[index] !== undefined) add(byName[index]!);
  }
  for (const draft of [...byLine, ...byName]) add(draft);
  return drafts;
}

/**
 * The rest of lines that go on from what was typed: first lines that start like the typed line
 * (indentation aside), else lines holding its longest tail that starts at a word boundary.
 * Ranked by how often each continuation occurs.
 */
export function lineDrafts(typedLine: TypedLine, lines: readonly string[]): string[] {
  const typed = typedLine.prefix.trimStart();
  if (typed === '') return [];
  const tails = typedTails(typed);
  // Each tail ends with the shortest one, so only lines holding that can hold any: one pass over
  // the searched lines instead of one per tail (a long typed line has dozens of tails).
  const shortest = tails[tails.length - 1]!;
  const candidates = (lines.length > MAX_SEARCHED_LINES ? lines.slice(0, MAX_SEARCHED_LINES) : lines).filter((line) => line.includes(shortest));
  for (const tail of tails) {
    const counts = new Map<string, number>();
    let matches = 0;
    for (const line of candidates) {
      // Nearest first, as in identifierDrafts: the first matches are the neighbourhood's.
      if (matches >= MAX_NEARBY_MATCHES) break;
      const at = tail === typed ? (line.trimStart().startsWith(typed) ? line.length - line.trimStart().length : -1) : line.indexOf(tail);
      if (at < 0) continue;
      const draft = draftFromContinuation(line.slice(at + tail.length).trimEnd(), typedLine.suffix);
      if (draft === undefined) continue;
      counts.set(draft, (counts.get(draft) ?? 0) + 1);
      matches++;
    }
    if (counts.size > 0) return ranked(counts);
  }
  return [];
}

/** The whole typed text, then its tails from word boundaries, longest first. */
function typedTails(typed: string): string[] {
  const tails = [typed];
  for (let index = 1; index < typed.length; index++) {
    const tail = typed.slice(index);
    if (tail.length < MIN_MATCHED_TAIL_CHARS) break;
    if (startsToken(typed, index)) tails.push(tail);
  }
  return tails;
}

function startsToken(text: string, index: number): boolean {
  const before = text[index - 1]!;
  const here = text[index]!;
  if (/\s/.test(here)) return false;
  return /\s/.test(before) || isIdentifierCharacter(before) !== isIdentifierCharacter(here);
}

/**
 * What to insert so that the typed line ends like the line found: the continuation less the
 * text already after the cursor; or, when the text after the cursor is something else (a new
 * line typed in front of old code), the continuation and a line break before that text.
 */
function draftFromContinuation(continuation: string, suffix: string): string | undefined {
  if (continuation === '') return undefined;
  if (suffix.trim() === '') return continuation;
  if (continuation.endsWith(suffix)) return continuation.length > suffix.length ? continuation.slice(0, -suffix.length) : undefined;
  return `${continuation}\n`;
}

/**
 * The identifiers the half-typed word before the cursor could become, keeping the word
 * characters after the cursor as their ending. Names in the searched lines rank above names
 * found only elsewhere in the workspace.
 */
export function identifierDrafts(
  typedLine: TypedLine,
  lines: readonly string[],
  namesStartingWith?: (prefix: string, limit: number) => readonly NameCount[],
): string[] {
  const start = wordStart(typedLine.prefix);
  const head = typedLine.prefix.slice(start);
  if (head === '' || !/^[\p{ID_Start}_$]/u.test(head)) return [];
  const tail = typedLine.suffix.slice(0, wordEnd(typedLine.suffix));
  const counts = new Map<string, number>();
  const consider = (name: string, weight: number): void => {
    if (name.length <= head.length + tail.length || !name.startsWith(head) || !name.endsWith(tail) || isKeyword(name)) return;
    const draft = name.slice(head.length, name.length - tail.length);
    counts.set(draft, (counts.get(draft) ?? 0) + weight);
  };
  const nearby = new RegExp(`(?<![\\p{ID_Continue}$])${escapeRegExp(head)}[\\p{ID_Continue}$\\u200c\\u200d]*`, 'gu');
  const searched = lines.length > MAX_SEARCHED_LINES ? lines.slice(0, MAX_SEARCHED_LINES) : lines;
  // A name written near the cursor beats any number of files that use another one.
  let matches = 0;
  for (const line of searched) {
    if (matches >= MAX_NEARBY_MATCHES) break;
    // A plain substring test first: the regular expression is ten times slower per line.
    if (!line.includes(head)) continue;
    for (const match of line.matchAll(nearby)) {
      consider(match[0], NEARBY_WEIGHT);
      matches++;
    }
  }
  for (const { name, files } of namesStartingWith?.(head, MAX_WORKSPACE_NAMES) ?? []) consider(name, Math.min(files, NEARBY_WEIGHT - 1));
  return ranked(counts);
}

const NEARBY_WEIGHT = 1_000;

function wordStart(text: string): number {
  let index = text.length;
  while (index > 0 && isIdentifierCharacter(text[index - 1]!)) index--;
  return index;
}

function wordEnd(text: string): number {
  let index = 0;
  while (index < text.length && isIdentifierCharacter(text[index]!)) index++;
  return index;
}

/** Most counted first; ties keep first-seen order, which is the order of relevance. */
function ranked(counts: ReadonlyMap<string, number>): string[] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([draft]) => draft);
}

/**
 * The names longer than `prefix` that start with it, most files first (then by name, so the
 * answer does not depend on insertion order), at most `limit`. For WorkspaceIndex implementations.
 */
export function namesWithPrefix(fileCounts: Iterable<readonly [string, number]>, prefix: string, limit: number): NameCount[] {
  if (prefix === '' || !(limit > 0)) return [];
  const before = (a: NameCount, b: NameCount): boolean => a.files > b.files || (a.files === b.files && a.name < b.name);
  // The best `limit` kept in order as they come: a short prefix matches thousands of names in a
  // large workspace, and the existence check asks for one.
  const found: NameCount[] = [];
  for (const [name, files] of fileCounts) {
    if (name.length <= prefix.length || !name.startsWith(prefix)) continue;
    const candidate = { name, files };
    if (found.length === limit && !before(candidate, found[found.length - 1]!)) continue;
    let at = found.length;
    while (at > 0 && before(candidate, found[at - 1]!)) at--;
    found.splice(at, 0, candidate);
    if (found.length > limit) found.pop();
  }
  return found;
}

/**
 * The lines a typed line's drafts are looked for in, most relevant first: the document's lines
 * by distance from the cursor (the typed line left out), the retrieved snippets, then the recent
 * edits' text on both sides (a line the user just deleted is often the one being retyped).
 */
export function draftSearchLines(documentLines: readonly string[], cursorLine: number, snippets: readonly Snippet[], history: readonly RecordedEdit[]): string[] {
  const lines: string[] = [];
  for (let distance = 1; lines.length < MAX_SEARCHED_LINES; distance++) {
    const above = documentLines[cursorLine - distance];
    const below = documentLines[cursorLine + distance];
    if (above === undefined && below === undefined) break;
    if (above !== undefined) lines.push(above);
    if (below !== undefined) lines.push(below);
  }
  for (const snippet of snippets) lines.push(...splitLines(snippet.text));
  for (let index = history.length - 1; index >= 0; index--) {
    const edit = history[index]!;
    lines.push(...splitLines(edit.insertedText), ...splitLines(edit.removedText));
  }
  return lines.length > MAX_SEARCHED_LINES ? lines.slice(0, MAX_SEARCHED_LINES) : lines;
}

/** A typing window with the drafts its typed line has; any other window as it is. */
export function withCompletionDrafts(
  window: EditWindow,
  documentText: string,
  snippets: readonly Snippet[],
  history: readonly RecordedEdit[],
  index?: Pick<WorkspaceIndex, 'namesStartingWith'>,
): EditWindow {
  const typedLine = typedLineOf(window, []);
  if (!typedLine || !window.cursor) return window;
  const lines = draftSearchLines(splitLines(documentText), window.cursor.line, snippets, history);
  const drafts = completionDrafts({ typedLine, lines, ...(index ? { namesStartingWith: (prefix: string, limit: number) => index.namesStartingWith(prefix, limit) } : {}) });
  return drafts.length === 0 ? window : { ...window, drafts };
}
