// Byte-level BPE over code. Pure: the tokenizer arrives as the parsed models/tokenizer.json
// object, so the extension, the worker, the CLI and the training pipeline share one encoder.
// Ids (see models/FORMAT.md): special tokens first, then the 256 bytes, then merges in rank order.

/** Windows hold at most this many lines; slot MAX_WINDOW_SLOTS means "after the last line". */
export const MAX_WINDOW_SLOTS = 32;
/** The special tokens of models/FORMAT.md, in id order. */
export const SPECIAL_TOKENS: readonly string[] = [
  '<|pad|>',
  '<|bos|>',
  '<|eos|>',
  '<|history|>',
  '<|edit|>',
  '<|before|>',
  '<|after|>',
  '<|snippets|>',
  '<|snippet|>',
  '<|file|>',
  '<|window|>',
  '<|end_window|>',
  '<|cursor|>',
  '<|output|>',
  '<|no_change|>',
  '<|replace|>',
  '<|insert|>',
  '<|delete|>',
  '<|end_line|>',
  ...Array.from({ length: MAX_WINDOW_SLOTS + 1 }, (_, slot) => slotTokenName(slot)),
];

export function slotTokenName(slot: number): string {
  return `<|slot_${slot}|>`;
}

/** The JSON shape of models/tokenizer.json. */
export interface TokenizerData {
  readonly version: 1;
  readonly vocabSize: number;
  readonly specialTokens: readonly string[];
  readonly merges: readonly (readonly [number, number])[];
}

export interface BpeTokenizerOptions {
  /** Distinct pre-tokenized pieces whose encodings are remembered; oldest are forgotten first. */
  readonly maxCachedPieces?: number;
}

/** Token ids travel as uint16 in the training files. */
export const MAX_VOCAB_SIZE = 65_536;
const BYTE_COUNT = 256;
const DEFAULT_MAX_CACHED_PIECES = 50_000;
/** Longer pieces (base64 blobs, long words) are encoded in chunks so merging stays linear-ish. */
export const MAX_PIECE_CHARS = 128;

/**
 * Code-aware pre-tokenization. An optional single space joins the word or punctuation run that
 * follows (so ` = ` costs two pieces, not three); longer runs of spaces or tabs, the indentation,
 * stay their own piece; a line break carries the next line's indentation. Every character of the
 * input lands in exactly one piece, in order, which is what makes decode(encode(s)) === s.
 */
const PIECE_PATTERN = / ?[\p{L}\p{N}_]+| ?[^\s\p{L}\p{N}_]{1,4}|(?:\r\n|\n|\r)[ \t]*|[ \t]+|\s/gu;

export function preTokenize(text: string): string[] {
  return text.match(PIECE_PATTERN) ?? [];
}

/** Checks a parsed tokenizer.json; throws TypeError naming the first problem. */
export function validateTokenizerData(value: unknown): TokenizerData {
  if (typeof value !== 'object' || value === null) throw new TypeError('tokenizer: expected an object');
  const data = value as Record<string, unknown>;
  if (data.version !== 1) throw new TypeError(`tokenizer: unsupported version ${String(data.version)}`);
  const specialTokens = data.specialTokens;
  if (!Array.isArray(specialTokens) || !specialTokens.every((name) => typeof name === 'string' && name.length > 0)) {
    throw new TypeError('tokenizer: specialTokens must be non-empty strings');
  }
  if (new Set(specialTokens).size !== specialTokens.length) throw new TypeError('tokenizer: duplicate special token');
  const merges = data.merges;
  if (!Array.isArray(merges)) throw new TypeError('tokenizer: merges must be an array');
  const firstMergeId = specialTokens.length + BYTE_COUNT;
  const seen = new Set<number>();
  merges.forEach((merge: unknown, rank) => {
    const id = firstMergeId + rank;
    if (!Array.isArray(merge) || merge.length !== 2) throw new TypeError(`tokenizer: merge ${rank} is not a pair`);
    for (const part of merge) {
      if (!Number.isInteger(part) || part < specialTokens.length || part >= id) {
        throw new TypeError(`tokenizer: merge ${rank} refers to invalid id ${String(part)}`);
      }
    }
    const key = pairKey(merge[0] as number, merge[1] as number);
    if (seen.has(key)) throw new TypeError(`tokenizer: merge ${rank} repeats an earlier merge`);
    seen.add(key);
  });
  const vocabSize = data.vocabSize;
  if (vocabSize !== firstMergeId + merges.length) {
    throw new TypeError(`tokenizer: vocabSize ${String(vocabSize)} != ${firstMergeId + merges.length}`);
  }
  if (vocabSize > MAX_VOCAB_SIZE) throw new TypeError(`tokenizer: vocabSize ${vocabSize} exceeds ${MAX_VOCAB_SIZE}`);
  return value as TokenizerData;
}

