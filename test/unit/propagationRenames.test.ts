// PropagationPredictor renames: a renamed name is renamed at its other uses, in the file and in
// the files that import it, in a useful order, and not while the name is still being typed.

import { describe, expect, it } from 'vitest';
import type { Scope } from '../../src/core/ports';
import { DEFAULT_TYPING_PAUSE_MS } from '../../src/core/propagation';
import { applyEdits, applyFirst, applySuggestion, propose, proposeOutcome, Workspace } from './support/propagationWorkspace';

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
    // Held back for the pause, and the engine is told how much of it is left.
    expect(proposeOutcome(workspace, cursor, { pausedMs: 120 })).toEqual({ suggestions: [], retryAfterMs: DEFAULT_TYPING_PAUSE_MS - 120 });
    // The same edit once the user paused, or moved the cursor away, is finished.
    expect(proposeOutcome(workspace, cursor, { pausedMs: 5000 }).retryAfterMs).toBeUndefined();
    expect(propose(workspace, cursor, { pausedMs: 5000 })[0]?.explanation.pattern).toBe('rename `count` → `tot`');
    expect(propose(workspace, { path: 'a.js', position: { line: 2, character: 0 } })).toHaveLength(1);
    // Typing a suffix onto a name: the index already holds the half-typed name, at the cursor.
    const suffix = new Workspace({ 'e.js': "import { decode } from 'entities';\ndecode(x);\n" });
    expect(propose(suffix, suffix.insertAfter('e.js', 'decode', 'St'), { index: true })).toEqual([]);
  });

  it('treats the prefix of a longer known name, or a dangling operator, as unfinished even after a pause', () => {
    const prefix = new Workspace({ 'p.js': 'let description = 1;\nshow(label);\nshow(label);\n' });
    const prefixCursor = prefix.replace('p.js', 'label', 'descrip', 0);
    expect(propose(prefix, prefixCursor, { pausedMs: 5000 })).toEqual([]);
    // No pause finishes these, so there is nothing to ask again for.
    expect(proposeOutcome(prefix, prefixCursor, { pausedMs: 10 })).toEqual({ suggestions: [] });
    // The longer name may live in another file of the workspace: the index knows it.
    const elsewhere = new Workspace({ 'q.js': 'show(label);\nshow(label);\n', 'types.js': 'export class TimerHandle {}\n' });
    const elsewhereCursor = elsewhere.replace('q.js', 'label', 'TimerH', 0);
    expect(propose(elsewhere, elsewhereCursor, { index: true, pausedMs: 5000 })).toEqual([]);
    expect(propose(elsewhere, elsewhereCursor, { pausedMs: 5000 })[0]?.explanation.pattern).toBe('rename `label` → `TimerH`');
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
