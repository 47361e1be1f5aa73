// A small, language-aware lexer and a line-indexed view of a document for edit propagation.
// Propagation reasons about tokens rather than characters so that `count` never matches inside
// `counter`, a string or a comment, and so that "the same change in the same context" can be
// checked token by token. It is deliberately forgiving: it never throws on odd input.

import type { Position } from './types';

export type Language = 'javascript' | 'python' | 'go' | 'rust';

/** Comments are dropped by the lexer: no propagation pattern ever needs them. */
export type TokenKind = 'identifier' | 'number' | 'string' | 'punctuation';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Offsets into the lexed text, end exclusive. */
  readonly start: number;
  readonly end: number;
}

/** Longest first, so that `===` wins over `==` and `=`. */
const OPERATORS = [
  '>>>=', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=', '...',
  '==', '!=', '<=', '>=', '=>', '->', '::', '&&', '||', '??', '?.', '++', '--',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '**', '<<', '>>', ':=',
];

const OPERATOR_STARTS = new Set(OPERATORS.map((operator) => operator.charCodeAt(0)));

/** Words that can never be renamed; contextual words like `get` or `type` stay identifiers. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'var', 'let', 'const', 'function', 'return', 'if', 'else', 'for', 'while', 'do', 'switch', 'case',
  'break', 'continue', 'new', 'delete', 'typeof', 'instanceof', 'in', 'of', 'class', 'extends', 'super',
  'this', 'import', 'export', 'default', 'async', 'await', 'yield', 'try', 'catch', 'finally', 'throw',
  'void', 'null', 'undefined', 'true', 'false', 'static', 'public', 'private', 'protected', 'readonly',
  'interface', 'enum', 'implements', 'abstract', 'def', 'lambda', 'pass', 'None', 'True', 'False', 'and',
  'or', 'not', 'elif', 'except', 'raise', 'with', 'global', 'nonlocal', 'del', 'assert', 'is', 'self',
  'func', 'package', 'go', 'defer', 'chan', 'map', 'struct', 'range', 'select', 'fallthrough', 'goto',
  'nil', 'fn', 'mut', 'pub', 'impl', 'trait', 'match', 'loop', 'use', 'mod', 'crate', 'Self', 'where',
  'ref', 'move', 'dyn', 'unsafe', 'extern', 'type', 'as', 'from',
  // TypeScript's primitive types read as names but are never renamed like one.
  'any', 'unknown', 'never', 'string', 'number', 'boolean', 'object', 'symbol', 'bigint',
]);

const DEFINITION_KEYWORDS = new Set(['function', 'def', 'fn', 'func']);
/** Words after which a name is being declared. */
export const DECLARATION_WORDS: ReadonlySet<string> = new Set(['let', 'const', 'var', 'function', 'class', 'def', 'fn', 'func', 'type', 'interface', 'enum', 'struct', 'trait', 'mut']);

export function languageOf(path: string): Language {
  const dot = path.lastIndexOf('.');
  const extension = dot === -1 ? '' : path.slice(dot + 1).toLowerCase();
  if (extension === 'py' || extension === 'pyi') return 'python';
  if (extension === 'go') return 'go';
  if (extension === 'rs') return 'rust';
  return 'javascript';
}

export function isKeyword(text: string): boolean {
  return KEYWORDS.has(text);
}

/** A renameable name: an identifier token that is not a keyword. */
export function isName(token: Token | undefined): token is Token {
  return token !== undefined && token.kind === 'identifier' && !KEYWORDS.has(token.text);
}

export function tokenize(text: string, language: Language): Token[] {
  const tokens: Token[] = [];
  // Brace depth inside each open template substitution `${ ... }`, innermost last.
  const templateDepths: number[] = [];
  const push = (kind: TokenKind, start: number, end: number): void => {
    tokens.push({ kind, text: text.slice(start, end), start, end });
  };
  const template = (from: number): number => {
    const end = templateChunkEnd(text, from);
    push('string', from, end);
    if (text.startsWith('${', end - 2) && end - 2 > from) templateDepths.push(0);
    return end;
  };
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (isSpace(code)) {
      index++;
    } else if (isIdentifierStart(code, text, index)) {
      const end = identifierEnd(text, index + 1);
      push('identifier', index, end);
      index = end;
    } else if (code >= 48 && code <= 57) {
      let end = index + 1;
      while (end < text.length && isNumberPart(text.charCodeAt(end)) && !(text.charCodeAt(end) === 46 && text.charCodeAt(end + 1) === 46)) end++;
      push('number', index, end);
      index = end;
    } else if (language === 'python' ? code === 35 : code === 47 && next === 47) {
      index = lineEnd(text, index);
    } else if (language !== 'python' && code === 47 && next === 42) {
      const close = text.indexOf('*/', index + 2);
      index = close === -1 ? text.length : close + 2;
    } else if (code === 34 || code === 39) {
      const end = quotedEnd(text, index, language);
      if (end === undefined) push('punctuation', index, index + 1);
      else push('string', index, end);
      index = end ?? index + 1;
    } else if (code === 96 && language === 'javascript') {
      index = template(index);
    } else if (code === 47 && language === 'javascript' && startsExpression(tokens[tokens.length - 1])) {
      // A regular expression literal: its quotes, brackets and backticks are not code.
      const end = regularExpressionEnd(text, index);
      push(end === undefined ? 'punctuation' : 'string', index, end ?? index + 1);
      index = end ?? index + 1;
    } else if (code === 96 && language === 'go') {
      const close = text.indexOf('`', index + 1);
      const end = close === -1 ? text.length : close + 1;
      push('string', index, end);
      index = end;
    } else if (code === 125 && templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === 0) {
      templateDepths.pop();
      index = template(index);
    } else {
      if (templateDepths.length > 0 && (code === 123 || code === 125)) {
        templateDepths[templateDepths.length - 1]! += code === 123 ? 1 : -1;
      }
      const operator = OPERATOR_STARTS.has(code) ? OPERATORS.find((candidate) => text.startsWith(candidate, index)) : undefined;
      const end = index + (operator?.length ?? 1);
      push('punctuation', index, end);
      index = end;
    }
  }
  return tokens;
}

