// The pinned corpus. Versions are fixed so a seed rebuilds the same data set; names listed in
// bench/packages.json are skipped at run time so the benchmark never measures memorized code.

export interface PinnedPackage {
  readonly name: string;
  readonly version: string;
}

/** Popular packages with readable source (TypeScript sources or unminified JavaScript). */
export const NPM_PACKAGES: readonly PinnedPackage[] = [
  // --size small takes the first SMALL_PACKAGE_COUNT of these that the benchmark does not use.
  { name: 'semver', version: '7.8.6' },
  { name: 'commander', version: '14.0.3' },
  { name: 'ws', version: '8.23.0' },
  { name: 'redux', version: '5.0.1' },
  { name: 'immer', version: '11.2.10' },
  { name: 'postcss', version: '8.5.33' },
  { name: 'knex', version: '3.3.0' },
  { name: 'ajv', version: '8.20.0' },
  { name: 'yargs', version: '18.2.0' },
  { name: 'express', version: '5.3.0' },
  { name: 'koa', version: '3.3.0' },
  { name: 'pg', version: '8.23.1' },
  { name: 'lodash', version: '4.18.1' },
  { name: 'debug', version: '4.4.3' },
  { name: 'minimist', version: '1.2.8' },
  { name: 'uuid', version: '14.0.3' },
  { name: 'axios', version: '1.21.1' },
  { name: 'async', version: '3.2.6' },
  { name: 'glob', version: '14.0.6' },
  { name: 'minimatch', version: '11.0.9' },
  { name: 'rxjs', version: '7.8.2' },
  { name: 'zod', version: '4.6.7' },
  { name: 'date-fns', version: '4.4.0' },
  { name: 'mobx', version: '7.1.3' },
  { name: 'preact', version: '11.2.0' },
  { name: 'fastify', version: '5.12.8' },
  { name: 'body-parser', version: '2.4.0' },
  { name: 'qs', version: '6.17.1' },
  { name: 'fs-extra', version: '11.4.1' },
  { name: 'execa', version: '9.6.1' },
  { name: 'node-fetch', version: '3.3.2' },
  { name: 'socket.io', version: '4.8.4' },
  { name: 'handlebars', version: '4.7.10' },
  { name: 'marked', version: '18.2.1' },
  { name: 'eslint', version: '10.15.0' },
  { name: 'mocha', version: '12.0.3' },
  { name: 'sequelize', version: '6.37.8' },
  { name: 'mongoose', version: '9.12.1' },
  { name: 'ioredis', version: '6.0.0' },
  { name: 'bluebird', version: '3.7.2' },
  { name: 'underscore', version: '1.13.8' },
  { name: 'ramda', version: '0.32.0' },
  { name: 'class-validator', version: '0.15.1' },
  { name: 'fp-ts', version: '2.16.11' },
  { name: 'joi', version: '18.3.2' },
  { name: 'validator', version: '13.15.35' },
  { name: 'luxon', version: '3.7.2' },
  { name: 'dayjs', version: '1.11.23' },
  { name: 'js-yaml', version: '5.5.0' },
  { name: 'json5', version: '2.2.3' },
  { name: 'cheerio', version: '1.2.0' },
  { name: 'htmlparser2', version: '12.0.0' },
  { name: 'vscode-languageserver', version: '10.1.2' },
  { name: 'vscode-jsonrpc', version: '10.0.0' },
  { name: 'picomatch', version: '4.0.7' },
  { name: 'fast-glob', version: '3.3.3' },
  { name: 'moment', version: '2.31.0' },
  { name: 'superagent', version: '10.4.2' },
  { name: 'undici', version: '7.30.2' },
  { name: 'winston', version: '3.19.0' },
  { name: 'pino', version: '10.4.0' },
  { name: 'yaml', version: '2.9.1' },
  { name: 'bignumber.js', version: '11.1.5' },
  { name: 'sinon', version: '22.1.0' },
];

export const SMALL_PACKAGE_COUNT = 12;

/** Consecutive releases whose diffs become "real edit" examples (from corpus packages only). */
export const REAL_EDIT_PAIRS: readonly { readonly name: string; readonly from: string; readonly to: string }[] = [
  { name: 'knex', from: '3.2.8', to: '3.3.0' },
  { name: 'yargs', from: '18.0.0', to: '18.2.0' },
  { name: 'pg', from: '8.21.0', to: '8.23.1' },
  { name: 'immer', from: '11.2.3', to: '11.2.10' },
  { name: 'mongoose', from: '9.11.3', to: '9.12.1' },
  { name: 'sequelize', from: '6.37.5', to: '6.37.8' },
  { name: 'luxon', from: '3.6.1', to: '3.7.2' },
];

/** Standard-library Python modules (installed with python3.11; nothing is downloaded). */
export const PYTHON_STDLIB_ROOT = '/usr/lib/python3.11';
export const PYTHON_MODULES_SMALL: readonly string[] = ['json', 'logging', 'argparse.py', 'dataclasses.py', 'textwrap.py'];
export const PYTHON_MODULES_FULL: readonly string[] = [
  ...PYTHON_MODULES_SMALL,
  'asyncio', 'email', 'http', 'concurrent', 'urllib', 'unittest', 'importlib', 'xml', 'sqlite3', 'wsgiref', 'xmlrpc',
  'multiprocessing', 'collections', 'zoneinfo', 'tomllib', 'venv', 'ast.py', 'calendar.py', 'configparser.py',
  'csv.py', 'difflib.py', 'enum.py', 'fractions.py', 'functools.py', 'gettext.py', 'inspect.py', 'ipaddress.py',
  'pathlib.py', 'pprint.py', 'shutil.py', 'statistics.py', 'string.py', 'subprocess.py', 'tarfile.py',
  'tempfile.py', 'threading.py', 'traceback.py', 'typing.py', 'zipfile.py', 'heapq.py', 'bisect.py', 'queue.py',
  'selectors.py', 'shlex.py', 'smtplib.py', 'socketserver.py', 'contextlib.py', 'copy.py', 'datetime.py',
  'decimal.py', 'glob.py', 'graphlib.py', 'imaplib.py', 'mailbox.py', 'netrc.py', 'numbers.py', 'optparse.py',
  'os.py', 'pickle.py', 'platform.py', 'random.py', 'sched.py', 'secrets.py', 'signal.py', 'socket.py', 'ssl.py',
  'tokenize.py', 'trace.py', 'uuid.py', 'warnings.py', 'weakref.py', 'webbrowser.py', 'zipapp.py',
];
