// How a suggestion looks in a text editor: an inline diff (old text struck through on red, new text
// after it on green, both outlined so a one-character change is still visible), a "Tab to jump"
// hint at the end of the cursor line, and a marker in the gutter of the target line.

import * as vscode from 'vscode';
import type { Position, ScoredEdit } from '../core/types';
import { toVscodePosition, toVscodeRange } from './workspacePaths';

/** Longer inline insertions are cut: decorations cannot wrap and a huge one hides the code. */
export const MAX_INLINE_INSERT_CHARS = 120;

const REMOVED_BACKGROUND = 'rgba(255, 60, 60, 0.28)';
const REMOVED_BORDER = '1px solid rgba(255, 90, 90, 0.9)';
const INSERTED_BACKGROUND = 'rgba(40, 190, 80, 0.28)';
const INSERTED_BORDER = '1px solid rgba(60, 200, 100, 0.9)';
const TARGET_LINE_BACKGROUND = 'rgba(80, 160, 255, 0.14)';
const TARGET_GUTTER_ICON =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><path d="M3 3l6 5-6 5z" fill="#3794ff"/><rect x="11" y="3" width="2" height="10" fill="#3794ff"/></svg>',
  );

export interface EditorDecorations {
  /** Edits to draw as an inline diff; all must belong to `editor`'s document. */
  readonly edits: readonly ScoredEdit[];
  /** A hint shown after the end of this line. */
  readonly hint?: { readonly line: number; readonly text: string };
  /** The line the hint points to, marked in the gutter and overview ruler. */
  readonly targetLine?: number;
}

export class SuggestionDecorations implements vscode.Disposable {
  private readonly removed = vscode.window.createTextEditorDecorationType({
    textDecoration: 'line-through',
    backgroundColor: REMOVED_BACKGROUND,
    border: REMOVED_BORDER,
    borderRadius: '2px',
    overviewRulerColor: 'rgba(255, 90, 90, 0.9)',
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  private readonly inserted = vscode.window.createTextEditorDecorationType({
    overviewRulerColor: 'rgba(60, 200, 100, 0.9)',
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  private readonly hint = vscode.window.createTextEditorDecorationType({
    after: {
      color: new vscode.ThemeColor('editorGhostText.foreground'),
      fontStyle: 'italic',
      margin: '0 0 0 2em',
    },
  });
  private readonly target = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: TARGET_LINE_BACKGROUND,
    gutterIconPath: vscode.Uri.parse(TARGET_GUTTER_ICON),
    gutterIconSize: 'contain',
    overviewRulerColor: '#3794ff',
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });
  /** Editors that currently carry decorations, so clearing never misses one. */
  private readonly decorated = new Set<vscode.TextEditor>();

  show(editor: vscode.TextEditor, decorations: EditorDecorations): void {
    const removedRanges: vscode.Range[] = [];
    const insertedOptions: vscode.DecorationOptions[] = [];
    for (const edit of decorations.edits) {
      const range = toVscodeRange(edit.range);
      if (!range.isEmpty) removedRanges.push(range);
      if (edit.text.length > 0) insertedOptions.push(insertionDecoration(edit.range.end, edit.text));
    }
    editor.setDecorations(this.removed, removedRanges);
    editor.setDecorations(this.inserted, insertedOptions);
    editor.setDecorations(this.hint, decorations.hint ? [hintDecoration(editor.document, decorations.hint.line, decorations.hint.text)] : []);
    editor.setDecorations(this.target, decorations.targetLine === undefined ? [] : [lineRange(editor.document, decorations.targetLine)]);
    this.decorated.add(editor);
  }

  clear(): void {
    for (const editor of this.decorated) {
      editor.setDecorations(this.removed, []);
      editor.setDecorations(this.inserted, []);
      editor.setDecorations(this.hint, []);
      editor.setDecorations(this.target, []);
    }
    this.decorated.clear();
  }

  dispose(): void {
    this.decorated.clear();
    this.removed.dispose();
    this.inserted.dispose();
    this.hint.dispose();
    this.target.dispose();
  }
}

function insertionDecoration(at: Position, text: string): vscode.DecorationOptions {
  const position = toVscodePosition(at);
  return {
    range: new vscode.Range(position, position),
    renderOptions: {
      after: {
        contentText: inlineText(text),
        backgroundColor: INSERTED_BACKGROUND,
        border: INSERTED_BORDER,
        color: new vscode.ThemeColor('editor.foreground'),
      },
    },
  };
}

function hintDecoration(document: vscode.TextDocument, line: number, text: string): vscode.DecorationOptions {
  const end = document.lineAt(Math.min(line, document.lineCount - 1)).range.end;
  return { range: new vscode.Range(end, end), renderOptions: { after: { contentText: text } } };
}

function lineRange(document: vscode.TextDocument, line: number): vscode.Range {
  return document.lineAt(Math.min(Math.max(0, line), document.lineCount - 1)).range;
}

/** One line of text for an `after` decoration: line breaks made visible, overlong text cut. */
export function inlineText(text: string): string {
  const visible = text.replace(/\r?\n/g, '⏎');
  return visible.length > MAX_INLINE_INSERT_CHARS ? `${visible.slice(0, MAX_INLINE_INSERT_CHARS - 1)}…` : visible;
}
