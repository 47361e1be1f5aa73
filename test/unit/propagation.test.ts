import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PropagationPredictor } from '../../src/core/propagation';
import type { ImportInfo, Scope, SymbolDefinition, SymbolOccurrence, WorkspaceIndex } from '../../src/core/ports';
import type { Cursor, Position, RecordedEdit, Suggestion, TextEdit } from '../../src/core/types';

// ---- A tiny workspace: texts in a map, user edits recorded the way the history records them.

function offsetAt(text: string, position: Position): number {
  const lines = text.split(/(?<=\r\n|\n)/);
  let offset = 0;
  for (let line = 0; line < position.line; line++) offset += lines[line]!.length;
  return offset + position.character;
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split(/\r\n|\n/);
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
  let result = text;
  for (const edit of ordered) result = result.slice(0, offsetAt(result, edit.range.start)) + edit.text + result.slice(offsetAt(result, edit.range.end));
  return result;
}

class Workspace {
  readonly files = new Map<string, string>();
  readonly history: RecordedEdit[] = [];
  clockMs = 1000;

  constructor(files: Record<string, string>) {
    for (const [path, text] of Object.entries(files)) this.files.set(path, text);
  }

  readText = (path: string): string | undefined => this.files.get(path);

  /** Replaces the `occurrence`-th (0-based) `find` in `path` by `replacement`, like a user would. */
  replace(path: string, find: string, replacement: string, occurrence = 0): Cursor {
    const text = this.files.get(path)!;
    let offset = -1;
    for (let count = 0; count <= occurrence; count++) offset = text.indexOf(find, offset + 1);
    if (offset === -1) throw new Error(`${find} not found`);
    return this.edit(path, offset, offset + find.length, replacement);
  }

  /** Inserts `inserted` right after the `occurrence`-th `find`. */
  insertAfter(path: string, find: string, inserted: string, occurrence = 0): Cursor {
    const text = this.files.get(path)!;
    let offset = -1;
    for (let count = 0; count <= occurrence; count++) offset = text.indexOf(find, offset + 1);
    return this.edit(path, offset + find.length, offset + find.length, inserted);
  }

  edit(path: string, startOffset: number, endOffset: number, inserted: string): Cursor {
    const before = this.files.get(path)!;
    const after = before.slice(0, startOffset) + inserted + before.slice(endOffset);
    const start = positionAt(before, startOffset);
    const lineStart = before.lastIndexOf('\n', startOffset - 1) + 1;
    const beforeLineEnd = lineEndAt(before, endOffset);
    const afterLineEnd = lineEndAt(after, startOffset + inserted.length);
    this.files.set(path, after);
    this.clockMs += 100;
    this.history.push({
      path,
      range: { start, end: positionAt(before, endOffset) },
      removedText: before.slice(startOffset, endOffset),
      insertedText: inserted,
      hunk: {
        path,
        startLine: start.line,
        beforeText: before.slice(lineStart, beforeLineEnd).replace(/\r\n/g, '\n'),
        afterText: after.slice(lineStart, afterLineEnd).replace(/\r\n/g, '\n'),
      },
      timestampMs: this.clockMs,
    });
    return { path, position: positionAt(after, startOffset + inserted.length) };
  }
}

function lineEndAt(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  const end = newline === -1 ? text.length : newline;
  return text.charAt(end - 1) === '\r' ? end - 1 : end;
}

/** A regex index over the workspace: enough to answer which files mention or import a name. */
class FakeIndex implements WorkspaceIndex {
  constructor(
    private readonly workspace: Workspace,
    private readonly scopes: readonly Scope[] = [],
  ) {}
  files(): readonly string[] {
    return [...this.workspace.files.keys()];
  }
  definitions(name: string): readonly SymbolDefinition[] {
    return this.occurrences(name, 1000)
      .filter((occurrence) => /(?:function|const|let|var|class)\s+$/.test(this.lineBefore(occurrence)))
      .map((occurrence) => ({ name, kind: 'variable', path: occurrence.path, position: occurrence.position, span: { startLine: occurrence.position.line, endLine: occurrence.position.line + 1 } }));
  }
  occurrences(name: string, limit: number): readonly SymbolOccurrence[] {
    const found: SymbolOccurrence[] = [];
    for (const [path, text] of this.workspace.files) {
      text.split(/\r?\n/).forEach((line, lineNumber) => {
        for (const match of line.matchAll(/[A-Za-z_$][\w$]*/g)) {
          if (match[0] === name) found.push({ name, path, position: { line: lineNumber, character: match.index }, length: name.length });
        }
      });
    }
    return found.slice(0, limit);
  }
  identifiersIn(): readonly SymbolOccurrence[] {
    return [];
  }
  imports(path: string): readonly ImportInfo[] {
    const text = this.workspace.files.get(path) ?? '';
    return [...text.matchAll(/import \{([^}]*)\} from '([^']*)'/g)].map((match) => ({
      path,
      module: match[2]!,
      names: match[1]!.split(',').map((name) => name.trim()),
      line: positionAt(text, match.index).line,
    }));
  }
  enclosingScope(path: string, position: Position): Scope | undefined {
    return this.scopes.find((scope) => scope.path === path && position.line >= scope.startLine && position.line < scope.endLine);
  }
  async update(): Promise<void> {}
  remove(): void {}
  private lineBefore(occurrence: SymbolOccurrence): string {
    const line = this.workspace.files.get(occurrence.path)!.split(/\r?\n/)[occurrence.position.line]!;
    return line.slice(0, occurrence.position.character);
  }
}

