// "Ripple: Explain Next Edit" as a read-only virtual Markdown document: it opens beside the code,
// needs no webview, and its text is what the user (and the end-to-end test) reads.

import * as vscode from 'vscode';
import type { Explanation, ScoredEdit, Suggestion } from '../core/types';
import { explainNothing, explainSuggestion, type NoSuggestionInfo } from './explainMarkdown';
import type { WorkspacePaths } from './workspacePaths';

export const EXPLAIN_SCHEME = 'ripple-explain';
export const EXPLAIN_URI = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: '/Ripple Next Edit.md' });

export class ExplainView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration: vscode.Disposable;
  private content = explainNothing({ reason: 'no prediction yet' });
  readonly onDidChange = this.changed.event;

  constructor(private readonly paths: WorkspacePaths) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, this);
  }

  provideTextDocumentContent(): string {
    return this.content;
  }

  /** Renders the explanation and opens (or refreshes) the view beside the active editor. */
  async open(subject: { readonly suggestion: Suggestion; readonly explanation: Explanation } | NoSuggestionInfo): Promise<vscode.TextEditor> {
    this.content = 'suggestion' in subject
      ? explainSuggestion(subject.suggestion, subject.explanation, (path, line) => this.link(path, line), (edit) => this.lineOf(edit))
      : explainNothing(subject);
    this.changed.fire(EXPLAIN_URI);
    const document = await vscode.workspace.openTextDocument(EXPLAIN_URI);
    return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
  }

  get text(): string {
    return this.content;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }

  private link(path: string, line: number): string {
    return this.paths.toUri(path).with({ fragment: `L${line + 1}` }).toString();
  }

  /** The current text of the edit's first line, from an open document when there is one. */
  private lineOf(edit: ScoredEdit): string | undefined {
    const uri = this.paths.toUri(edit.path).toString();
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri);
    if (!document || edit.range.start.line >= document.lineCount) return undefined;
    return document.lineAt(edit.range.start.line).text;
  }
}
