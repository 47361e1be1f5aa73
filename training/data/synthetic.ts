// Synthetic edits made the way people make them, found in real code: rename a symbol, rename a
// member, add or remove a parameter and fix the calls, insert or delete a statement next to
// similar ones, finish a line being typed (at its end here, mid-line in typingEdits.ts), and the
// common case: nothing more to do.

import {
  IDENTIFIER,
  KEYWORDS,
  lineStartOffsets,
  recordEdit,
  splitLines,
  windowAfterSites,
  type Example,
  type Site,
} from './documents';
import { sequenceExamples, snippetsFor, withUnrelatedEdit, type SequenceContext } from './siteSequence';
import { typeIntoCode } from './typingEdits';

/** Sites of one sequence; more would make the history longer than the budget keeps anyway. */
export const MAX_SITES = 24;
const NAME_SUFFIXES = ['s', 'Count', 'Value', 'List', 'Id', 'Name', 'Map', 'Result', 'Index', 'Options', 'Async', 'New'];
const NAME_PREFIXES = ['new', 'is', 'get', 'current', 'next', 'raw', 'parsed', 'total', 'default', 'user'];
const PARAMETER_NAMES = ['options', 'context', 'signal', 'timeoutMs', 'force', 'depth', 'callback', 'config', 'verbose', 'limit', 'encoding', 'strict'];

export type Generator = (context: SequenceContext) => Example[];

export const GENERATORS: Readonly<Record<string, Generator>> = {
  rename: renameSymbol,
  member: renameMember,
  add_parameter: (context) => changeParameters(context, 'add'),
  remove_parameter: (context) => changeParameters(context, 'remove'),
  insert_statement: (context) => similarStatements(context, 'insert'),
  delete_statement: (context) => similarStatements(context, 'delete'),
  complete_line: completeLine,
  type_into: typeIntoCode,
  no_change: unrelatedWindow,
};

function occurrencesByName(text: string, pattern: RegExp, group: number): Map<string, { start: number; end: number }[]> {
  const byName = new Map<string, { start: number; end: number }[]>();
  for (const match of text.matchAll(pattern)) {
    const name = match[group] as string;
    if (name.length < 3 || KEYWORDS.has(name)) continue;
    const start = (match.index ?? 0) + match[0].length - name.length;
    const list = byName.get(name) ?? [];
    list.push({ start, end: start + name.length });
    byName.set(name, list);
  }
  return byName;
}

export function newName(name: string, context: SequenceContext): string {
  const { rng } = context;
  const choice = rng.int(4);
  if (choice === 0) return name + rng.pick(NAME_SUFFIXES);
  if (choice === 1) return rng.pick(NAME_PREFIXES) + name.charAt(0).toUpperCase() + name.slice(1);
  if (choice === 2 && /[a-z][A-Z]/.test(name)) return name.replace(/([a-z])([A-Z][a-z0-9]*)$/, (_, a: string) => a + rng.pick(NAME_SUFFIXES));
  if (choice === 2 && name.includes('_')) return name.replace(/_[a-z0-9]+$/, '_' + rng.pick(NAME_SUFFIXES).toLowerCase());
  const others = [...new Set(context.file.text.match(IDENTIFIER) ?? [])].filter((other) => other.length > 3 && !KEYWORDS.has(other));
  const borrowed = others.length > 0 ? rng.pick(others) : 'item';
  return borrowed === name ? name + '2' : borrowed + name.charAt(0).toUpperCase() + name.slice(1);
}

/** Every occurrence of the name, `this.name` included: renaming a field renames its uses. */
function renameSymbol(context: SequenceContext): Example[] {
  return renameFrom(context, /(?<![\w$])([A-Za-z_$][\w$]*)(?![\w$])/g, 'rename');
}

function renameMember(context: SequenceContext): Example[] {
  return renameFrom(context, /\.([A-Za-z_$][\w$]*)(?![\w$])/g, 'member');
}

function renameFrom(context: SequenceContext, pattern: RegExp, kind: 'rename' | 'member'): Example[] {
  const byName = occurrencesByName(context.file.text, pattern, 1);
  const candidates = [...byName].filter(([, list]) => list.length >= 2 && list.length <= MAX_SITES);
  if (candidates.length === 0) return [];
  const [name, list] = context.rng.pick(candidates);
  const replacement = newName(name, context);
  if (replacement === name || !/^[A-Za-z_$][\w$]*$/.test(replacement)) return [];
  return sequenceExamples(kind, context, context.file.text, list.map((range) => ({ ...range, replacement })));
}

