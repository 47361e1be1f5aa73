// PropagationPredictor properties over generated files: a rename leaves no code use of the old
// name, and no edit yields an overlapping suggestion or one that touches the text just typed.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PropagationPredictor } from '../../src/core/propagation';
import { applySuggestion, expectWellFormed, offsetAt, signal, Workspace } from './support/propagationWorkspace';

describe('PropagationPredictor: properties', () => {
  const statement = fc.oneof(
    fc.constantFrom('count += 1;', 'use(count, counter);', 'counter = count * 2;', 'obj.count = count;', 'log(`${count}`);'),
    fc.constantFrom("say('count');", '// count stays here', 'let other = 1;', 'if (count) { total(count); }'),
  );

  it('a rename leaves no code use of the old name, touches nothing else, and never overlaps', () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 12 }), fc.boolean(), (lines, crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        const text = ['let count = 0;', ...lines, ''].join(eol);
        const workspace = new Workspace({ 'p.js': text });
        const cursor = workspace.replace('p.js', 'count', 'amount', 0);
        const predictor = new PropagationPredictor({ readText: workspace.readText, typingPauseMs: 0 });
        const { suggestions } = predictor.propose({ cursor, history: workspace.history }, signal);
        for (const suggestion of suggestions) expectWellFormed(workspace, suggestion);
        const rename = suggestions.find((suggestion) => suggestion.id.startsWith('propagation-rename-'));
        const result = rename ? applySuggestion(workspace, rename, 'p.js') : workspace.files.get('p.js')!;
        const renamed = (line: string): string => (line.startsWith('//') ? line : line.replace(/(?<![\w.$'])count(?![\w$'])/g, 'amount'));
        const expected = ['let amount = 0;', ...lines.map(renamed), ''].join(eol);
        expect(result).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('any edit yields well-formed suggestions that leave the edited text alone', () => {
    const insertions = fc.constantFrom('', 'x', 'count', '(', ')', ', b', '\n', '\n  use(a);', "'", '`${', '==', 'await ', '// ');
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 10 }), fc.nat(), fc.nat(8), insertions, (lines, at, length, inserted) => {
        const text = ['let count = 0;', ...lines, ''].join('\n');
        const workspace = new Workspace({ 'q.ts': text });
        const start = at % text.length;
        const cursor = workspace.edit('q.ts', start, Math.min(text.length, start + length), inserted);
        const predictor = new PropagationPredictor({ readText: workspace.readText, typingPauseMs: 0 });
        const current = workspace.files.get('q.ts')!;
        for (const suggestion of predictor.propose({ cursor, history: workspace.history }, signal).suggestions) {
          expectWellFormed(workspace, suggestion);
          for (const edit of suggestion.edits) {
            const editStart = offsetAt(current, edit.range.start);
            const editEnd = offsetAt(current, edit.range.end);
            expect(editEnd <= start || editStart >= start + inserted.length || (editStart === editEnd && editStart === start + inserted.length)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
