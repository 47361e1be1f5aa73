// Import statements as text: reading how another file imports a name, writing it for this file,
// moving a relative path from one file to another, where a new line goes, and adding a name to an
// import that is already there.

import { describe, expect, it } from 'vitest';
import { inserted } from './support/insertions';
import { exportOf, importAddition, importHeader, importLine, parseImport, relocate, scriptGroup, specifierFor, writeImport } from '../../src/core/importStatements';

describe('parseImport', () => {
  it('recognizes default, namespace, named, require and destructured require imports of a name', () => {
    expect(parseImport("import utils from '../utils.js';", 'utils', '../utils.js')).toMatchObject({ kind: 'default' });
    expect(parseImport('import * as regexes from "../core/regexes.js";', 'regexes', '../core/regexes.js')).toMatchObject({ kind: 'namespace' });
    expect(parseImport("import { a, TimerHandle } from './timerHandle';", 'TimerHandle', './timerHandle')).toMatchObject({ kind: 'named', spacedBraces: true });
    expect(parseImport("import {getFromStream, getToStream} from '../arguments/fd-options.js';", 'getToStream', '../arguments/fd-options.js')).toMatchObject({ kind: 'named', spacedBraces: false });
    expect(parseImport("const astUtil = require('../util/ast');", 'astUtil', '../util/ast')).toMatchObject({ kind: 'require', declaration: 'const' });
    expect(parseImport("var { asciiLowercase } = require('../infra/index.js')", 'asciiLowercase', '../infra/index.js')).toMatchObject({ kind: 'require-named', declaration: 'var' });
  });

  it('refuses renamed bindings, other modules, other names and names that merely contain it', () => {
    expect(parseImport("import { x as TimerHandle } from './timerHandle';", 'TimerHandle', './timerHandle')).toBeUndefined();
    expect(parseImport("const { ast: astUtil } = require('../util/ast');", 'astUtil', '../util/ast')).toBeUndefined();
    expect(parseImport("import utils from '../other.js';", 'utils', '../utils.js')).toBeUndefined();
    expect(parseImport("import { TimerHandles } from './timerHandle';", 'TimerHandle', './timerHandle')).toBeUndefined();
    expect(parseImport("const $el = require('./el');", '$el', './el')).toMatchObject({ kind: 'require' });
    // The quotes must match each other: a broken line is no import.
    expect(parseImport("import utils from '../utils.js\";", 'utils', '../utils.js')).toBeUndefined();
  });
});

describe('writeImport', () => {
  const form = { declaration: '', module: './timerHandle', spacedBraces: true } as const;
  it('writes each form in the target file\'s quotes and semicolons', () => {
    expect(writeImport(['TimerHandle'], { ...form, kind: 'named' }, { quote: "'", semicolon: true })).toBe("import { TimerHandle } from './timerHandle';");
    expect(writeImport(['TimerHandle'], { ...form, kind: 'named', spacedBraces: false }, { quote: '"', semicolon: false })).toBe('import {TimerHandle} from "./timerHandle"');
    expect(writeImport(['utils'], { ...form, kind: 'default' }, { quote: "'", semicolon: false })).toBe("import utils from './timerHandle'");
    expect(writeImport(['regexes'], { ...form, kind: 'namespace' }, { quote: '"', semicolon: true })).toBe('import * as regexes from "./timerHandle";');
    expect(writeImport(['astUtil'], { ...form, kind: 'require', declaration: 'const' }, { quote: "'", semicolon: true })).toBe("const astUtil = require('./timerHandle');");
    expect(writeImport(['lower'], { ...form, kind: 'require-named', declaration: 'let' }, { quote: "'", semicolon: false })).toBe("let { lower } = require('./timerHandle')");
    expect(() => writeImport(['not a name'], { ...form, kind: 'named' }, { quote: "'", semicolon: true })).toThrow(TypeError);
  });
});

describe('relocate', () => {
  it('rewrites a relative specifier from one file to another and leaves packages alone', () => {
    expect(relocate('../util/ast', 'lib/rules/first.js', 'lib/rules/target.js')).toBe('../util/ast');
    expect(relocate('./ast', 'lib/util/jsx.js', 'lib/rules/target.js')).toBe('../util/ast');
    expect(relocate('../util/ast', 'lib/rules/first.js', 'lib/util/jsx.js')).toBe('./ast');
    expect(relocate('./timerHandle', 'src/scheduler/a.ts', 'src/operators/deep/b.ts')).toBe('../../scheduler/timerHandle');
    expect(relocate('./x', 'a.js', 'b.js')).toBe('./x');
    expect(relocate('node:buffer', 'a/b.js', 'c.js')).toBe('node:buffer');
    expect(relocate('get-stream', 'a/b.js', 'c.js')).toBe('get-stream');
  });
});

