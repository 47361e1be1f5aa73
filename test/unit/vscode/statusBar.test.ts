import { describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => import('./fakeVscode'));

import { describeState } from '../../../src/vscode/statusBar';

describe('describeState', () => {
  it('shows indexing progress as n/m', () => {
    expect(describeState({ kind: 'indexing', indexed: 12, total: 340 }, undefined).text).toContain('12/340');
  });

  it('shows the last latency once ready', () => {
    expect(describeState({ kind: 'ready' }, 41.6).text).toContain('42 ms');
    expect(describeState({ kind: 'ready' }, undefined).text).not.toContain('ms');
  });

  it('says why it is off or failed', () => {
    expect(describeState({ kind: 'off', reason: 'disabled for markdown' }, 5).tooltip).toContain('disabled for markdown');
    expect(describeState({ kind: 'failed', message: 'no grammars' }, undefined).tooltip).toContain('no grammars');
  });
});
