// The pieces of a missing-import suggestion: reading how another file imports a name, writing
// it for this file, moving a relative path from one file to another, and where the line goes.

import { describe, expect, it } from 'vitest';
import { importLine, parseImport, relocate, writeImport } from '../../src/core/missingImports';

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
    expect(writeImport('TimerHandle', { ...form, kind: 'named' }, { quote: "'", semicolon: true })).toBe("import { TimerHandle } from './timerHandle';");
    expect(writeImport('TimerHandle', { ...form, kind: 'named', spacedBraces: false }, { quote: '"', semicolon: false })).toBe('import {TimerHandle} from "./timerHandle"');
    expect(writeImport('utils', { ...form, kind: 'default' }, { quote: "'", semicolon: false })).toBe("import utils from './timerHandle'");
    expect(writeImport('regexes', { ...form, kind: 'namespace' }, { quote: '"', semicolon: true })).toBe('import * as regexes from "./timerHandle";');
    expect(writeImport('astUtil', { ...form, kind: 'require', declaration: 'const' }, { quote: "'", semicolon: true })).toBe("const astUtil = require('./timerHandle');");
    expect(writeImport('lower', { ...form, kind: 'require-named', declaration: 'let' }, { quote: "'", semicolon: false })).toBe("let { lower } = require('./timerHandle')");
    expect(() => writeImport('not a name', { ...form, kind: 'named' }, { quote: "'", semicolon: true })).toThrow(TypeError);
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
  it('appends to the name\'s group when the file keeps its imports grouped, else after the last import', () => {
    const grouped = { statements: [statement(0, 'node:events'), statement(1, 'is-stream'), statement(2, '../a.js'), statement(3, '../b.js'), statement(4, './c.js')] };
    expect(importLine(grouped, 'get-stream')).toBe(2);
    expect(importLine(grouped, '../aa.js')).toBe(4);
    expect(importLine(grouped, './d.js')).toBe(5);
    const mixed = { statements: [statement(0, './Action'), statement(1, '../types'), statement(2, './Scheduler'), statement(3, '../util/arr')] };
    expect(importLine(mixed, './timerHandle')).toBe(4);
    // A statement over several lines: after its last line.
    expect(importLine({ statements: [statement(0, 'a'), { startLine: 1, endLine: 4, module: 'b' }] }, 'c')).toBe(5);
    // No import of its kind yet: after the last import.
    expect(importLine({ statements: [statement(0, 'a'), statement(1, 'b')] }, './c')).toBe(2);
  });
});
