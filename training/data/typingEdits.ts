// Typing into existing code, the way the benchmark's typing cases (and people) do it: part of a
// change is typed in the middle of a line or of a block, with the rest of the line still after
// the cursor. complete_line only ever types at the end of a line; here the model must finish
// the middle and keep the text that follows (fill in the middle), and it may find what to type
// in the text the user just deleted.

import { IDENTIFIER, lineStartOffsets, positionAt, recordEdit, splitLines, windowAfterSites, type Example, type Rng } from './documents';
import { snippetsFor, withUnrelatedEdit, type SequenceContext } from './siteSequence';

/** Lines the typed change spans, at most (the benchmark's hunks have up to 6). */
export const MAX_TYPED_LINES = 4;
export const MAX_TYPED_CHARS = 240;
export const MIN_TYPED_CHARS = 3;
/** Share of examples where the user first deleted an older version of the text. */
const REPLACED_SHARE = 0.4;
/** Share typed to the end: the window then needs nothing more. */
const FINISHED_SHARE = 0.15;

/** Offsets in `line` where a word or a punctuation run starts, and its end. */
export function boundaries(line: string): number[] {
  const positions: number[] = [];
  const kind = (character: string | undefined): number =>
    character === undefined ? -1 : /[\w$]/.test(character) ? 0 : /\s/.test(character) ? 1 : 2;
  for (let index = 0; index <= line.length; index++) {
    const current = kind(line[index]);
    if (index === line.length || (current !== 1 && current !== kind(line[index - 1]))) positions.push(index);
  }
  return positions;
}

/**
 * The text the user replaced: the same span with one word changed or dropped, the kind of
 * small revision a typed change often is. Undefined when the span has no word to vary (or the
 * one drawn is too short to shorten).
 */
export function olderVersion(text: string, rng: Rng): string | undefined {
  const words = [...text.matchAll(IDENTIFIER)];
  if (words.length === 0) return undefined;
  const word = rng.pick(words);
  const start = word.index ?? 0;
  const end = start + word[0].length;
  const others = words.map((other) => other[0]).filter((other) => other !== word[0]);
  const choice = rng.int(3);
  const replacement =
    choice === 0 ? '' : choice === 2 && others.length > 0 ? rng.pick(others) : word[0].slice(0, Math.max(1, word[0].length - 2 - rng.int(3)));
  const older = text.slice(0, start) + replacement + text.slice(end);
  return older === text ? undefined : older;
}

/** One example: a span of `file` typed part-way at its place, the rest of the line after it. */
export function typeIntoCode(context: SequenceContext): Example[] {
  const { rng, file } = context;
  const lines = splitLines(file.text);
  const starts = lineStartOffsets(file.text);
  for (let attempt = 0; attempt < 6; attempt++) {
    const first = rng.int(lines.length);
    const last = Math.min(lines.length - 1, first + (rng.chance(0.55) ? 0 : 1 + rng.int(MAX_TYPED_LINES - 1)));
    const firstLine = lines[first] as string;
    const lastLine = lines[last] as string;
    if (firstLine.trim().length < 4 || lastLine.includes('\r')) continue;
    const startChoices = boundaries(firstLine).filter((offset) => offset < firstLine.length);
    if (startChoices.length === 0) continue;
    const start = (starts[first] as number) + rng.pick(startChoices);
    // The span ends at a word boundary; on a later line it may end right after the indentation,
    // which is how a whole new line typed above existing code looks once the diff is trimmed.
    const endChoices = boundaries(lastLine).map((offset) => (starts[last] as number) + offset).filter((offset) => offset > start);
    if (endChoices.length === 0) continue;
    const end = rng.pick(endChoices);
    const typedText = file.text.slice(start, end);
    if (typedText.length < MIN_TYPED_CHARS || typedText.length > MAX_TYPED_CHARS || typedText.trim() === '') continue;
    const older = rng.chance(REPLACED_SHARE) ? olderVersion(typedText, rng) ?? '' : '';
    const finished = rng.chance(FINISHED_SHARE);
    // The benchmark stops 30-70% through a change; a wider range keeps both ends familiar.
    const cut = finished ? typedText.length : Math.min(typedText.length - 1, Math.max(1, Math.round(typedText.length * (0.15 + 0.75 * rng.next()))));
    const base = file.text.slice(0, start) + older + file.text.slice(end);
    const typed = recordEdit(file.path, base, start, start + older.length, typedText.slice(0, cut), context.startMs);
    const cursor = positionAt(typed.text, start + cut);
    const rest = finished ? [] : [{ start: start + cut, end: start + cut, replacement: typedText.slice(cut) }];
    const target = windowAfterSites(file.path, typed.text, rest, cursor.line, cursor);
    if (!target) continue;
    return [
      {
        kind: finished ? 'no_change' : 'type_into',
        source: file.source,
        history: withUnrelatedEdit([typed.edit], context),
        snippets: snippetsFor(context, typed.text, cursor.line),
        window: target.window,
        newLines: finished ? null : target.newLines,
      },
    ];
  }
  return [];
}
