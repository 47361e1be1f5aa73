// The suggestion on screen and what Tab and Escape do with it. It shows the newest suggestion
// (ghost text, inline diff or a jump hint), keeps it aligned while the user keeps typing, drops it
// as soon as it no longer applies, and applies an accepted one as a single WorkspaceEdit, only
// while every target still holds the text the suggestion replaces.

import * as vscode from 'vscode';
import type { Cursor, ScoredEdit, Suggestion } from '../core/types';
import { ContextKeys, JUMP_PENDING_KEY, SUGGESTION_VISIBLE_KEY } from './contextKeys';
import type { SuggestionDecorations } from './decorations';
import type { DocumentChange } from './documentSync';
import { findStaleTarget } from './editTargets';
import type { EventSink } from './eventSink';
import { choosePresentation, describeLocation, rebaseEdits, type Presentation, type VisibleLines } from './presentation';
import { toCorePosition, toVscodePosition, toVscodeRange, type WorkspacePaths } from './workspacePaths';

/** Feedback by suggestion id: a ghost text is often gone from here by the time it is accepted. */
export interface PresenterFeedback {
  accepted(suggestionId: string): void;
  rejected(suggestionId: string): void;
}

export interface SuggestionPresenterOptions {
  readonly paths: WorkspacePaths;
  readonly decorations: SuggestionDecorations;
  readonly contextKeys: ContextKeys;
  readonly feedback: PresenterFeedback;
  readonly events: EventSink;
  /** Whether the engine still knows the suggestion; a forgotten one is no longer shown. */
  readonly isKnown: (suggestionId: string) => boolean;
}

interface ShownSuggestion {
  readonly suggestion: Suggestion;
  /** The suggestion's edits moved past every change made since it was shown. */
  edits: readonly ScoredEdit[];
  /** The user jumped to it; Tab now accepts. */
  jumped: boolean;
  /** How it is drawn now; 'pending' until the first render. */
  presentation: Presentation['kind'] | 'accept' | 'pending';
}

export class SuggestionPresenter implements vscode.Disposable {
  private shown: ShownSuggestion | undefined;

  constructor(private readonly options: SuggestionPresenterOptions) {}

  /** Shows `suggestion` for `editor`, replacing whatever was shown. */
  show(suggestion: Suggestion, editor: vscode.TextEditor): void {
    this.shown = { suggestion, edits: suggestion.edits, jumped: false, presentation: 'pending' };
    this.render(editor);
  }

  /** The ghost-text edit for this cursor, when the shown suggestion is one. */
  ghostFor(cursor: Cursor): { readonly suggestion: Suggestion; readonly edit: ScoredEdit } | undefined {
    const shown = this.shown;
    if (!shown || shown.presentation !== 'ghost') return undefined;
    const presentation = choosePresentation({ ...shown.suggestion, edits: shown.edits }, cursor, []);
    return presentation?.kind === 'ghost' ? { suggestion: shown.suggestion, edit: presentation.edit } : undefined;
  }

  /** True while an inline diff or jump hint is up (ghost text is VS Code's to manage). */
  get isShowingDecorations(): boolean {
    return this.shown !== undefined && this.shown.presentation !== 'ghost';
  }

  get current(): Suggestion | undefined {
    return this.shown?.suggestion;
  }

  /** Re-aligns the shown suggestion with a change, or drops it when the change touched it. */
  onDocumentChanged(change: DocumentChange): void {
    const shown = this.shown;
    if (!shown) return;
    let edits: readonly ScoredEdit[] | undefined = shown.edits;
    for (const event of change.changes) {
      edits = edits && rebaseEdits(edits, event);
    }
    if (!edits || !this.options.isKnown(shown.suggestion.id)) {
      // Typing over a suggestion is the user saying no to it.
      this.options.events.emit('invalidated', { id: shown.suggestion.id });
      if (shown.presentation !== 'ghost') this.options.feedback.rejected(shown.suggestion.id);
      this.clear();
      return;
    }
    shown.edits = edits;
    this.render(vscode.window.activeTextEditor);
  }

  /**
   * A file was deleted or renamed away (or a folder holding it): a shown suggestion that edits it
   * can no longer apply, so it goes at once rather than on the next keystroke or a stale Tab.
   */
  onFileRemoved(path: string): void {
    const shown = this.shown;
    if (!shown || !shown.edits.some((edit) => edit.path === path || edit.path.startsWith(`${path}/`))) return;
    this.options.events.emit('invalidated', { id: shown.suggestion.id, reason: 'file removed', path });
    this.clear();
  }

