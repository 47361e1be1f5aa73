// Composition root: builds Ripple's object graph for one VS Code window. Behaviour lives in
// src/vscode; the engine is created by src/node/createEngine.ts.

import * as vscode from 'vscode';
import type { Logger } from './core/ports';
import { createNodeEngine } from './node/createEngine';
import { eventSinkFromEnvironment } from './vscode/eventSink';
import { RippleSession } from './vscode/rippleSession';
import { StatusBar } from './vscode/statusBar';
import { SUPPORTED_SCHEMES, WorkspacePaths } from './vscode/workspacePaths';

export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('Ripple', { log: true });
  context.subscriptions.push(channel);
  const logger: Logger = { info: (message) => channel.info(message), warn: (message) => channel.warn(message) };
  const events = eventSinkFromEnvironment(process.env);
  const statusBar = new StatusBar();
  context.subscriptions.push(statusBar);

  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || !SUPPORTED_SCHEMES.has(folder.uri.scheme)) {
    logger.info('no workspace folder on disk: Ripple stays off');
    statusBar.setState({ kind: 'off', reason: 'no workspace folder is open' });
    const explainWhyOff = (): void => void vscode.window.showInformationMessage('Ripple needs a folder on disk: open one to get next-edit suggestions.');
    context.subscriptions.push(
      vscode.commands.registerCommand('ripple.showLog', () => channel.show()),
      vscode.commands.registerCommand('ripple.toggle', explainWhyOff),
      vscode.commands.registerCommand('ripple.explainNextEdit', explainWhyOff),
    );
    events.emit('activate', { session: false });
    return;
  }
  const session = new RippleSession({
    engineFactory: createNodeEngine,
    paths: new WorkspacePaths(folder.uri),
    workspaceRoot: folder.uri.fsPath,
    logger,
    showLog: () => channel.show(),
    statusBar,
    events,
    clock: () => performance.now(),
  });
  context.subscriptions.push(session);
  logger.info(`Ripple activated for ${folder.uri.fsPath}`);
  events.emit('activate', { session: true });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
