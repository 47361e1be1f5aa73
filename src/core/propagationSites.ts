// Where a pattern applies in one document: each finder scans the document's current tokens
// (never an index's possibly stale positions) and returns replacement sites as offsets.

import { argumentKey, argumentText, DECLARATION_WORDS, isDefinition, isKeyword, isName, lineShape, parseCall, tokenize, type CallSyntax, type SourceText, type Token } from './codeTokens';
import { contextOf, isMemberDeclaration, type CommentWordPattern, type TokenContext, type ArgumentPattern, type LinesPattern, type NamePattern, type ReplacePattern } from './patterns';

/** Replace `[start, end)` of the document by `text`; `strength` is the context match in [0, 1]. */
export interface Site {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly strength: number;
}

const MEMBER_ACCESS = new Set(['.', '?.']);
const DELETABLE_STATEMENTS = new Set(['import', 'from', 'use', 'debugger', 'print']);

function isMemberAccess(tokens: readonly Token[], index: number): boolean {
  return MEMBER_ACCESS.has(tokens[index - 1]?.text ?? '');
}

/**
 * Whole-name occurrences of the old name outside strings and comments: free uses for a variable
 * or function, `.name` uses (and other member declarations) for a class member.
 */
export function nameSites(source: SourceText, pattern: NamePattern, members: boolean): Site[] {
  const tokens = source.tokens;
  const sites: Site[] = [];
  tokens.forEach((token, index) => {
    if (token.kind !== 'identifier' || token.text !== pattern.from) return;
    const access = isMemberAccess(tokens, index);
    const matches = pattern.kind === 'member' ? access : members ? access || isMemberDeclaration(source, index) : !access;
    if (!matches) return;
    // `a.size` for `a.length` says little about `b.length`: another receiver matches weakly.
    const strength = pattern.kind === 'member' && tokens[index - 2]?.text !== pattern.receiver ? 0.25 : 1;
    sites.push({ start: token.start, end: token.end, text: pattern.to, strength });
  });
  return sites;
}

/** Calls of the callee that the pattern fits, with their adjusted argument index and arity. */
function matchingCalls(source: SourceText, pattern: ArgumentPattern, arityDelta: number): { call: CallSyntax; index: number }[] {
  const tokens = source.tokens;
  const calls: { call: CallSyntax; index: number }[] = [];
  tokens.forEach((token, calleeIndex) => {
    if (token.text !== pattern.callee || tokens[calleeIndex + 1]?.text !== '(') return;
    const member = isMemberAccess(tokens, calleeIndex);
    // A changed definition reaches every caller; a changed call only calls of the same shape.
    if (pattern.kind === 'argument' && member !== pattern.member) return;
    const call = parseCall(tokens, calleeIndex);
    if (!call || isDefinition(tokens, call, source)) return;
    const shift = pattern.receiverParameter && member ? 1 : 0;
    if (call.args.length !== pattern.arity + arityDelta - shift) return;
    calls.push({ call, index: pattern.index - shift });
  });
  return calls;
}

/** The argument texts callers already pass at the new position, after a parameter was added. */
export function updatedArgumentTexts(source: SourceText, pattern: ArgumentPattern): string[] {
  return matchingCalls(source, pattern, 1).map(({ call, index }) => argumentText(source, call, index));
}

export function argumentSites(source: SourceText, pattern: ArgumentPattern, text: string): Site[] {
  const tokens = source.tokens;
  const sites: Site[] = [];
  for (const { call, index } of matchingCalls(source, pattern, 0)) {
    const args = call.args;
    const arity = args.length;
    const startOf = (argument: number): number => tokens[args[argument]!.first]!.start;
    const endOf = (argument: number): number => tokens[args[argument]!.last]!.end;
    if (pattern.action === 'add') {
      if (index < 0 || index > arity) continue;
      if (arity === 0) sites.push({ start: tokens[call.openIndex]!.end, end: tokens[call.openIndex]!.end, text, strength: 1 });
      else if (index < arity) sites.push({ start: startOf(index), end: startOf(index), text: text + pattern.separator, strength: 1 });
      else sites.push({ start: endOf(arity - 1), end: endOf(arity - 1), text: pattern.separator + text, strength: 1 });
      continue;
    }
    if (index < 0 || index >= arity) continue;
    // A removed parameter's declaration text never matches what callers pass; any argument goes.
    if (pattern.kind === 'argument' && argumentKey(tokens, args[index]!) !== pattern.oldKey) continue;
    if (pattern.action === 'change') {
      // Passing something else is a weaker signal than adding or removing an argument.
      sites.push({ start: startOf(index), end: endOf(index), text, strength: 0.75 });
    } else if (arity === 1) {
      sites.push({ start: tokens[call.openIndex]!.end, end: tokens[call.closeIndex]!.start, text: '', strength: 1 });
    } else if (index < arity - 1) {
      sites.push({ start: startOf(index), end: startOf(index + 1), text: '', strength: 1 });
    } else {
      sites.push({ start: endOf(index - 1), end: endOf(index), text: '', strength: 1 });
    }
  }
  return sites;
}