export class BpeTokenizer {
  readonly vocabSize: number;
  readonly specialCount: number;
  readonly specialTokens: readonly string[];
  private readonly specialIds = new Map<string, number>();
  /** left * vocabSize + right (small integers hash fastest) -> merged id; lower id = earlier merge. */
  private readonly mergedIds = new Map<number, number>();
  private readonly tokenBytesById: Uint8Array[] = [];
  private readonly pieceCache = new Map<string, readonly number[]>();
  private readonly maxCachedPieces: number;

  constructor(data: TokenizerData, options: BpeTokenizerOptions = {}) {
    validateTokenizerData(data);
    const maxCachedPieces = options.maxCachedPieces ?? DEFAULT_MAX_CACHED_PIECES;
    if (!Number.isInteger(maxCachedPieces) || maxCachedPieces < 0) {
      throw new TypeError(`maxCachedPieces must be a non-negative integer, got ${String(maxCachedPieces)}`);
    }
    this.maxCachedPieces = maxCachedPieces;
    this.vocabSize = data.vocabSize;
    this.specialCount = data.specialTokens.length;
    this.specialTokens = [...data.specialTokens];
    const encoder = new TextEncoder();
    data.specialTokens.forEach((name, id) => {
      this.specialIds.set(name, id);
      this.tokenBytesById.push(encoder.encode(name));
    });
    for (let byte = 0; byte < BYTE_COUNT; byte++) this.tokenBytesById.push(Uint8Array.of(byte));
    data.merges.forEach(([left, right], rank) => {
      const id = this.specialCount + BYTE_COUNT + rank;
      this.mergedIds.set(left * this.vocabSize + right, id);
      const leftBytes = this.tokenBytesById[left] as Uint8Array;
      const rightBytes = this.tokenBytesById[right] as Uint8Array;
      const bytes = new Uint8Array(leftBytes.length + rightBytes.length);
      bytes.set(leftBytes, 0);
      bytes.set(rightBytes, leftBytes.length);
      this.tokenBytesById.push(bytes);
    });
  }

  /** Id of a special token; throws RangeError for a name the tokenizer does not have. */
  specialId(name: string): number {
    const id = this.specialIds.get(name);
    if (id === undefined) throw new RangeError(`unknown special token ${name}`);
    return id;
  }

  isSpecial(id: number): boolean {
    return id >= 0 && id < this.specialCount;
  }

  /** Plain text to ids. Special-token names inside `text` are ordinary text, never specials. */
  encode(text: string): number[] {
    const ids: number[] = [];
    for (const piece of preTokenize(text)) {
      if (piece.length <= MAX_PIECE_CHARS) {
        for (const id of this.encodePiece(piece)) ids.push(id);
        continue;
      }
      for (const chunk of chunkPiece(piece)) for (const id of this.encodePiece(chunk)) ids.push(id);
    }
    return ids;
  }

