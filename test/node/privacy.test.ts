// Trust and privacy over the real Node stack: Ripple never touches the network, never shows
// secret files to the model or the user, and takes its model path from user settings only.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { replayAndPredict } from '../../src/cli/replay';
import type { Logger } from '../../src/core/ports';
import { Retriever } from '../../src/core/retrieval';
import type { ChangeEvent, PredictionResult, Snippet } from '../../src/core/types';
import { createEngine, openWorkspace, type Workspace } from '../../src/node/createEngine';
import { OnnxNextEditModel } from '../../src/node/modelRuntime';
import { parseSettings, type SettingsSource } from '../../src/vscode/settings';
import { typeOver } from './support/typing';

const run = promisify(execFile);
// The CommonJS objects, not ESM namespaces: patching them is what every caller in the process sees.
const nodeRequire = createRequire(__filename);
const net = nodeRequire('node:net') as typeof import('node:net');
const tls = nodeRequire('node:tls') as typeof import('node:tls');
const dns = nodeRequire('node:dns') as typeof import('node:dns');
const http = nodeRequire('node:http') as typeof import('node:http');
const https = nodeRequire('node:https') as typeof import('node:https');
const REPO = resolve(__dirname, '..', '..');
const CLI = join(REPO, 'dist', 'cli.js');
const WORKER = join(REPO, 'dist', 'modelWorker.js');
const MODEL_DIRECTORY = join(REPO, 'models');
const SECRET_VALUE = 'secret123';
const SECRET_PATHS = ['.env', 'id_rsa', 'secrets/credentials.json', 'server.pem'];

const silentLogger: Logger = { info: () => undefined, warn: () => undefined };