/** The removed token sequence where its neighbours match the edit's, class for class. */
export function replaceSites(source: SourceText, pattern: ReplacePattern): Site[] {
  const tokens = source.tokens;
  const removed = pattern.removed;
  const sites: Site[] = [];
  const oldQuote = removed[0]?.charAt(0) ?? '';
  const newQuote = pattern.insertedText.charAt(0);
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (removed.length === 0) {
      if (token.text !== pattern.right.text) continue;
      const left = contextOf(source, index - 1, token.start);
      const already = source.text.slice(token.start - pattern.insertedText.length, token.start) === pattern.insertedText;
      if (left.category !== pattern.left.category || already) continue;
      sites.push({ start: token.start, end: token.start, text: pattern.insertedText, strength: left.text === pattern.left.text ? 1 : 0.75 });
      continue;
    }
    const matches = pattern.quoteSwap
      ? token.kind === 'string' && token.text.charAt(0) === oldQuote && token.text.length >= 2 && !/[\\"'`]/.test(token.text.slice(1, -1))
      : removed.every((text, offset) => tokens[index + offset]?.text === text);
    if (!matches) continue;
    const last = tokens[index + removed.length - 1]!;
    const left = contextOf(source, index - 1, token.start);
    const right = contextOf(source, index + removed.length, token.start);
    const sameCategories = left.category === pattern.left.category && right.category === pattern.right.category;
    if (!sameCategories && !pattern.specific) continue;
    const side = (site: TokenContext, edited: TokenContext): number => (site.text === edited.text && site.category === edited.category ? 0.25 : site.category === edited.category ? 0.125 : 0);
    const strength = sameCategories
      ? 0.5 + (left.text === pattern.left.text ? 0.25 : 0) + (right.text === pattern.right.text ? 0.25 : 0)
      : 0.5 + side(left, pattern.left) + side(right, pattern.right);
    if (pattern.literalOnly && strength < 1) continue;
    const next = tokens[index + removed.length];
    const end = pattern.insertedText === '' && next && right.category !== 'end' ? next.start : last.end;
    const text = pattern.quoteSwap ? newQuote + token.text.slice(1, -1) + newQuote : pattern.insertedText;
    sites.push({ start: token.start, end, text, strength });
    index += removed.length - 1;
  }
  return sites;
}

/**
 * After (or before) every line shaped like the one next to the inserted lines, the inserted lines
 * with that line's names substituted: `this.b = b;` gets `this.log('b');` when `this.a = a;` got
 * `this.log('a');`. Lines whose names do not map one-to-one are skipped as ambiguous, and so are
 * copies that would declare the same name twice. Similar lines in the anchor's own block are
 * strong sites; when there are none, similar lines elsewhere are weak ones.
 */
export function insertLineSites(source: SourceText, pattern: LinesPattern): Site[] {
  const inserted = pattern.lines;
  const insertedTokens = inserted.map((line) => tokenize(line, source.language));
  // A name quoted on its own counts too: `this.log('a')` refers to `a`; a word in a path does not.
  const insertedNames = new Set(insertedTokens.flat().flatMap((token) => (token.kind === 'string' ? [token.text.slice(1, -1)] : isName(token) ? [token.text] : [])));
  const declaredNames = insertedTokens.flatMap((tokens) => tokens.filter((token, index) => isName(token) && DECLARATION_WORDS.has(tokens[index - 1]?.text ?? '')).map((token) => token.text));
  const insertedShapes = new Set(inserted.map(lineShape));
  for (const anchorLine of [pattern.docLine - 1, pattern.docLine + inserted.length]) {
    if (anchorLine < 0 || anchorLine >= source.lineCount) continue;
    const anchor = lineTokens(source, anchorLine);
    const anchorText = source.lineText(anchorLine).trim();
    // A duplicated line is about to be edited; copying it next to every similar line is noise.
    if (anchor.length < 2 || inserted.some((line) => line.trim() === anchorText)) continue;
    if (!anchor.some((token) => isName(token) && insertedNames.has(token.text))) continue;
    const above = anchorLine < pattern.docLine;
    const anchorIndent = indentation(source.lineText(anchorLine));
    const siblings = blockOf(source, anchorLine, anchor, pattern, insertedShapes);
    const strong: Site[] = [];
    const weak: Site[] = [];
    for (let line = 0; line < source.lineCount; line++) {
      if (line === anchorLine || (line >= pattern.docLine && line < pattern.docLine + inserted.length)) continue;
      const mapping = tokenMapping(anchor, lineTokens(source, line));
      if (!mapping || declaredNames.some((name) => (mapping.get(name) ?? name) === name)) continue;
      const indent = indentation(source.lineText(line));
      const lines = inserted.map((text, row) => reindent(substitute(text, insertedTokens[row]!, mapping), anchorIndent, indent));
      if (lines.every((text, row) => text === inserted[row])) continue;
      const neighbours = lines.map((_, row) => {
        const neighbour = above ? line + 1 + row : line - lines.length + row;
        return neighbour >= 0 && neighbour < source.lineCount ? source.lineText(neighbour).trim() : undefined;
      });
      if (neighbours.every((text, row) => text === lines[row]!.trim())) continue;
      const offset = above ? source.lineEnd(line) : source.lineStart(line);
      const text = above ? source.eol + lines.join(source.eol) : lines.join(source.eol) + source.eol;
      (siblings.has(line) ? strong : weak).push({ start: offset, end: offset, text, strength: siblings.has(line) ? 1 : 0.5 });
    }
    if (strong.length > 0 || weak.length > 0) return strong.length > 0 ? strong : weak;
  }
  return [];
}

