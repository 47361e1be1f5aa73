import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => import('./fakeVscode'));

import * as vscode from 'vscode';
import { replacedTextReader } from '../../../src/core/replacedText';
import type { ScoredEdit, Suggestion } from '../../../src/core/types';
import { ContextKeys, JUMP_PENDING_KEY, SUGGESTION_VISIBLE_KEY } from '../../../src/vscode/contextKeys';
import { SuggestionDecorations } from '../../../src/vscode/decorations';
import { SuggestionPresenter } from '../../../src/vscode/suggestionPresenter';
import { WorkspacePaths } from '../../../src/vscode/workspacePaths';
import { makeSuggestion, scoredEdit } from './fakeEngine';
import { fake, FakeTextEditor, Position, resetFakeVscode } from './fakeVscode';

const CART = "import { formatPrice } from './price';\n\nexport function total(items: number[]): string {\n  return formatPrice(items.length, 'USD');\n}\n";
const INVOICE = "import { formatPrice } from './price';\n\nexport function line(amount: number): string {\n  return formatPrice(amount);\n}\n";
const REPORT = "import { formatPrice } from './price';\n\nexport const summary = formatPrice(0);\n";

interface Setup {
  readonly presenter: SuggestionPresenter;
  readonly contextKeys: ContextKeys;
  readonly editor: FakeTextEditor;
  readonly events: { event: string; data?: Readonly<Record<string, unknown>> }[];
  readonly feedback: string[];
  /** Shows a suggestion made of `edits`, stamped as the engine stamps them from the files as they are now. */
  show(...edits: ScoredEdit[]): Suggestion;
}

/** cart.ts open in the editor; invoice.ts and report.ts only on disk, as for a cross-file suggestion. */
function setup(): Setup {
  fake.disk.write('/ws/invoice.ts', INVOICE);
  fake.disk.write('/ws/report.ts', REPORT);
  const editor = fake.showEditor(fake.openDocument('/ws/cart.ts', CART), new Position(3, 40));
  const events: Setup['events'] = [];
  const feedback: string[] = [];
  const contextKeys = new ContextKeys();
  const presenter = new SuggestionPresenter({
    paths: new WorkspacePaths(vscode.Uri.file('/ws')),
    decorations: new SuggestionDecorations(),
    contextKeys,
    feedback: { accepted: (id) => feedback.push(`accepted ${id}`), rejected: (id) => feedback.push(`rejected ${id}`) },
    events: { emit: (event, data) => events.push({ event, data }) },
    isKnown: () => true,
  });
  const show = (...edits: ScoredEdit[]): Suggestion => {
    const open = (path: string): string | undefined => fake.documents.find((document) => document.uri.path === `/ws/${path}`)?.getText();
    const stamped = replacedTextReader((path) => open(path) ?? fake.disk.read(`/ws/${path}`))(edits);
    if (!stamped) throw new Error('the test suggestion does not fit the files');
    const suggestion = makeSuggestion('s1', stamped);
    presenter.show(suggestion, editor as unknown as vscode.TextEditor);
    return suggestion;
  };
  return { presenter, contextKeys, editor, events, feedback, show };
}

/** Adds ", 'USD'" to the formatPrice call in invoice.ts, the edit a cross-file hint offers. */
const addCurrency = (): ScoredEdit => scoredEdit('invoice.ts', 3, 27, 27, ", 'USD'");
/** Adds ", 'USD'" to the formatPrice call in report.ts. */
const addReportCurrency = (): ScoredEdit => scoredEdit('report.ts', 2, 36, 36, ", 'USD'");

function expectNothingChanged(setupState: Setup): void {
  expect(fake.appliedEdits).toEqual([]);
  expect(setupState.editor.document.getText()).toBe(CART);
  expect(setupState.feedback).toEqual([]);
  expect(setupState.contextKeys.get(SUGGESTION_VISIBLE_KEY)).toBe(false);
  expect(setupState.contextKeys.get(JUMP_PENDING_KEY)).toBe(false);
  expect(setupState.presenter.current).toBeUndefined();
}

function staleEvents(setupState: Setup): unknown[] {
  return setupState.events.filter((entry) => entry.event === 'stale').map((entry) => entry.data);
}

