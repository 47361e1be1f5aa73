// The decoder's key/value cache, owned by the runtime rather than the ONNX graph: the model
// returns only the new positions' keys/values, we append them into preallocated per-layer
// buffers, and a small store keeps the caches of recent prompts so a keystroke only re-runs
// the tokens after the longest common prefix.

export interface KvShape {
  readonly layers: number;
  readonly heads: number;
  readonly headDim: number;
}

/**
 * Keys, values and token ids for one sequence (batch 1). Layout per layer: [heads, capacity,
 * headDim]. The ids are what a copy head points at (the model's past_ids input).
 */
export class KvCache {
  readonly shape: KvShape;
  readonly capacityPositions: number;
  private readonly keys: Float32Array[];
  private readonly values: Float32Array[];
  private readonly tokenIds: BigInt64Array;
  private lengthPositions = 0;
  // Reused packing buffers, so a decode step allocates nothing proportional to the cache.
  private packedKeys = new Float32Array(0);
  private packedValues = new Float32Array(0);

  constructor(shape: KvShape, capacityPositions: number) {
    for (const [name, value] of Object.entries({ ...shape, capacityPositions })) {
      if (!Number.isInteger(value) || value <= 0) throw new TypeError(`KvCache: ${name} must be a positive integer, got ${value}`);
    }
    this.shape = shape;
    this.capacityPositions = capacityPositions;
    const layerSize = shape.heads * capacityPositions * shape.headDim;
    this.keys = Array.from({ length: shape.layers }, () => new Float32Array(layerSize));
    this.values = Array.from({ length: shape.layers }, () => new Float32Array(layerSize));
    this.tokenIds = new BigInt64Array(capacityPositions);
  }

  get length(): number {
    return this.lengthPositions;
  }

  /**
   * Appends present_keys/present_values of shape [layers, 1, heads, newLength, headDim] for the
   * tokens `ids` (newLength = ids.length).
   * Throws RangeError past capacity: callers bound prompt + target by maxPositions first.
   */
  append(presentKeys: Float32Array, presentValues: Float32Array, ids: readonly number[]): void {
    const { layers, heads, headDim } = this.shape;
    const newLength = ids.length;
    if (this.lengthPositions + newLength > this.capacityPositions) {
      throw new RangeError(`KvCache: ${this.lengthPositions} + ${newLength} positions exceed capacity ${this.capacityPositions}`);
    }
    const expected = layers * heads * newLength * headDim;
    if (presentKeys.length !== expected || presentValues.length !== expected) {
      throw new RangeError(`KvCache: present tensors hold ${presentKeys.length} values, expected ${expected}`);
    }
    const blockSize = newLength * headDim;
    for (let layer = 0; layer < layers; layer++) {
      for (let head = 0; head < heads; head++) {
        const source = (layer * heads + head) * blockSize;
        const target = (head * this.capacityPositions + this.lengthPositions) * headDim;
        this.keys[layer]!.set(presentKeys.subarray(source, source + blockSize), target);
        this.values[layer]!.set(presentValues.subarray(source, source + blockSize), target);
      }
    }
    ids.forEach((id, index) => (this.tokenIds[this.lengthPositions + index] = BigInt(id)));
    this.lengthPositions += newLength;
  }