/** The anchor's block: adjacent lines shaped like it, stepping over analogs already inserted. */
function blockOf(source: SourceText, anchorLine: number, anchor: readonly Token[], pattern: LinesPattern, insertedShapes: ReadonlySet<string>): Set<number> {
  const block = new Set<number>();
  const anchorShape = lineShape(source.lineText(anchorLine));
  for (const step of [-1, 1]) {
    for (let line = anchorLine + step; line >= 0 && line < source.lineCount; line += step) {
      if (line >= pattern.docLine && line < pattern.docLine + pattern.lines.length) continue;
      const text = source.lineText(line);
      if (tokenMapping(anchor, lineTokens(source, line)) || lineShape(text) === anchorShape) block.add(line);
      else if (!insertedShapes.has(lineShape(text))) break;
    }
  }
  return block;
}

/** The same word with the same neighbours, inside comments only. */
export function commentWordSites(source: SourceText, pattern: CommentWordPattern): Site[] {
  const text = source.text;
  const needle = pattern.left + pattern.from + pattern.right;
  const sites: Site[] = [];
  for (let found = text.indexOf(needle); found !== -1; found = text.indexOf(needle, found + 1)) {
    const start = found + pattern.left.length;
    const end = start + pattern.from.length;
    if (isWordCharacter(text.charAt(start - 1)) || isWordCharacter(text.charAt(end)) || !source.inComment(start)) continue;
    sites.push({ start, end, text: pattern.to, strength: 1 });
  }
  return sites;
}

function isWordCharacter(char: string): boolean {
  return char !== '' && /[\p{L}\p{N}_$]/u.test(char);
}

/** Other copies of the deleted lines; for one deleted call statement, calls of the same callee. */
export function deleteLineSites(source: SourceText, pattern: LinesPattern): Site[] {
  const deleted = pattern.lines.map((line) => line.trim());
  const firstTokens = tokenize(deleted[0]!, source.language);
  const head = deleted.length === 1 ? callStatementHead(firstTokens) : undefined;
  // One deleted line says little unless it is a call, an import or a debugger statement: a
  // deleted `}` or `return x;` has identical twins everywhere that must stay.
  const telling = firstTokens.some((token, index) => isName(token) && firstTokens[index + 1]?.text === '(') || DELETABLE_STATEMENTS.has(firstTokens[0]?.text ?? '');
  if (deleted.length === 1 && !telling) return [];
  const sites: Site[] = [];
  for (let line = 0; line + deleted.length <= source.lineCount; line++) {
    let strength = deleted.every((text, row) => source.lineText(line + row).trim() === text) ? 1 : 0;
    if (strength === 0 && head !== undefined) {
      const tokens = lineTokens(source, line);
      // `console.log(` names an API; a bare `save(` could be anything the user wanted gone once.
      strength = callStatementHead(tokens) === head ? (head.includes('.') ? 0.75 : 0.5) : 0;
    }
    if (strength === 0) continue;
    const last = line + deleted.length;
    const [start, end] =
      last < source.lineCount ? [source.lineStart(line), source.lineStart(last)] : [line > 0 ? source.lineEnd(line - 1) : 0, source.text.length];
    sites.push({ start, end, text: '', strength });
    line = last - 1;
  }
  return sites;
}