/** A function whose parameter `count` the events rename to `quantity`. */
function renameWorkspace(): { root: string; events: ChangeEvent[] } {
  const root = mkdtempSync(join(tmpdir(), 'ripple-privacy-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'price.ts'), ['export function total(count: number, unit: number): number {', '  const sum = count * unit;', '  return count > 0 ? sum : 0;', '}', ''].join('\n'));
  writeFileSync(join(root, 'src', 'use.ts'), "import { total } from './price';\nexport const value = total(2, 3);\n");
  return { root, events: typeOver('src/price.ts', 0, 22, 5, 'quantity') };
}

let sharedModel: OnnxNextEditModel | undefined;

/**
 * The engine over a real workspace with the real bundled model in its real worker thread. One
 * model serves every test: a second onnxruntime worker in the same process after the first was
 * terminated aborted the whole process (Napi::Error) when this was written.
 */
function openWithModel(root: string): Workspace {
  const workspace = openWorkspace({ workspaceRoot: root, logger: silentLogger, useModel: false }, new AbortController().signal);
  // From sources, __dirname holds no worker bundle: point the model at the built one.
  sharedModel ??= new OnnxNextEditModel({ manifestPath: join(MODEL_DIRECTORY, 'manifest.json'), logger: silentLogger, clock: workspace.clock, workerPath: WORKER });
  return { ...workspace, model: sharedModel, warmUp: () => Promise.resolve() };
}

afterAll(() => sharedModel?.dispose());

/** Every way Node (and undici's fetch) can open a connection or resolve a name, as "module.path.function". */
const NETWORK_APIS = [
  'net.Socket.prototype.connect',
  'net.connect',
  'net.createConnection',
  'tls.connect',
  'dns.lookup',
  'dns.promises.lookup',
  'http.request',
  'http.get',
  'https.request',
  'https.get',
  'fetch',
] as const;

/**
 * The object holding an API's function and the function's key. Self-contained (no closure, plain
 * JavaScript once compiled) so the preload script for child processes can embed it as source.
 */
function networkHolder(api: string, modules: Record<string, unknown>): [Record<string, unknown>, string] {
  const parts = api.split('.');
  const key = parts.pop() as string;
  let holder: unknown = parts.length === 0 ? globalThis : modules[parts[0] as string];
  for (const part of parts.slice(1)) holder = (holder as Record<string, unknown>)[part];
  return [holder as Record<string, unknown>, key];
}

interface NetworkCall {
  readonly api: string;
}

const restorers: (() => void)[] = [];

/** Wraps every way Node (and undici's fetch) can open a connection or resolve a name. */
function recordNetwork(): NetworkCall[] {
  const calls: NetworkCall[] = [];
  const wrap = (target: object, key: string, api: string): void => {
    const holder = target as Record<string, unknown>;
    const original = holder[key] as (...args: unknown[]) => unknown;
    holder[key] = function (this: unknown, ...args: unknown[]): unknown {
      calls.push({ api });
      return original.apply(this, args);
    };
    restorers.push(() => { holder[key] = original; });
  };
  const modules: Record<string, unknown> = { net, tls, dns, http, https };
  for (const api of NETWORK_APIS) {
    const [holder, key] = networkHolder(api, modules);
    wrap(holder, key, api);
  }
  return calls;
}

const PRELOAD = `
const { appendFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');
const log = process.env.RIPPLE_NETWORK_LOG;
const thread = isMainThread ? 'main' : 'worker';
appendFileSync(log, 'loaded ' + thread + '\\n');
function guard(target, key, api) {
  const original = target[key];
  if (typeof original !== 'function') return;
  target[key] = function (...args) {
    appendFileSync(log, 'call ' + api + ' ' + thread + '\\n');
    throw new Error('network is forbidden: ' + api);
  };
}
const modules = { net: require('node:net'), tls: require('node:tls'), dns: require('node:dns'), http: require('node:http'), https: require('node:https') };
${networkHolder.toString()}
for (const api of ${JSON.stringify(NETWORK_APIS)}) {
  const [holder, key] = networkHolder(api, modules);
  guard(holder, key, api);
}
`;

describe('no network', () => {
  beforeAll(() => {
    if (!existsSync(CLI) || !existsSync(WORKER)) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  });
  afterEach(() => { for (const restore of restorers.splice(0).reverse()) restore(); });

  it('the recorder itself sees a connection attempt, so silence below means something', async () => {
    const calls = recordNetwork();
    await new Promise<void>((done) => {
      const socket = net.connect({ host: '127.0.0.1', port: 9 });
      socket.on('error', () => done());
      socket.on('connect', () => { socket.destroy(); done(); });
    });
    expect(calls.map((call) => call.api)).toContain('net.connect');
  });

  it('indexing, replaying a rename and predicting with the real model opens no connection', async () => {
    const calls = recordNetwork();
    const { root, events } = renameWorkspace();
    const workspace = openWithModel(root);
    try {
      await workspace.ready;
      const engine = createEngine(workspace, { logger: silentLogger, budgetMs: 300 });
      const outcome = await replayAndPredict(engine, { workspaceRoot: root, events, sources: 'all', top: 5 }, workspace.clock, new AbortController().signal);
      // Predict once more without a deadline worth mentioning so the worker surely runs the model.
      await engine.predict(outcome.cursor, { sources: 'model', budgetMs: 300 }, new AbortController().signal);
      expect(outcome.edits.length).toBeGreaterThan(0);
      // The model really loaded in its worker: a disabled model would make this test vacuous for onnxruntime.
      expect((workspace.model as OnnxNextEditModel).disabled).toBe(false);
      engine.dispose();
    } finally {
      workspace.dispose();
    }
    expect(calls).toEqual([]);
  });

  it('`ripple predict` succeeds in a process where every network call throws, main thread and model worker', async () => {
    const { root, events } = renameWorkspace();
    const scratch = mkdtempSync(join(tmpdir(), 'ripple-preload-'));
    const preloadPath = join(scratch, 'no-network.cjs');
    const logPath = join(scratch, 'network.log');
    const eventsPath = join(scratch, 'events.json');
    writeFileSync(preloadPath, PRELOAD);
    writeFileSync(eventsPath, JSON.stringify(events));
    const env = { ...process.env, NODE_OPTIONS: `--require ${preloadPath}`, RIPPLE_NETWORK_LOG: logPath };
    // The guards themselves catch a connection, a lookup and a fetch, so silence below means something.
    writeFileSync(logPath, '');
    const probe = "for (const call of [() => require('node:net').connect(9, '127.0.0.1'), () => require('node:dns').lookup('localhost', () => {}), () => fetch('http://127.0.0.1:9')]) { try { call(); } catch {} }";
    await run(process.execPath, ['-e', probe], { timeout: 30_000, env });
    expect(readFileSync(logPath, 'utf8').split('\n').filter((line) => line.startsWith('call '))).toEqual(['call net.connect main', 'call dns.lookup main', 'call fetch main']);
    writeFileSync(logPath, '');
    const { stdout } = await run(process.execPath, [CLI, 'predict', '--workspace', root, '--events', eventsPath, '--sources', 'all', '--model', MODEL_DIRECTORY], {
      timeout: 60_000,
      env,
    });
    const output = JSON.parse(stdout) as { edits: { path: string; text: string }[] };
    expect(output.edits.length).toBeGreaterThan(0);
    const log = readFileSync(logPath, 'utf8').split('\n').filter(Boolean);
    expect(log).toContain('loaded main');
    // The model loads in a worker thread; the preload must have guarded it too.
    expect(log).toContain('loaded worker');
    expect(log.filter((line) => line.startsWith('call '))).toEqual([]);
  });
});

/** Code and secrets sharing the identifier `apiKey`, which the events rename to `apiToken`. */
function secretWorkspace(): { root: string; events: ChangeEvent[] } {
  const root = mkdtempSync(join(tmpdir(), 'ripple-secrets-'));
  mkdirSync(join(root, 'src'));
  mkdirSync(join(root, 'secrets'));
  writeFileSync(join(root, 'src', 'config.ts'), ['export function client(apiKey: string): string {', '  const header = apiKey.trim();', '  return apiKey ? header : "";', '}', 'export const apiKey = "placeholder";', ''].join('\n'));
  writeFileSync(join(root, 'src', 'use.ts'), "import { apiKey, client } from './config';\nexport const value = client(apiKey);\n");
  writeFileSync(join(root, '.env'), `API_KEY=${SECRET_VALUE}\nconst apiKey = "${SECRET_VALUE}";\n`);
  writeFileSync(join(root, 'id_rsa'), `-----BEGIN OPENSSH PRIVATE KEY-----\napiKey ${SECRET_VALUE}\n-----END OPENSSH PRIVATE KEY-----\n`);
  writeFileSync(join(root, 'secrets', 'credentials.json'), JSON.stringify({ apiKey: SECRET_VALUE }));
  writeFileSync(join(root, 'server.pem'), `-----BEGIN CERTIFICATE-----\napiKey=${SECRET_VALUE}\n-----END CERTIFICATE-----\n`);
  return { root, events: typeOver('src/config.ts', 0, 16, 6, 'apiToken') };
}

function mentionsSecret(path: string, text: string): boolean {
  return SECRET_PATHS.includes(path) || text.includes(SECRET_VALUE);
}

describe('secrets are never context', () => {
  beforeAll(() => {
    if (!existsSync(WORKER)) throw new Error('dist/modelWorker.js is missing: run `npm run build` first (npm test does)');
  });
  afterEach(() => { for (const restore of restorers.splice(0).reverse()) restore(); });

  it('no edit, Explain snippet or retrieval snippet comes from .env, id_rsa, credentials.json or server.pem', async () => {
    const { root, events } = secretWorkspace();
    const retrieved: Snippet[] = [];
    const originalRetrieve = Retriever.prototype.retrieve;
    Retriever.prototype.retrieve = function (this: Retriever, ...args: Parameters<Retriever['retrieve']>): Snippet[] {
      const snippets = originalRetrieve.apply(this, args);
      retrieved.push(...snippets);
      return snippets;
    };
    restorers.push(() => { Retriever.prototype.retrieve = originalRetrieve; });
    const workspace = openWithModel(root);
    try {
      await workspace.ready;
      // The index must not even know the secret files: everything downstream relies on it.
      expect(workspace.index.files().filter((path) => SECRET_PATHS.includes(path))).toEqual([]);
      expect(workspace.index.occurrences('apiKey', 1_000).map((occurrence) => occurrence.path)).not.toContain('.env');
      expect(await workspace.fileReader.read('.env')).toBeUndefined();
      expect(await workspace.fileReader.read('secrets/credentials.json')).toBeUndefined();
      const engine = createEngine(workspace, { logger: silentLogger, budgetMs: 300, minScore: 0 });
      const outcome = await replayAndPredict(engine, { workspaceRoot: root, events, sources: 'all', top: 20 }, workspace.clock, new AbortController().signal);
      const results: PredictionResult[] = [outcome.result];
      // A user with a secret file open in the editor must not leak it either.
      engine.openDocument('.env', readFileSync(join(root, '.env'), 'utf8'));
      results.push(await engine.predict(outcome.cursor, { sources: 'all', budgetMs: 300, maxSuggestions: 20 }, new AbortController().signal));
      const suggestions = results.flatMap((result) => (result.kind === 'suggestions' ? result.suggestions : []));
      // The rename must have produced suggestions, or the assertions below would hold vacuously.
      expect(suggestions.length).toBeGreaterThan(0);
      expect(suggestions.flatMap((suggestion) => suggestion.edits).some((edit) => edit.text.includes('apiToken'))).toBe(true);
      for (const suggestion of suggestions) {
        for (const edit of suggestion.edits) expect(mentionsSecret(edit.path, edit.text)).toBe(false);
        const explanation = engine.explain(suggestion.id);
        expect(explanation).toBeDefined();
        for (const snippet of explanation?.snippets ?? []) expect(mentionsSecret(snippet.path, snippet.text)).toBe(false);
      }
      // Retrieval ran and found real context, none of it secret.
      expect(retrieved.length).toBeGreaterThan(0);
      for (const snippet of retrieved) expect(mentionsSecret(snippet.path, snippet.text)).toBe(false);
      engine.dispose();
    } finally {
      workspace.dispose();
    }
  });
});

/** A stand-in for WorkspaceConfiguration: `get` merges scopes as VS Code does, `inspect` does not. */
function configuration(values: { global?: Record<string, unknown>; workspace?: Record<string, unknown>; folder?: Record<string, unknown> }): SettingsSource {
  return {
    get: (key) => values.folder?.[key] ?? values.workspace?.[key] ?? values.global?.[key],
    globalValue: (key) => values.global?.[key],
  };
}

describe('untrusted workspaces', () => {
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    capabilities?: { untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: unknown } };
    contributes: { configuration: { properties: Record<string, { scope?: string }> } };
  };

  it('declares limited support and restricts the settings that pick code to run or resources to spend', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    expect(untrusted?.supported).toBe('limited');
    expect(untrusted?.restrictedConfigurations).toEqual(expect.arrayContaining(['ripple.modelPath', 'ripple.latencyBudgetMs', 'ripple.index.maxFiles']));
  });

  it('makes ripple.modelPath machine-scoped, so a workspace cannot set it', () => {
    expect(manifest.contributes.configuration.properties['ripple.modelPath']?.scope).toBe('machine');
  });

  it('ignores a workspace or folder modelPath and keeps the user one', () => {
    const fromWorkspace = parseSettings(configuration({ workspace: { modelPath: '/tmp/evil-model' }, folder: { modelPath: '/tmp/evil-folder-model' } }));
    expect(fromWorkspace.settings.modelPath).toBeUndefined();
    const both = parseSettings(configuration({ global: { modelPath: '/home/me/models/ripple' }, workspace: { modelPath: '/tmp/evil-model' } }));
    expect(both.settings.modelPath).toBe('/home/me/models/ripple');
  });
});