/** Words after which a `/` starts a regular expression rather than dividing. */
const EXPRESSION_KEYWORDS: ReadonlySet<string> = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

/** Whether an expression can start after `previous`: then a `/` opens a regular expression. */
function startsExpression(previous: Token | undefined): boolean {
  if (!previous) return true;
  if (previous.kind === 'identifier') return EXPRESSION_KEYWORDS.has(previous.text);
  if (previous.kind !== 'punctuation') return false;
  // `</` closes a JSX element far more often than `<` compares with a regular expression.
  return !/^(?:[)\]}<]|\+\+|--)$/.test(previous.text);
}

/** The end of a regular expression literal (flags included) starting at `start`; undefined when it does not close on its line. */
function regularExpressionEnd(text: string, start: number): number | undefined {
  let inClass = false;
  for (let index = start + 1; index < text.length; index++) {
    const char = text[index];
    if (char === '\\') index++;
    else if (char === '\n' || char === '\r') return undefined;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '/') return identifierEnd(text, index + 1);
  }
  return undefined;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12 || code === 0xa0 || code === 0xfeff;
}

function isNumberPart(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 46;
}

function isIdentifierStart(code: number, text: string, index: number): boolean {
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36) return true;
  return code > 127 && /[\p{L}\p{Nl}]/u.test(text.charAt(index));
}

function identifierEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    const ascii = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36;
    if (!ascii && !(code > 127 && /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u.test(text.charAt(end)))) break;
    end++;
  }
  return end;
}

function lineEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
  return end;
}

/**
 * The end of a quoted string starting at `start`, or undefined when the quote is not a string
 * opener (an apostrophe in prose, a Rust lifetime): ordinary strings never cross a line break.
 */
function quotedEnd(text: string, start: number, language: Language): number | undefined {
  const quote = text.charAt(start);
  if (language === 'python' && text.startsWith(quote.repeat(3), start)) {
    const close = text.indexOf(quote.repeat(3), start + 3);
    return close === -1 ? text.length : close + 3;
  }
  if (language === 'rust' && quote === "'" && /[\w]/.test(text.charAt(start + 1)) && text.charAt(start + 2) !== "'") {
    return undefined;
  }
  for (let index = start + 1; index < text.length; index++) {
    const char = text.charAt(index);
    if (char === '\\') index++;
    else if (char === quote) return index + 1;
    else if (char === '\n' || char === '\r') return undefined;
  }
  return undefined;
}

/** A template literal chunk runs from a backtick or `}` to the closing backtick or a `${`. */
function templateChunkEnd(text: string, from: number): number {
  for (let index = from + 1; index < text.length; index++) {
    const char = text.charAt(index);
    if (char === '\\') index++;
    else if (char === '`') return index + 1;
    else if (char === '$' && text.charAt(index + 1) === '{') return index + 2;
  }
  return text.length;
}