describe('SuggestionPresenter.accept', () => {
  beforeEach(() => resetFakeVscode());

  it('applies every edit, in files open or not, as one workspace edit', async () => {
    const state = setup();
    state.show(addCurrency(), addReportCurrency());
    expect(state.contextKeys.get(JUMP_PENDING_KEY)).toBe(true);
    expect(await state.presenter.accept()).toBe(true);
    expect(fake.appliedEdits).toHaveLength(1);
    const text = (path: string): string | undefined => fake.documents.find((document) => document.uri.path === path)?.getText();
    expect(text('/ws/invoice.ts')).toContain("formatPrice(amount, 'USD');");
    expect(text('/ws/report.ts')).toContain("formatPrice(0, 'USD');");
    expect(state.feedback).toEqual(['accepted s1']);
    expect(staleEvents(state)).toEqual([]);
  });

  it('applies nothing and creates no file when the target was deleted', async () => {
    const state = setup();
    state.show(addCurrency());
    fake.disk.delete('/ws/invoice.ts');
    expect(await state.presenter.accept()).toBe(false);
    expectNothingChanged(state);
    expect(fake.disk.read('/ws/invoice.ts')).toBeUndefined();
    expect(staleEvents(state)).toEqual([{ id: 's1', path: 'invoice.ts', reason: 'missing' }]);
  });

  it('applies nothing to a deleted target that is still open in an editor', async () => {
    const state = setup();
    const invoice = await vscode.workspace.openTextDocument(vscode.Uri.file('/ws/invoice.ts'));
    state.show(addCurrency());
    fake.disk.delete('/ws/invoice.ts');
    expect(await state.presenter.accept()).toBe(false);
    expectNothingChanged(state);
    expect(invoice.getText()).toBe(INVOICE);
    expect(staleEvents(state)).toEqual([{ id: 's1', path: 'invoice.ts', reason: 'missing' }]);
  });

  it('applies nothing when the target was renamed: the new file is untouched, the old name not recreated', async () => {
    const state = setup();
    state.show(addCurrency());
    fake.disk.rename('/ws/invoice.ts', '/ws/billing.ts');
    expect(await state.presenter.accept()).toBe(false);
    expectNothingChanged(state);
    expect(fake.disk.read('/ws/invoice.ts')).toBeUndefined();
    expect(fake.disk.read('/ws/billing.ts')).toBe(INVOICE);
    expect(staleEvents(state)).toEqual([{ id: 's1', path: 'invoice.ts', reason: 'missing' }]);
  });

  it('applies nothing when the target changed on disk so the insertion point moved', async () => {
    const state = setup();
    state.show(addCurrency());
    const checkedOut = `// Generated by another branch.\n${INVOICE}`;
    fake.disk.write('/ws/invoice.ts', checkedOut);
    expect(await state.presenter.accept()).toBe(false);
    expectNothingChanged(state);
    expect(fake.documents.find((document) => document.uri.path === '/ws/invoice.ts')?.getText()).toBe(checkedOut);
    expect(staleEvents(state)).toEqual([{ id: 's1', path: 'invoice.ts', reason: 'changed', line: 3 }]);
  });

  it('still applies when the target changed on disk only on lines the edit does not rest on', async () => {
    const state = setup();
    state.show(addCurrency());
    fake.disk.write('/ws/invoice.ts', `${INVOICE}\nexport const currency = 'EUR';\n`);
    expect(await state.presenter.accept()).toBe(true);
    expect(fake.documents.find((document) => document.uri.path === '/ws/invoice.ts')?.getText()).toContain("formatPrice(amount, 'USD');\n}\n\nexport const currency");
  });

  it('applies nothing at all, in any file, when only one of two targets is stale', async () => {
    const state = setup();
    state.show(addCurrency(), addReportCurrency(), scoredEdit('cart.ts', 3, 9, 20, 'formatMoney'));
    fake.disk.write('/ws/report.ts', REPORT.replace('formatPrice(0)', 'formatPrice(1)'));
    expect(await state.presenter.accept()).toBe(false);
    expectNothingChanged(state);
    expect(fake.disk.read('/ws/invoice.ts')).toBe(INVOICE);
    expect(fake.documents.find((document) => document.uri.path === '/ws/invoice.ts')?.getText() ?? INVOICE).toBe(INVOICE);
    expect(staleEvents(state)).toEqual([{ id: 's1', path: 'report.ts', reason: 'changed', line: 2 }]);
  });

  it('applies nothing when an edit does not say what it replaces', async () => {
    const state = setup();
    state.presenter.show(makeSuggestion('bare', [addCurrency()]), state.editor as unknown as vscode.TextEditor);
    expect(await state.presenter.accept()).toBe(false);
    expectNothingChanged(state);
    expect(staleEvents(state)).toEqual([{ id: 'bare', path: 'invoice.ts', reason: 'unverifiable', line: 3 }]);
  });

  it('applies nothing when a folder now stands where the target was', async () => {
    const state = setup();
    state.show(addCurrency());
    fake.disk.delete('/ws/invoice.ts');
    fake.disk.write('/ws/invoice.ts/index.ts', INVOICE);
    expect(await state.presenter.accept()).toBe(false);
    expectNothingChanged(state);
    expect(staleEvents(state)).toEqual([{ id: 's1', path: 'invoice.ts', reason: 'not a file' }]);
  });
});

