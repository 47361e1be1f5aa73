// A small, working stand-in for the parts of the 'vscode' API that src/vscode uses. Documents hold
// real text and apply edits, editors record decorations, events fire synchronously. Files on disk
// are a map apart from open documents, as in VS Code: an open document keeps its text when its file
// changes or goes, and fake.disk changes files silently, like a tool the watcher has not reported
// yet. Tests load it with vi.mock('vscode', () => import('./fakeVscode')) and call resetFakeVscode()
// between tests. The stateless value classes and enums live in fakeVscodeValues.ts, re-exported here.

import { Disposable, EventEmitter, FileType, Position, Range, Selection, TextDocumentChangeReason, Uri, WorkspaceEdit } from './fakeVscodeValues';

export * from './fakeVscodeValues';

export interface ContentChange {
  readonly range: Range;
  readonly text: string;
}

export class FakeTextDocument {
  version = 1;
  constructor(
    readonly uri: Uri,
    private text: string,
    readonly languageId = 'typescript',
  ) {}
  getText(): string {
    return this.text;
  }
  get lineCount(): number {
    return this.text.split('\n').length;
  }
  lineAt(line: number): { text: string; range: Range } {
    const text = this.text.split('\n')[line] ?? '';
    return { text, range: new Range(new Position(line, 0), new Position(line, text.length)) };
  }
  offsetAt(position: Position): number {
    const lines = this.text.split('\n');
    let offset = 0;
    for (let line = 0; line < position.line && line < lines.length; line++) offset += (lines[line] ?? '').length + 1;
    return offset + position.character;
  }
  /** Applies changes in order, bumps the version and fires onDidChangeTextDocument. */
  edit(changes: readonly ContentChange[], reason?: TextDocumentChangeReason): void {
    for (const change of changes) {
      this.text = this.text.slice(0, this.offsetAt(change.range.start)) + change.text + this.text.slice(this.offsetAt(change.range.end));
    }
    this.version++;
    workspaceEvents.change.fire({ document: this, contentChanges: changes, reason });
  }
}

export class FakeTextEditor {
  selections: Selection[];
  visibleRanges: Range[];
  readonly decorations = new Map<FakeDecorationType, readonly unknown[]>();
  constructor(readonly document: FakeTextDocument, cursor = new Position(0, 0), visibleLineCount = 30) {
    this.selections = [new Selection(cursor, cursor)];
    this.visibleRanges = [new Range(new Position(0, 0), new Position(visibleLineCount - 1, 0))];
  }
  get selection(): Selection {
    return this.selections[0] as Selection;
  }
  set selection(selection: Selection) {
    this.selections = [selection];
  }
  setDecorations(type: FakeDecorationType, decorations: readonly unknown[]): void {
    this.decorations.set(type, decorations);
  }
  revealRange(): void {}
  /** Moves the cursor and fires onDidChangeTextEditorSelection. */
  moveCursor(position: Position): void {
    this.selection = new Selection(position, position);
    windowEvents.selection.fire({ textEditor: this, selections: this.selections });
  }
}

export class FakeDecorationType {
  disposed = false;
  constructor(readonly options: unknown) {}
  dispose(): void {
    this.disposed = true;
  }
}

const workspaceEvents = {
  open: new EventEmitter<FakeTextDocument>(),
  close: new EventEmitter<FakeTextDocument>(),
  change: new EventEmitter<{ document: FakeTextDocument; contentChanges: readonly ContentChange[]; reason?: TextDocumentChangeReason }>(),
  delete: new EventEmitter<{ files: Uri[] }>(),
  rename: new EventEmitter<{ files: { oldUri: Uri; newUri: Uri }[] }>(),
  configuration: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
  watcherDelete: new EventEmitter<Uri>(),
};
const windowEvents = {
  selection: new EventEmitter<{ textEditor: FakeTextEditor; selections: Selection[] }>(),
  activeEditor: new EventEmitter<FakeTextEditor | undefined>(),
  visibleRanges: new EventEmitter<{ textEditor: FakeTextEditor }>(),
};

/** Files on disk by URI string, apart from open documents; changes here fire no event. */
const files = new Map<string, string>();

/** Everything tests inspect or arrange. */
export const fake = {
  documents: [] as FakeTextDocument[],
  disk: {
    read: (path: string): string | undefined => files.get(Uri.file(path).toString()),
    write: (path: string, text: string): void => void files.set(Uri.file(path).toString(), text),
    delete: (path: string): void => void files.delete(Uri.file(path).toString()),
    rename(from: string, to: string): void {
      const text = fake.disk.read(from);
      if (text === undefined) throw new Error(`no file ${from}`);
      fake.disk.delete(from);
      fake.disk.write(to, text);
    },
  },
  configuration: new Map<string, unknown>(),
  globalConfiguration: new Map<string, unknown>(),
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  executed: [] as { command: string; args: unknown[] }[],
  appliedEdits: [] as WorkspaceEdit[],
  warnings: [] as string[],
  inlineProviders: [] as { provideInlineCompletionItems(...args: unknown[]): unknown }[],
  contentProviders: new Map<string, { provideTextDocumentContent(uri: Uri): string }>(),
  statusBarItems: [] as { text: string; tooltip: string; command: string; shown: boolean }[],
  workspaceEvents,
  windowEvents,
  /** Opens a document, with a file behind it holding the same text unless one is there already. */
  openDocument(path: string, text: string, languageId?: string): FakeTextDocument {
    const document = new FakeTextDocument(Uri.file(path), text, languageId);
    if (fake.disk.read(path) === undefined) fake.disk.write(path, text);
    fake.documents.push(document);
    workspaceEvents.open.fire(document);
    return document;
  },
  showEditor(document: FakeTextDocument, cursor?: Position, visibleLineCount?: number): FakeTextEditor {
    const editor = new FakeTextEditor(document, cursor, visibleLineCount);
    window.activeTextEditor = editor;
    windowEvents.activeEditor.fire(editor);
    return editor;
  },
};