describe('importLine', () => {
  const statement = (line: number, module: string) => ({ startLine: line, endLine: line, module });
  const at = (...statements: { startLine: number; endLine: number; module: string }[]) => ({ statements, firstLine: 0 });
  it('appends to the name\'s group when the file keeps its imports grouped, else after the last import', () => {
    const grouped = at(statement(0, 'node:events'), statement(1, 'is-stream'), statement(2, '../a.js'), statement(3, '../b.js'), statement(4, './c.js'));
    expect(importLine(grouped, 'get-stream', scriptGroup)).toBe(2);
    expect(importLine(grouped, '../aa.js', scriptGroup)).toBe(4);
    expect(importLine(grouped, './d.js', scriptGroup)).toBe(5);
    const mixed = at(statement(0, './Action'), statement(1, '../types'), statement(2, './Scheduler'), statement(3, '../util/arr'));
    expect(importLine(mixed, './timerHandle', scriptGroup)).toBe(4);
    // A statement over several lines: after its last line.
    expect(importLine(at(statement(0, 'a'), { startLine: 1, endLine: 4, module: 'b' }), 'c', scriptGroup)).toBe(5);
    // No import of its kind yet: after the last import.
    expect(importLine(at(statement(0, 'a'), statement(1, 'b')), './c', scriptGroup)).toBe(2);
  });
});

describe('importHeader', () => {
  it('puts a file\'s first import after its opening comments and directives, never between a comment and its code', () => {
    const first = (text: string) => importHeader(text).firstLine;
    expect(first("'use strict'\n\nfunction check() {}\n")).toBe(2);
    expect(first("'use strict';\nfunction check() {}\n")).toBe(1);
    expect(first('#!/usr/bin/env node\n/**\n * License.\n */\n\n// Does things.\nmain();\n')).toBe(5);
    expect(first('/** The entry point. */\nexport function main() {}\n')).toBe(0);
    expect(first('#!/usr/bin/env node\nmain();\n')).toBe(1);
    expect(first('')).toBe(0);
  });

  it('reads the style of a file without imports from its code', () => {
    expect(importHeader('const a = "x";\nconst b = "y";\nrun(a, b);\n')).toMatchObject({ statements: [], quote: '"', semicolon: true });
    expect(importHeader("const a = 'x'\nrun(a)\n")).toMatchObject({ statements: [], quote: "'", semicolon: false });
  });

  it('finds statements over several lines and the style of the last one', () => {
    const header = importHeader('import {\n  a,\n} from "./a";\nimport b from "./b"\n\ncode();\n');
    expect(header).toMatchObject({ statements: [{ startLine: 0, endLine: 2, module: './a' }, { startLine: 3, endLine: 3, module: './b' }], quote: '"', semicolon: false, firstLine: 0 });
  });
});

