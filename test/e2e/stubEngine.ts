// Stand-in for src/node/createEngine.ts while it does not exist yet, so the end-to-end harness
// (build, install, activation, status, Explain view) can run. It tracks text and predicts nothing.
// run.sh uses it only when src/node/createEngine.ts is missing, and says so loudly.

import type { NextEditEngine } from '../../src/core/engineApi';
import type { EngineFactoryOptions, CreatedEngine } from '../../src/vscode/engineHost';

export function createNodeEngine(options: EngineFactoryOptions): CreatedEngine {
  const texts = new Map<string, string>();
  const engine: NextEditEngine = {
    openDocument: (path, text) => void texts.set(path, text),
    closeDocument: (path) => void texts.delete(path),
    deleteDocument: (path) => void texts.delete(path),
    recordChange: () => true,
    predict: async () => ({ kind: 'none', reason: 'stub engine (src/node/createEngine.ts missing)', latencyMs: 0 }),
    accepted: () => undefined,
    rejected: () => undefined,
    suggestion: () => undefined,
    explain: () => undefined,
    documentText: (path) => texts.get(path),
    dispose: () => texts.clear(),
  };
  options.logger.warn('using the e2e stub engine: src/node/createEngine.ts is missing');
  options.onIndexProgress?.(1, 1);
  return { engine, ready: Promise.resolve(), dispose: () => engine.dispose() };
}