/** Index of the parenthesis closing the one at `open`, on the same line, or -1. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    const char = text[index];
    if (char === '\n') return -1;
    if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return index;
  }
  return -1;
}

/** Offset of the last top-level comma between the parentheses, or -1. */
function lastTopLevelComma(text: string, open: number, close: number): number {
  let depth = 0;
  let last = -1;
  for (let index = open + 1; index < close; index++) {
    const char = text[index] as string;
    if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
    else if (char === ',' && depth === 0) last = index;
  }
  return last;
}

function changeParameters(context: SequenceContext, mode: 'add' | 'remove'): Example[] {
  const { text } = context.file;
  const definitions = [...text.matchAll(/(?:\bfunction\s+|\bdef\s+|^[ \t]*(?:async\s+)?)([A-Za-z_$][\w$]*)\s*\(/gm)];
  const { rng } = context;
  for (let attempt = 0; attempt < 4 && definitions.length > 0; attempt++) {
    const definition = rng.pick(definitions);
    const name = definition[1] as string;
    if (KEYWORDS.has(name) || ['if', 'for', 'while', 'switch', 'catch'].includes(name)) continue;
    const defOpen = (definition.index ?? 0) + definition[0].length - 1;
    const calls = [...text.matchAll(new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}\\s*\\(`, 'g'))]
      .map((match) => (match.index ?? 0) + match[0].length - 1)
      .filter((open) => open !== defOpen);
    const opens = [defOpen, ...calls].slice(0, MAX_SITES);
    const sites: Site[] = [];
    const parameter = rng.pick(PARAMETER_NAMES);
    for (const open of opens) {
      const close = closingParen(text, open);
      if (close < 0) break;
      const empty = text.slice(open + 1, close).trim() === '';
      if (mode === 'add') {
        const argument = open === defOpen || rng.chance(0.6) ? parameter : rng.pick(['undefined', '{}', 'true', 'null', '0']);
        sites.push({ start: close, end: close, replacement: empty ? argument : `, ${argument}` });
      } else {
        const comma = lastTopLevelComma(text, open, close);
        if (comma < 0) break;
        sites.push({ start: comma, end: close, replacement: '' });
      }
    }
    if (sites.length === opens.length && sites.length >= 2) return sequenceExamples(`${mode}_parameter`, context, text, sites);
  }
  return [];
}

/** A statement's "shape": the call it makes, or the keyword it starts with. */
function statementHead(line: string): string | undefined {
  const call = /^\s*(?:await\s+|return\s+)?((?:[\w$]+\.)*[\w$]+)\s*\(/.exec(line);
  if (call && KEYWORDS.has(call[1] as string)) return undefined;
  if (call) return `${indentation(line)}call:${call[1]}`;
  const keyword = /^\s*(import|from|case|this\.[\w$]+\s*=|self\.[\w$]+\s*=|export const|const|let)\b/.exec(line);
  return keyword ? `${indentation(line)}${(keyword[1] as string).split(/\s*=/)[0]?.replace(/\..*/, '.')}` : undefined;
}

function indentation(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

function similarStatements(context: SequenceContext, mode: 'insert' | 'delete'): Example[] {
  const { rng, file } = context;
  const lines = splitLines(file.text);
  const groups = new Map<string, number[]>();
  lines.forEach((line, index) => {
    const head = statementHead(line);
    if (head && line.length < 160) groups.set(head, [...(groups.get(head) ?? []), index]);
  });
  const candidates = [...groups.values()].filter((indexes) => indexes.length >= 2);
  if (candidates.length === 0) return [];
  const group = rng.pick(candidates);
  const first = rng.int(group.length - 1);
  const pair = [group[first] as number, group[first + 1 + rng.int(group.length - first - 1)] as number];
  if (Math.abs((pair[1] as number) - (pair[0] as number)) < 2) return [];
  const order = rng.chance(0.5) ? pair : [...pair].reverse();
  if (mode === 'delete') {
    const starts = lineStartOffsets(file.text);
    const sites = order.map((line) => ({ start: starts[line] as number, end: (starts[line + 1] ?? file.text.length) as number, replacement: '' }));
    if (sites.some((site) => site.end === file.text.length)) return [];
    return sequenceExamples('delete_statement', context, file.text, sites);
  }
  // Insert: both lines are missing at first; the user adds one, the next edit adds the other.
  const removed = new Set(pair);
  const kept = lines.filter((_, index) => !removed.has(index));
  const base = kept.join('\n');
  const keptStarts = lineStartOffsets(base);
  const sites = order.map((line) => {
    const position = line - pair.filter((other) => other < line).length;
    const start = keptStarts[position];
    return start === undefined ? undefined : { start, end: start, replacement: `${lines[line] as string}\n` };
  });
  if (sites.some((site) => site === undefined)) return [];
  return sequenceExamples('insert_statement', context, base, sites as Site[]);
}

/** Lines a typed block spans, with their odds: most typing finishes one line, some runs on. */
const BLOCK_LINE_ODDS: readonly (readonly [number, number])[] = [[1, 0.6], [2, 0.2], [3, 0.12], [4, 0.08]];
const MAX_BLOCK_CHARS = 320;

/**
 * The user is typing a line or a short block of new lines: history holds the typed prefix (cut
 * anywhere, mid-word too), the target the rest of the block. The benchmark's typing cases stop
 * part-way through real hunks, which often run over several lines.
 */
function completeLine(context: SequenceContext): Example[] {
  const { rng, file } = context;
  const lines = splitLines(file.text);
  const starts = lineStartOffsets(file.text);
  for (let attempt = 0; attempt < 6; attempt++) {
    const lineIndex = rng.int(lines.length);
    const count = Math.min(blockLineCount(rng.next()), lines.length - lineIndex);
    const line = lines[lineIndex] as string;
    const indent = indentation(line).length;
    const lastLine = lines[lineIndex + count - 1] as string;
    const blockStart = (starts[lineIndex] as number) + indent;
    const blockEnd = (starts[lineIndex + count - 1] as number) + lastLine.length;
    const body = file.text.slice(blockStart, blockEnd);
    if (line.slice(indent).trim().length < 8 || body.length > MAX_BLOCK_CHARS || body.includes('\r')) continue;
    const finished = rng.chance(0.3);
    const cut = finished ? body.length : 1 + rng.int(body.length - 1);
    const base = file.text.slice(0, blockStart) + file.text.slice(blockEnd);
    const typed = recordEdit(file.path, base, blockStart, blockStart, body.slice(0, cut), context.startMs);
    const typedLines = splitLines(body.slice(0, cut));
    const cursorLine = lineIndex + typedLines.length - 1;
    const cursor = { line: cursorLine, character: (typedLines.length === 1 ? indent : 0) + (typedLines.at(-1) as string).length };
    const rest: Site[] = finished ? [] : [{ start: blockStart + cut, end: blockStart + cut, replacement: body.slice(cut) }];
    const target = windowAfterSites(file.path, typed.text, rest, cursorLine, cursor);
    if (!target) continue;
    return [
      {
        kind: finished ? 'no_change' : 'complete_line',
        source: file.source,
        history: withUnrelatedEdit([typed.edit], context),
        snippets: snippetsFor(context, typed.text, cursorLine),
        window: target.window,
        newLines: finished ? null : target.newLines,
      },
    ];
  }
  return [];
}

function blockLineCount(draw: number): number {
  let total = 0;
  for (const [count, odds] of BLOCK_LINE_ODDS) {
    total += odds;
    if (draw < total) return count;
  }
  return 1;
}

/** The common case: the last edit is complete and the cursor's window needs nothing. */
function unrelatedWindow(context: SequenceContext): Example[] {
  const { rng, file } = context;
  const lines = splitLines(file.text);
  const lineIndex = rng.int(lines.length);
  const line = lines[lineIndex] as string;
  const starts = lineStartOffsets(file.text);
  const lineStart = starts[lineIndex] as number;
  // Recreate a finished small edit on this line: the word was typed or changed to what it is now.
  const words = [...line.matchAll(IDENTIFIER)];
  const word = words.length > 0 ? rng.pick(words) : undefined;
  const start = lineStart + (word?.index ?? line.length);
  const end = start + (word?.[0].length ?? 0);
  const partial = word && rng.chance(0.5) ? word[0].slice(0, -1) : '';
  const before = file.text.slice(0, start) + partial + file.text.slice(end);
  const recorded = recordEdit(file.path, before, start, start + partial.length, file.text.slice(start, end), context.startMs);
  const cursor = { line: lineIndex, character: end - lineStart };
  const still = windowAfterSites(file.path, file.text, [], lineIndex, cursor);
  if (!still) return [];
  const history = word && rng.chance(0.7) ? [recorded.edit] : [];
  return [
    {
      kind: 'no_change',
      source: file.source,
      history: withUnrelatedEdit(history, context),
      snippets: snippetsFor(context, file.text, lineIndex),
      window: still.window,
      newLines: null,
    },
  ];
}
