#!/usr/bin/env node
// Load and long-use soak: runs `ripple soak` from the built bundle (run `npm run build` first).
// Usage: node bench/soak.mjs [--workspace DIR] [--big-workspace=true] [other `ripple soak` flags]
// Prints the JSON summary on stdout; progress goes to stderr.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('soak: dist/cli.js is missing; run `npm run build` first\n');
  process.exit(2);
}
const args = process.argv.slice(2);
if (!args.some((argument) => argument === '--workspace' || argument.startsWith('--workspace='))) {
  args.push('--workspace', join(root, 'demo', 'workspace'));
}
// --expose-gc: memory is sampled after a forced collection, so heap growth means a leak.
const result = spawnSync(process.execPath, ['--expose-gc', cli, 'soak', ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
