// Lexed documents shared by the symbolic sources: each prediction's sources read the same edited
// file (and often the same related files), and lexing a large file is the costly part. A document
// is lexed again only when its text changed.

import { LRUCache } from 'lru-cache';
import { SourceText } from './codeTokens';

/** Lexed documents kept between requests; an unchanged file is not lexed twice. */
export const MAX_CACHED_DOCUMENTS = 32;
/** Files larger than this are not lexed: the symbolic sources must stay within the latency budget. */
export const MAX_SCANNED_FILE_CHARS = 512 * 1024;

export class LexedDocuments {
  private readonly cache = new LRUCache<string, SourceText>({ max: MAX_CACHED_DOCUMENTS });

  /** `text` of `path` as a SourceText; the cached one when the text is the same; none when too large. */
  get(path: string, text: string): SourceText | undefined {
    if (text.length > MAX_SCANNED_FILE_CHARS) return undefined;
    const cached = this.cache.get(path);
    if (cached?.text === text) return cached;
    const source = new SourceText(path, text);
    this.cache.set(path, source);
    return source;
  }
}
