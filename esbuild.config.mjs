// Bundles the extension, the CLI and the inference worker into dist/.
// onnxruntime-node and web-tree-sitter stay external: they load native binaries and .wasm
// files relative to their own package folders.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const entryPoints = [
  { in: 'src/extension.ts', out: 'extension' },
  { in: 'src/cli/main.ts', out: 'cli' },
  { in: 'src/node/modelWorker.ts', out: 'modelWorker' },
].filter((entry) => existsSync(entry.in));

const options = {
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['vscode', 'onnxruntime-node', 'web-tree-sitter'],
  logLevel: 'warning',
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
