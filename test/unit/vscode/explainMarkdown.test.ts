import { describe, expect, it } from 'vitest';
import type { Suggestion } from '../../../src/core/types';
import { editDiff, explainNothing, explainSuggestion } from '../../../src/vscode/explainMarkdown';

const suggestion: Suggestion = {
  id: 's1',
  score: 0.82,
  source: 'propagation',
  edits: [
    { path: 'src/app.ts', range: { start: { line: 9, character: 9 }, end: { line: 9, character: 14 } }, text: 'total', score: 0.82, source: 'propagation' },
    { path: 'src/utils.ts', range: { start: { line: 2, character: 2 }, end: { line: 2, character: 7 } }, text: 'total', score: 0.7, source: 'propagation' },
  ],
  explanation: {
    pattern: 'rename `count` → `total`',
    followsFrom: {
      path: 'src/app.ts',
      range: { start: { line: 1, character: 6 }, end: { line: 1, character: 11 } },
      removedText: 'count',
      insertedText: 'total',
      hunk: { path: 'src/app.ts', startLine: 1, beforeText: 'const count = 0;', afterText: 'const total = 0;' },
      timestampMs: 5,
    },
    snippets: [{ path: 'src/utils.ts', startLine: 0, endLine: 4, text: 'export function sum() {\n  return ```count;\n}', reason: { kind: 'usage', symbol: 'count' }, score: 0.5 }],
    confidence: 0.82,
    stageTimingsMs: { history: 0.5, propagation: 2, retrieval: 3.5 },
  },
};

describe('explainSuggestion', () => {
  const text = explainSuggestion(suggestion, suggestion.explanation, (path, line) => `file:///ws/${path}#L${line + 1}`, (edit) =>
    edit.path === 'src/app.ts' ? '  return count + 1;' : undefined,
  );

  it('states confidence, source and the number of files', () => {
    expect(text).toContain('**Confidence:** 82%');
    expect(text).toContain('**Edits:** 2 in 2 files');
  });

  it('shows each edit as a diff with a link to its location', () => {
    expect(text).toContain('[src/app.ts:10](file:///ws/src/app.ts#L10)');
    expect(text).toContain('-  return count + 1;\n+  return total + 1;');
    expect(text).toContain('[src/utils.ts:3](file:///ws/src/utils.ts#L3)');
  });

  it('says why: the pattern and the edit it follows from', () => {
    expect(text).toContain('**Pattern:** rename `count` → `total`');
    expect(text).toContain('-const count = 0;\n+const total = 0;');
  });

  it('lists the snippets used with their reason, fenced safely', () => {
    expect(text).toContain('usage of `count`');
    expect(text).toContain('````');
  });

  it('adds up the time per stage', () => {
    expect(text).toContain('| retrieval | 3.5 |');
    expect(text).toContain('| **total** | **6.0** |');
  });
});

describe('explainNothing and editDiff', () => {
  it('explains why there is nothing to show', () => {
    expect(explainNothing({ reason: 'not confident enough', latencyMs: 12.4 })).toContain('No suggestion right now: not confident enough (after 12 ms).');
  });

  it('falls back to the inserted text when the line is unknown', () => {
    const [edit] = suggestion.edits;
    expect(edit && editDiff(edit, undefined)).toEqual(['@@ line 10 @@', '+total']);
  });
});
