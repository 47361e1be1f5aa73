// Feeds the workspace into the index in the background. One file per event-loop turn, so the
// extension host stays responsive; everything the index should never see (ignored, binary,
// minified, generated, huge or secret files) is skipped and counted for the log.

import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import type { WorkspaceIndex } from '../core/ports';
import { isSecretPath } from '../core/retrieval';
import { escapeRegExp } from '../core/text';
import { yieldWithSetImmediate } from './eventLoop';
import { looksBinary, looksGenerated, looksMinified, MAX_FILE_BYTES } from './fileReader';
import { languageForPath } from './grammars';

export const MAX_SCANNED_FILES = 20_000;
/** Directories that hold dependencies, build output or VCS data, skipped even without a .gitignore. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['.git', 'node_modules', 'dist', 'build', 'out', 'coverage', '.hg', '.svn']);

export type SkipReason = 'ignored' | 'binary' | 'minified' | 'generated' | 'huge' | 'secret' | 'unsupported' | 'overLimit' | 'unreadable';

export interface ScanSummary {
  readonly indexed: number;
  /** Files that passed the path filters and were offered to the index. */
  readonly total: number;
  readonly skipped: Readonly<Record<SkipReason, number>>;
  readonly aborted: boolean;
}

export interface WorkspaceScannerOptions {
  /** Absolute path of the workspace root. */
  readonly root: string;
  readonly index: Pick<WorkspaceIndex, 'update'>;
  readonly maxFiles?: number;
  readonly maxFileBytes?: number;
  readonly onProgress?: (indexed: number, total: number) => void;
}

interface IgnoreRule {
  /** Directory of the .gitignore, workspace-relative ('' for the root). */
  readonly base: string;
  readonly pattern: RegExp;
  readonly negated: boolean;
  readonly directoryOnly: boolean;
}

export class WorkspaceScanner {
  private readonly root: string;
  private readonly index: Pick<WorkspaceIndex, 'update'>;
  private readonly maxFiles: number;
  private readonly maxFileBytes: number;
  private readonly onProgress: ((indexed: number, total: number) => void) | undefined;

  constructor(options: WorkspaceScannerOptions) {
    if (typeof options?.root !== 'string' || !nodePath.isAbsolute(options.root)) {
      throw new TypeError(`WorkspaceScanner options.root must be an absolute path, got ${String(options?.root)}`);
    }
    if (typeof options.index?.update !== 'function') throw new TypeError('WorkspaceScanner options.index must have update()');
    this.maxFiles = options.maxFiles ?? MAX_SCANNED_FILES;
    this.maxFileBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
    for (const [name, value] of [['maxFiles', this.maxFiles], ['maxFileBytes', this.maxFileBytes]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new TypeError(`WorkspaceScanner options.${name} must be a positive integer, got ${value}`);
    }
    if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
      throw new TypeError('WorkspaceScanner options.onProgress must be a function');
    }
    this.root = options.root;
    this.index = options.index;
    this.onProgress = options.onProgress;
  }

  /** Scans once. Resolves with the summary, also when aborted; never rejects for I/O errors. */
  async scan(signal: AbortSignal): Promise<ScanSummary> {
    const skipped: Record<SkipReason, number> = {
      ignored: 0, binary: 0, minified: 0, generated: 0, huge: 0, secret: 0, unsupported: 0, overLimit: 0, unreadable: 0,
    };
    const candidates = await this.collect(signal, skipped);
    let indexed = 0;
    for (const path of candidates) {
      if (signal.aborted) break;
      const verdict = await this.offer(path, signal);
      if (verdict === 'indexed') indexed++;
      else skipped[verdict]++;
      this.onProgress?.(indexed, candidates.length);
      // Yield between files so editor events interleave with a long scan.
      await yieldWithSetImmediate();
    }
    return { indexed, total: candidates.length, skipped, aborted: signal.aborted };
  }

  private async offer(path: string, signal: AbortSignal): Promise<SkipReason | 'indexed'> {
    try {
      const absolute = nodePath.join(this.root, ...path.split('/'));
      const stat = await fs.stat(absolute);
      if (stat.size > this.maxFileBytes) return 'huge';
      const bytes = await fs.readFile(absolute);
      if (looksBinary(bytes)) return 'binary';
      const text = new TextDecoder('utf-8').decode(bytes);
      if (looksMinified(path, text)) return 'minified';
      if (looksGenerated(path, text)) return 'generated';
      await this.index.update(path, text, signal);
      return 'indexed';
    } catch {
      return 'unreadable';
    }
  }

