// Which files of a published package count as hand-written source. Bundles, minified and
// compiled output would make cases nobody types, so they are left out by path and by content.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const CODE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx', '.py'];
const DECLARATION_OR_MINIFIED = /\.d\.[mc]?ts$|\.min\.[mc]?js$|[.-]bundle\.[mc]?js$/;
const SKIPPED_FOLDERS = new Set([
  'node_modules', 'dist', 'umd', 'bundle', 'bundles', 'vendor', 'fixtures', '__fixtures__', 'coverage',
]);
export const MAX_SOURCE_FILE_BYTES = 256 * 1024;
/** Minifiers and bundlers leave lines far longer than people write. */
export const MAX_SOURCE_LINE_CHARS = 400;

/** @param {string} relativePath workspace-relative, '/' separated */
export function isCandidatePath(relativePath) {
  const parts = relativePath.split('/');
  const name = parts[parts.length - 1];
  if (!CODE_EXTENSIONS.some((extension) => name.endsWith(extension))) return false;
  if (DECLARATION_OR_MINIFIED.test(name)) return false;
  return !parts.slice(0, -1).some((folder) => SKIPPED_FOLDERS.has(folder));
}

/** @param {string} text */
export function looksGenerated(text) {
  if (text.includes('\n//# sourceMappingURL=') || text.startsWith('//# sourceMappingURL=')) return true;
  if (text.includes('/******/') || text.includes('__webpack_require__')) return true;
  if (/Object\.defineProperty\(exports, ["']__esModule["']/.test(text.slice(0, 2000))) return true;
  if (/^\s*\/\/ Code generated .* DO NOT EDIT/m.test(text.slice(0, 2000))) return true;
  return text.split(/\r\n|\r|\n/).some((line) => line.length > MAX_SOURCE_LINE_CHARS);
}

/**
 * Workspace-relative paths of candidate source files under `root`, sorted.
 * @param {string} root
 * @returns {Promise<string[]>}
 */
export async function listSourceFiles(root) {
  const found = [];
  async function walk(directory, prefix) {
    const entries = await readdir(directory, { withFileTypes: true });
    for (const entry of entries) {
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) await walk(join(directory, entry.name), relative);
      } else if (entry.isFile() && isCandidatePath(relative)) {
        found.push(relative);
      }
    }
  }
  await walk(root, '');
  return found.sort();
}

/**
 * The text of a candidate source file, or undefined when it is too large or looks generated.
 * @param {string} root
 * @param {string} relativePath
 */
export async function readSourceFile(root, relativePath) {
  const path = join(root, ...relativePath.split('/'));
  const info = await stat(path);
  if (info.size > MAX_SOURCE_FILE_BYTES) return undefined;
  const text = await readFile(path, 'utf8');
  // A byte order mark is hidden from editors' document text; keep files whose text is unambiguous.
  if (text.startsWith('\uFEFF') || text.includes('\uFFFD') || looksGenerated(text)) return undefined;
  return text;
}