  /** Forgets positions from `length` on (rejected draft tokens, a diverging prompt suffix). */
  truncate(length: number): void {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`KvCache: bad length ${length}`);
    this.lengthPositions = Math.min(this.lengthPositions, length);
  }

  /** past_keys/past_values data, [layers, 1, heads, length, headDim], valid until the next call. */
  packed(): { keys: Float32Array; values: Float32Array; dims: readonly number[] } {
    const { layers, heads, headDim } = this.shape;
    const size = layers * heads * this.lengthPositions * headDim;
    if (this.packedKeys.length < size) {
      // Grow geometrically up to the full capacity so a decode loop reallocates O(log n) times.
      const grown = Math.min(layers * heads * this.capacityPositions * headDim, Math.max(size, this.packedKeys.length * 2));
      this.packedKeys = new Float32Array(grown);
      this.packedValues = new Float32Array(grown);
    }
    const blockSize = this.lengthPositions * headDim;
    for (let layer = 0; layer < layers; layer++) {
      for (let head = 0; head < heads; head++) {
        const source = head * this.capacityPositions * headDim;
        const target = (layer * heads + head) * blockSize;
        this.packedKeys.set(this.keys[layer]!.subarray(source, source + blockSize), target);
        this.packedValues.set(this.values[layer]!.subarray(source, source + blockSize), target);
      }
    }
    return {
      keys: this.packedKeys.subarray(0, size),
      values: this.packedValues.subarray(0, size),
      dims: [layers, 1, heads, this.lengthPositions, headDim],
    };
  }

  /** past_ids data, [1, length]: the cached positions' token ids, valid until the next append. */
  packedIds(): { ids: BigInt64Array; dims: readonly number[] } {
    return { ids: this.tokenIds.subarray(0, this.lengthPositions), dims: [1, this.lengthPositions] };
  }

  /** Replaces this cache's contents by the first `length` positions of `other`. */
  copyFrom(other: KvCache, length: number): void {
    const { layers, heads, headDim } = this.shape;
    if (other.shape.layers !== layers || other.shape.heads !== heads || other.shape.headDim !== headDim) {
      throw new TypeError('KvCache: copyFrom between caches of different shapes');
    }
    const count = Math.min(length, other.lengthPositions, this.capacityPositions);
    for (let layer = 0; layer < layers; layer++) {
      for (let head = 0; head < heads; head++) {
        const source = head * other.capacityPositions * headDim;
        const target = head * this.capacityPositions * headDim;
        this.keys[layer]!.set(other.keys[layer]!.subarray(source, source + count * headDim), target);
        this.values[layer]!.set(other.values[layer]!.subarray(source, source + count * headDim), target);
      }
    }
    this.tokenIds.set(other.tokenIds.subarray(0, count));
    this.lengthPositions = count;
  }

  /** A copy sized to the current length: stored prompt caches never grow. */
  snapshot(): KvCache {
    const copy = new KvCache(this.shape, Math.max(1, this.lengthPositions));
    copy.copyFrom(this, this.lengthPositions);
    return copy;
  }
}

interface PrefixEntry {
  readonly ids: readonly number[];
  readonly cache: KvCache;
}

/** Recently prefilled prompts and their caches, most recently used first. */
export class PrefixCacheStore {
  readonly maxEntries: number;
  private entries: PrefixEntry[] = [];

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) {
      throw new TypeError(`PrefixCacheStore: maxEntries must be a non-negative integer, got ${maxEntries}`);
    }
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * Loads the longest cached prefix of `ids` into `target` and returns how many positions it
   * holds. At most ids.length - 1: the last prompt token must run to produce the first logits.
   */
  restoreLongestPrefix(ids: readonly number[], target: KvCache): number {
    let best: PrefixEntry | undefined;
    let bestLength = 0;
    for (const entry of this.entries) {
      const length = Math.min(commonPrefixLength(entry.ids, ids), entry.cache.length, ids.length - 1);
      if (length > bestLength) {
        best = entry;
        bestLength = length;
      }
    }
    if (!best) {
      target.truncate(0);
      return 0;
    }
    this.entries = [best, ...this.entries.filter((entry) => entry !== best)];
    target.copyFrom(best.cache, bestLength);
    return bestLength;
  }

  /** Remembers `cache` (already holding exactly `ids`) as a snapshot; evicts the least recent. */
  remember(ids: readonly number[], cache: KvCache): void {
    if (this.maxEntries === 0 || cache.length !== ids.length || ids.length === 0) return;
    // A prompt that extends a stored one supersedes it: the stored one's every prefix is ours too.
    const kept = this.entries.filter((entry) => commonPrefixLength(entry.ids, ids) < entry.ids.length);
    this.entries = [{ ids: [...ids], cache: cache.snapshot() }, ...kept].slice(0, this.maxEntries);
  }

  clear(): void {
    this.entries = [];
  }
}

export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index < limit && a[index] === b[index]) index++;
  return index;
}
