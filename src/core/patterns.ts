// Generalizes the user's most recent change into a pattern that can be replayed elsewhere:
// a rename, a member rename, an argument change, a token replacement in context, a line
// inserted next to similar code, or a repeated line deleted. Pure functions over tokens; the
// search for places to apply a pattern lives in propagationSites.ts, the assembly of the
// change itself in logicalEdit.ts.

import { diffArrays } from 'diff';
import { argumentKey, argumentText, callsByName, isDefinition, isKeyword, isName, lineShape, SourceText, type CallSyntax, type Token } from './codeTokens';
import type { EditView } from './logicalEdit';
import { splitLines } from './text';

/** Larger edits are rewrites, not patterns. */
export const MAX_EDIT_TOKENS = 600;
export const MAX_PATTERN_LINES = 8;
export const MAX_REPLACED_TOKENS = 8;
/** `export default async ` is as long as a qualifying prefix gets. */
export const MAX_PREFIX_TOKENS = 3;
const MAX_CHANGE_RUNS = 6;
const MEMBER_ACCESS = new Set(['.', '?.']);
const MEMBER_MODIFIERS = new Set(['static', 'public', 'private', 'protected', 'readonly', 'override', 'abstract']);
const VALUE_KEYWORDS = new Set(['this', 'self', 'true', 'false', 'null', 'undefined', 'None', 'True', 'False', 'nil']);

export interface TokenContext {
  /** 'start' and 'end' stand for a line boundary, 'value' for any operand; else the token text. */
  readonly category: string;
  readonly text: string;
}

export type ArgumentAction = 'add' | 'remove' | 'change';

export interface NamePattern {
  readonly kind: 'rename' | 'member';
  readonly from: string;
  readonly to: string;
  /** The last name typed, to tell a finished name from one still being typed. */
  readonly tail: Token;
  /** The renamed name is a class member being declared: its `.from` uses follow, not free ones. */
  readonly memberDeclaration: boolean;
  /** For members, the token before the dot (`store` in `store.load`). */
  readonly receiver: string | undefined;
  /** How many times the edit itself made this rename: two identical ones mean a finished name. */
  readonly occurrences: number;
}

export interface ArgumentPattern {
  readonly kind: 'argument' | 'parameter';
  readonly callee: string;
  readonly member: boolean;
  readonly action: ArgumentAction;
  readonly index: number;
  /** Argument count of the call before the change. */
  readonly arity: number;
  readonly text: string;
  readonly oldKey: string;
  readonly separator: string;
  readonly tail: Token | undefined;
  /** Python methods declare `self`, which calls through an object do not pass. */
  readonly receiverParameter: boolean;
}

export interface ReplacePattern {
  readonly kind: 'replace';
  readonly removed: readonly string[];
  readonly insertedText: string;
  readonly left: TokenContext;
  readonly right: TokenContext;
  /** Only literals or one-character punctuation were replaced: too generic on its own. */
  readonly literalOnly: boolean;
  /** `'x'` -> `"x"`: every string with the old quote changes the same way. */
  readonly quoteSwap: boolean;
  /** Several tokens including a name (`URI.URIComponents`): distinctive even in other contexts. */
  readonly specific: boolean;
  readonly tail: Token | undefined;
}

export interface LinesPattern {
  readonly kind: 'insertLines' | 'deleteLines';
  readonly lines: readonly string[];
  /** Document line of the first inserted line, or where the deleted lines were. */
  readonly docLine: number;
}

/** One word changed inside a comment, like a JSDoc type `{boolean}` -> `{Boolean}`. */
export interface CommentWordPattern {
  readonly kind: 'commentWord';
  readonly from: string;
  readonly to: string;
  /** The text right before and after the word ('' at a line boundary). */
  readonly left: string;
  readonly right: string;
}

export type Pattern = NamePattern | ArgumentPattern | ReplacePattern | LinesPattern | CommentWordPattern;

export type PatternKind = Pattern['kind'];

