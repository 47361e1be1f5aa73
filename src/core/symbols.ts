// Identifier scanning without a syntax tree: used for edit hunks (fragments that need not
// parse) and for files whose language has no grammar. Deliberately approximate: words inside
// strings and comments count too, which costs a few useless index lookups and nothing else.

import type { Position } from './types';

export interface TextIdentifier {
  readonly name: string;
  readonly position: Position;
  /** Length in UTF-16 code units. */
  readonly length: number;
}

export interface SymbolSpan {
  readonly name: string;
  /** UTF-16 offset of the first character within the line. */
  readonly start: number;
  /** UTF-16 offset just past the last character. */
  readonly end: number;
}

// Unicode-aware so that `café` is one identifier; `$` is legal in JS/TS and harmless elsewhere.
const IDENTIFIER_SOURCE = '[\\p{ID_Start}_$][\\p{ID_Continue}$\\u200c\\u200d]*';
const IDENTIFIER_CHARACTER = /[\p{ID_Continue}$\u200c\u200d]/u;
const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Reserved words of TypeScript, JavaScript, Python, Go and Rust. They never name a user
 * symbol, so looking them up would only add noise.
 */
const KEYWORDS: ReadonlySet<string> = new Set([
  // TypeScript / JavaScript (contextual words such as `get`, `type` or `from` stay: they name user symbols too)
  'abstract', 'async', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger',
  'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for',
  'function', 'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'let', 'new', 'null',
  'private', 'protected', 'public', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true',
  'try', 'typeof', 'undefined', 'var', 'void', 'while', 'with', 'yield', 'as',
  // Python
  'and', 'assert', 'def', 'del', 'elif', 'except', 'False', 'global', 'is', 'lambda', 'None',
  'nonlocal', 'not', 'or', 'pass', 'raise', 'self', 'True',
  // Go
  'chan', 'package', 'defer', 'fallthrough', 'func', 'go', 'goto', 'nil', 'range', 'select', 'struct',
  // Rust
  'crate', 'dyn', 'fn', 'impl', 'loop', 'match', 'mod', 'move', 'mut', 'pub', 'ref', 'Self',
  'trait', 'unsafe', 'use', 'where',
]);

export function isKeyword(word: string): boolean {
  return KEYWORDS.has(word);
}

/** Identifiers in `text` in document order, keywords excluded, positions in UTF-16 code units. */
export function identifiersInText(text: string): TextIdentifier[] {
  const found: TextIdentifier[] = [];
  const lines = text.split(LINE_BREAK);
  for (let line = 0; line < lines.length; line++) {
    const pattern = new RegExp(IDENTIFIER_SOURCE, 'gu');
    for (const match of (lines[line] ?? '').matchAll(pattern)) {
      const name = match[0];
      if (isKeyword(name)) continue;
      found.push({ name, position: { line, character: match.index }, length: name.length });
    }
  }
  return found;
}

/** Distinct identifier names in `text`, in order of first appearance, keywords excluded. */
export function identifierNames(text: string): string[] {
  return [...new Set(identifiersInText(text).map((identifier) => identifier.name))];
}

/**
 * The identifier under or immediately before `character` (a cursor right after a word still
 * means that word), or undefined when the cursor touches none or only a keyword.
 */
export function symbolAt(lineText: string, character: number): SymbolSpan | undefined {
  if (!Number.isInteger(character) || character < 0 || character > lineText.length) return undefined;
  const pattern = new RegExp(IDENTIFIER_SOURCE, 'gu');
  for (const match of lineText.matchAll(pattern)) {
    const start = match.index;
    const end = start + match[0].length;
    if (start > character) break;
    if (character <= end && !isKeyword(match[0])) return { name: match[0], start, end };
  }
  return undefined;
}

/** True when `character` sits inside or at either edge of a word, for callers that scan by hand. */
export function isIdentifierCharacter(character: string): boolean {
  return IDENTIFIER_CHARACTER.test(character);
}