/** `a.b.c(` for a line that is exactly one call statement `a.b.c(...)` or `a.b.c(...);`. */
function callStatementHead(tokens: readonly Token[]): string | undefined {
  let index = 0;
  while (isName(tokens[index]) && tokens[index + 1] && (tokens[index + 1]!.text === '.' || tokens[index + 1]!.text === '?.')) index += 2;
  if (!isName(tokens[index])) return undefined;
  const call = parseCall(tokens, index);
  if (!call) return undefined;
  const rest = tokens.slice(call.closeIndex + 1).map((token) => token.text);
  if (rest.length > 1 || (rest.length === 1 && rest[0] !== ';')) return undefined;
  return tokens.slice(0, index + 2).map((token) => token.text).join('');
}

function lineTokens(source: SourceText, line: number): readonly Token[] {
  const { first, end } = source.tokenRangeOfLine(line);
  return source.tokens.slice(first, end);
}

/**
 * The one-to-one renaming of names and literals that turns `from` into `to`, or undefined when
 * the lines differ in anything else, map a name two ways, or are identical.
 */
function tokenMapping(from: readonly Token[], to: readonly Token[]): Map<string, string> | undefined {
  if (from.length !== to.length) return undefined;
  const forward = new Map<string, string>();
  const backward = new Map<string, string>();
  let changed = false;
  for (let index = 0; index < from.length; index++) {
    const a = from[index]!;
    const b = to[index]!;
    if (a.kind !== b.kind) return undefined;
    const renameable = a.kind === 'number' || a.kind === 'string' || (isName(a) && isName(b));
    if (!renameable) {
      if (a.text !== b.text) return undefined;
      continue;
    }
    if ((forward.get(a.text) ?? b.text) !== b.text || (backward.get(b.text) ?? a.text) !== a.text) return undefined;
    forward.set(a.text, b.text);
    backward.set(b.text, a.text);
    changed ||= a.text !== b.text;
  }
  return changed ? forward : undefined;
}

/** Rewrites a line through the mapping: names and literals, and a name quoted on its own (`'a'`). */
function substitute(line: string, tokens: readonly Token[], mapping: ReadonlyMap<string, string>): string {
  let result = '';
  let cursor = 0;
  for (const token of tokens) {
    let text = mapping.get(token.text) ?? token.text;
    const quoted = token.text.slice(1, -1);
    if (token.kind === 'string' && text === token.text && !isKeyword(quoted) && mapping.has(quoted)) {
      text = token.text.charAt(0) + mapping.get(quoted)! + token.text.slice(-1);
    }
    if (isKeyword(token.text)) text = token.text;
    result += line.slice(cursor, token.start) + text;
    cursor = token.end;
  }
  return result + line.slice(cursor);
}

function indentation(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

function reindent(line: string, fromIndent: string, toIndent: string): string {
  return line.startsWith(fromIndent) ? toIndent + line.slice(fromIndent.length) : line;
}

/** Whether a site touches the text the user just typed (`[start, end)` in the document). */
export function overlaps(site: Site, start: number, end: number): boolean {
  if (site.start === site.end) return (start < site.start && site.start < end) || (start === end && site.start === start);
  if (start === end) return site.start < start && start < site.end;
  return site.start < end && site.end > start;
}

/**
 * Sites whose changed lines touch (the same line, or adjacent lines) become one edit: a change
 * is a block of consecutive changed lines, and one accepted edit should complete the block.
 */
export function mergeAdjacent(source: SourceText, sites: readonly Site[], keep?: { start: number; end: number }): Site[] {
  const merged: { site: Site; last: number }[] = [];
  for (const site of [...sites].sort((a, b) => a.start - b.start)) {
    const lines = changedLines(source, site);
    const previous = merged[merged.length - 1];
    if (previous && site.start < previous.site.end) continue;
    // Never swallow the text the user just typed into an edit, even unchanged.
    const spansKept = previous !== undefined && keep !== undefined && keep.start < site.start && keep.end > previous.site.end;
    if (previous && lines.first <= previous.last + 1 && !spansKept) {
      const text = previous.site.text + source.text.slice(previous.site.end, site.start) + site.text;
      const strength = Math.min(previous.site.strength, site.strength);
      merged[merged.length - 1] = { site: { start: previous.site.start, end: site.end, text, strength }, last: Math.max(previous.last, lines.last) };
    } else {
      merged.push({ site, last: lines.last });
    }
  }
  return merged.map((entry) => entry.site);
}

/** The document lines a site changes; `last < first` for lines inserted between two lines. */
function changedLines(source: SourceText, site: Site): { first: number; last: number } {
  let first = source.lineOf(site.start);
  let last = source.lineOf(site.end);
  const removes = site.end > site.start;
  // Text inserted or removed after a line's end, starting with a line break, leaves that line be.
  if (site.start === source.lineEnd(first) && (site.text === '' ? removes : /^[\r\n]/.test(site.text))) first += 1;
  if (site.end === source.lineStart(last) && (site.text === '' ? removes : /[\r\n]$/.test(site.text))) last -= 1;
  return { first, last };
}
