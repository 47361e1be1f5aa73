// Owns the engine's lifetime: creates it in the background after activation, reports indexing
// progress, and re-creates it when a setting that shapes it (model, index size) changes.

import type { CreatedEngine, EngineFactory, EngineFactoryOptions, NextEditEngine } from '../core/engineApi';
import type { Logger } from '../core/ports';
import type { RippleSettings } from './settings';

export type { CreatedEngine, EngineFactory, EngineFactoryOptions } from '../core/engineApi';

export interface EngineHostListener {
  /** A new engine exists (or none, with undefined); documents must be re-sent to it. */
  engineChanged(engine: NextEditEngine | undefined): void;
  progress(indexed: number, total: number): void;
  ready(): void;
  failed(message: string): void;
}

export class EngineHost {
  private created: CreatedEngine | undefined;
  private controller: AbortController | undefined;
  private shapingKey: string | undefined;

  constructor(
    private readonly factory: EngineFactory,
    private readonly workspaceRoot: string,
    private readonly logger: Logger,
    private readonly listener: EngineHostListener,
  ) {
    if (typeof factory !== 'function') throw new TypeError('factory must be a function');
    if (typeof workspaceRoot !== 'string' || workspaceRoot === '') throw new TypeError('workspaceRoot must be a non-empty path');
  }

  get engine(): NextEditEngine | undefined {
    return this.created?.engine;
  }

  /** Starts an engine for `settings`, or keeps the running one when nothing that shapes it changed. */
  start(settings: RippleSettings): void {
    const key = JSON.stringify([settings.useModel, settings.modelPath ?? null, settings.maxIndexedFiles]);
    if (this.created && key === this.shapingKey) return;
    this.stop();
    this.shapingKey = key;
    const controller = new AbortController();
    this.controller = controller;
    let created: CreatedEngine;
    try {
      created = this.factory(
        {
          workspaceRoot: this.workspaceRoot,
          logger: this.logger,
          useModel: settings.useModel,
          modelDirectory: settings.modelPath,
          budgetMs: settings.latencyBudgetMs,
          debounceMs: settings.debounceMs,
          eagerness: settings.minConfidence,
          maxIndexedFiles: settings.maxIndexedFiles,
          onIndexProgress: (indexed, total) => {
            if (!controller.signal.aborted) this.listener.progress(indexed, total);
          },
        },
        controller.signal,
      );
    } catch (error) {
      this.shapingKey = undefined;
      this.listener.failed(messageOf(error));
      return;
    }
    this.created = created;
    this.listener.engineChanged(created.engine);
    created.ready.then(
      () => {
        if (!controller.signal.aborted) this.listener.ready();
      },
      (error: unknown) => {
        // Without an index the engine still predicts from open documents; say so and carry on.
        if (!controller.signal.aborted) {
          this.logger.warn(`indexing failed: ${messageOf(error)}`);
          this.listener.ready();
        }
      },
    );
  }

  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    const created = this.created;
    this.created = undefined;
    this.shapingKey = undefined;
    if (created) {
      this.listener.engineChanged(undefined);
      try {
        created.dispose();
      } catch (error) {
        this.logger.warn(`engine dispose failed: ${messageOf(error)}`);
      }
    }
  }

  dispose(): void {
    this.stop();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
