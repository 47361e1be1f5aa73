// Adding a name to the list of names an import statement already has: `{a, b}` in JavaScript,
// `import a, b` or `import (a, b)` in Python. The list's own habits decide where and how: sorted
// place in a sorted list, else the end; a line of its own in a one-name-per-line list; its
// separators and trailing comma.

import type { Position } from './types';

/** An insertion of `text` at `position`. */
export interface Insertion {
  readonly position: Position;
  readonly text: string;
}

/** The position of `offset` in `text`, a statement whose first line is `startLine`. */
export function positionIn(text: string, startLine: number, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: startLine + before.length - 1, character: before[before.length - 1]!.length };
}

/**
 * `names` added to the list between offsets `from` and `to` of `text` (a statement whose first
 * line is `startLine`), each where listAddition puts it, insertions at one place joined in order;
 * undefined when any cannot be added.
 */
export function listAdditions(text: string, startLine: number, from: number, to: number, names: readonly string[]): Insertion[] | undefined {
  const insertions: Insertion[] = [];
  for (const name of [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))) {
    const insertion = listAddition(text, startLine, from, to, name);
    if (!insertion) return undefined;
    insertions.push(insertion);
  }
  return joinInsertions(insertions);
}

/** Insertions at the same position as one, their texts in the given order; by position. */
export function joinInsertions(insertions: readonly Insertion[]): Insertion[] {
  const joined = new Map<string, Insertion>();
  for (const insertion of insertions) {
    const key = `${insertion.position.line}:${insertion.position.character}`;
    const before = joined.get(key);
    joined.set(key, before ? { position: before.position, text: before.text + insertion.text } : insertion);
  }
  return [...joined.values()].sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

/**
 * `name` added to the list of names between offsets `from` and `to` of `text` (a statement whose
 * first line is `startLine`); undefined when the list is empty or binds the name already.
 */
export function listAddition(text: string, startLine: number, from: number, to: number, name: string): Insertion | undefined {
  const members = membersOf(text, from, to);
  if (members.length === 0 || members.some((member) => member.binding === name)) return undefined;
  const multiline = text.slice(from, to).includes('\n');
  const separator = /,[ \t]/.test(text.slice(from, to)) || members.length === 1 ? ', ' : ',';
  const key = (word: string): string => word.toLowerCase();
  const sorted = members.length >= 2 && members.every((member, index) => index === 0 || key(members[index - 1]!.imported) <= key(member.imported));
  const next = sorted ? members.find((member) => key(member.imported) > key(name)) : undefined;
  if (next) {
    const lineStart = text.lastIndexOf('\n', next.start - 1) + 1;
    const ownLine = multiline && text.slice(lineStart, next.start).trim() === '';
    return ownLine
      ? { position: positionIn(text, startLine, lineStart), text: `${text.slice(lineStart, next.start)}${name},\n` }
      : { position: positionIn(text, startLine, next.start), text: `${name}${separator}` };
  }
  const last = members[members.length - 1]!;
  const after = text.slice(last.end, to);
  const trailingComma = after.trimStart().startsWith(',');
  const lineStart = text.lastIndexOf('\n', last.start - 1) + 1;
  const indentation = text.slice(lineStart, last.start);
  // One name per line, the braces on lines of their own: the new name gets its own line too.
  if (multiline && indentation.trim() === '' && after.includes('\n')) {
    const lineEnd = last.end + after.indexOf('\n');
    return trailingComma
      ? { position: positionIn(text, startLine, lineEnd), text: `\n${indentation}${name},` }
      : { position: positionIn(text, startLine, last.end), text: `,\n${indentation}${name}` };
  }
  return trailingComma
    ? { position: positionIn(text, startLine, last.end + after.indexOf(',') + 1), text: `${separator === ', ' ? ' ' : ''}${name},` }
    : { position: positionIn(text, startLine, last.end), text: `${separator}${name}` };
}


/** A name in an import's list: `a`, `a as b`, `type T`, `a: b` (destructured require). */
interface ImportMember {
  readonly imported: string;
  /** The name it binds in the file. */
  readonly binding: string;
  /** Offsets of the member's text, without the spaces and comma around it. */
  readonly start: number;
  readonly end: number;
}

function membersOf(text: string, from: number, to: number): ImportMember[] {
  const members: ImportMember[] = [];
  let start = from;
  for (const piece of text.slice(from, to).split(',')) {
    const leading = piece.length - piece.trimStart().length;
    const words = piece.trim().replace(/^type\s+/, '').split(/\s+as\s+|\s*:\s*/);
    if (piece.trim() !== '') {
      members.push({ imported: words[0]!, binding: words[words.length - 1]!, start: start + leading, end: start + piece.trimEnd().length });
    }
    start += piece.length + 1;
  }
  return members;
}

