// Ripple's commands. The Tab/Escape ones are bound in package.json only while a suggestion is
// showing (context keys ripple.suggestionVisible and ripple.jumpPending).

import * as vscode from 'vscode';
import { INLINE_ACCEPTED_COMMAND } from './inlineProvider';
import { TOGGLE_COMMAND } from './statusBar';

export const COMMANDS = {
  explain: 'ripple.explainNextEdit',
  toggle: TOGGLE_COMMAND,
  showLog: 'ripple.showLog',
  accept: 'ripple.acceptSuggestion',
  jump: 'ripple.jumpToSuggestion',
  dismiss: 'ripple.dismissSuggestion',
  inlineAccepted: INLINE_ACCEPTED_COMMAND,
} as const;

export interface CommandHandlers {
  explain(): Promise<void>;
  toggle(): void;
  showLog(): void;
  accept(): Promise<unknown>;
  jump(): Promise<void>;
  dismiss(): void;
  inlineAccepted(suggestionId: string): void;
}

export function registerCommands(handlers: CommandHandlers): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.explain, () => handlers.explain()),
    vscode.commands.registerCommand(COMMANDS.toggle, () => handlers.toggle()),
    vscode.commands.registerCommand(COMMANDS.showLog, () => handlers.showLog()),
    vscode.commands.registerCommand(COMMANDS.accept, () => handlers.accept()),
    vscode.commands.registerCommand(COMMANDS.jump, () => handlers.jump()),
    vscode.commands.registerCommand(COMMANDS.dismiss, () => handlers.dismiss()),
    vscode.commands.registerCommand(COMMANDS.inlineAccepted, (suggestionId: unknown) => {
      if (typeof suggestionId === 'string') handlers.inlineAccepted(suggestionId);
    }),
  ];
}
