import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => import('./fakeVscode'));

import * as vscode from 'vscode';
import { DocumentSync, MAX_BURST_CHARS, type DocumentChange } from '../../../src/vscode/documentSync';
import { WorkspacePaths } from '../../../src/vscode/workspacePaths';
import { fake, FakeTextDocument, Position, Range, resetFakeVscode, Selection, TextDocumentChangeReason, Uri } from './fakeVscode';
import { FakeEngine } from './fakeEngine';

function setup(maxDocumentChars?: number) {
  const engine = new FakeEngine();
  const changes: DocumentChange[] = [];
  const removed: string[] = [];
  const logged: string[] = [];
  const emitted: { event: string; data?: Readonly<Record<string, unknown>> }[] = [];
  const sync = new DocumentSync({
    paths: new WorkspacePaths(vscode.Uri.file('/ws')),
    clock: () => 1_000,
    logger: { info: (message) => logged.push(`info ${message}`), warn: (message) => logged.push(`warn ${message}`) },
    onDidChange: (change) => changes.push(change),
    onDidRemove: (path) => removed.push(path),
    events: { emit: (event, data) => emitted.push({ event, data }) },
    maxDocumentChars,
  });
  sync.attach(engine);
  return { engine, changes, removed, logged, emitted, sync };
}

function insert(document: FakeTextDocument, line: number, character: number, text: string, reason?: TextDocumentChangeReason): void {
  const at = new Position(line, character);
  document.edit([{ range: new Range(at, at), text }], reason);
}

