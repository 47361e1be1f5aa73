// PropagationPredictor on calls and members: an argument added to or removed from one call is
// carried to the matching calls, and a renamed field or method to its member uses.

import { describe, expect, it } from 'vitest';
import { applyFirst, applySuggestion, propose, Workspace } from './support/propagationWorkspace';

describe('PropagationPredictor: calls and members', () => {
  it('adds the same argument to the other calls with the old argument count', () => {
    const text = ['function send(to, body) {}', 'send(a);', 'send(b);', 'send(c, d);', 'other.send(e);', ''].join('\n');
    const workspace = new Workspace({ 'mail.js': text });
    const cursor = workspace.replace('mail.js', 'send(a)', 'send(a, urgent)');
    const [suggestion] = propose(workspace, cursor, { pausedMs: 5000 });
    expect(suggestion!.explanation.pattern).toBe('add argument `urgent` to calls of `send`');
    expect(applyFirst(workspace, suggestion!)).toBe(text.replace('send(a)', 'send(a, urgent)').replace('send(b)', 'send(b, urgent)'));
    expect(suggestion!.edits).toHaveLength(1);
  });

  it('treats a call inside a one-line function as a call, not a definition', () => {
    const text = ['function f(v) { return helper(v, 1) + v; }', 'function g(v) { return helper(v, 2) + v; }', ''].join('\n');
    const workspace = new Workspace({ 'h.js': text });
    const cursor = workspace.replace('h.js', 'helper(v, 1)', 'helper(v, 1, true)');
    const [suggestion] = propose(workspace, cursor);
    expect(applyFirst(workspace, suggestion!)).toBe(text.replace(/helper\(v, (\d)\)/g, 'helper(v, $1, true)'));
  });

  it('proposes the same edits once when an edit reads both as a rename and as an argument change', () => {
    const workspace = new Workspace({ 'l.js': "log(level, 'x');\nlog(level, 'y');\n" });
    const suggestions = propose(workspace, workspace.replace('l.js', 'level', 'LEVEL', 0), { pausedMs: 5000 });
    expect(suggestions.map((suggestion) => suggestion.explanation.pattern)).toEqual(['rename `level` → `LEVEL`']);
  });

  it('removes an argument from the calls that pass the same one', () => {
    const text = ['draw(shape, true);', 'draw(circle, true);', 'draw(square, false);', ''].join('\n');
    const workspace = new Workspace({ 'g.ts': text });
    const cursor = workspace.replace('g.ts', 'draw(shape, true)', 'draw(shape)');
    const [suggestion] = propose(workspace, cursor);
    expect(suggestion!.edits).toHaveLength(1);
    expect(applyFirst(workspace, suggestion!)).toBe(['draw(shape);', 'draw(circle);', 'draw(square, false);', ''].join('\n'));
  });

  it('propagates a new parameter only with the argument the user already passes elsewhere', () => {
    const text = ['function fetch(url) {', '  return url;', '}', 'fetch(a, true);', 'fetch(b);', 'fetch(c);', ''].join('\n');
    const workspace = new Workspace({ 'f.js': text });
    const cursor = workspace.replace('f.js', 'fetch(url)', 'fetch(url, cached)');
    const [suggestion] = propose(workspace, cursor, { pausedMs: 5000 });
    expect(suggestion!.edits).toHaveLength(1);
    expect(applySuggestion(workspace, suggestion!, 'f.js')).toContain('fetch(b, true);\nfetch(c, true);');

    const unknown = new Workspace({ 'f.js': text.replace('fetch(a, true)', 'fetch(a)') });
    const guess = unknown.replace('f.js', 'fetch(url)', 'fetch(url, cached)');
    expect(propose(unknown, guess, { pausedMs: 5000 })).toEqual([]);
  });

  it('renames the member uses of a renamed field or method declaration', () => {
    const text = ['class Counter {', '  private count = 0;', '  async reset() {', '    this.count = 0;', '  }', '}', 'counter.count += 1;', 'counter.reset();', 'const count = 1;', ''].join('\n');
    const field = new Workspace({ 'c.ts': text });
    const [fieldRename] = propose(field, field.replace('c.ts', 'count', 'total', 0), { pausedMs: 5000 });
    expect(applySuggestion(field, fieldRename!, 'c.ts')).toBe(text.replace(/count = 0/g, 'total = 0').replace('counter.count', 'counter.total'));
    const method = new Workspace({ 'c.ts': text });
    const [methodRename] = propose(method, method.replace('c.ts', 'reset', 'clear', 0), { pausedMs: 5000 });
    expect(applySuggestion(method, methodRename!, 'c.ts')).toBe(text.replace('reset', 'clear').replace('counter.reset', 'counter.clear'));
  });

  it('renames a method at member calls only', () => {
    const text = ['store.load(1);', 'load(2);', 'cache.load(3);', 'const loadAll = store.load;', ''].join('\n');
    const workspace = new Workspace({ 's.ts': text });
    const cursor = workspace.replace('s.ts', 'load', 'fetch', 0);
    const [suggestion] = propose(workspace, cursor, { pausedMs: 5000 });
    expect(suggestion!.explanation.pattern).toBe('rename `.load` → `.fetch`');
    expect(applySuggestion(workspace, suggestion!, 's.ts')).toBe(['store.fetch(1);', 'load(2);', 'cache.fetch(3);', 'const loadAll = store.fetch;', ''].join('\n'));
  });
});
