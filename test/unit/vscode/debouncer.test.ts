import { describe, expect, it } from 'vitest';
import { Debouncer } from '../../../src/vscode/debouncer';

describe('Debouncer', () => {
  it('starts at the base delay', () => {
    expect(new Debouncer({ baseDelayMs: 80 }).delayMs).toBe(80);
  });

  it('waits longer after rejections, up to the maximum', () => {
    const debouncer = new Debouncer({ baseDelayMs: 100, maxDelayMs: 300 });
    debouncer.rejected();
    expect(debouncer.delayMs).toBe(150);
    for (let index = 0; index < 10; index++) debouncer.rejected();
    expect(debouncer.delayMs).toBe(300);
  });

  it('waits less after accepts, down to the minimum', () => {
    const debouncer = new Debouncer({ baseDelayMs: 100, minDelayMs: 40 });
    debouncer.accepted();
    expect(debouncer.delayMs).toBe(75);
    for (let index = 0; index < 10; index++) debouncer.accepted();
    expect(debouncer.delayMs).toBe(40);
  });

  it('returns to a new base when settings change', () => {
    const debouncer = new Debouncer({ baseDelayMs: 100 });
    debouncer.rejected();
    debouncer.setBaseDelay(200);
    expect(debouncer.delayMs).toBe(200);
    debouncer.rejected();
    debouncer.reset();
    expect(debouncer.delayMs).toBe(200);
  });

  it('rejects bad options loudly at construction', () => {
    expect(() => new Debouncer({ baseDelayMs: -1 })).toThrow(TypeError);
    expect(() => new Debouncer({ baseDelayMs: Number.NaN })).toThrow(TypeError);
    expect(() => new Debouncer({ baseDelayMs: 50, minDelayMs: 500, maxDelayMs: 100 })).toThrow(TypeError);
    expect(() => new Debouncer({ baseDelayMs: 50, rejectionFactor: 0.5 })).toThrow(TypeError);
    expect(() => new Debouncer({ baseDelayMs: 50, acceptFactor: 1 })).toThrow(TypeError);
  });
});