const signal = new AbortController().signal;

function propose(workspace: Workspace, cursor: Cursor, options: { index?: boolean; scopes?: Scope[]; pausedMs?: number } = {}): Suggestion[] {
  const predictor = new PropagationPredictor({
    readText: workspace.readText,
    ...(options.index ? { index: new FakeIndex(workspace, options.scopes) } : {}),
    clock: () => workspace.clockMs + (options.pausedMs ?? 0),
  });
  const suggestions = predictor.propose({ cursor, history: workspace.history }, signal);
  for (const suggestion of suggestions) expectWellFormed(workspace, suggestion);
  return suggestions;
}

/** No overlapping edits within a file, no edit that changes nothing, scores in [0, 1]. */
function expectWellFormed(workspace: Workspace, suggestion: Suggestion): void {
  expect(suggestion.source).toBe('propagation');
  expect(suggestion.score).toBeGreaterThanOrEqual(0);
  expect(suggestion.score).toBeLessThanOrEqual(1);
  expect(suggestion.explanation.followsFrom).toBe(workspace.history[workspace.history.length - 1]);
  const byPath = new Map<string, TextEdit[]>();
  for (const edit of suggestion.edits) {
    const text = workspace.files.get(edit.path)!;
    expect(text.slice(offsetAt(text, edit.range.start), offsetAt(text, edit.range.end))).not.toBe(edit.text);
    byPath.set(edit.path, [...(byPath.get(edit.path) ?? []), edit]);
  }
  for (const [path, edits] of byPath) {
    const text = workspace.files.get(path)!;
    const spans = edits.map((edit) => [offsetAt(text, edit.range.start), offsetAt(text, edit.range.end)] as const).sort((a, b) => a[0] - b[0]);
    for (let index = 1; index < spans.length; index++) expect(spans[index]![0]).toBeGreaterThanOrEqual(spans[index - 1]![1]);
  }
}

function applySuggestion(workspace: Workspace, suggestion: Suggestion, path: string): string {
  return applyEdits(workspace.files.get(path)!, suggestion.edits.filter((edit) => edit.path === path));
}

function applyFirst(workspace: Workspace, suggestion: Suggestion): string {
  const first = suggestion.edits[0]!;
  return applyEdits(workspace.files.get(first.path)!, [first]);
}