describe('SuggestionPresenter when a target goes away or changes', () => {
  beforeEach(() => resetFakeVscode());

  it('drops a shown suggestion that edits the removed file at once', () => {
    const state = setup();
    state.show(addCurrency());
    state.presenter.onFileRemoved('invoice.ts');
    expect(state.presenter.current).toBeUndefined();
    expect(state.contextKeys.get(JUMP_PENDING_KEY)).toBe(false);
    expect(state.events.filter((entry) => entry.event === 'invalidated').map((entry) => entry.data)).toEqual([
      { id: 's1', reason: 'file removed', path: 'invoice.ts' },
    ]);
    expect(state.feedback).toEqual([]);
  });

  it('drops it when a folder holding the file goes, and keeps it for unrelated files', () => {
    const state = setup();
    fake.disk.write('/ws/src/billing/invoice.ts', INVOICE);
    state.show(scoredEdit('src/billing/invoice.ts', 0, 0, 0, '// '));
    state.presenter.onFileRemoved('src/bill');
    state.presenter.onFileRemoved('src/billing/invoice.ts.bak');
    expect(state.presenter.current?.id).toBe('s1');
    state.presenter.onFileRemoved('src/billing');
    expect(state.presenter.current).toBeUndefined();
  });

  it('does not open, create or jump to a target deleted before the watcher said so', async () => {
    const state = setup();
    state.show(addCurrency());
    fake.disk.delete('/ws/invoice.ts');
    await state.presenter.jump();
    expect(vscode.window.activeTextEditor).toBe(state.editor);
    expect(fake.disk.read('/ws/invoice.ts')).toBeUndefined();
    expectNothingChanged(state);
    expect(staleEvents(state)).toEqual([{ id: 's1', path: 'invoice.ts', reason: 'missing' }]);
  });

  it('does not jump to a target changed on disk, where the diff would be drawn in the wrong place', async () => {
    const state = setup();
    state.show(addCurrency());
    fake.disk.write('/ws/invoice.ts', `// Generated by another branch.\n${INVOICE}`);
    await state.presenter.jump();
    expect(vscode.window.activeTextEditor).toBe(state.editor);
    expectNothingChanged(state);
    expect(staleEvents(state)).toEqual([{ id: 's1', path: 'invoice.ts', reason: 'changed', line: 3 }]);
    expect(state.events.some((entry) => entry.event === 'jumped')).toBe(false);
  });

  it('jumps to a target that still holds what the suggestion replaces, then lets Tab accept', async () => {
    const state = setup();
    state.show(addCurrency());
    await state.presenter.jump();
    const jumped = vscode.window.activeTextEditor as unknown as FakeTextEditor;
    expect(jumped.document.uri.path).toBe('/ws/invoice.ts');
    expect(jumped.selection.active).toEqual(new Position(3, 27));
    expect(state.contextKeys.get(SUGGESTION_VISIBLE_KEY)).toBe(true);
    expect(state.contextKeys.get(JUMP_PENDING_KEY)).toBe(false);
    expect(await state.presenter.accept()).toBe(true);
    expect(jumped.document.getText()).toContain("formatPrice(amount, 'USD');");
  });
});
