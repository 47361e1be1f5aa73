// Ghost text: VS Code asks on typing, this provider asks the shared scheduler (which runs the
// engine once per editor state) and offers the suggestion only when it is an insertion right at the
// cursor. Tab and word-by-word accept are VS Code's; the item's command reports the acceptance.

import * as vscode from 'vscode';
import type { Cursor, ScoredEdit } from '../core/types';
import type { PredictionScheduler } from './predictionScheduler';
import type { SuggestionPresenter } from './suggestionPresenter';
import { toCorePosition, toVscodePosition } from './workspacePaths';

export const INLINE_ACCEPTED_COMMAND = 'ripple.inlineAccepted';

export interface InlineProviderOptions {
  readonly scheduler: PredictionScheduler;
  readonly presenter: SuggestionPresenter;
  /** The engine path of a document Ripple may predict in now (enabled, tracked, one cursor). */
  readonly predictablePath: (document: vscode.TextDocument) => string | undefined;
}

export class RippleInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  private waiting = 0;

  constructor(private readonly options: InlineProviderOptions) {}

  /** True while VS Code is waiting on this provider, so nobody needs to re-trigger it. */
  get isWaiting(): boolean {
    return this.waiting > 0;
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[]> {
    const path = this.options.predictablePath(document);
    // An inline diff or jump hint is up: ghost text on top of it would fight for Tab.
    if (path === undefined || this.options.presenter.isShowingDecorations) return [];
    const cursor: Cursor = { path, position: toCorePosition(position) };
    // The cursor moved onto a shown insertion: offer it without asking the engine again.
    const shown = this.options.presenter.ghostFor(cursor);
    if (shown) return [this.item(shown.suggestion.id, shown.edit)];
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    this.waiting++;
    try {
      if (token.isCancellationRequested) return [];
      await this.options.scheduler.request({ cursor, documentVersion: document.version }, abort.signal);
    } finally {
      this.waiting--;
      subscription.dispose();
    }
    if (token.isCancellationRequested) return [];
    const ghost = this.options.presenter.ghostFor(cursor);
    if (!ghost) return [];
    return [this.item(ghost.suggestion.id, ghost.edit)];
  }

  private item(suggestionId: string, edit: ScoredEdit): vscode.InlineCompletionItem {
    const at = toVscodePosition(edit.range.start);
    return new vscode.InlineCompletionItem(edit.text, new vscode.Range(at, at), {
      command: INLINE_ACCEPTED_COMMAND,
      title: 'Ripple: suggestion accepted',
      arguments: [suggestionId],
    });
  }
}
