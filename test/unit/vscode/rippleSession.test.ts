import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => import('./fakeVscode'));

import * as vscode from 'vscode';
import type { EngineFactoryOptions } from '../../../src/vscode/engineHost';
import { RippleSession } from '../../../src/vscode/rippleSession';
import { StatusBar } from '../../../src/vscode/statusBar';
import { WorkspacePaths } from '../../../src/vscode/workspacePaths';
import { answerWith, FakeEngine, makeSuggestion, scoredEdit } from './fakeEngine';
import { CancellationTokenSource, fake, FakeDecorationType, FakeTextEditor, InlineCompletionItem, Position, Range, resetFakeVscode } from './fakeVscode';

const DEBOUNCE_MS = 40;
const CALLS = `function line(label: string, value: number) {}
line('total', 1, 2);
line('count', 3);
`;

interface Setup {
  readonly engine: FakeEngine;
  readonly session: RippleSession;
  readonly events: { event: string; data?: Readonly<Record<string, unknown>> }[];
  readonly factoryOptions: EngineFactoryOptions[];
  ready(): void;
}

function setup(): Setup {
  const engine = new FakeEngine();
  const events: Setup['events'] = [];
  const factoryOptions: EngineFactoryOptions[] = [];
  let resolveReady: () => void = () => undefined;
  fake.configuration.set('ripple.debounceMs', DEBOUNCE_MS);
  const session = new RippleSession({
    engineFactory: (options) => {
      factoryOptions.push(options);
      return { engine, ready: new Promise<void>((resolve) => (resolveReady = resolve)), dispose: () => engine.dispose() };
    },
    paths: new WorkspacePaths(vscode.Uri.file('/ws')),
    workspaceRoot: '/ws',
    logger: { info: () => undefined, warn: () => undefined },
    showLog: () => undefined,
    statusBar: new StatusBar(),
    events: { emit: (event, data) => events.push({ event, data }) },
    clock: () => 0,
  });
  return { engine, session, events, factoryOptions, ready: () => resolveReady() };
}

function type(editor: FakeTextEditor, text: string): void {
  const at = editor.selection.active;
  editor.document.edit([{ range: new Range(at, at), text }]);
  editor.moveCursor(new Position(at.line, at.character + text.length));
}

function provide(editor: FakeTextEditor): Promise<InlineCompletionItem[]> {
  const provider = fake.inlineProviders[0];
  if (!provider) throw new Error('no inline completion provider registered');
  return provider.provideInlineCompletionItems(editor.document, editor.selection.active, {}, new CancellationTokenSource().token) as Promise<InlineCompletionItem[]>;
}

function decorationsOf(editor: FakeTextEditor): { removed: number; inserted: string[]; hints: string[] } {
  const all = [...editor.decorations.entries()];
  const pick = (index: number): readonly unknown[] => all[index]?.[1] ?? [];
  const afterText = (decoration: unknown): string => (decoration as { renderOptions?: { after?: { contentText?: string } } }).renderOptions?.after?.contentText ?? '';
  return { removed: pick(0).length, inserted: pick(1).map(afterText), hints: pick(2).map(afterText) };
}

function contextKey(key: string): unknown {
  const last = fake.executed.filter((call) => call.command === 'setContext' && call.args[0] === key).pop();
  return last?.args[1];
}

