// The last check before an accepted suggestion touches any text: every file it edits must still
// exist and still hold, at each edit's range, the text the suggestion was computed against. Files
// that are not open change on disk (a git checkout, a formatter, another editor) or disappear
// without any change event reaching us, and the file watcher may report a deletion late or not at
// all, so the targets are read as they are now, at the moment of the accept.

import * as vscode from 'vscode';
import { holdsReplacedText } from '../core/replacedText';
import { LineIndex } from '../core/text';
import type { ScoredEdit } from '../core/types';
import type { WorkspacePaths } from './workspacePaths';

export type StaleReason =
  /** The file is gone: deleted, or renamed away. */
  | 'missing'
  /** Something other than a file is at the path now (a folder, say). */
  | 'not a file'
  /** The file exists but VS Code cannot open it as text. */
  | 'unreadable'
  /** The edit's range, or the rest of its lines, no longer holds what the suggestion replaces. */
  | 'changed'
  /** The suggestion does not say what text the edit replaces, so nothing can vouch for it. */
  | 'unverifiable';

export interface StaleTarget {
  readonly path: string;
  readonly reason: StaleReason;
  /** 0-based line of the first edit found stale, when one edit (not the whole file) is. */
  readonly line?: number;
}

/**
 * The first reason, in edit order, why `edits` must not be applied, or undefined when every edit
 * still applies exactly as suggested. Opening a target that is not open loads it, from disk, the
 * way applying the edit would.
 */
export async function findStaleTarget(edits: readonly ScoredEdit[], paths: WorkspacePaths): Promise<StaleTarget | undefined> {
  const targets = [...new Set(edits.map((edit) => edit.path))];
  const opened = await Promise.all(targets.map(async (path) => ({ path, target: await openTarget(path, paths) })));
  const documents = new Map<string, vscode.TextDocument>();
  for (const { path, target } of opened) {
    if (typeof target === 'string') return { path, reason: target };
    documents.set(path, target);
  }
  // Compared only after every await, so no change to these documents can slip in between this
  // check and the caller's applyEdit, which VS Code then checks against the documents' versions.
  const indexes = new Map<string, LineIndex>();
  for (const edit of edits) {
    const document = documents.get(edit.path);
    if (!document) return { path: edit.path, reason: 'unreadable' };
    if (edit.replaced === undefined) return { path: edit.path, reason: 'unverifiable', line: edit.range.start.line };
    let index = indexes.get(edit.path);
    if (!index) {
      index = new LineIndex(document.getText());
      indexes.set(edit.path, index);
    }
    if (!holdsReplacedText(index, edit)) return { path: edit.path, reason: 'changed', line: edit.range.start.line };
  }
  return undefined;
}

/** The target's document as it is now, or why it cannot be edited. */
async function openTarget(path: string, paths: WorkspacePaths): Promise<vscode.TextDocument | StaleReason> {
  const uri = paths.toUri(path);
  // An open document outlives its file: VS Code keeps it after a deletion, and an edit to it would
  // bring the file back on the next save. So the file itself must still be there.
  let type: vscode.FileType;
  try {
    type = (await vscode.workspace.fs.stat(uri)).type;
  } catch {
    return 'missing';
  }
  if ((type & vscode.FileType.File) === 0) return 'not a file';
  try {
    return await vscode.workspace.openTextDocument(uri);
  } catch {
    return 'unreadable';
  }
}