/** Every pattern the change fits, most specific first; [] for edits with no reusable shape. */
export function derivePatterns(view: EditView): Pattern[] {
  const lines = lineChange(view);
  if (lines) return [lines];
  if (view.inComment) {
    const comment = commentWordPattern(view);
    return comment ? [comment] : [];
  }
  // Commenting code in or out looks like deleting or inserting it to a lexer that drops comments.
  if (commentMarkers(view.before) !== commentMarkers(view.after)) return [];
  const before = view.before.tokens;
  const after = view.after.tokens;
  if (before.length > MAX_EDIT_TOKENS || after.length > MAX_EDIT_TOKENS) return [];
  const runs = changeRuns(before, after);
  if (runs.length === 0) {
    const comment = commentWordPattern(view);
    return comment ? [comment] : [];
  }
  if (runs.length > MAX_CHANGE_RUNS) return [];
  const patterns: Pattern[] = [];
  const rename = renamePattern(view, runs);
  if (rename) patterns.push(rename);
  const argument = argumentPattern(view);
  if (argument) patterns.push(argument);
  // A changed parameter declaration is never propagated to callers; its tokens may still be.
  if (!rename && (!argument || (argument.kind === 'parameter' && argument.action === 'change'))) {
    const replace = replacePattern(view, runs);
    if (replace) patterns.push(replace);
  }
  return patterns;
}

const WORDS = /[\p{L}\p{N}_$]+|\s+|[^\p{L}\p{N}_$\s]/gu;
const WORD = /^[\p{L}\p{N}_$]+$/u;

/** The code is unchanged, so the edit is in comments (or strings): one word for another. */
function commentWordPattern(view: EditView): Pattern | undefined {
  const before = view.before.text.match(WORDS) ?? [];
  const after = view.after.text.match(WORDS) ?? [];
  const runs = changeRuns(before, after);
  const run = runs[0];
  if (runs.length !== 1 || !run || run.beforeEnd - run.beforeFirst !== 1 || run.afterEnd - run.afterFirst !== 1) return undefined;
  const from = before[run.beforeFirst]!;
  const to = after[run.afterFirst]!;
  if (!WORD.test(from) || !WORD.test(to)) return undefined;
  const neighbour = (word: string | undefined): string => (word === undefined || /[\r\n]/.test(word) ? '' : word);
  const left = neighbour(before[run.beforeFirst - 1]);
  const right = neighbour(before[run.beforeEnd]);
  // A word set off by punctuation is code in prose (`{boolean}`, `` `name` ``, `run()`); a word
  // between spaces is prose, where one changed word rarely means the others change.
  if (!/^[^\s\p{L}\p{N}]$/u.test(left) && !/^[^\s\p{L}\p{N}]$/u.test(right)) return undefined;
  return { kind: 'commentWord', from, to, left, right };
}

function commentMarkers(source: SourceText): number {
  const pattern = source.language === 'python' ? /#/g : /\/\/|\/\*/g;
  return source.text.match(pattern)?.length ?? 0;
}

/** Stable identity of a pattern, to recognise the same change made earlier in the history. */
export function patternKey(pattern: Pattern): string {
  switch (pattern.kind) {
    case 'rename':
    case 'member':
      return `${pattern.kind}:${pattern.from}>${pattern.to}`;
    case 'argument':
    case 'parameter':
      return `argument:${pattern.callee}:${pattern.action}:${pattern.index}:${pattern.oldKey}>${pattern.text}`;
    case 'replace':
      return `replace:${pattern.removed.join(' ')}>${pattern.insertedText}`;
    case 'insertLines':
    case 'deleteLines':
      return `${pattern.kind}:${pattern.lines.map(lineShape).join('\n')}`;
    case 'commentWord':
      return `commentWord:${pattern.from}>${pattern.to}`;
  }
}