export function resetFakeVscode(): void {
  fake.documents.length = 0;
  files.clear();
  fake.configuration.clear();
  fake.globalConfiguration.clear();
  fake.commands.clear();
  fake.executed.length = 0;
  fake.appliedEdits.length = 0;
  fake.warnings.length = 0;
  fake.inlineProviders.length = 0;
  fake.contentProviders.clear();
  fake.statusBarItems.length = 0;
  for (const emitter of [...Object.values(workspaceEvents), ...Object.values(windowEvents)]) emitter.dispose();
  window.activeTextEditor = undefined;
}

function findDocument(uri: Uri): FakeTextDocument | undefined {
  return fake.documents.find((document) => document.uri.toString() === uri.toString());
}

export const workspace = {
  get textDocuments(): readonly FakeTextDocument[] {
    return fake.documents;
  },
  onDidOpenTextDocument: workspaceEvents.open.event,
  onDidCloseTextDocument: workspaceEvents.close.event,
  onDidChangeTextDocument: workspaceEvents.change.event,
  onDidDeleteFiles: workspaceEvents.delete.event,
  onDidRenameFiles: workspaceEvents.rename.event,
  onDidChangeConfiguration: workspaceEvents.configuration.event,
  createFileSystemWatcher: () => ({ onDidDelete: workspaceEvents.watcherDelete.event, dispose: () => undefined }),
  getConfiguration: (section: string) => ({
    get: (key: string) => fake.configuration.get(`${section}.${key}`),
    inspect: (key: string) => ({ globalValue: fake.globalConfiguration.get(`${section}.${key}`) }),
  }),
  async applyEdit(edit: WorkspaceEdit): Promise<boolean> {
    fake.appliedEdits.push(edit);
    // Like VS Code: edits to one document are applied from the end so earlier ranges stay valid.
    const byDocument = new Map<FakeTextDocument, ContentChange[]>();
    for (const replacement of edit.replacements) {
      // Like VS Code, a file that is not open is loaded; unlike VS Code, a missing one is created,
      // so a test sees any edit that should never have been applied.
      const document = findDocument(replacement.uri) ?? fake.openDocument(replacement.uri.path, files.get(replacement.uri.toString()) ?? '');
      byDocument.set(document, [...(byDocument.get(document) ?? []), { range: replacement.range, text: replacement.text }]);
    }
    for (const [document, changes] of byDocument) {
      const ordered = [...changes].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
      document.edit(ordered);
    }
    return true;
  },
  fs: {
    async stat(uri: Uri): Promise<{ type: FileType }> {
      if (files.has(uri.toString())) return { type: FileType.File };
      const folder = `${uri.toString().replace(/\/$/, '')}/`;
      if ([...files.keys()].some((key) => key.startsWith(folder))) return { type: FileType.Directory };
      throw new Error(`EntryNotFound (FileSystemError): ${uri.toString()}`);
    },
  },
  async openTextDocument(uri: Uri): Promise<FakeTextDocument> {
    const existing = findDocument(uri);
    if (existing) return existing;
    const provider = fake.contentProviders.get(uri.scheme);
    const text = provider ? provider.provideTextDocumentContent(uri) : files.get(uri.toString());
    if (text === undefined) throw new Error(`cannot open ${uri.toString()}: Unable to resolve nonexistent file`);
    const document = new FakeTextDocument(uri, text, provider ? 'markdown' : 'typescript');
    fake.documents.push(document);
    workspaceEvents.open.fire(document);
    return document;
  },
  registerTextDocumentContentProvider(scheme: string, provider: { provideTextDocumentContent(uri: Uri): string }): Disposable {
    fake.contentProviders.set(scheme, provider);
    return new Disposable(() => fake.contentProviders.delete(scheme));
  },
};

export const window = {
  activeTextEditor: undefined as FakeTextEditor | undefined,
  onDidChangeTextEditorSelection: windowEvents.selection.event,
  onDidChangeActiveTextEditor: windowEvents.activeEditor.event,
  onDidChangeTextEditorVisibleRanges: windowEvents.visibleRanges.event,
  createTextEditorDecorationType: (options: unknown) => new FakeDecorationType(options),
  createStatusBarItem: () => {
    const item = { text: '', tooltip: '', command: '', name: '', shown: false, show: () => (item.shown = true), dispose: () => undefined };
    fake.statusBarItems.push(item);
    return item;
  },
  async showTextDocument(target: Uri | FakeTextDocument, options?: { selection?: Range }): Promise<FakeTextEditor> {
    const document = target instanceof Uri ? await workspace.openTextDocument(target) : target;
    const cursor = options?.selection?.start ?? new Position(0, 0);
    return fake.showEditor(document, new Position(cursor.line, cursor.character));
  },
  showWarningMessage: async (message: string) => {
    fake.warnings.push(message);
    return undefined;
  },
};

export const languages = {
  registerInlineCompletionItemProvider: (_selector: unknown, provider: { provideInlineCompletionItems(...args: unknown[]): unknown }) => {
    fake.inlineProviders.push(provider);
    return new Disposable(() => fake.inlineProviders.splice(fake.inlineProviders.indexOf(provider), 1));
  },
};

export const commands = {
  registerCommand: (command: string, callback: (...args: unknown[]) => unknown) => {
    fake.commands.set(command, callback);
    return new Disposable(() => fake.commands.delete(command));
  },
  executeCommand: async (command: string, ...args: unknown[]) => {
    fake.executed.push({ command, args });
    return fake.commands.get(command)?.(...args);
  },
};
