// Bundles the extension, the CLI and the inference worker into dist/.
// onnxruntime-node and web-tree-sitter stay external: they load native binaries and .wasm
// files relative to their own package folders.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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

// The packaged extension loads grammars from dist/grammars: the grammar packages themselves
// (C sources, native bindings) stay out of the .vsix.
const GRAMMAR_FILES = [
  ['tree-sitter-typescript', 'tree-sitter-typescript.wasm'],
  ['tree-sitter-typescript', 'tree-sitter-tsx.wasm'],
  ['tree-sitter-javascript', 'tree-sitter-javascript.wasm'],
  ['tree-sitter-python', 'tree-sitter-python.wasm'],
  ['tree-sitter-go', 'tree-sitter-go.wasm'],
  ['tree-sitter-rust', 'tree-sitter-rust.wasm'],
];
const require = createRequire(import.meta.url);
mkdirSync(join('dist', 'grammars'), { recursive: true });
for (const [name, file] of GRAMMAR_FILES) {
  copyFileSync(join(dirname(require.resolve(`${name}/package.json`)), file), join('dist', 'grammars', file));
}

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
