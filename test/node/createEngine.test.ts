// Which model a workspace gets: the one the settings name, none when the user turned the model
// off (said once, as information, since nothing is wrong), and none with one warning when the
// named folder holds no model. The engine predicts symbolically either way.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayAndPredict } from '../../src/cli/replay';
import type { Logger } from '../../src/core/ports';
import { createEngine, openWorkspace, type WorkspaceOptions } from '../../src/node/createEngine';
import { typeOver } from './support/typing';

const MODEL_DIRECTORY = resolve(__dirname, '..', '..', 'models');

function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (message) => lines.push(`info: ${message}`), warn: (message) => lines.push(`warn: ${message}`) };
}

function smallWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'ripple-model-setting-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'app.ts'), 'const total = 1;\nconsole.log(total);\nexport const twice = total * 2;\n');
  return root;
}

function open(options: Partial<WorkspaceOptions>, logger: Logger) {
  return openWorkspace({ workspaceRoot: smallWorkspace(), logger, ...options }, new AbortController().signal);
}

describe('the workspace model', () => {
  it('is the named model when the model is on', () => {
    const logger = recordingLogger();
    const workspace = open({ modelDirectory: MODEL_DIRECTORY }, logger);
    try {
      expect(workspace.model).toBeDefined();
      expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual([]);
    } finally {
      workspace.dispose();
    }
  });

  it('is absent, with one line of information and no warning, when the user turned it off', async () => {
    const logger = recordingLogger();
    const workspace = open({ modelDirectory: MODEL_DIRECTORY, useModel: false }, logger);
    try {
      expect(workspace.model).toBeUndefined();
      expect(logger.lines.filter((line) => line.includes('model'))).toEqual([
        'info: the local model is turned off (ripple.model.enable): predictions are symbolic only',
      ]);
      await workspace.ready;
      // The symbolic engine still answers: renaming one use of `total` proposes the others.
      const engine = createEngine(workspace, { logger });
      try {
        const events = typeOver('src/app.ts', 0, 6, 5, 'sum');
        const outcome = await replayAndPredict(engine, { workspaceRoot: workspace.root, events, sources: 'all', top: 5 }, workspace.clock, new AbortController().signal);
        expect(outcome.edits[0]?.text).toMatch(/sum\);\nexport const twice = sum$/);
        expect(outcome.edits.every((edit) => edit.source !== 'model')).toBe(true);
      } finally {
        engine.dispose();
      }
    } finally {
      workspace.dispose();
    }
  });

  it('is absent with one warning when the folder holds no model', () => {
    const logger = recordingLogger();
    const workspace = open({ modelDirectory: '/nonexistent-model-dir' }, logger);
    try {
      expect(workspace.model).toBeUndefined();
      expect(logger.lines.filter((line) => line.startsWith('warn'))).toEqual(['warn: no model at /nonexistent-model-dir: predictions are symbolic only']);
    } finally {
      workspace.dispose();
    }
  });
});
