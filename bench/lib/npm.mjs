// Package versions from the npm registry through npm's own client, which checks each tarball
// against the registry's integrity; the pinned integrity is checked again here so a cached or
// republished tarball cannot silently change the data set.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const EXTRACTED_MARKER = '.ripple-bench-extracted';
const NPM_TIMEOUT_MS = 120_000;

/** '@scope/name' becomes '@scope__name' so every package version is one directory. */
export function packageDirName(name, version) {
  return `${name.replace('/', '__')}@${version}`;
}

/** The file name `npm pack` gives a tarball. */
export function tarballFileName(name, version) {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/** @param {string} path */
export async function sha512Integrity(path) {
  const bytes = await readFile(path);
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/**
 * Downloads name@version into `tarballDir` unless already there, and checks its integrity
 * against `pinnedIntegrity` when given.
 * @returns {Promise<{ path: string, integrity: string, downloaded: boolean }>}
 */
export async function fetchTarball(name, version, tarballDir, pinnedIntegrity) {
  await mkdir(tarballDir, { recursive: true });
  const path = join(tarballDir, tarballFileName(name, version));
  let downloaded = false;
  if (!existsSync(path)) {
    const { stdout } = await run(
      'npm',
      ['pack', `${name}@${version}`, '--pack-destination', tarballDir, '--json', '--ignore-scripts'],
      { cwd: tarballDir, timeout: NPM_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
    );
    const [report] = JSON.parse(stdout);
    if (join(tarballDir, report.filename) !== path) {
      throw new Error(`npm pack wrote ${report.filename}, expected ${tarballFileName(name, version)}`);
    }
    downloaded = true;
  }
  const integrity = await sha512Integrity(path);
  if (pinnedIntegrity !== undefined && integrity !== pinnedIntegrity) {
    await rm(path, { force: true });
    throw new Error(`${name}@${version}: integrity ${integrity} does not match the pin ${pinnedIntegrity}`);
  }
  return { path, integrity, downloaded };
}

/**
 * Extracts a tarball's single top folder into `directory` once; a marker written last makes
 * an interrupted extraction start over instead of leaving a half workspace.
 */
export async function extractOnce(tarballPath, directory) {
  if (existsSync(join(directory, EXTRACTED_MARKER))) return false;
  const staging = `${directory}.partial`;
  await rm(staging, { recursive: true, force: true });
  await rm(directory, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await run('tar', ['-xzf', tarballPath, '-C', staging, '--strip-components=1', '--no-same-owner', '--no-same-permissions'], {
    timeout: NPM_TIMEOUT_MS,
  });
  await writeFile(join(staging, EXTRACTED_MARKER), `${tarballPath}\n`);
  await rename(staging, directory);
  return true;
}

/**
 * One version fetched (`fetchTarball`, pinned integrity when given) and extracted once, in the
 * layout the survey and the training data share: `cacheDir`/tarballs and `cacheDir`/workspaces.
 * @returns {Promise<{ root: string, integrity: string }>}
 */
export async function fetchExtracted(name, version, cacheDir, pinnedIntegrity) {
  const tarball = await fetchTarball(name, version, join(cacheDir, 'tarballs'), pinnedIntegrity);
  const root = join(cacheDir, 'workspaces', packageDirName(name, version));
  await extractOnce(tarball.path, root);
  return { root, integrity: tarball.integrity };
}

/** True when `directory` holds a complete extraction. */
export function isExtracted(directory) {
  return existsSync(join(directory, EXTRACTED_MARKER));
}

/** Published versions of a package in publication order, for choosing pins. */
export async function publishedVersions(name) {
  const { stdout } = await run('npm', ['view', name, 'time', '--json'], { timeout: NPM_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  const times = JSON.parse(stdout);
  return Object.entries(times)
    .filter(([key]) => key !== 'created' && key !== 'modified')
    .sort((a, b) => a[1].localeCompare(b[1]))
    .map(([version]) => version);
}