  /** Breadth-first walk applying path-only filters; content filters come later, per file. */
  private async collect(signal: AbortSignal, skipped: Record<SkipReason, number>): Promise<string[]> {
    const files: string[] = [];
    const queue: { directory: string; rules: readonly IgnoreRule[] }[] = [{ directory: '', rules: [] }];
    while (queue.length > 0 && !signal.aborted) {
      const { directory, rules: inherited } = queue.shift() as { directory: string; rules: readonly IgnoreRule[] };
      const absolute = nodePath.join(this.root, ...directory.split('/').filter(Boolean));
      const rules = [...inherited, ...(await readIgnoreRules(absolute, directory))];
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fs.readdir(absolute, { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const path = directory === '' ? entry.name : `${directory}/${entry.name}`;
        // Symlinks are not followed: they can loop or lead outside the workspace.
        if (entry.isDirectory()) {
          if (SKIPPED_DIRECTORIES.has(entry.name) || isIgnored(rules, path, true)) skipped.ignored++;
          else queue.push({ directory: path, rules });
        } else if (entry.isFile()) {
          const reason = pathSkipReason(rules, path);
          if (reason) skipped[reason]++;
          else if (files.length >= this.maxFiles) skipped.overLimit++;
          else files.push(path);
        }
      }
      await yieldWithSetImmediate();
    }
    return files;
  }
}

function pathSkipReason(rules: readonly IgnoreRule[], path: string): SkipReason | undefined {
  if (isIgnored(rules, path, false)) return 'ignored';
  if (isSecretPath(path)) return 'secret';
  if (!languageForPath(path)) return 'unsupported';
  if (path.endsWith('.d.ts')) return 'generated';
  return undefined;
}

async function readIgnoreRules(absoluteDirectory: string, base: string): Promise<IgnoreRule[]> {
  try {
    return parseGitignore(await fs.readFile(nodePath.join(absoluteDirectory, '.gitignore'), 'utf8'), base);
  } catch {
    return [];
  }
}

/** Parses .gitignore text; `base` is the workspace-relative directory holding the file. */
export function parseGitignore(text: string, base = ''): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    if (line.startsWith('\\#') || line.startsWith('\\!')) line = line.slice(1);
    const directoryOnly = line.endsWith('/');
    if (directoryOnly) line = line.slice(0, -1);
    // A slash anywhere but the end anchors the pattern to the .gitignore's directory.
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') continue;
    const body = globToRegExpSource(line);
    rules.push({ base, negated, directoryOnly, pattern: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`) });
  }
  return rules;
}

/** Last matching rule wins, as in git; `path` is workspace-relative. */
export function isIgnored(rules: readonly IgnoreRule[], path: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const rule of rules) {
    if (rule.directoryOnly && !isDirectory) continue;
    if (rule.base !== '' && !path.startsWith(`${rule.base}/`)) continue;
    const relative = rule.base === '' ? path : path.slice(rule.base.length + 1);
    if (rule.pattern.test(relative)) ignored = !rule.negated;
  }
  return ignored;
}

function globToRegExpSource(glob: string): string {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const character = glob[index] as string;
    if (character === '*') {
      if (glob[index + 1] === '*') {
        const atSegmentStart = index === 0 || glob[index - 1] === '/';
        index++;
        if (atSegmentStart && glob[index + 1] === '/') {
          index++;
          source += '(?:.*/)?';
        } else {
          source += '.*';
        }
      } else {
        source += '[^/]*';
      }
    } else if (character === '?') {
      source += '[^/]';
    } else if (character === '[') {
      const close = glob.indexOf(']', index + 2);
      if (close === -1) {
        source += '\\[';
      } else {
        const inner = glob.slice(index + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${inner}]`;
        index = close;
      }
    } else if (character === '\\' && index + 1 < glob.length) {
      index++;
      source += escapeRegExp(glob[index] as string);
    } else {
      source += escapeRegExp(character);
    }
  }
  return source;
}

