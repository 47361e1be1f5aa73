// PropagationPredictor on tokens and lines: a replaced token, an inserted line or a deleted
// statement is repeated where the neighbourhood matches, and nothing is proposed for edits with
// no reusable pattern. Also the predictor's own guards: the edited site, aborts and options.

import { describe, expect, it } from 'vitest';
import { PropagationPredictor } from '../../src/core/propagation';
import { applyFirst, applySuggestion, propose, signal, Workspace } from './support/propagationWorkspace';

describe('PropagationPredictor: token replacements and lines', () => {
  it('replaces `var` with `const` only where the neighbouring tokens match', () => {
    const text = ['var a = 1;', 'var b = 2;', 'for (var i = 0; i < 3; i++) {}', "const s = 'var';", '  var c = 3;', ''].join('\n');
    const workspace = new Workspace({ 'v.js': text });
    const cursor = workspace.replace('v.js', 'var', 'const', 0);
    const [suggestion] = propose(workspace, cursor);
    expect(applySuggestion(workspace, suggestion!, 'v.js')).toBe(['const a = 1;', 'const b = 2;', 'for (var i = 0; i < 3; i++) {}', "const s = 'var';", '  const c = 3;', ''].join('\n'));
    expect(applyFirst(workspace, suggestion!)).toBe(text.replace('var a', 'const a').replace('var b', 'const b'));
  });

  it('replaces a distinctive qualified name even where its neighbours differ', () => {
    const text = ['export interface Resolver {', '  parse(uri: string): URI.Components', '  serialize(component: URI.Components): string', '}', ''].join('\n');
    const workspace = new Workspace({ 'r.ts': text });
    const cursor = workspace.replace('r.ts', 'URI.Components)', 'Components)');
    const [suggestion] = propose(workspace, cursor);
    expect(applyFirst(workspace, suggestion!)).toBe(text.replace(/URI\.Components/g, 'Components'));
  });

  it('repeats a one-word fix inside comments, and only inside comments', () => {
    const text = ['/**', ' * @returns {boolean} whether it is', ' */', 'function a() {}', '/**', ' * @param {boolean} flag', ' */', "const kind = 'boolean'; // {boolean}", 'let boolean = 1;', ''].join('\n');
    const workspace = new Workspace({ 'j.js': text });
    const cursor = workspace.replace('j.js', '{boolean}', '{Boolean}', 0);
    const [suggestion] = propose(workspace, cursor, { pausedMs: 5000 });
    expect(suggestion!.explanation.pattern).toBe('replace `boolean` → `Boolean` in comments');
    expect(applyFirst(workspace, suggestion!)).toBe(text.replace(/\{boolean\}/g, '{Boolean}').replace('// {Boolean}', '// {boolean}'));
    expect(applySuggestion(workspace, suggestion!, 'j.js')).toBe(text.replace(/\{boolean\}/g, '{Boolean}'));
    const prose = new Workspace({ 'p.js': '// emit at a rate of a click\n// a second\n' });
    expect(propose(prose, prose.replace('p.js', ' a rate', ' A rate'), { pausedMs: 5000 })).toEqual([]);
  });

  it('changes operators like `==` to `===`', () => {
    const text = ['if (a == b) x();', 'if (c == d) y();', 'if (e != f) z();', ''].join('\n');
    const workspace = new Workspace({ 'o.js': text });
    const cursor = workspace.replace('o.js', '==', '===', 0);
    const [suggestion] = propose(workspace, cursor);
    expect(applySuggestion(workspace, suggestion!, 'o.js')).toBe(text.replace(/ == /g, ' === '));
  });

  it('inserts the analogous line next to similar lines, substituting the names', () => {
    const text = ['class Point {', '  constructor(x, y) {', '    this.x = x;', '    this.y = y;', '  }', '}', ''].join('\n');
    const workspace = new Workspace({ 'p.js': text });
    const cursor = workspace.insertAfter('p.js', 'this.x = x;', "\n    this.log('x', x);");
    const [suggestion] = propose(workspace, cursor);
    expect(suggestion!.edits).toHaveLength(1);
    expect(applyFirst(workspace, suggestion!)).toBe(
      ['class Point {', '  constructor(x, y) {', '    this.x = x;', "    this.log('x', x);", '    this.y = y;', "    this.log('y', y);", '  }', '}', ''].join('\n'),
    );
  });

  it('inserts analogous lines with CRLF line breaks in a CRLF document', () => {
    const workspace = new Workspace({ 'p.ts': 'a.width = width;\r\na.height = height;\r\n' });
    const cursor = workspace.insertAfter('p.ts', 'a.width = width;', '\r\ncheck(width);');
    const [suggestion] = propose(workspace, cursor);
    expect(applyFirst(workspace, suggestion!)).toBe('a.width = width;\r\ncheck(width);\r\na.height = height;\r\ncheck(height);\r\n');
  });

  it('deletes the other copies of a deleted debug statement', () => {
    const text = ['function f(x) {', '  console.log(x);', '  const y = x * 2;', "  console.log('y', y);", '  return y;', '}', ''].join('\n');
    const workspace = new Workspace({ 'd.js': text });
    const start = text.indexOf('  console.log(x);');
    const cursor = workspace.edit('d.js', start, start + '  console.log(x);\n'.length, '');
    const [suggestion] = propose(workspace, cursor);
    expect(applyFirst(workspace, suggestion!)).toBe(['function f(x) {', '  const y = x * 2;', '  return y;', '}', ''].join('\n'));
  });

  it('stays silent after an edit with no reusable pattern', () => {
    const text = ['function f(items) {', '  const first = items[0];', '  return first;', '}', ''].join('\n');
    const workspace = new Workspace({ 'u.js': text });
    const cursor = workspace.insertAfter('u.js', 'const first = items[0];', '\n  audit.record(Date.now());');
    expect(propose(workspace, cursor, { pausedMs: 5000 })).toEqual([]);
    const literal = new Workspace({ 'n.js': 'const timeout = 30;\nconst retries = 30;\n' });
    expect(propose(literal, literal.replace('n.js', '30', '60', 0))).toEqual([]);
    expect(propose(new Workspace({}), { path: 'x.js', position: { line: 0, character: 0 } })).toEqual([]);
  });

  it('stays silent for commenting out, operator insertions, duplicated lines and copied declarations', () => {
    const commented = new Workspace({ 'c.js': 'foo();\nbar();\nfoo();\n' });
    expect(propose(commented, commented.replace('c.js', 'foo();', '// foo();', 0))).toEqual([]);
    const negated = new Workspace({ 'n.js': 'if (ready) go();\nwait(ready);\n' });
    expect(propose(negated, negated.replace('n.js', '(ready)', '(!ready)', 0))).toEqual([]);
    const duplicated = new Workspace({ 'd.js': 'this.a = a;\nthis.b = b;\n' });
    expect(propose(duplicated, duplicated.insertAfter('d.js', 'this.a = a;', '\nthis.a = a;'))).toEqual([]);
    const brace = new Workspace({ 'b.js': 'if (a) {\n  f();\n}\nif (b) {\n  g();\n}\n' });
    const braceStart = brace.files.get('b.js')!.indexOf('}\n');
    expect(propose(brace, brace.edit('b.js', braceStart, braceStart + 2, ''))).toEqual([]);
    const imports = new Workspace({ 'i.js': 'import * as core from "../core/index.js";\nimport * as util from "../core/util.js";\n' });
    expect(propose(imports, imports.insertAfter('i.js', 'index.js";', '\nimport * as regexes from "../core/regexes.js";'))).toEqual([]);
    const declared = new Workspace({ 'v.js': 'const a = 1;\nconst c = 5;\n' });
    expect(propose(declared, declared.insertAfter('v.js', 'const a = 1;', '\nconst b = a * 2;'))).toEqual([]);
  });

  it('prefers the similar lines of the same block over similar lines elsewhere', () => {
    const text = ['function one() {', '  check(x);', '  check(y);', '}', 'function two() {', '  check(z);', '}', ''].join('\n');
    const workspace = new Workspace({ 'b.js': text });
    const cursor = workspace.insertAfter('b.js', 'check(x);', '\n  trace(x);');
    const [suggestion] = propose(workspace, cursor);
    expect(suggestion!.edits).toHaveLength(1);
    expect(applyFirst(workspace, suggestion!)).toContain('  check(y);\n  trace(y);\n}');
  });

  it('never proposes at the site just edited, and stops when aborted', () => {
    const workspace = new Workspace({ 'a.js': 'let n = 1;\nn = n + 1;\n' });
    const cursor = workspace.replace('a.js', 'n', 'count', 0);
    const predictor = new PropagationPredictor({ readText: workspace.readText, typingPauseMs: 0, clock: () => 0 });
    const [suggestion] = predictor.propose({ cursor, history: workspace.history }, signal).suggestions;
    expect(suggestion!.edits.every((edit) => edit.range.start.line === 1)).toBe(true);
    const aborted = new AbortController();
    aborted.abort();
    expect(predictor.propose({ cursor, history: workspace.history }, aborted.signal)).toEqual({ suggestions: [] });
  });

  it('validates its options loudly', () => {
    const readText = (): undefined => undefined;
    expect(() => new PropagationPredictor({ readText, maxSites: 0 })).toThrow(TypeError);
    expect(() => new PropagationPredictor({ readText, maxFiles: 1.5 })).toThrow(TypeError);
    expect(() => new PropagationPredictor({ readText, typingPauseMs: -1 })).toThrow(TypeError);
    expect(() => new PropagationPredictor({} as never)).toThrow(TypeError);
  });
});