  /** Ids to text. Special tokens appear as their names; invalid UTF-8 becomes U+FFFD. */
  decode(ids: readonly number[]): string {
    let text = '';
    let pending: number[] = [];
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) throw new RangeError(`token id ${id} out of range`);
      if (this.isSpecial(id)) {
        text += decodeWtf8(pending) + (this.specialTokens[id] as string);
        pending = [];
        continue;
      }
      for (const byte of this.tokenBytesById[id] as Uint8Array) pending.push(byte);
    }
    return text + decodeWtf8(pending);
  }

  /** The bytes a token stands for (a special token: its name's UTF-8). */
  tokenBytes(id: number): Uint8Array {
    const bytes = this.tokenBytesById[id];
    if (!bytes) throw new RangeError(`token id ${id} out of range`);
    return bytes;
  }

  private encodePiece(piece: string): readonly number[] {
    const cached = this.pieceCache.get(piece);
    if (cached) return cached;
    const ids = this.mergeBytes(encodeWtf8(piece));
    if (this.maxCachedPieces > 0) {
      if (this.pieceCache.size >= this.maxCachedPieces) {
        const oldest = this.pieceCache.keys().next();
        if (!oldest.done) this.pieceCache.delete(oldest.value);
      }
      this.pieceCache.set(piece, ids);
    }
    return ids;
  }

  /** Repeatedly merges the adjacent pair with the earliest merge rank, as training did. */
  private mergeBytes(bytes: readonly number[]): number[] {
    const ids = bytes.map((byte) => byte + this.specialCount);
    while (ids.length > 1) {
      let bestId = Infinity;
      let bestIndex = -1;
      for (let index = 0; index < ids.length - 1; index++) {
        const merged = this.mergedIds.get((ids[index] as number) * this.vocabSize + (ids[index + 1] as number));
        if (merged !== undefined && merged < bestId) {
          bestId = merged;
          bestIndex = index;
        }
      }
      if (bestIndex < 0) break;
      ids.splice(bestIndex, 2, bestId);
    }
    return ids;
  }
}

/** Splits an overlong piece into MAX_PIECE_CHARS chunks without cutting a surrogate pair. */
export function chunkPiece(piece: string): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < piece.length) {
    let end = Math.min(piece.length, start + MAX_PIECE_CHARS);
    if (end < piece.length && isHighSurrogate(piece.charCodeAt(end - 1))) end++;
    chunks.push(piece.slice(start, end));
    start = end;
  }
  return chunks;
}

export function pairKey(left: number, right: number): number {
  return left * MAX_VOCAB_SIZE + right;
}

/**
 * UTF-8 that also carries lone surrogates (WTF-8), so every JavaScript string round-trips,
 * even one cut in the middle of a surrogate pair by an editor's change event.
 */
export function encodeWtf8(text: string): number[] {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    let code = text.charCodeAt(index);
    if (isHighSurrogate(code) && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        index++;
      }
    }
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else {
      bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    }
  }
  return bytes;
}

/** Inverse of encodeWtf8; a malformed sequence (the model may emit one) decodes to U+FFFD. */
export function decodeWtf8(bytes: readonly number[]): string {
  let text = '';
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] as number;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    let code = length === 1 ? lead : length === 2 ? lead & 0x1f : length === 3 ? lead & 0x0f : lead & 0x07;
    let valid = length > 0 && index + length <= bytes.length;
    for (let offset = 1; valid && offset < length; offset++) {
      const continuation = bytes[index + offset] as number;
      if ((continuation & 0xc0) !== 0x80) valid = false;
      code = (code << 6) | (continuation & 0x3f);
    }
    const minimum = length === 2 ? 0x80 : length === 3 ? 0x800 : length === 4 ? 0x10000 : 0;
    if (!valid || code < minimum || code > 0x10ffff) {
      text += '\ufffd';
      index++;
      continue;
    }
    text += String.fromCodePoint(code);
    index += length;
  }
  return text;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
