// Builds the extension with test/e2e/stubEngine.ts in place of src/node/createEngine.ts, into
// test/e2e/.work/stub-dist/ so the real dist/ is never overwritten.
// Usage: node build-with-stub-engine.mjs <repo root>
import * as esbuild from 'esbuild';
import path from 'node:path';

const root = process.argv[2];
const stub = path.join(root, 'test', 'e2e', 'stubEngine.ts');
await esbuild.build({
  entryPoints: [{ in: path.join(root, 'src', 'extension.ts'), out: 'extension' }],
  outdir: path.join(root, 'test', 'e2e', '.work', 'stub-dist'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['vscode', 'onnxruntime-node', 'web-tree-sitter'],
  logLevel: 'warning',
  plugins: [
    {
      name: 'stub-engine',
      setup(build) {
        build.onResolve({ filter: /\/node\/createEngine$/ }, () => ({ path: stub }));
      },
    },
  ],
});
console.log('built test/e2e/.work/stub-dist/extension.js WITH THE STUB ENGINE');
