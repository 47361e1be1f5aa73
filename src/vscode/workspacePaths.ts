// Converting between VS Code's URIs, positions and ranges and the engine's workspace-relative,
// '/'-separated paths and plain position objects. Only documents under the workspace root, in a
// scheme backed by real files, are the engine's business.

import * as vscode from 'vscode';
import type { Position, Range } from '../core/types';

/** 'vscode-remote' is what a remote workspace's files look like from a local extension host. */
export const SUPPORTED_SCHEMES: ReadonlySet<string> = new Set(['file', 'vscode-remote']);

export class WorkspacePaths {
  private readonly rootPrefix: string;

  constructor(readonly root: vscode.Uri) {
    if (!SUPPORTED_SCHEMES.has(root.scheme)) throw new TypeError(`unsupported workspace scheme '${root.scheme}'`);
    this.rootPrefix = root.path.endsWith('/') ? root.path : `${root.path}/`;
  }

  /** The engine path of `uri`, or undefined when the engine does not track it. */
  toPath(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== this.root.scheme || uri.authority !== this.root.authority) return undefined;
    if (!uri.path.startsWith(this.rootPrefix)) return undefined;
    const path = uri.path.slice(this.rootPrefix.length);
    return path === '' ? undefined : path;
  }

  toUri(path: string): vscode.Uri {
    return vscode.Uri.joinPath(this.root, ...path.split('/'));
  }
}

export function toCorePosition(position: vscode.Position): Position {
  return { line: position.line, character: position.character };
}

export function toCoreRange(range: vscode.Range): Range {
  return { start: toCorePosition(range.start), end: toCorePosition(range.end) };
}

export function toVscodePosition(position: Position): vscode.Position {
  return new vscode.Position(position.line, position.character);
}

export function toVscodeRange(range: Range): vscode.Range {
  return new vscode.Range(toVscodePosition(range.start), toVscodePosition(range.end));
}
