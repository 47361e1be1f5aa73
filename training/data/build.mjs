#!/usr/bin/env node
// Entry point of the training-data pipeline. Node 20 cannot run TypeScript, so this bundles
// training/data/pipeline.ts (and the src/core serializer it shares with the runtime) with esbuild
// into training/.data/bin and runs it. Usage: node training/data/build.mjs --size tiny|small|full
// [--seed N] [--out DIR] [--tokenizer PATH] [--train-tokenizer] [--vocab-size N] [--dump-examples]
// [--corpus-dir DIR] (the --tiny corpus root; default: this repository) [--tokenizer-only]
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// One bundle per process id: parallel runs (tests) never overwrite each other's file.
const outfile = join(repoRoot, 'training', '.data', 'bin', `pipeline-${process.pid}.cjs`);
await esbuild.build({
  entryPoints: [join(repoRoot, 'training', 'data', 'pipeline.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
const require = createRequire(import.meta.url);
const { rmSync } = await import('node:fs');
try {
  await require(outfile).main(process.argv.slice(2), repoRoot);
} finally {
  rmSync(outfile, { force: true });
}
