// Ripple inside one VS Code window: wires the engine, the document sync, the shared prediction
// scheduler, the presenter, ghost text, the Explain view and the commands together. Nothing on the
// typing path awaits the engine; predictions run debounced in the background.

import * as vscode from 'vscode';
import type { NextEditEngine } from '../core/engineApi';
import type { Clock, Logger } from '../core/ports';
import type { Suggestion } from '../core/types';
import { registerCommands } from './commands';
import { ContextKeys } from './contextKeys';
import { Debouncer } from './debouncer';
import { SuggestionDecorations } from './decorations';
import { DisposableStore } from './disposableStore';
import { DocumentSync, type DocumentChange } from './documentSync';
import { EngineHost, type EngineFactory } from './engineHost';
import type { EventSink } from './eventSink';
import { ExplainView } from './explainView';
import { RippleInlineCompletionProvider } from './inlineProvider';
import { PredictionScheduler, type PredictionOutcome } from './predictionScheduler';
import { confidentSuggestions } from './presentation';
import { parseSettings, SETTINGS_SECTION, type RippleSettings } from './settings';
import type { StatusBar } from './statusBar';
import { SuggestionPresenter } from './suggestionPresenter';
import { toCorePosition, type WorkspacePaths } from './workspacePaths';

export interface RippleSessionOptions {
  readonly engineFactory: EngineFactory;
  readonly paths: WorkspacePaths;
  /** File-system path of the workspace root, for the engine's index. */
  readonly workspaceRoot: string;
  readonly logger: Logger;
  readonly showLog: () => void;
  readonly statusBar: StatusBar;
  readonly events: EventSink;
  /** The engine's clock, for change timestamps. */
  readonly clock: Clock;
}

const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'vscode-remote' }];

