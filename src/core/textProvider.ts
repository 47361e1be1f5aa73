// Synchronous access to the current text of any workspace file for the candidate stages:
// open documents come from the document store, other files from a bounded cache that the
// engine fills asynchronously (prefetch) before the synchronous stages run.

import { LRUCache } from 'lru-cache';
import type { FileReader } from './ports';

export const DEFAULT_TEXT_CACHE_BYTES = 32 * 1024 * 1024;
/** Files on disk can change behind our back; cached copies expire after this long. */
export const TEXT_CACHE_TTL_MS = 30_000;
export const MAX_PREFETCH_FILES = 24;

export interface TextProviderOptions {
  readonly openText: (path: string) => string | undefined;
  readonly fileReader?: FileReader;
  readonly maxCacheBytes?: number;
}

export class TextProvider {
  private readonly openText: (path: string) => string | undefined;
  private readonly fileReader: FileReader | undefined;
  private readonly diskTexts: LRUCache<string, string>;

  constructor(options: TextProviderOptions) {
    const maxCacheBytes = options.maxCacheBytes ?? DEFAULT_TEXT_CACHE_BYTES;
    if (!Number.isInteger(maxCacheBytes) || maxCacheBytes < 1) {
      throw new TypeError(`maxCacheBytes must be a positive integer, got ${maxCacheBytes}`);
    }
    this.openText = options.openText;
    this.fileReader = options.fileReader;
    this.diskTexts = new LRUCache<string, string>({
      maxSize: maxCacheBytes,
      // UTF-16 strings: two bytes per code unit.
      sizeCalculation: (text) => Math.max(1, text.length * 2),
      ttl: TEXT_CACHE_TTL_MS,
    });
  }

  get(path: string): string | undefined {
    return this.openText(path) ?? this.diskTexts.get(path);
  }

  /** Bytes of closed files' text held now; never more than maxCacheBytes. */
  get cachedBytes(): number {
    return this.diskTexts.calculatedSize;
  }

  /** Loads files that are neither open nor cached; bounded in count, silent on failure. */
  async prefetch(paths: Iterable<string>, signal: AbortSignal): Promise<void> {
    const reader = this.fileReader;
    if (!reader) return;
    const missing: string[] = [];
    for (const path of paths) {
      if (missing.length >= MAX_PREFETCH_FILES) break;
      if (this.openText(path) === undefined && !this.diskTexts.has(path)) missing.push(path);
    }
    await Promise.all(
      missing.map(async (path) => {
        if (signal.aborted) return;
        const text = await reader.read(path, signal);
        if (text !== undefined && !signal.aborted) this.diskTexts.set(path, text);
      }),
    );
  }

  forget(path: string): void {
    this.diskTexts.delete(path);
  }
}