describe('PropagationPredictor: renames', () => {
  const counterFile = [
    "import { helper } from './helper';",
    'export function count(items) {',
    '  return items.length;',
    '}',
    'const total = count([1]) + count([2]);',
    "// count is documented here; 'count' is a string",
    'const counter = obj.count + count([3]);',
    '',
  ].join('\n');

  it('renames every whole-name use in the file and in the two files that import it', () => {
    const workspace = new Workspace({
      'src/count.ts': counterFile,
      'src/a.ts': "import { count } from './count';\nexport const a = count([]);\n",
      'src/b.ts': "import { count, other } from './count';\nconsole.log(count(other));\n",
      'src/unrelated.ts': 'const count = 3;\nexport const d = count + 1;\n',
    });
    const cursor = workspace.replace('src/count.ts', 'count', 'tally', 0);
    const [rename] = propose(workspace, cursor, { index: true, pausedMs: 5000 });
    expect(rename?.explanation.pattern).toBe('rename `count` → `tally`');
    expect(applySuggestion(workspace, rename!, 'src/count.ts')).toBe(counterFile.replace('function count', 'function tally').replace('count([1]) + count([2])', 'tally([1]) + tally([2])').replace('+ count([3])', '+ tally([3])'));
    expect(applySuggestion(workspace, rename!, 'src/a.ts')).toBe("import { tally } from './count';\nexport const a = tally([]);\n");
    expect(applySuggestion(workspace, rename!, 'src/b.ts')).toBe("import { tally, other } from './count';\nconsole.log(tally(other));\n");
    expect(rename!.edits.some((edit) => edit.path === 'src/unrelated.ts')).toBe(false);
    // Same-file sites come first; both uses on one line, or on adjacent lines, form one edit.
    expect(rename!.edits[0]).toMatchObject({ path: 'src/count.ts', range: { start: { line: 4, character: 14 } }, text: 'tally([1]) + tally' });
    expect(rename!.edits.map((edit) => edit.path)).toEqual(['src/count.ts', 'src/count.ts', 'src/a.ts', 'src/b.ts']);
    expect(applyEdits(workspace.files.get('src/a.ts')!, [rename!.edits[2]!])).toBe("import { tally } from './count';\nexport const a = tally([]);\n");
  });

  it('orders sites nearest after the cursor first, then the nearest before it', () => {
    const text = ['let value = 1;', '', 'use(value);', '', 'value += 2;', '', 'show(value);', '', 'log(value);', ''].join('\n');
    const workspace = new Workspace({ 'm.js': text });
    const cursor = workspace.replace('m.js', 'value', 'amount', 2);
    const [rename] = propose(workspace, { ...cursor, position: { line: 4, character: 0 } }, { pausedMs: 5000 });
    expect(rename!.edits.map((edit) => edit.range.start.line)).toEqual([6, 8, 2, 0]);
    expect(applyFirst(workspace, rename!)).toBe(text.replace('value += 2', 'amount += 2').replace('show(value)', 'show(amount)'));
  });

  it('makes one edit of changes on adjacent lines, as a diff hunk would', () => {
    const text = ['let size = 1;', 'grow(size);', 'shrink(size);', '', 'print(size);', ''].join('\n');
    const workspace = new Workspace({ 'h.js': text });
    const cursor = workspace.replace('h.js', 'size', 'extent', 0);
    const [rename] = propose(workspace, cursor, { pausedMs: 5000 });
    expect(rename!.edits.map((edit) => [edit.range.start.line, edit.range.end.line])).toEqual([[1, 2], [4, 4]]);
    expect(applyFirst(workspace, rename!)).toBe(text.replace('size = 1', 'extent = 1').replace('grow(size)', 'grow(extent)').replace('shrink(size)', 'shrink(extent)'));
  });

  it('does not propagate a name that is still being typed', () => {
    const text = 'let count = 0;\ncount += 1;\nreturn count;\n';
    const workspace = new Workspace({ 'a.js': text });
    const cursor = workspace.replace('a.js', 'count', 'tot', 0);
    expect(propose(workspace, cursor)).toEqual([]);
    // The same edit once the user paused, or moved the cursor away, is finished.
    expect(propose(workspace, cursor, { pausedMs: 5000 })[0]?.explanation.pattern).toBe('rename `count` → `tot`');
    expect(propose(workspace, { path: 'a.js', position: { line: 2, character: 0 } })).toHaveLength(1);
    // Typing a suffix onto a name: the index already holds the half-typed name, at the cursor.
    const suffix = new Workspace({ 'e.js': "import { decode } from 'entities';\ndecode(x);\n" });
    expect(propose(suffix, suffix.insertAfter('e.js', 'decode', 'St'), { index: true })).toEqual([]);
  });

  it('treats the prefix of a longer known name, or a dangling operator, as unfinished even after a pause', () => {
    const prefix = new Workspace({ 'p.js': 'let description = 1;\nshow(label);\nshow(label);\n' });
    expect(propose(prefix, prefix.replace('p.js', 'label', 'descrip', 0), { pausedMs: 5000 })).toEqual([]);
    const retyped = new Workspace({ 'r.js': 'let description = 1;\nuse(description);\n' });
    expect(propose(retyped, retyped.replace('r.js', 'description', 'descri', 0), { pausedMs: 5000 })).toEqual([]);
    const dangling = new Workspace({ 'd.js': 'function f() {\n  if (a) {\n    return\n  }\n  return\n}\n' });
    expect(propose(dangling, dangling.replace('d.js', 'return', 'done =', 0), { pausedMs: 5000 })).toEqual([]);
  });

  it('accepts a name under the cursor that is already known elsewhere', () => {
    const workspace = new Workspace({ 'a.js': 'let count = 0;\nuse(count);\nuse(count);\n' });
    workspace.replace('a.js', 'count', 'total', 0);
    const cursor = workspace.replace('a.js', 'count', 'total', 0);
    const [rename] = propose(workspace, cursor);
    expect(applyFirst(workspace, rename!)).toBe('let total = 0;\nuse(total);\nuse(total);\n');
    // The same rename made twice is more certain than once.
    const once = new Workspace({ 'a.js': 'let count = 0;\nuse(count);\nuse(count);\n' });
    const single = propose(once, once.replace('a.js', 'count', 'total', 0), { pausedMs: 5000 })[0]!;
    expect(rename!.score).toBeGreaterThan(single.score);
  });

  it('merges a deletion followed by typing into one rename', () => {
    const workspace = new Workspace({ 'a.py': 'def area(w, h):\n    return w * h\n\nprint(area(1, 2))\n' });
    const text = workspace.files.get('a.py')!;
    const start = text.indexOf('area');
    workspace.edit('a.py', start, start + 4, '');
    workspace.edit('a.py', start, start, 'surface');
    const [rename] = propose(workspace, { path: 'a.py', position: { line: 3, character: 0 } });
    expect(rename!.explanation.pattern).toBe('rename `area` → `surface`');
    expect(applyFirst(workspace, rename!)).toBe('def surface(w, h):\n    return w * h\n\nprint(surface(1, 2))\n');
  });

  it('keeps a local rename inside its function when the old name lives on elsewhere', () => {
    const text = ['function a() {', '  let n = 1;', '  return n + n;', '}', 'function b() {', '  let n = 2;', '  return n;', '}', ''].join('\n');
    const workspace = new Workspace({ 'l.js': text });
    const cursor = workspace.replace('l.js', 'n = 1', 'size = 1');
    const scopes: Scope[] = [
      { path: 'l.js', startLine: 0, endLine: 4, kind: 'function', name: 'a' },
      { path: 'l.js', startLine: 4, endLine: 8, kind: 'function', name: 'b' },
    ];
    const [rename] = propose(workspace, cursor, { index: true, scopes, pausedMs: 5000 });
    expect(rename!.edits).toHaveLength(1);
    expect(applySuggestion(workspace, rename!, 'l.js')).toBe(text.replace('let n = 1', 'let size = 1').replace('n + n', 'size + size'));
  });

  it('does not treat switching to another declared variable as a rename', () => {
    const workspace = new Workspace({ 'a.js': 'const left = 1;\nconst right = 2;\nuse(left);\nuse(left);\n' });
    const cursor = workspace.replace('a.js', 'left', 'right', 1);
    const suggestions = propose(workspace, { ...cursor, position: { line: 0, character: 0 } });
    expect(suggestions.map((suggestion) => suggestion.explanation.pattern)).not.toContain('rename `left` → `right`');
  });

  it('handles CRLF documents without breaking lines', () => {
    const workspace = new Workspace({ 'w.ts': 'let size = 1;\r\nsize *= 2;\r\nprint(size, size);\r\n' });
    const cursor = workspace.replace('w.ts', 'size', 'width', 0);
    const [rename] = propose(workspace, cursor, { pausedMs: 5000 });
    expect(rename!.edits.map((edit) => [edit.range.start, edit.range.end])).toEqual([[{ line: 1, character: 0 }, { line: 2, character: 16 }]]);
    expect(applySuggestion(workspace, rename!, 'w.ts')).toBe('let width = 1;\r\nwidth *= 2;\r\nprint(width, width);\r\n');
  });
});

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
    const [suggestion] = predictor.propose({ cursor, history: workspace.history }, signal);
    expect(suggestion!.edits.every((edit) => edit.range.start.line === 1)).toBe(true);
    const aborted = new AbortController();
    aborted.abort();
    expect(predictor.propose({ cursor, history: workspace.history }, aborted.signal)).toEqual([]);
  });

  it('validates its options loudly', () => {
    const readText = (): undefined => undefined;
    expect(() => new PropagationPredictor({ readText, maxSites: 0 })).toThrow(TypeError);
    expect(() => new PropagationPredictor({ readText, maxFiles: 1.5 })).toThrow(TypeError);
    expect(() => new PropagationPredictor({ readText, typingPauseMs: -1 })).toThrow(TypeError);
    expect(() => new PropagationPredictor({} as never)).toThrow(TypeError);
  });
});

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
        const suggestions = predictor.propose({ cursor, history: workspace.history }, signal);
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
        for (const suggestion of predictor.propose({ cursor, history: workspace.history }, signal)) {
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