  /** Draws the shown suggestion for `editor` (decorations, hint, context keys). */
  render(editor: vscode.TextEditor | undefined): void {
    const { decorations, contextKeys } = this.options;
    decorations.clear();
    const shown = this.shown;
    const path = editor && this.options.paths.toPath(editor.document.uri);
    if (!shown || !editor || path === undefined) {
      contextKeys.set(SUGGESTION_VISIBLE_KEY, false);
      contextKeys.set(JUMP_PENDING_KEY, false);
      return;
    }
    const cursor: Cursor = { path, position: toCorePosition(editor.selection.active) };
    const here = shown.edits.filter((edit) => edit.path === path);
    if (shown.jumped) {
      const elsewhere = shown.edits.length - here.length;
      const extra = elsewhere > 0 ? ` (+${elsewhere} in other files)` : '';
      decorations.show(editor, { edits: here, hint: { line: cursor.position.line, text: `⇥ Tab to accept${extra}, Esc to dismiss` } });
      this.setKeys(shown, 'accept');
      return;
    }
    const presentation = choosePresentation({ ...shown.suggestion, edits: shown.edits }, cursor, visibleLines(editor));
    if (!presentation) {
      this.clear();
      return;
    }
    if (presentation.kind === 'ghost') {
      this.setKeys(shown, 'ghost');
      return;
    }
    if (presentation.kind === 'inline') {
      decorations.show(editor, { edits: presentation.edits });
      this.setKeys(shown, 'inline');
      return;
    }
    const target = presentation.target;
    decorations.show(editor, {
      edits: presentation.inView,
      hint: { line: cursor.position.line, text: `⇥ Tab to jump to ${describeLocation(target)}` },
      targetLine: target.path === path ? target.range.start.line : undefined,
    });
    this.setKeys(shown, 'jump');
  }

  /** Tab while a jump is pending: go to the target, then let Tab accept; or drop a stale one. */
  async jump(): Promise<void> {
    const shown = this.shown;
    if (!shown) return;
    const target = this.jumpTarget(shown, vscode.window.activeTextEditor);
    if (!target) return;
    // A target gone or changed behind our back would take the user to the wrong place and draw the
    // diff there; the suggestion goes instead, as accepting it would apply nothing anyway.
    const stale = await findStaleTarget(shown.edits, this.options.paths);
    if (this.shown !== shown) return;
    if (stale) {
      this.options.events.emit('stale', { id: shown.suggestion.id, ...stale });
      this.clear();
      return;
    }
    shown.jumped = true;
    const start = toVscodePosition(target.range.start);
    const targetEditor = await vscode.window.showTextDocument(this.options.paths.toUri(target.path), {
      selection: new vscode.Range(start, start),
      preview: false,
    });
    targetEditor.revealRange(toVscodeRange(target.range), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.options.events.emit('jumped', { id: shown.suggestion.id, path: target.path, line: target.range.start.line });
    if (this.shown === shown) this.render(targetEditor);
  }

  /** The edit the hint points to from `editor`; the first edit when there is no hint there. */
  private jumpTarget(shown: ShownSuggestion, editor: vscode.TextEditor | undefined): ScoredEdit | undefined {
    const path = editor && this.options.paths.toPath(editor.document.uri);
    if (!editor || path === undefined) return shown.edits[0];
    const cursor: Cursor = { path, position: toCorePosition(editor.selection.active) };
    const presentation = choosePresentation({ ...shown.suggestion, edits: shown.edits }, cursor, visibleLines(editor));
    return presentation?.kind === 'jump' ? presentation.target : shown.edits[0];
  }

  /**
   * Tab on an inline diff or after a jump: apply every edit, in every file, as one edit; or, when
   * any target is gone or no longer holds the text its edit replaces, apply nothing at all.
   */
  async accept(): Promise<boolean> {
    const shown = this.shown;
    if (!shown) return false;
    this.clear();
    const stale = await findStaleTarget(shown.edits, this.options.paths);
    if (stale) {
      // Not the user's "no": the ground moved under the suggestion, so no feedback either way.
      this.options.events.emit('stale', { id: shown.suggestion.id, ...stale });
      return false;
    }
    const workspaceEdit = new vscode.WorkspaceEdit();
    for (const edit of shown.edits) {
      workspaceEdit.replace(this.options.paths.toUri(edit.path), toVscodeRange(edit.range), edit.text);
    }
    const applied = await vscode.workspace.applyEdit(workspaceEdit);
    this.options.events.emit('accepted', { id: shown.suggestion.id, applied, edits: shown.edits.length, files: new Set(shown.edits.map((edit) => edit.path)).size });
    if (applied) this.options.feedback.accepted(shown.suggestion.id);
    return applied;
  }

  /** The ghost text was accepted by VS Code's own Tab handling. */
  acceptedInline(suggestionId: string): void {
    this.options.events.emit('accepted', { id: suggestionId, inline: true });
    this.options.feedback.accepted(suggestionId);
    if (this.shown?.suggestion.id === suggestionId) this.clear();
  }

  /** Escape: the user said no. */
  dismiss(): void {
    const shown = this.shown;
    if (!shown) return;
    this.options.events.emit('dismissed', { id: shown.suggestion.id });
    this.options.feedback.rejected(shown.suggestion.id);
    this.clear();
  }

  /** Hides everything without feedback (disabled, replaced, or the engine restarted). */
  clear(): void {
    this.shown = undefined;
    this.options.decorations.clear();
    this.options.contextKeys.reset();
  }

  dispose(): void {
    this.clear();
  }

  private setKeys(shown: ShownSuggestion, presentation: ShownSuggestion['presentation']): void {
    const changed = shown.presentation !== presentation;
    shown.presentation = presentation;
    this.options.contextKeys.set(SUGGESTION_VISIBLE_KEY, presentation !== 'ghost');
    this.options.contextKeys.set(JUMP_PENDING_KEY, presentation === 'jump');
    if (changed) {
      this.options.events.emit('shown', { id: shown.suggestion.id, presentation, edits: shown.edits.length, text: shown.edits[0]?.text });
    }
  }
}

function visibleLines(editor: vscode.TextEditor): VisibleLines[] {
  return editor.visibleRanges.map((range) => ({ startLine: range.start.line, endLine: range.end.line }));
}