describe('DocumentSync', () => {
  beforeEach(() => resetFakeVscode());

  it('sends already open workspace documents on attach, and only those under the root', () => {
    fake.documents.push(new FakeTextDocument(Uri.file('/ws/src/a.ts'), 'let a = 1;'), new FakeTextDocument(Uri.file('/elsewhere/b.ts'), 'b'));
    const { engine } = setup();
    expect(engine.calls).toEqual(['open src/a.ts']);
    expect(engine.texts.get('src/a.ts')).toBe('let a = 1;');
  });

  it('forwards each content change in order with the workspace-relative path', () => {
    const { engine, changes } = setup();
    const document = fake.openDocument('/ws/a.ts', 'abc\ndef');
    document.edit([
      { range: new Range(new Position(1, 0), new Position(1, 1)), text: 'D' },
      { range: new Range(new Position(0, 0), new Position(0, 0)), text: 'x' },
    ]);
    expect(engine.recorded).toEqual([
      { path: 'a.ts', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, text: 'D' },
      { path: 'a.ts', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' },
    ]);
    expect(changes.map((change) => change.recorded)).toEqual([true]);
  });

  it('re-sends the text instead of recording undo and redo', () => {
    const { engine, changes } = setup();
    const document = fake.openDocument('/ws/a.ts', 'abc');
    insert(document, 0, 3, 'd', TextDocumentChangeReason.Undo);
    insert(document, 0, 4, 'e', TextDocumentChangeReason.Redo);
    expect(engine.recorded).toEqual([]);
    expect(engine.texts.get('a.ts')).toBe('abcde');
    expect(changes.map((change) => change.recorded)).toEqual([false, false]);
  });

  it('re-sends the text instead of recording bursts and multi-cursor typing', () => {
    const { engine } = setup();
    const document = fake.openDocument('/ws/a.ts', 'abc');
    insert(document, 0, 0, 'x'.repeat(MAX_BURST_CHARS + 1));
    const editor = fake.showEditor(document);
    editor.selections = [new Selection(new Position(0, 0), new Position(0, 0)), new Selection(new Position(0, 2), new Position(0, 2))];
    insert(document, 0, 0, 'y');
    expect(engine.recorded).toEqual([]);
    expect(engine.texts.get('a.ts')).toBe(document.getText());
  });

  it('re-sends the document when the engine reports its copy drifted', () => {
    const { engine } = setup();
    const document = fake.openDocument('/ws/a.ts', 'abc');
    engine.acceptChanges = false;
    insert(document, 0, 1, 'Z');
    expect(engine.calls.slice(-2)).toEqual(['record a.ts', 'open a.ts']);
    expect(engine.texts.get('a.ts')).toBe('aZbc');
  });

  it('does not track documents over the size limit, and says so once in the log and the event log', () => {
    const { engine, sync, logged, emitted, changes } = setup(10);
    const document = fake.openDocument('/ws/big.ts', 'x\n'.repeat(6));
    insert(document, 0, 0, 'y');
    insert(document, 3, 0, 'z');
    expect(sync.isTracked(document as unknown as vscode.TextDocument)).toBe(false);
    expect(engine.calls).toEqual([]);
    expect(changes).toEqual([]);
    expect(logged).toEqual(['info not tracking big.ts: 12 characters is over the limit of 10, so Ripple makes no suggestions in it']);
    expect(emitted).toEqual([{ event: 'untracked', data: { path: 'big.ts', characters: 12, limit: 10 } }]);
  });

  it('tracks a document exactly at the size limit', () => {
    const { engine, sync, logged, emitted } = setup(10);
    const document = fake.openDocument('/ws/edge.ts', 'abcd\nefghi');
    expect(sync.isTracked(document as unknown as vscode.TextDocument)).toBe(true);
    expect(engine.texts.get('edge.ts')).toBe('abcd\nefghi');
    expect([logged, emitted]).toEqual([[], []]);
  });

  it('stops tracking a document that grows over the size limit, saying so once', () => {
    const { engine, sync, logged, emitted, changes } = setup(10);
    const document = fake.openDocument('/ws/growing.ts', 'abc');
    insert(document, 0, 3, 'defghijk');
    insert(document, 0, 0, 'more');
    expect(sync.isTracked(document as unknown as vscode.TextDocument)).toBe(false);
    expect(engine.calls).toEqual(['open growing.ts', 'close growing.ts']);
    expect(changes).toEqual([]);
    expect(logged).toEqual(['info stopped tracking growing.ts: 11 characters is over the limit of 10, so Ripple makes no suggestions in it']);
    expect(emitted).toEqual([{ event: 'untracked', data: { path: 'growing.ts', characters: 11, limit: 10 } }]);
  });

  it('tracks a document again once it shrinks back under the size limit, as when a big paste is undone', () => {
    const { engine, sync, logged, changes } = setup(10);
    const document = fake.openDocument('/ws/pasted.ts', 'abc');
    insert(document, 0, 3, 'x'.repeat(20));
    document.edit([{ range: new Range(new Position(0, 3), new Position(0, 23)), text: '' }], TextDocumentChangeReason.Undo);
    expect(sync.isTracked(document as unknown as vscode.TextDocument)).toBe(true);
    expect(engine.calls).toEqual(['open pasted.ts', 'close pasted.ts', 'open pasted.ts']);
    expect(engine.texts.get('pasted.ts')).toBe('abc');
    expect(logged.at(-1)).toBe('info tracking pasted.ts again: it is back under the limit of 10 characters');
    insert(document, 0, 3, 'd');
    expect(engine.recorded.map((change) => change.text)).toEqual(['d']);
    expect(changes.map((change) => change.recorded)).toEqual([true]);
  });

  it('tracks a document opened over the size limit once most of it is deleted, and not while it stays over', () => {
    const { engine, sync } = setup(10);
    const document = fake.openDocument('/ws/big.ts', 'x'.repeat(30));
    document.edit([{ range: new Range(new Position(0, 0), new Position(0, 5)), text: '' }]);
    expect(engine.calls).toEqual([]);
    document.edit([{ range: new Range(new Position(0, 0), new Position(0, 20)), text: '' }]);
    expect(sync.isTracked(document as unknown as vscode.TextDocument)).toBe(true);
    expect(engine.texts.get('big.ts')).toBe('x'.repeat(5));
  });

  it('forgets an oversized document once it is closed', () => {
    const { engine } = setup(10);
    const document = fake.openDocument('/ws/big.ts', 'x'.repeat(30));
    fake.workspaceEvents.close.fire(document);
    document.edit([{ range: new Range(new Position(0, 0), new Position(0, 25)), text: '' }]);
    expect(engine.calls).toEqual([]);
  });

  it('closes and deletes documents in the engine', () => {
    const { engine } = setup();
    const document = fake.openDocument('/ws/a.ts', 'abc');
    fake.workspaceEvents.close.fire(document);
    fake.workspaceEvents.delete.fire({ files: [Uri.file('/ws/gone.ts')] });
    fake.workspaceEvents.rename.fire({ files: [{ oldUri: Uri.file('/ws/old.ts'), newUri: Uri.file('/ws/new.ts') }] });
    fake.workspaceEvents.watcherDelete.fire(Uri.file('/ws/removed-by-git.ts'));
    expect(engine.calls).toEqual(['open a.ts', 'close a.ts', 'delete gone.ts', 'delete old.ts', 'delete removed-by-git.ts']);
  });

  it('reports every path deleted or renamed away inside the workspace, engine or not', () => {
    const { sync, removed } = setup();
    sync.attach(undefined);
    fake.workspaceEvents.delete.fire({ files: [Uri.file('/ws/gone.ts'), Uri.file('/elsewhere/x.ts')] });
    fake.workspaceEvents.rename.fire({ files: [{ oldUri: Uri.file('/ws/old.ts'), newUri: Uri.file('/ws/new.ts') }] });
    fake.workspaceEvents.watcherDelete.fire(Uri.file('/ws/src'));
    expect(removed).toEqual(['gone.ts', 'old.ts', 'src']);
  });

  it('stops feeding the engine after dispose', () => {
    const { engine, sync } = setup();
    sync.dispose();
    fake.openDocument('/ws/a.ts', 'abc');
    expect(engine.calls).toEqual([]);
  });
});