/** A document's text with line offsets and lazily lexed tokens. Offsets are UTF-16 indexes. */
export class SourceText {
  readonly language: Language;
  /** The line break new lines should use: the document's own. */
  readonly eol: string;
  private readonly lineStarts: number[];
  private lexed: readonly Token[] | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.language = languageOf(path);
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    const starts = [0];
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === 13 && text.charCodeAt(index + 1) === 10) index++;
      if (code === 10 || code === 13) starts.push(index + 1);
    }
    this.lineStarts = starts;
  }

  get tokens(): readonly Token[] {
    this.lexed ??= tokenize(this.text, this.language);
    return this.lexed;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  lineStart(line: number): number {
    return this.lineStarts[clamp(line, 0, this.lineStarts.length - 1)]!;
  }

  /** Offset just past the line's content, before its line break. */
  lineEnd(line: number): number {
    const safeLine = clamp(line, 0, this.lineStarts.length - 1);
    let end = safeLine + 1 < this.lineStarts.length ? this.lineStarts[safeLine + 1]! : this.text.length;
    while (end > this.lineStarts[safeLine]! && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  positionAt(offset: number): Position {
    const line = this.lineOf(offset);
    return { line, character: Math.min(offset, this.lineEnd(line)) - this.lineStart(line) };
  }

  offsetAt(position: Position): number {
    const line = clamp(position.line, 0, this.lineStarts.length - 1);
    return Math.min(this.lineStart(line) + Math.max(0, position.character), this.lineEnd(line));
  }

  /** Index of the first token starting at or after `offset`. */
  tokenIndexAt(offset: number): number {
    const tokens = this.tokens;
    let low = 0;
    let high = tokens.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (tokens[middle]!.start < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Token index range [first, end) of the tokens that start on `line`. */
  tokenRangeOfLine(line: number): { readonly first: number; readonly end: number } {
    const first = this.tokenIndexAt(this.lineStart(line));
    const end = line + 1 < this.lineCount ? this.tokenIndexAt(this.lineStart(line + 1)) : this.tokens.length;
    return { first, end };
  }

  /** Outside every code token, on a line that is a comment or after a line comment marker. */
  inComment(offset: number): boolean {
    const covering = this.tokens[this.tokenIndexAt(offset + 1) - 1];
    if (covering && covering.start <= offset && covering.end > offset) return false;
    const line = this.lineOf(offset);
    const before = this.text.slice(this.lineStart(line), offset);
    return (this.language === 'python' ? /#/ : /^\s*(?:\*|\/\*)|\/\//).test(before);
  }

  sameLine(a: number, b: number): boolean {
    return this.lineOf(a) === this.lineOf(b);
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** A line with its names and literals abstracted away: `this.log('a');` and `this.log('b');` agree. */
export function lineShape(line: string): string {
  const tokens = tokenize(line, 'javascript');
  const callee = (index: number): boolean => tokens[index + 1]?.text === '(';
  return tokens
    .map((token, index) => (token.kind === 'punctuation' || isKeyword(token.text) || (token.kind === 'identifier' && callee(index)) ? token.text : token.kind))
    .join(' ');
}

// Call syntax, shared by pattern derivation and site search.

export interface CallSyntax {
  readonly calleeIndex: number;
  readonly openIndex: number;
  readonly closeIndex: number;
  /** Token index spans, inclusive, of the top-level arguments. */
  readonly args: readonly { readonly first: number; readonly last: number }[];
}

/** The calls `name(...)` in a token list, in document order. */
export function callsByName(tokens: readonly Token[]): CallSyntax[] {
  const calls: CallSyntax[] = [];
  for (let index = 0; index + 1 < tokens.length; index++) {
    if (tokens[index + 1]!.text !== '(' || !isName(tokens[index])) continue;
    const call = parseCall(tokens, index);
    if (call) calls.push(call);
  }
  return calls;
}

export function parseCall(tokens: readonly Token[], calleeIndex: number): CallSyntax | undefined {
  const openIndex = calleeIndex + 1;
  if (tokens[openIndex]?.text !== '(') return undefined;
  const args: { first: number; last: number }[] = [];
  let depth = 0;
  let argumentFirst = openIndex + 1;
  for (let index = openIndex + 1; index < tokens.length; index++) {
    const text = tokens[index]!.text;
    if (text === '(' || text === '[' || text === '{') depth++;
    else if ((text === ')' || text === ']' || text === '}') && depth > 0) depth--;
    else if (text === ')' || (text === ',' && depth === 0)) {
      if (index > argumentFirst) args.push({ first: argumentFirst, last: index - 1 });
      else if (text === ',' || args.length > 0) return undefined; // an empty argument: `f(a,,b)` or `f(a,)`
      if (text === ')') return { calleeIndex, openIndex, closeIndex: index, args };
      argumentFirst = index + 1;
    } else if (text === ')' || text === ']' || text === '}') return undefined;
  }
  return undefined;
}

export function argumentKey(tokens: readonly Token[], arg: { readonly first: number; readonly last: number }): string {
  return tokens.slice(arg.first, arg.last + 1).map((token) => token.text).join(' ');
}

export function argumentText(source: SourceText, call: CallSyntax, index: number): string {
  const arg = call.args[index]!;
  return source.text.slice(source.tokens[arg.first]!.start, source.tokens[arg.last]!.end);
}

/** `function name(`, `def name(`, or a method head `name(...) {` that starts its line. */
export function isDefinition(tokens: readonly Token[], call: CallSyntax, source: SourceText): boolean {
  const previous = tokens[call.calleeIndex - 1];
  if (previous && DEFINITION_KEYWORDS.has(previous.text)) return true;
  const lineFirst = source.tokenIndexAt(source.lineStart(source.lineOf(tokens[call.calleeIndex]!.start)));
  // Go methods: `func (r *T) name(`.
  if (tokens[lineFirst]?.text === 'func' && previous?.text === ')') return true;
  const modifiersOnly = tokens.slice(lineFirst, call.calleeIndex).every((token) => /^(?:static|async|public|private|protected|override|abstract|get|set|export|default)$/.test(token.text));
  const next = tokens[call.closeIndex + 1]?.text;
  return modifiersOnly && (next === '{' || next === ':');
}

