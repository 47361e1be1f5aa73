#!/usr/bin/env node
// Headless entry points over the same engine the editor uses: predict, bench, demo.

import { join } from 'node:path';
import type { Logger } from '../core/ports';
import { benchCommand } from './benchCommand';
import { cacheProbeCommand } from './cacheProbeCommand';
import { demoCommand } from './demoCommand';
import { parseArguments, UsageError } from './inputs';
import { predictCommand } from './predictCommand';
import { soakCommand } from './soakCommand';

const USAGE = `usage:
  ripple predict --workspace DIR --events FILE [--cursor PATH:LINE:COL] [--top N] [--sources symbolic|model|all]
  ripple bench --cases FILE.jsonl --out PREDS.jsonl [--sources symbolic|model|all|baseline] [--min-score 0..1]
  ripple cache-probe --cases FILE.jsonl [--limit N]
  ripple demo [--workspace DIR] [--no-color]
  ripple soak --workspace DIR [--file PATH] [--keystrokes 1000] [--interval-ms 10] [--predictions 10000] [--sources symbolic|model|all] [--big-workspace=true|FILES] [--max-indexed-files 5000]`;

async function main(argv: readonly string[]): Promise<number> {
  const { command, flags } = parseArguments(argv);
  const quiet = flags.has('quiet') || command === 'predict';
  const logger: Logger = {
    info: (message) => {
      if (!quiet) process.stderr.write(`ripple: ${message}\n`);
    },
    warn: (message) => process.stderr.write(`ripple: ${message}\n`),
  };
  switch (command) {
    case 'predict':
      process.stdout.write(`${await predictCommand(flags, logger)}\n`);
      return 0;
    case 'bench':
      process.stdout.write(`${await benchCommand(flags, logger)}\n`);
      return 0;
    case 'cache-probe':
      process.stdout.write(`${await cacheProbeCommand(flags, logger)}\n`);
      return 0;
    case 'soak':
      process.stdout.write(`${await soakCommand(flags, logger)}\n`);
      return 0;
    case 'demo': {
      const workspace = flags.get('workspace') ?? join(__dirname, '..', 'demo', 'workspace');
      const colour = !flags.has('no-color') && !process.env.NO_COLOR && (process.stdout.isTTY === true || Boolean(process.env.FORCE_COLOR));
      process.stdout.write(`${await demoCommand(workspace, logger, colour)}\n`);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command '${command}'\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof UsageError ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`ripple: ${message}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
