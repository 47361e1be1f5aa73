import { describe, expect, it } from 'vitest';
import { DisposableStore } from '../../../src/vscode/disposableStore';

describe('DisposableStore', () => {
  it('disposes in reverse order of registration, once', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add({ dispose: () => order.push('first') });
    store.add({ dispose: () => order.push('second') });
    store.dispose();
    store.dispose();
    expect(order).toEqual(['second', 'first']);
    expect(store.isDisposed).toBe(true);
  });

  it('disposes the rest when one throws, then rethrows', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add({ dispose: () => order.push('survivor') });
    store.add({
      dispose: () => {
        throw new Error('broken');
      },
    });
    expect(() => store.dispose()).toThrow('broken');
    expect(order).toEqual(['survivor']);
  });

  it('releases at once what is added after disposal', () => {
    const store = new DisposableStore();
    store.dispose();
    let disposed = false;
    store.add({ dispose: () => (disposed = true) });
    expect(disposed).toBe(true);
  });
});