export class RippleSession implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private settings: RippleSettings;
  private toggledOff = false;
  private engineReady = false;
  private reportedProblems = '';
  private lastSuggestion: Suggestion | undefined;
  private lastNone: { readonly reason: string; readonly latencyMs: number } | undefined;
  private readonly debouncer: Debouncer;
  private readonly presenter: SuggestionPresenter;
  private readonly scheduler: PredictionScheduler;
  private readonly sync: DocumentSync;
  private readonly host: EngineHost;
  private readonly provider: RippleInlineCompletionProvider;
  private readonly explainView: ExplainView;

  constructor(private readonly options: RippleSessionOptions) {
    const { paths, logger, events, statusBar } = options;
    this.settings = this.readSettings();
    this.debouncer = new Debouncer({ baseDelayMs: this.settings.debounceMs });
    const contextKeys = new ContextKeys();
    this.presenter = this.disposables.add(
      new SuggestionPresenter({
        paths,
        decorations: this.disposables.add(new SuggestionDecorations()),
        contextKeys,
        events,
        isKnown: (id) => this.engine?.suggestion(id) !== undefined,
        feedback: {
          accepted: (suggestionId) => {
            this.engine?.accepted(suggestionId);
            this.debouncer.accepted();
          },
          rejected: (suggestionId) => {
            this.engine?.rejected(suggestionId);
            this.debouncer.rejected();
          },
        },
      }),
    );
    this.scheduler = new PredictionScheduler({
      engine: {
        predict: (cursor, predictOptions, signal) =>
          this.engine?.predict(cursor, predictOptions, signal) ?? Promise.resolve({ kind: 'none', reason: 'engine not running', latencyMs: 0 }),
      },
      debouncer: this.debouncer,
      predictOptions: () => ({ budgetMs: this.settings.latencyBudgetMs }),
      onOutcome: (outcome) => this.onOutcome(outcome),
      onError: (error) => logger.warn(`prediction failed: ${error instanceof Error ? error.message : String(error)}`),
    });
    this.disposables.add({ dispose: () => this.scheduler.dispose() });
    this.sync = this.disposables.add(
      new DocumentSync({
        paths,
        clock: options.clock,
        logger,
        onDidChange: (change) => this.onDocumentChanged(change),
        onDidRemove: (path) => this.presenter.onFileRemoved(path),
        events,
      }),
    );
    this.host = this.disposables.add(
      new EngineHost(options.engineFactory, options.workspaceRoot, logger, {
        engineChanged: (engine) => {
          this.engineReady = false;
          this.presenter.clear();
          this.scheduler.cancel();
          this.scheduler.forgetLatest();
          this.sync.attach(engine);
        },
        progress: (indexed, total) => statusBar.setState({ kind: 'indexing', indexed, total }),
        ready: () => {
          this.engineReady = true;
          logger.info('index ready');
          events.emit('ready');
          this.updateStatus();
        },
        failed: (message) => {
          logger.warn(`the engine could not start: ${message}`);
          statusBar.setState({ kind: 'failed', message });
          events.emit('failed', { message });
        },
      }),
    );
    this.provider = new RippleInlineCompletionProvider({
      scheduler: this.scheduler,
      presenter: this.presenter,
      predictablePath: (document) => this.predictablePath(document),
    });
    this.disposables.add(vscode.languages.registerInlineCompletionItemProvider(SELECTOR, this.provider));
    this.explainView = this.disposables.add(new ExplainView(paths));
    this.disposables.add(vscode.window.onDidChangeTextEditorSelection((event) => this.onSelectionChanged(event)));
    this.disposables.add(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        this.presenter.render(editor);
        this.updateStatus();
      }),
    );
    this.disposables.add(
      vscode.window.onDidChangeTextEditorVisibleRanges((event) => {
        if (event.textEditor === vscode.window.activeTextEditor && this.presenter.isShowingDecorations) this.presenter.render(event.textEditor);
      }),
    );
    this.disposables.add(vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration(SETTINGS_SECTION) && this.onSettingsChanged()));
    for (const command of registerCommands({
      explain: () => this.explain(),
      toggle: () => this.toggle(),
      showLog: options.showLog,
      accept: () => this.presenter.accept(),
      jump: () => this.presenter.jump(),
      dismiss: () => this.presenter.dismiss(),
      inlineAccepted: (id) => this.presenter.acceptedInline(id),
    })) {
      this.disposables.add(command);
    }
    this.applyEnablement();
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private get engine(): NextEditEngine | undefined {
    return this.host.engine;
  }

  private get isOn(): boolean {
    return !this.toggledOff;
  }

  /** The engine path of `document` when Ripple may predict there now, else undefined. */
  private predictablePath(document: vscode.TextDocument): string | undefined {
    if (!this.isOn || !this.engine || !this.sync.isTracked(document)) return undefined;
    if (!this.isEnabledFor(document)) return undefined;
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document === document && editor.selections.length > 1) return undefined;
    return this.sync.pathOf(document);
  }

  /** ripple.enable, with per-language overrides such as "[markdown]": { "ripple.enable": false }. */
  private isEnabledFor(document: vscode.TextDocument): boolean {
    const value = vscode.workspace.getConfiguration(SETTINGS_SECTION, document).get('enable');
    return typeof value === 'boolean' ? value : this.settings.enable;
  }

  private scheduleFor(editor: vscode.TextEditor): void {
    const path = this.predictablePath(editor.document);
    if (path === undefined || !editor.selection.isEmpty) return;
    this.scheduler.schedule({ cursor: { path, position: toCorePosition(editor.selection.active) }, documentVersion: editor.document.version });
  }

  private onDocumentChanged(change: DocumentChange): void {
    this.presenter.onDocumentChanged(change);
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document === change.document) this.scheduleFor(editor);
  }

  private onSelectionChanged(event: vscode.TextEditorSelectionChangeEvent): void {
    if (event.textEditor !== vscode.window.activeTextEditor) return;
    // A shown diff or jump hint stays while the cursor moves; only edits replace it.
    if (this.presenter.isShowingDecorations) {
      this.presenter.render(event.textEditor);
      // Moving onto a shown insertion turns the diff into ghost text, which Tab accepts as usual.
      if (!this.presenter.isShowingDecorations) this.triggerGhostText();
      return;
    }
    this.scheduleFor(event.textEditor);
  }

  private onOutcome(outcome: PredictionOutcome): void {
    const { result, target } = outcome;
    this.options.statusBar.setLatency(result.latencyMs);
    if (result.kind === 'none') {
      this.lastNone = { reason: result.reason, latencyMs: result.latencyMs };
      this.options.events.emit('prediction', { kind: 'none', reason: result.reason, latencyMs: result.latencyMs });
      // The engine rebases a suggestion that still applies and returns it again; nothing back for a
      // newer state means the shown one is stale.
      if (this.presenter.current) {
        this.options.events.emit('invalidated', { id: this.presenter.current.id, reason: result.reason });
        this.presenter.clear();
      }
      return;
    }
    const best = confidentSuggestions(result.suggestions, this.settings.minConfidence)[0];
    this.options.events.emit('prediction', {
      kind: 'suggestions',
      count: result.suggestions.length,
      shown: best?.id,
      latencyMs: result.latencyMs,
      edits: best?.edits.map((edit) => ({ path: edit.path, line: edit.range.start.line, character: edit.range.start.character, text: edit.text })),
    });
    if (!best) {
      this.lastNone = { reason: 'not confident enough', latencyMs: result.latencyMs };
      return;
    }
    this.lastSuggestion = best;
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.version !== target.documentVersion || this.sync.pathOf(editor.document) !== target.cursor.path) return;
    this.presenter.show(best, editor);
    // Found by the debounced path: ask VS Code to fetch the ghost text from the provider now.
    if (this.presenter.ghostFor(target.cursor) && !this.provider.isWaiting) this.triggerGhostText();
  }

  private triggerGhostText(): void {
    void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  }

  private async explain(): Promise<void> {
    const suggestion = this.presenter.current ?? this.lastSuggestion;
    const explanation = suggestion && (this.engine?.explain(suggestion.id) ?? suggestion.explanation);
    const editor = await this.explainView.open(
      suggestion && explanation ? { suggestion, explanation } : this.lastNone ?? { reason: this.engine ? 'no prediction yet' : 'Ripple is off' },
    );
    this.options.events.emit('explained', { id: suggestion?.id, uri: editor.document.uri.toString() });
  }

  private toggle(): void {
    this.toggledOff = !this.toggledOff;
    this.options.logger.info(`Ripple turned ${this.isOn ? 'on' : 'off'}`);
    this.options.events.emit('toggled', { on: this.isOn });
    this.applyEnablement();
  }

  private applyEnablement(): void {
    if (this.isOn) {
      this.host.start(this.settings);
    } else {
      this.presenter.clear();
      this.host.stop();
    }
    this.updateStatus();
  }

  private onSettingsChanged(): void {
    this.settings = this.readSettings();
    this.debouncer.setBaseDelay(this.settings.debounceMs);
    this.applyEnablement();
    this.presenter.render(vscode.window.activeTextEditor);
  }

  private updateStatus(): void {
    const { statusBar } = this.options;
    const document = vscode.window.activeTextEditor?.document;
    if (!this.isOn) {
      statusBar.setState({ kind: 'off', reason: 'turned off' });
    } else if (document && !this.isEnabledFor(document)) {
      statusBar.setState({ kind: 'off', reason: `disabled for ${document.languageId}` });
    } else if (this.engineReady) {
      statusBar.setState({ kind: 'ready' });
    } else if (statusBar.currentState.kind !== 'indexing' && statusBar.currentState.kind !== 'failed') {
      statusBar.setState({ kind: 'starting' });
    }
  }

  private readSettings(): RippleSettings {
    const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const { settings, problems } = parseSettings({
      get: (key) => configuration.get(key),
      // Machine-scoped: a workspace must never point the extension at a model of its choosing.
      globalValue: (key) => configuration.inspect(key)?.globalValue,
    });
    const report = problems.join(' ');
    if (report !== this.reportedProblems) {
      this.reportedProblems = report;
      if (report !== '') {
        this.options.logger.warn(`settings: ${report}`);
        void vscode.window.showWarningMessage(`Ripple: ${report}`, 'Open Settings').then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS_SECTION);
        });
      }
    }
    return settings;
  }
}