describe('RippleSession', () => {
  beforeEach(() => {
    resetFakeVscode();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('creates the engine for the workspace with the validated settings', () => {
    fake.configuration.set('ripple.latencyBudgetMs', 9_000);
    const { factoryOptions } = setup();
    expect(factoryOptions[0]).toMatchObject({ workspaceRoot: '/ws', budgetMs: 300, debounceMs: DEBOUNCE_MS });
    expect(fake.warnings).toHaveLength(1);
    expect(fake.warnings[0]).toContain('ripple.latencyBudgetMs');
  });

  it('shows an insertion at the cursor as ghost text and reports its acceptance', async () => {
    const { engine } = setup();
    const document = fake.openDocument('/ws/calls.ts', CALLS);
    const editor = fake.showEditor(document, new Position(2, 15));
    const suggestion = makeSuggestion('ghost', [scoredEdit('calls.ts', 2, 15, 15, ', 4')]);
    engine.answer = answerWith(suggestion);
    const items = provide(editor);
    await vi.advanceTimersByTimeAsync(0);
    const [item] = await items;
    expect(item?.insertText).toBe(', 4');
    expect(item?.range?.start).toEqual(new Position(2, 15));
    expect(item?.command?.command).toBe('ripple.inlineAccepted');
    // VS Code inserts the text first and runs the item's command after.
    type(editor, item?.insertText ?? '');
    await vscode.commands.executeCommand(item?.command?.command ?? '', ...(item?.command?.arguments ?? []));
    expect(engine.feedback).toEqual(['accepted ghost']);
    expect(document.getText()).toContain("line('count', 3, 4);");
  });

  it('returns no ghost text and stops the engine when VS Code cancels the request', async () => {
    const { engine } = setup();
    const editor = fake.showEditor(fake.openDocument('/ws/calls.ts', CALLS), new Position(2, 15));
    engine.answer = answerWith(makeSuggestion('late', [scoredEdit('calls.ts', 2, 15, 15, ', 4')]));
    const source = new CancellationTokenSource();
    const provider = fake.inlineProviders[0];
    const items = provider?.provideInlineCompletionItems(editor.document, editor.selection.active, {}, source.token) as Promise<InlineCompletionItem[]>;
    source.cancel();
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(await items).toEqual([]);
    expect(engine.predictions).toHaveLength(0);
  });

  it('predicts after the debounce delay when typing, not on every keystroke', async () => {
    const { engine } = setup();
    const editor = fake.showEditor(fake.openDocument('/ws/calls.ts', CALLS), new Position(2, 16));
    type(editor, ',');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS / 2);
    type(editor, ' ');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS / 2);
    expect(engine.predictions).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(engine.predictions).toEqual([{ path: 'calls.ts', position: { line: 2, character: 18 } }]);
    expect(engine.recorded.map((change) => change.text)).toEqual([',', ' ']);
  });

  it('draws a replacement in view as an inline diff that Tab accepts', async () => {
    const { engine } = setup();
    const document = fake.openDocument('/ws/calls.ts', CALLS);
    const editor = fake.showEditor(document, new Position(1, 0));
    engine.answer = answerWith(makeSuggestion('inline', [scoredEdit('calls.ts', 2, 6, 11, 'amount')]));
    type(editor, ' ');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(decorationsOf(editor)).toMatchObject({ removed: 1, inserted: ['amount'] });
    expect(contextKey('ripple.suggestionVisible')).toBe(true);
    expect(contextKey('ripple.jumpPending')).toBe(false);
    await vscode.commands.executeCommand('ripple.acceptSuggestion');
    expect(document.getText().split('\n')[2]).toBe("line('amount', 3);");
    expect(engine.feedback).toEqual(['accepted inline']);
    expect(contextKey('ripple.suggestionVisible')).toBe(false);
  });

  it('offers a jump to another file, then accepts every file as one workspace edit', async () => {
    const { engine } = setup();
    const calls = fake.openDocument('/ws/calls.ts', CALLS);
    const other = fake.openDocument('/ws/other.ts', "import { line } from './calls';\nline('x', 9);\n");
    const editor = fake.showEditor(calls, new Position(1, 0));
    engine.answer = answerWith(makeSuggestion('multi', [scoredEdit('other.ts', 1, 11, 11, ', 0'), scoredEdit('calls.ts', 2, 15, 15, ', 0')]));
    type(editor, ' ');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(decorationsOf(editor).hints).toEqual(['⇥ Tab to jump to other.ts:2']);
    expect(contextKey('ripple.jumpPending')).toBe(true);
    await vscode.commands.executeCommand('ripple.jumpToSuggestion');
    const jumped = vscode.window.activeTextEditor as unknown as FakeTextEditor;
    expect(jumped.document).toBe(other);
    expect(jumped.selection.active).toEqual(new Position(1, 11));
    expect(contextKey('ripple.jumpPending')).toBe(false);
    expect(contextKey('ripple.suggestionVisible')).toBe(true);
    await vscode.commands.executeCommand('ripple.acceptSuggestion');
    expect(fake.appliedEdits).toHaveLength(1);
    expect(other.getText()).toContain("line('x', 9, 0);");
    expect(calls.getText()).toContain("line('count', 3, 0);");
  });

  it.each([
    ['deleted behind VS Code', (): void => {
      fake.disk.delete('/ws/other.ts');
      fake.workspaceEvents.watcherDelete.fire(vscode.Uri.file('/ws/other.ts'));
    }],
    ['renamed in VS Code', (): void => {
      fake.disk.rename('/ws/other.ts', '/ws/renamed.ts');
      fake.workspaceEvents.rename.fire({ files: [{ oldUri: vscode.Uri.file('/ws/other.ts'), newUri: vscode.Uri.file('/ws/renamed.ts') }] });
    }],
  ])('drops a jump hint at once when its target is %s, and Tab then changes nothing', async (_how, removeTarget) => {
    const { engine, events } = setup();
    const calls = fake.openDocument('/ws/calls.ts', CALLS);
    fake.openDocument('/ws/other.ts', "import { line } from './calls';\nline('x', 9);\n");
    const editor = fake.showEditor(calls, new Position(1, 0));
    engine.answer = answerWith(makeSuggestion('gone', [scoredEdit('other.ts', 1, 11, 11, ', 0'), scoredEdit('calls.ts', 2, 15, 15, ', 0')]));
    type(editor, ' ');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(decorationsOf(editor).hints).toEqual(['⇥ Tab to jump to other.ts:2']);
    removeTarget();
    expect(decorationsOf(editor)).toEqual({ removed: 0, inserted: [], hints: [] });
    expect(contextKey('ripple.jumpPending')).toBe(false);
    expect(contextKey('ripple.suggestionVisible')).toBe(false);
    expect(events.filter((entry) => entry.event === 'invalidated').map((entry) => entry.data)).toEqual([{ id: 'gone', reason: 'file removed', path: 'other.ts' }]);
    await vscode.commands.executeCommand('ripple.jumpToSuggestion');
    await vscode.commands.executeCommand('ripple.acceptSuggestion');
    expect(fake.appliedEdits).toEqual([]);
    expect(calls.getText()).toBe(CALLS.replace("line('total'", " line('total'"));
    expect(fake.disk.read('/ws/other.ts')).toBeUndefined();
    expect(engine.feedback).toEqual([]);
  });

  it('drops a shown suggestion when typing touches it, and counts that as a rejection', async () => {
    const { engine } = setup();
    const document = fake.openDocument('/ws/calls.ts', CALLS);
    const editor = fake.showEditor(document, new Position(1, 0));
    engine.answer = answerWith(makeSuggestion('stale', [scoredEdit('calls.ts', 2, 6, 11, 'amount')]));
    type(editor, ' ');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    engine.answer = () => ({ kind: 'none', reason: 'nothing predictable', latencyMs: 1 });
    editor.moveCursor(new Position(2, 8));
    type(editor, 'X');
    expect(engine.feedback).toEqual(['rejected stale']);
    expect(decorationsOf(editor)).toMatchObject({ removed: 0, inserted: [] });
  });

  it('keeps a shown suggestion aligned when typing elsewhere', async () => {
    const { engine } = setup();
    const document = fake.openDocument('/ws/calls.ts', CALLS);
    const editor = fake.showEditor(document, new Position(1, 0));
    engine.answer = answerWith(makeSuggestion('aligned', [scoredEdit('calls.ts', 2, 6, 11, 'amount')]));
    type(editor, ' ');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    engine.answer = () => ({ kind: 'none', reason: 'nothing predictable', latencyMs: 1 });
    editor.moveCursor(new Position(2, 0));
    type(editor, '  ');
    await vscode.commands.executeCommand('ripple.acceptSuggestion');
    expect(document.getText().split('\n')[2]).toBe("  line('amount', 3);");
  });

  it('drops the shown suggestion when a prediction for a newer state finds nothing', async () => {
    const { engine, events } = setup();
    const editor = fake.showEditor(fake.openDocument('/ws/calls.ts', CALLS), new Position(1, 0));
    engine.answer = answerWith(makeSuggestion('old', [scoredEdit('calls.ts', 2, 6, 11, 'amount')]));
    type(editor, ' ');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(decorationsOf(editor).removed).toBe(1);
    engine.answer = () => ({ kind: 'none', reason: 'nothing predictable', latencyMs: 1 });
    type(editor, ' ');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(decorationsOf(editor).removed).toBe(0);
    expect(contextKey('ripple.suggestionVisible')).toBe(false);
    expect(events.filter((entry) => entry.event === 'invalidated')).toHaveLength(1);
  });

  it('shows the jump hint on the cursor line after jumping', async () => {
    const { engine } = setup();
    const calls = fake.openDocument('/ws/calls.ts', CALLS);
    const editor = fake.showEditor(calls, new Position(1, 0), 2);
    engine.answer = answerWith(makeSuggestion('far', [scoredEdit('calls.ts', 3, 0, 0, '// end')]));
    type(editor, ' ');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(decorationsOf(editor).hints).toEqual(['⇥ Tab to jump to calls.ts:4']);
    await vscode.commands.executeCommand('ripple.jumpToSuggestion');
    const jumped = vscode.window.activeTextEditor as unknown as FakeTextEditor;
    const hints = [...jumped.decorations.values()][2] as { range: Range }[];
    expect(hints.map((hint) => hint.range.start.line)).toEqual([3]);
  });

  it('dismisses on Escape, tells the engine, and does not show the same state again', async () => {
    const { engine } = setup();
    const editor = fake.showEditor(fake.openDocument('/ws/calls.ts', CALLS), new Position(1, 0));
    engine.answer = answerWith(makeSuggestion('nope', [scoredEdit('calls.ts', 2, 6, 11, 'amount')]));
    type(editor, ' ');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    await vscode.commands.executeCommand('ripple.dismissSuggestion');
    expect(engine.feedback).toEqual(['rejected nope']);
    editor.moveCursor(editor.selection.active);
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS * 2);
    expect(decorationsOf(editor).removed).toBe(0);
  });

  it('hides suggestions under the eagerness threshold', async () => {
    fake.configuration.set('ripple.eagerness', 'low');
    const { engine } = setup();
    const editor = fake.showEditor(fake.openDocument('/ws/calls.ts', CALLS), new Position(1, 0));
    engine.answer = answerWith(makeSuggestion('weak', [scoredEdit('calls.ts', 2, 6, 11, 'amount')], 0.5));
    type(editor, ' ');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(decorationsOf(editor).removed).toBe(0);
  });

  it('explains the shown suggestion in a read-only markdown document', async () => {
    const { engine } = setup();
    const editor = fake.showEditor(fake.openDocument('/ws/calls.ts', CALLS), new Position(1, 0));
    engine.answer = answerWith(makeSuggestion('why', [scoredEdit('calls.ts', 2, 6, 11, 'amount')]));
    type(editor, ' ');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    await vscode.commands.executeCommand('ripple.explainNextEdit');
    const shown = vscode.window.activeTextEditor as unknown as FakeTextEditor;
    expect(shown.document.uri.scheme).toBe('ripple-explain');
    const text = fake.contentProviders.get('ripple-explain')?.provideTextDocumentContent(shown.document.uri as never) ?? '';
    expect(text).toContain('**Pattern:** add argument `options`');
    expect(text).toContain("-line('count', 3);\n+line('amount', 3);");
    expect(text).toContain('| propagation | 1.5 |');
  });

  it('turns off and on with the toggle command, disposing and re-creating the engine', async () => {
    const { engine, factoryOptions, ready } = setup();
    ready();
    await vi.advanceTimersByTimeAsync(0);
    const status = fake.statusBarItems[0];
    expect(status?.text).toContain('Ripple');
    await vscode.commands.executeCommand('ripple.toggle');
    expect(engine.calls).toContain('dispose');
    expect(status?.text).toContain('off');
    await vscode.commands.executeCommand('ripple.toggle');
    expect(factoryOptions).toHaveLength(2);
  });

  it('respects a per-language ripple.enable of false', async () => {
    const { engine } = setup();
    fake.configuration.set('ripple.enable', false);
    const editor = fake.showEditor(fake.openDocument('/ws/calls.ts', CALLS), new Position(1, 0));
    engine.answer = answerWith(makeSuggestion('off', [scoredEdit('calls.ts', 2, 6, 11, 'amount')]));
    type(editor, ' ');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS * 2);
    expect(engine.predictions).toHaveLength(0);
    expect(await provide(editor)).toEqual([]);
  });

  it('releases everything on dispose', () => {
    const { session, engine } = setup();
    session.dispose();
    expect(engine.calls).toContain('dispose');
    expect(fake.inlineProviders).toHaveLength(0);
    expect(fake.commands.size).toBe(0);
    expect(FakeDecorationType).toBeDefined();
  });
});
