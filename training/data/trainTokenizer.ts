// Trains the byte-level BPE merges of models/tokenizer.json on a code corpus.
// Counts distinct pre-tokenized pieces once, then keeps pair counts incrementally: each merge
// only revisits the pieces that contain the merged pair, and a lazy max-heap finds the next
// pair, so ~20 MB of code trains to 8192 tokens in a few minutes on one core.

import { chunkPiece, encodeWtf8, MAX_VOCAB_SIZE, preTokenize, SPECIAL_TOKENS, type TokenizerData } from '../../src/core/bpe';

export const DEFAULT_VOCAB_SIZE = 8192;
const BYTE_COUNT = 256;

export interface TrainOptions {
  readonly vocabSize?: number;
  /** A pair seen fewer times than this in the whole corpus is never merged. */
  readonly minPairCount?: number;
  readonly specialTokens?: readonly string[];
}

export function trainBpe(texts: Iterable<string>, options: TrainOptions = {}): TokenizerData {
  const specialTokens = options.specialTokens ?? SPECIAL_TOKENS;
  const vocabSize = options.vocabSize ?? DEFAULT_VOCAB_SIZE;
  const minPairCount = options.minPairCount ?? 2;
  const firstMergeId = specialTokens.length + BYTE_COUNT;
  if (!Number.isInteger(vocabSize) || vocabSize < firstMergeId || vocabSize > MAX_VOCAB_SIZE) {
    throw new TypeError(`vocabSize must be an integer in [${firstMergeId}, ${MAX_VOCAB_SIZE}], got ${vocabSize}`);
  }
  if (!Number.isInteger(minPairCount) || minPairCount < 1) throw new TypeError(`minPairCount must be >= 1`);

  const { words, counts } = countPieces(texts, specialTokens.length);
  // Ids stay below vocabSize, so this key is unique and a small integer (fast Map hashing).
  const base = vocabSize;
  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  words.forEach((word, wordIndex) => {
    const count = counts[wordIndex] as number;
    for (let index = 0; index < word.length - 1; index++) {
      const key = (word[index] as number) * base + (word[index + 1] as number);
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + count);
      let holders = pairWords.get(key);
      if (!holders) pairWords.set(key, (holders = new Set()));
      holders.add(wordIndex);
    }
  });
  const heap = new PairHeap();
  for (const [key, count] of pairCounts) heap.push(count, key);

  const merges: [number, number][] = [];
  while (firstMergeId + merges.length < vocabSize && heap.size > 0) {
    const { count, key } = heap.pop();
    if (pairCounts.get(key) !== count) continue; // stale entry; the current count was pushed too
    if (count < minPairCount) break;
    const left = Math.floor(key / base);
    const right = key % base;
    const newId = firstMergeId + merges.length;
    merges.push([left, right]);
    const deltas = new Map<number, number>();
    for (const wordIndex of pairWords.get(key) ?? []) {
      const word = words[wordIndex] as number[];
      const merged = mergeWord(word, left, right, newId);
      if (merged.length === word.length) continue;
      const count = counts[wordIndex] as number;
      addPairs(deltas, word, -count, base);
      addPairs(deltas, merged, count, base);
      words[wordIndex] = merged;
      for (let index = 0; index < merged.length - 1; index++) {
        const pair = (merged[index] as number) * base + (merged[index + 1] as number);
        if (merged[index] !== newId && merged[index + 1] !== newId) continue;
        let holders = pairWords.get(pair);
        if (!holders) pairWords.set(pair, (holders = new Set()));
        holders.add(wordIndex);
      }
    }
    pairWords.delete(key);
    for (const [pair, delta] of deltas) {
      if (delta === 0) continue;
      const updated = (pairCounts.get(pair) ?? 0) + delta;
      if (updated <= 0) pairCounts.delete(pair);
      else {
        pairCounts.set(pair, updated);
        heap.push(updated, pair);
      }
    }
  }
  return { version: 1, vocabSize: firstMergeId + merges.length, specialTokens: [...specialTokens], merges };
}

function countPieces(texts: Iterable<string>, specialCount: number): { words: number[][]; counts: number[] } {
  const pieceCounts = new Map<string, number>();
  for (const text of texts) {
    for (const piece of preTokenize(text)) {
      // Same chunking as BpeTokenizer.encode, so training sees what encoding will see.
      for (const chunk of chunkPiece(piece)) {
        if (chunk.length < 2 && chunk.charCodeAt(0) < 0x80) continue; // one byte: nothing to merge
        pieceCounts.set(chunk, (pieceCounts.get(chunk) ?? 0) + 1);
      }
    }
  }
  const words: number[][] = [];
  const counts: number[] = [];
  for (const [piece, count] of pieceCounts) {
    const bytes = encodeWtf8(piece);
    if (bytes.length < 2) continue;
    words.push(bytes.map((byte) => byte + specialCount));
    counts.push(count);
  }
  return { words, counts };
}

/** Left-to-right, non-overlapping, like the encoder's merge of the same pair. */
function mergeWord(word: readonly number[], left: number, right: number, newId: number): number[] {
  const merged: number[] = [];
  let index = 0;
  while (index < word.length) {
    if (index < word.length - 1 && word[index] === left && word[index + 1] === right) {
      merged.push(newId);
      index += 2;
    } else {
      merged.push(word[index] as number);
      index++;
    }
  }
  return merged;
}

function addPairs(deltas: Map<number, number>, word: readonly number[], amount: number, base: number): void {
  for (let index = 0; index < word.length - 1; index++) {
    const key = (word[index] as number) * base + (word[index + 1] as number);
    deltas.set(key, (deltas.get(key) ?? 0) + amount);
  }
}

/** Max-heap on (count desc, key asc): ties resolve the same way on every run. */
class PairHeap {
  private readonly counts: number[] = [];
  private readonly keys: number[] = [];

  get size(): number {
    return this.counts.length;
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let index = this.counts.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(index, parent)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  pop(): { count: number; key: number } {
    const top = { count: this.counts[0] as number, key: this.keys[0] as number };
    const lastCount = this.counts.pop() as number;
    const lastKey = this.keys.pop() as number;
    if (this.counts.length > 0) {
      this.counts[0] = lastCount;
      this.keys[0] = lastKey;
      let index = 0;
      for (;;) {
        const leftChild = index * 2 + 1;
        const rightChild = leftChild + 1;
        let best = index;
        if (leftChild < this.counts.length && this.before(leftChild, best)) best = leftChild;
        if (rightChild < this.counts.length && this.before(rightChild, best)) best = rightChild;
        if (best === index) break;
        this.swap(index, best);
        index = best;
      }
    }
    return top;
  }

  private before(a: number, b: number): boolean {
    const countA = this.counts[a] as number;
    const countB = this.counts[b] as number;
    return countA > countB || (countA === countB && (this.keys[a] as number) < (this.keys[b] as number));
  }

  private swap(a: number, b: number): void {
    [this.counts[a], this.counts[b]] = [this.counts[b] as number, this.counts[a] as number];
    [this.keys[a], this.keys[b]] = [this.keys[b] as number, this.keys[a] as number];
  }
}
