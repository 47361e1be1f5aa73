// Stable, fast, non-cryptographic string hashing for cache keys and suggestion ids.

import type { TextEdit } from './types';

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over UTF-16 code units, as 8 hex digits. */
export function hashText(text: string, seed = FNV_OFFSET_BASIS): string {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** A key that names exactly what a list of edits does. */
function editsKey(edits: readonly TextEdit[]): string {
  return edits
    .map((edit) => `${edit.path}:${edit.range.start.line}:${edit.range.start.character}-${edit.range.end.line}:${edit.range.end.character}=${edit.text}`)
    .join('\u0000');
}

/** Equal edit lists hash equally: for de-duplicating suggestions. */
export function hashEdits(edits: readonly TextEdit[]): string {
  return hashText(editsKey(edits));
}

/** An id that depends only on what the edits do, so equal suggestions share one id. */
export function suggestionId(prefix: string, edits: readonly TextEdit[]): string {
  const key = editsKey(edits);
  return `${prefix}-${hashText(key)}${hashText(key, 0x1234567)}`;
}