/** Whole lines inserted or deleted, with every other line unchanged. */
function lineChange(view: EditView): Pattern | undefined {
  const before = splitLines(view.before.text);
  const after = splitLines(view.after.text);
  if (before.length === after.length) return undefined;
  const [shorter, longer] = before.length < after.length ? [before, after] : [after, before];
  let prefix = 0;
  while (prefix < shorter.length && shorter[prefix] === longer[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shorter.length - prefix && shorter[shorter.length - 1 - suffix] === longer[longer.length - 1 - suffix]) suffix++;
  if (prefix + suffix !== shorter.length) return undefined;
  const lines = longer.slice(prefix, longer.length - suffix);
  if (lines.length > MAX_PATTERN_LINES || lines.every((line) => line.trim() === '')) return undefined;
  return { kind: before.length < after.length ? 'insertLines' : 'deleteLines', lines, docLine: view.startLine + prefix };
}

interface ChangeRun {
  /** Token index spans [first, end) in the before and after views. */
  readonly beforeFirst: number;
  readonly beforeEnd: number;
  readonly afterFirst: number;
  readonly afterEnd: number;
}

function changeRuns(before: readonly (Token | string)[], after: readonly (Token | string)[]): ChangeRun[] {
  const runs: ChangeRun[] = [];
  let beforeIndex = 0;
  let afterIndex = 0;
  let open: { beforeFirst: number; afterFirst: number } | undefined;
  const texts = (items: readonly (Token | string)[]): string[] => items.map((item) => (typeof item === 'string' ? item : item.text));
  for (const change of diffArrays(texts(before), texts(after))) {
    if (!change.added && !change.removed) {
      if (open) runs.push({ ...open, beforeEnd: beforeIndex, afterEnd: afterIndex });
      open = undefined;
      beforeIndex += change.count;
      afterIndex += change.count;
      continue;
    }
    open ??= { beforeFirst: beforeIndex, afterFirst: afterIndex };
    if (change.removed) beforeIndex += change.count;
    else afterIndex += change.count;
  }
  if (open) runs.push({ ...open, beforeEnd: beforeIndex, afterEnd: afterIndex });
  return runs;
}

/** Every run replaces the same single name by another single name. */
function renamePattern(view: EditView, runs: readonly ChangeRun[]): Pattern | undefined {
  let from: string | undefined;
  let to: string | undefined;
  for (const run of runs) {
    const removed = view.before.tokens[run.beforeFirst];
    const inserted = view.after.tokens[run.afterFirst];
    if (run.beforeEnd - run.beforeFirst !== 1 || run.afterEnd - run.afterFirst !== 1) return undefined;
    if (!isName(removed) || !isName(inserted) || (from !== undefined && (removed.text !== from || inserted.text !== to))) return undefined;
    from = removed.text;
    to = inserted.text;
  }
  const first = runs[0]!;
  const last = runs[runs.length - 1]!;
  if (from === undefined || to === undefined) return undefined;
  const member = MEMBER_ACCESS.has(view.before.tokens[first.beforeFirst - 1]?.text ?? '');
  return {
    kind: member ? 'member' : 'rename',
    from,
    to,
    tail: view.after.tokens[last.afterFirst]!,
    memberDeclaration: isMemberDeclaration(view.before, first.beforeFirst),
    receiver: member ? view.before.tokens[first.beforeFirst - 2]?.text : undefined,
    occurrences: runs.length,
  };
}

/**
 * The name is declared as a class member, so its `.name` uses are renamed with it: a method head
 * `name(...) {`, a modified member `private name = 0`, a typed field `name: T;`, a Python method.
 */
export function isMemberDeclaration(source: SourceText, index: number): boolean {
  const tokens = source.tokens;
  const name = tokens[index]!;
  const previous = tokens[index - 1];
  // An indented `def` is a method; a top-level one is a function whose `.name` uses are unrelated.
  if (previous?.text === 'def') return previous.start > source.lineStart(source.lineOf(previous.start));
  const sameLine = previous && source.sameLine(previous.start, name.start) ? previous : undefined;
  if (sameLine && MEMBER_MODIFIERS.has(sameLine.text)) return true;
  if (sameLine && !['async', 'get', 'set', '*'].includes(sameLine.text)) return false;
  const line = source.lineOf(name.start);
  const lineTokens = tokens.filter((token) => source.lineOf(token.start) === line);
  const last = lineTokens[lineTokens.length - 1]?.text;
  const next = tokens[index + 1]?.text;
  return (next === '(' && last === '{') || (next === ':' && last === ';');
}

/** One call's argument list changed by one argument and nothing else on the lines changed. */
function argumentPattern(view: EditView): Pattern | undefined {
  const before = view.before.tokens;
  const after = view.after.tokens;
  const beforeCalls = callsByName(before);
  let best: { pattern: Pattern; width: number } | undefined;
  const seen = new Map<string, number>();
  for (const afterCall of callsByName(after)) {
    const name = after[afterCall.calleeIndex]!.text;
    const ordinal = seen.get(name) ?? 0;
    seen.set(name, ordinal + 1);
    const beforeCall = beforeCalls.filter((call) => before[call.calleeIndex]!.text === name)[ordinal];
    if (!beforeCall || !sameOutside(before, beforeCall, after, afterCall)) continue;
    const change = argumentChange(view, beforeCall, afterCall);
    const width = afterCall.closeIndex - afterCall.openIndex;
    if (!change || (best && best.width <= width)) continue;
    const definition = isDefinition(after, afterCall, view.after);
    const firstParameter = before[beforeCall.args[0]?.first ?? -1]?.text;
    best = {
      width,
      pattern: {
        kind: definition ? 'parameter' : 'argument',
        callee: name,
        member: MEMBER_ACCESS.has(before[beforeCall.calleeIndex - 1]?.text ?? ''),
        ...change,
        receiverParameter: definition && view.before.language === 'python' && (firstParameter === 'self' || firstParameter === 'cls'),
      },
    };
  }
  return best?.pattern;
}

type ArgumentChange = Pick<ArgumentPattern, 'action' | 'index' | 'arity' | 'text' | 'oldKey' | 'separator' | 'tail'>;

function argumentChange(view: EditView, beforeCall: CallSyntax, afterCall: CallSyntax): ArgumentChange | undefined {
  const beforeKeys = beforeCall.args.map((arg) => argumentKey(view.before.tokens, arg));
  const afterKeys = afterCall.args.map((arg) => argumentKey(view.after.tokens, arg));
  const arity = beforeKeys.length;
  const afterText = (index: number): string => argumentText(view.after, afterCall, index);
  const separator = afterCall.args.length > 1 ? view.after.text.slice(view.after.tokens[afterCall.args[0]!.last]!.end, view.after.tokens[afterCall.args[1]!.first]!.start) : ', ';
  if (afterKeys.length === arity + 1) {
    const index = firstDifference(beforeKeys, afterKeys);
    if (!sameList(beforeKeys, [...afterKeys.slice(0, index), ...afterKeys.slice(index + 1)])) return undefined;
    return { action: 'add', index, arity, text: afterText(index), oldKey: '', separator, tail: view.after.tokens[afterCall.args[index]!.last] };
  }
  if (afterKeys.length + 1 === arity) {
    const index = firstDifference(afterKeys, beforeKeys);
    if (!sameList(afterKeys, [...beforeKeys.slice(0, index), ...beforeKeys.slice(index + 1)])) return undefined;
    return { action: 'remove', index, arity, text: '', oldKey: beforeKeys[index]!, separator, tail: undefined };
  }
  if (afterKeys.length !== arity) return undefined;
  const index = firstDifference(beforeKeys, afterKeys);
  if (index >= arity || !sameList(beforeKeys.slice(index + 1), afterKeys.slice(index + 1))) return undefined;
  return { action: 'change', index, arity, text: afterText(index), oldKey: beforeKeys[index]!, separator, tail: view.after.tokens[afterCall.args[index]!.last] };
}

function sameOutside(before: readonly Token[], beforeCall: CallSyntax, after: readonly Token[], afterCall: CallSyntax): boolean {
  const outside = (tokens: readonly Token[], call: CallSyntax): string[] =>
    [...tokens.slice(0, call.openIndex + 1), ...tokens.slice(call.closeIndex)].map((token) => token.text);
  return sameList(outside(before, beforeCall), outside(after, afterCall));
}

/** Token-level replacement of one run, with its neighbours as context. */
function replacePattern(view: EditView, runs: readonly ChangeRun[]): Pattern | undefined {
  const first = runs[0]!;
  const signature = (run: ChangeRun): string =>
    `${tokenTexts(view.before.tokens, run.beforeFirst, run.beforeEnd)}>${tokenTexts(view.after.tokens, run.afterFirst, run.afterEnd)}`;
  if (runs.some((run) => signature(run) !== signature(first))) return undefined;
  const removed = view.before.tokens.slice(first.beforeFirst, first.beforeEnd);
  const inserted = view.after.tokens.slice(first.afterFirst, first.afterEnd);
  if (removed.length > MAX_REPLACED_TOKENS || inserted.length > MAX_REPLACED_TOKENS) return undefined;
  const anchor = removed[0]?.start ?? view.before.tokens[first.beforeFirst]?.start ?? view.before.text.length;
  const left = contextOf(view.before, first.beforeFirst - 1, anchor);
  const right = contextOf(view.before, first.beforeEnd, anchor);
  const rightToken = view.before.tokens[first.beforeEnd];
  let insertedText: string;
  if (removed.length === 0) {
    // A pure insertion must name what it precedes (`await fetch`, `export function`), or it
    // would apply before every `;` or `)` in the file.
    if (!rightToken || right.category === 'end' || rightToken.kind !== 'identifier') return undefined;
    // Only prefixes that qualify what follows generalize: `await `, `export `, `this.`. Operators
    // (`!`, `-`) or arbitrary new code in front of a word do not.
    const last = inserted[inserted.length - 1]!;
    if (inserted.length > MAX_PREFIX_TOKENS || !(isKeyword(last.text) || MEMBER_ACCESS.has(last.text) || last.text === '::')) return undefined;
    const afterRight = view.after.tokens[first.afterEnd]!;
    insertedText = view.after.text.slice(inserted[0]!.start, afterRight.start);
  } else {
    insertedText = inserted.length === 0 ? '' : view.after.text.slice(inserted[0]!.start, inserted[inserted.length - 1]!.end);
  }
  const literalOnly = removed.length > 0 && removed.every((token) => token.kind === 'number' || token.kind === 'string' || (token.kind === 'punctuation' && token.text.length === 1));
  const quoteSwap =
    removed.length === 1 && inserted.length === 1 && removed[0]!.kind === 'string' && inserted[0]!.kind === 'string' &&
    removed[0]!.text.slice(1, -1) === inserted[0]!.text.slice(1, -1) && removed[0]!.text.charAt(0) !== inserted[0]!.text.charAt(0);
  return {
    kind: 'replace',
    removed: removed.map((token) => token.text),
    insertedText,
    left,
    right,
    literalOnly: literalOnly && !quoteSwap,
    quoteSwap,
    specific: removed.length >= 2 && removed.some((token) => isName(token)),
    tail: inserted[inserted.length - 1],
  };
}

/** The token next to a change, as context; a token on another line counts as a line boundary. */
export function contextOf(source: SourceText, index: number, anchor: number): TokenContext {
  const token = source.tokens[index];
  if (!token) return { category: index < 0 ? 'start' : 'end', text: '' };
  if (!source.sameLine(token.start, anchor)) return { category: token.start < anchor ? 'start' : 'end', text: '' };
  const value = token.kind !== 'punctuation' && (!isKeyword(token.text) || VALUE_KEYWORDS.has(token.text));
  return { category: value ? 'value' : token.text, text: token.text };
}

function tokenTexts(tokens: readonly Token[], first: number, end: number): string {
  return tokens.slice(first, end).map((token) => token.text).join(' ');
}

function firstDifference(shorter: readonly string[], longer: readonly string[]): number {
  let index = 0;
  while (index < shorter.length && shorter[index] === longer[index]) index++;
  return index;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

