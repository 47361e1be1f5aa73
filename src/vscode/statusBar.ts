// The status bar item: what Ripple is doing (indexing n/m, ready, off, failed) and how long the
// last prediction took. Clicking it toggles Ripple.

import * as vscode from 'vscode';

export const TOGGLE_COMMAND = 'ripple.toggle';

export type RippleState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'indexing'; readonly indexed: number; readonly total: number }
  | { readonly kind: 'ready' }
  | { readonly kind: 'off'; readonly reason: string }
  | { readonly kind: 'failed'; readonly message: string };

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ripple.status', vscode.StatusBarAlignment.Right, 100);
  private state: RippleState = { kind: 'starting' };
  private lastLatencyMs: number | undefined;

  constructor() {
    this.item.name = 'Ripple';
    this.item.command = TOGGLE_COMMAND;
    this.render();
    this.item.show();
  }

  setState(state: RippleState): void {
    this.state = state;
    this.render();
  }

  get currentState(): RippleState {
    return this.state;
  }

  setLatency(latencyMs: number): void {
    this.lastLatencyMs = latencyMs;
    this.render();
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(): void {
    const { text, tooltip } = describeState(this.state, this.lastLatencyMs);
    this.item.text = text;
    this.item.tooltip = `${tooltip}\nClick to turn Ripple ${this.state.kind === 'off' ? 'on' : 'off'}.`;
  }
}

export function describeState(state: RippleState, lastLatencyMs: number | undefined): { text: string; tooltip: string } {
  switch (state.kind) {
    case 'starting':
      return { text: '$(loading~spin) Ripple', tooltip: 'Ripple is starting.' };
    case 'indexing':
      return { text: `$(loading~spin) Ripple ${state.indexed}/${state.total}`, tooltip: `Ripple is indexing the workspace: ${state.indexed} of ${state.total} files.` };
    case 'ready': {
      const latency = lastLatencyMs === undefined ? '' : ` ${Math.round(lastLatencyMs)} ms`;
      return { text: `$(sparkle) Ripple${latency}`, tooltip: lastLatencyMs === undefined ? 'Ripple is ready.' : `Ripple is ready. Last prediction took ${Math.round(lastLatencyMs)} ms.` };
    }
    case 'off':
      return { text: '$(circle-slash) Ripple off', tooltip: `Ripple is off: ${state.reason}.` };
    case 'failed':
      return { text: '$(error) Ripple', tooltip: `Ripple failed to start: ${state.message}` };
  }
}
