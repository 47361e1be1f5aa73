// The context keys that let Tab and Escape mean "Ripple" only while a suggestion is showing.

import * as vscode from 'vscode';

export const SUGGESTION_VISIBLE_KEY = 'ripple.suggestionVisible';
export const JUMP_PENDING_KEY = 'ripple.jumpPending';

export class ContextKeys {
  private readonly values = new Map<string, boolean>();

  /** Sets a key, skipping the round trip to the renderer when the value did not change. */
  set(key: string, value: boolean): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  get(key: string): boolean {
    return this.values.get(key) ?? false;
  }

  reset(): void {
    this.set(SUGGESTION_VISIBLE_KEY, false);
    this.set(JUMP_PENDING_KEY, false);
  }
}
