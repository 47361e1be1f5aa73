import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => import('./fakeVscode'));

import * as vscode from 'vscode';
import { DocumentSync, MAX_BURST_CHARS, type DocumentChange } from '../../../src/vscode/documentSync';
import { WorkspacePaths } from '../../../src/vscode/workspacePaths';
import { fake, FakeTextDocument, Position, Range, resetFakeVscode, Selection, TextDocumentChangeReason, Uri } from './fakeVscode';
import { FakeEngine } from './fakeEngine';

const logger = { info: () => undefined, warn: () => undefined };

function setup(maxDocumentChars?: number) {
  const engine = new FakeEngine();
  const changes: DocumentChange[] = [];
  const removed: string[] = [];
  const sync = new DocumentSync({
    paths: new WorkspacePaths(vscode.Uri.file('/ws')),
    clock: () => 1_000,
    logger,
    onDidChange: (change) => changes.push(change),
    onDidRemove: (path) => removed.push(path),
    maxDocumentChars,
  });
  sync.attach(engine);
  return { engine, changes, removed, sync };
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

  it('does not track documents over the size limit', () => {
    const { engine, sync } = setup(10);
    const document = fake.openDocument('/ws/big.ts', 'x'.repeat(11));
    insert(document, 0, 0, 'y');
    expect(sync.isTracked(document as unknown as vscode.TextDocument)).toBe(false);
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