describe('importAddition', () => {
  /** The file after adding `name` to its first import of `module`, or undefined when it cannot take it. */
  function added(text: string, module: string, name: string, spacedBraces = false): string | undefined {
    const header = importHeader(text);
    const statement = header.statements.find((candidate) => candidate.module === module);
    if (!statement) throw new Error(`no import of ${module}`);
    const insertion = importAddition(header.lines, statement, [name], spacedBraces);
    if (!insertion) return undefined;
    return inserted(text, insertion);
  }

  it('appends to an unsorted list on one line, in its spacing', () => {
    expect(added("import { zeta, alpha } from './units';\nrest\n", './units', 'beta')).toBe("import { zeta, alpha, beta } from './units';\nrest\n");
    expect(added("import {zeta,alpha} from './units'\n", './units', 'beta')).toBe("import {zeta,alpha,beta} from './units'\n");
    expect(added("import {only} from './units'\n", './units', 'other')).toBe("import {only, other} from './units'\n");
    expect(added("const { stat, readFile } = require('node:fs/promises');\n", 'node:fs/promises', 'open')).toBe("const { stat, readFile, open } = require('node:fs/promises');\n");
  });

  it('keeps a sorted list sorted, ignoring case and renames', () => {
    expect(added("import { alpha, Gamma, zeta } from './units';\n", './units', 'beta')).toBe("import { alpha, beta, Gamma, zeta } from './units';\n");
    expect(added("import { alpha as a, zeta } from './units';\n", './units', 'beta')).toBe("import { alpha as a, beta, zeta } from './units';\n");
    expect(added("import { alpha, beta } from './units';\n", './units', 'zeta')).toBe("import { alpha, beta, zeta } from './units';\n");
  });

  it('gives the name a line of its own in a list written one name per line', () => {
    const trailing = "import {\n  alpha,\n  gamma,\n} from './units';\n";
    expect(added(trailing, './units', 'beta')).toBe("import {\n  alpha,\n  beta,\n  gamma,\n} from './units';\n");
    expect(added(trailing, './units', 'zeta')).toBe("import {\n  alpha,\n  gamma,\n  zeta,\n} from './units';\n");
    const bare = "const {\n\tgamma,\n\talpha\n} = require('./units')\n";
    expect(added(bare, './units', 'beta')).toBe("const {\n\tgamma,\n\talpha,\n\tbeta\n} = require('./units')\n");
  });

  it('adds braces after a default import, and keeps a trailing comma on one line', () => {
    expect(added("import units from './units';\n", './units', 'convert', true)).toBe("import units, { convert } from './units';\n");
    expect(added("import units, {a} from './units';\n", './units', 'convert')).toBe("import units, {a, convert} from './units';\n");
    expect(added("import { a, b, } from './units';\n", './units', 'c')).toBe("import { a, b, c, } from './units';\n");
  });

  it('adds several names at once, in order among themselves', () => {
    const header = (text: string) => importHeader(text);
    const all = (text: string, names: string[]) => {
      const parsed = header(text);
      return inserted(text, importAddition(parsed.lines, parsed.statements[0]!, names, true)!);
    };
    expect(all("import { zeta, alpha } from './units';\n", ['gamma', 'beta'])).toBe("import { zeta, alpha, beta, gamma } from './units';\n");
    expect(all("import { alpha, delta } from './units';\n", ['gamma', 'beta'])).toBe("import { alpha, beta, delta, gamma } from './units';\n");
    expect(all("import units from './units';\n", ['toCents', 'fromCents'])).toBe("import units, { toCents, fromCents } from './units';\n");
    expect(writeImport(['toCents', 'fromCents'], { kind: 'named', declaration: '', module: './units', spacedBraces: true }, { quote: "'", semicolon: true })).toBe(
      "import { toCents, fromCents } from './units';",
    );
    expect(() => writeImport(['a', 'b'], { kind: 'default', declaration: '', module: './units', spacedBraces: true }, { quote: "'", semicolon: true })).toThrow(TypeError);
  });

  it('leaves alone the imports that cannot take a named export', () => {
    expect(added("import * as units from './units';\n", './units', 'convert')).toBeUndefined();
    expect(added("import type { Unit } from './units';\n", './units', 'convert')).toBeUndefined();
    expect(added("const units = require('./units');\n", './units', 'convert')).toBeUndefined();
    expect(added("import { convert } from './units';\n", './units', 'convert')).toBeUndefined();
    expect(() => added("import { a } from './units';\n", './units', 'not a name')).toThrow(TypeError);
  });
});

describe('exportOf', () => {
  it('finds named and default exports declared or listed, and nothing else', () => {
    expect(exportOf('export function formatBytes(n) {}\n', 'formatBytes')).toBe('named');
    expect(exportOf('export async function load() {}\n', 'load')).toBe('named');
    expect(exportOf('  export declare abstract class Base {}\n', 'Base')).toBe('named');
    expect(exportOf('export type Unit = string;\nexport interface Rate {}\n', 'Rate')).toBe('named');
    expect(exportOf('export default class Wallet {}\n', 'Wallet')).toBe('default');
    expect(exportOf('function a() {}\nfunction b() {}\nexport { a, b as bee };\n', 'bee')).toBe('named');
    expect(exportOf('function a() {}\nexport { a };\n', 'a')).toBe('named');
    // Not exported, a longer name, or re-exported from elsewhere (that module is the one to import).
    expect(exportOf('function formatBytes(n) {}\n', 'formatBytes')).toBeUndefined();
    expect(exportOf('export function formatBytesLong(n) {}\n', 'formatBytes')).toBeUndefined();
    expect(exportOf("export { formatBytes } from './format';\n", 'formatBytes')).toBeUndefined();
    expect(exportOf('const x = { formatBytes };\n', 'formatBytes')).toBeUndefined();
  });
});

describe('specifierFor', () => {
  const header = (...modules: string[]) => ({ statements: modules.map((module, line) => ({ startLine: line, endLine: line, module })) });
  it('writes the path relative to the importing file, with or without an extension as its imports do', () => {
    expect(specifierFor('src/app/main.ts', 'src/util/format.ts', header('./config', 'lodash'))).toBe('../util/format');
    expect(specifierFor('src/app/main.ts', 'src/app/util/index.ts', header('./config'))).toBe('./util');
    expect(specifierFor('src/app/main.ts', 'src/util/format.ts', header('./config.js'))).toBe('../util/format.js');
    expect(specifierFor('src/app/main.mts', 'src/util/format.mts', header('./config.mjs'))).toBe('../util/format.mjs');
    expect(specifierFor('lib/main.js', 'lib/format.js', header('./config.js'))).toBe('./format.js');
    // Nothing relative to go by: none in TypeScript, the file's own in JavaScript.
    expect(specifierFor('src/main.ts', 'src/format.ts', header('lodash'))).toBe('./format');
    expect(specifierFor('lib/main.mjs', 'lib/format.mjs', header('node:fs'))).toBe('./format.mjs');
  });
});
