import { describe, expect, it } from 'vitest';
import type { NextEditEngine } from '../../../src/core/engineApi';
import { EngineHost, type CreatedEngine, type EngineFactoryOptions } from '../../../src/vscode/engineHost';
import { DEFAULT_SETTINGS } from '../../../src/vscode/settings';
import { FakeEngine } from './fakeEngine';

const logger = { info: () => undefined, warn: () => undefined };

function recordingListener() {
  const log: string[] = [];
  return {
    log,
    listener: {
      engineChanged: (engine: NextEditEngine | undefined) => log.push(engine ? 'engine' : 'no engine'),
      progress: (indexed: number, total: number) => log.push(`progress ${indexed}/${total}`),
      ready: () => log.push('ready'),
      failed: (message: string) => log.push(`failed ${message}`),
    },
  };
}

function factory(created: FakeEngine[], options: EngineFactoryOptions[], ready: Promise<void> = Promise.resolve()) {
  return (factoryOptions: EngineFactoryOptions): CreatedEngine => {
    const engine = new FakeEngine();
    created.push(engine);
    options.push(factoryOptions);
    factoryOptions.onIndexProgress?.(1, 2);
    return { engine, ready, dispose: () => engine.dispose() };
  };
}

describe('EngineHost', () => {
  it('creates an engine, reports progress and readiness', async () => {
    const created: FakeEngine[] = [];
    const options: EngineFactoryOptions[] = [];
    const { log, listener } = recordingListener();
    const host = new EngineHost(factory(created, options), '/ws', logger, listener);
    host.start(DEFAULT_SETTINGS);
    await Promise.resolve();
    expect(log).toEqual(['progress 1/2', 'engine', 'ready']);
    expect(options[0]).toMatchObject({ workspaceRoot: '/ws', budgetMs: 300, eagerness: DEFAULT_SETTINGS.minConfidence });
    expect(host.engine).toBe(created[0]);
  });

  it('keeps the engine for settings that do not shape it and re-creates it for those that do', () => {
    const created: FakeEngine[] = [];
    const host = new EngineHost(factory(created, []), '/ws', logger, recordingListener().listener);
    host.start(DEFAULT_SETTINGS);
    host.start({ ...DEFAULT_SETTINGS, debounceMs: 10 });
    expect(created).toHaveLength(1);
    host.start({ ...DEFAULT_SETTINGS, modelPath: '/models/other' });
    expect(created).toHaveLength(2);
    expect(created[0]?.calls).toContain('dispose');
  });

  it('re-creates the engine without the model when the model is turned off, and with it when back on', () => {
    const created: FakeEngine[] = [];
    const options: EngineFactoryOptions[] = [];
    const host = new EngineHost(factory(created, options), '/ws', logger, recordingListener().listener);
    host.start(DEFAULT_SETTINGS);
    host.start({ ...DEFAULT_SETTINGS, useModel: false });
    host.start({ ...DEFAULT_SETTINGS, useModel: true });
    expect(options.map((option) => option.useModel)).toEqual([true, false, true]);
    expect(created[0]?.calls).toContain('dispose');
    expect(created[1]?.calls).toContain('dispose');
  });

  it('reports a factory that throws as a failure instead of throwing', () => {
    const { log, listener } = recordingListener();
    const host = new EngineHost(
      () => {
        throw new Error('no grammars');
      },
      '/ws',
      logger,
      listener,
    );
    expect(() => host.start(DEFAULT_SETTINGS)).not.toThrow();
    expect(log).toEqual(['failed no grammars']);
    expect(host.engine).toBeUndefined();
  });

  it('still becomes ready when indexing fails, and ignores an engine stopped meanwhile', async () => {
    const { log, listener } = recordingListener();
    const failing = new EngineHost(factory([], [], Promise.reject(new Error('disk'))), '/ws', logger, listener);
    failing.start(DEFAULT_SETTINGS);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log).toContain('ready');
    const stopped = recordingListener();
    const host = new EngineHost(factory([], []), '/ws', logger, stopped.listener);
    host.start(DEFAULT_SETTINGS);
    host.stop();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(stopped.log).toEqual(['progress 1/2', 'engine', 'no engine']);
  });

  it('validates its arguments', () => {
    expect(() => new EngineHost(undefined as never, '/ws', logger, recordingListener().listener)).toThrow(TypeError);
    expect(() => new EngineHost(factory([], []), '', logger, recordingListener().listener)).toThrow(TypeError);
  });
});
