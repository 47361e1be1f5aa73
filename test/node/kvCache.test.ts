// KvCache and PrefixCacheStore on hand-made tensors: appended steps pack like one contiguous
// present tensor, truncation and overflow, and longest-prefix reuse with LRU eviction.

import { describe, expect, it } from 'vitest';
import { KvCache, PrefixCacheStore, commonPrefixLength } from '../../src/node/kvCache';

describe('KvCache', () => {
  const shape = { layers: 2, heads: 2, headDim: 3 };
  /** present tensor [layers, 1, heads, length, headDim] whose values encode (layer, head, position, dim). */
  function present(length: number, firstPosition: number, sign = 1): Float32Array {
    const data = new Float32Array(shape.layers * shape.heads * length * shape.headDim);
    let index = 0;
    for (let layer = 0; layer < shape.layers; layer++)
      for (let head = 0; head < shape.heads; head++)
        for (let position = 0; position < length; position++)
          for (let dim = 0; dim < shape.headDim; dim++) data[index++] = sign * (layer * 1000 + head * 100 + (firstPosition + position) * 10 + dim);
    return data;
  }

  /** Token ids that name their positions, so packedIds shows which positions it holds. */
  function positions(length: number, firstPosition: number): number[] {
    return Array.from({ length }, (_, index) => 100 + firstPosition + index);
  }

  it('packs appended steps exactly as one contiguous present tensor of the whole sequence', () => {
    const cache = new KvCache(shape, 8);
    cache.append(present(3, 0), present(3, 0, -1), positions(3, 0));
    cache.append(present(2, 3), present(2, 3, -1), positions(2, 3));
    const packed = cache.packed();
    expect(packed.dims).toEqual([2, 1, 2, 5, 3]);
    expect([...packed.keys]).toEqual([...present(5, 0)]);
    expect([...packed.values]).toEqual([...present(5, 0, -1)]);
    expect(cache.packedIds()).toEqual({ ids: BigInt64Array.from([100n, 101n, 102n, 103n, 104n]), dims: [1, 5] });
  });

  it('truncates, refuses to overflow, and rejects bad shapes', () => {
    const cache = new KvCache(shape, 4);
    cache.append(present(3, 0), present(3, 0), positions(3, 0));
    expect(() => cache.append(present(2, 3), present(2, 3), positions(2, 3))).toThrow(RangeError);
    cache.truncate(1);
    expect([...cache.packed().keys]).toEqual([...present(1, 0)]);
    expect([...cache.packedIds().ids]).toEqual([100n]);
    expect(() => new KvCache({ ...shape, heads: 0 }, 4)).toThrow(TypeError);
    expect(() => cache.append(present(1, 0), present(2, 0), positions(1, 0))).toThrow(RangeError);
  });

  it('restores the longest cached prefix, keeping the last prompt token to run', () => {
    const store = new PrefixCacheStore(2);
    const cache = new KvCache(shape, 8);
    cache.append(present(4, 0), present(4, 0), positions(4, 0));
    store.remember([1, 2, 3, 4], cache);
    const target = new KvCache(shape, 8);
    expect(store.restoreLongestPrefix([1, 2, 9, 9, 9], target)).toBe(2);
    expect([...target.packed().keys]).toEqual([...present(2, 0)]);
    expect([...target.packedIds().ids]).toEqual([100n, 101n]);
    expect(store.restoreLongestPrefix([1, 2, 3, 4], target)).toBe(3);
    expect(store.restoreLongestPrefix([7, 2, 3], target)).toBe(0);
    expect(target.length).toBe(0);
  });

  it('keeps at most maxEntries prompts, evicting the least recently used', () => {
    const store = new PrefixCacheStore(2);
    const cache = new KvCache(shape, 8);
    cache.append(present(2, 0), present(2, 0), positions(2, 0));
    store.remember([1, 1], cache);
    store.remember([2, 2], cache);
    store.restoreLongestPrefix([1, 1, 5], new KvCache(shape, 8));
    store.remember([3, 3], cache);
    expect(store.size).toBe(2);
    expect(store.restoreLongestPrefix([2, 2, 5], new KvCache(shape, 8))).toBe(0);
    expect(store.restoreLongestPrefix([1, 1, 5], new KvCache(shape, 8))).toBe(2);
    expect(() => new PrefixCacheStore(-1)).toThrow(TypeError);
    expect(commonPrefixLength([1, 2, 3], [1, 2, 4])).toBe(2);
  });
});
