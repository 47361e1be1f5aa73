// Python's import statements: reading how another file imports a name, re-anchoring a relative
// module from one file to another, writing the statement, where it goes, and adding a name to a
// `from m import ...` that is already there.

import { describe, expect, it } from 'vitest';
import { inserted } from './support/insertions';
import { definesAtTopLevel, parsePythonImport, pythonImportHeader, pythonImports, pythonModuleOf, relocatePythonModule, resolvePythonModule, writePythonImport } from '../../src/core/pythonImports';

describe('parsePythonImport', () => {
  it('recognizes from-imports, module imports and aliases of a name', () => {
    expect(parsePythonImport('from .util import slugify, other  # helpers', 'slugify', '.util')).toEqual({ kind: 'from', module: '.util' });
    expect(parsePythonImport('from pkg.util import (a, slugify)', 'slugify', 'pkg.util')).toEqual({ kind: 'from', module: 'pkg.util' });
    expect(parsePythonImport('import os', 'os', 'os')).toEqual({ kind: 'module', module: 'os' });
    expect(parsePythonImport('import sys, os', 'os', 'os')).toEqual({ kind: 'module', module: 'os' });
    expect(parsePythonImport('import numpy as np', 'np', 'numpy')).toEqual({ kind: 'alias', module: 'numpy' });
  });

  it('refuses renamed and longer names, and other modules', () => {
    expect(parsePythonImport('from .util import slug as slugify', 'slugify', '.util')).toBeUndefined();
    expect(parsePythonImport('from .util import slugify_all', 'slugify', '.util')).toBeUndefined();
    expect(parsePythonImport('from .other import slugify', 'slugify', '.util')).toBeUndefined();
    expect(parsePythonImport('import os.path', 'os', 'os.path')).toBeUndefined();
  });
});

describe('writePythonImport and relocatePythonModule', () => {
  it('writes each form and re-anchors relative modules', () => {
    expect(writePythonImport(['slugify'], { kind: 'from', module: '..util' })).toBe('from ..util import slugify');
    expect(writePythonImport(['os'], { kind: 'module', module: 'os' })).toBe('import os');
    expect(writePythonImport(['np'], { kind: 'alias', module: 'numpy' })).toBe('import numpy as np');
    expect(() => writePythonImport(['not a name'], { kind: 'module', module: 'x' })).toThrow(TypeError);
    expect(relocatePythonModule('.util', 'pkg/views.py', 'pkg/sub/deep.py')).toBe('..util');
    expect(relocatePythonModule('..util', 'pkg/sub/deep.py', 'pkg/api.py')).toBe('.util');
    expect(relocatePythonModule('.sub.models', 'pkg/views.py', 'pkg/sub/deep.py')).toBe('.models');
    expect(relocatePythonModule('pkg.util', 'pkg/views.py', 'other/x.py')).toBe('pkg.util');
    expect(resolvePythonModule('pkg/sub/deep.py', '..')).toBe('pkg');
  });
});

describe('pythonImportHeader', () => {
  it('finds imports, parenthesized ones over several lines too', () => {
    const header = pythonImportHeader('"""Views."""\nimport os\nfrom .util import (\n    a,\n    b,\n)\n\n\ndef show():\n    pass\n');
    expect(header.statements).toEqual([
      { startLine: 1, endLine: 1, module: 'os' },
      { startLine: 2, endLine: 5, module: '.util' },
    ]);
  });

  it('puts a first import after the shebang, docstring and comments that a blank line ends', () => {
    const first = (text: string) => pythonImportHeader(text).firstLine;
    expect(first('#!/usr/bin/env python\n"""Tool.\n\nDoes things.\n"""\n\nmain()\n')).toBe(6);
    expect(first('"""One line."""\ndef main():\n    pass\n')).toBe(1);
    expect(first('# A comment about main.\ndef main():\n    pass\n')).toBe(0);
    expect(first('# Copyright.\n\n# About main.\ndef main():\n    pass\n')).toBe(2);
  });
});

describe('pythonImports.addition', () => {
  function added(text: string, name: string): string | undefined {
    const header = pythonImportHeader(text);
    const insertion = pythonImports.addition(header, header.statements[0]!, [name], { kind: 'from', module: header.statements[0]!.module });
    if (!insertion) return undefined;
    return inserted(text, insertion);
  }

  it('joins a from-import, sorted or at the end, before a trailing comment, or on its own line', () => {
    expect(added('from .util import zeta, alpha\n', 'beta')).toBe('from .util import zeta, alpha, beta\n');
    expect(added('from .util import alpha, gamma  # helpers\n', 'beta')).toBe('from .util import alpha, beta, gamma  # helpers\n');
    expect(added('from .util import (\n    alpha,\n    gamma,\n)\n', 'zeta')).toBe('from .util import (\n    alpha,\n    gamma,\n    zeta,\n)\n');
    expect(added('from .util import *\n', 'beta')).toBeUndefined();
    expect(added('import os\n', 'path')).toBeUndefined();
  });
});

describe('pythonModuleOf and definesAtTopLevel', () => {
  const packages = new Set(['pkg', 'pkg/core', 'pkg/api']);
  const isPackage = (directory: string) => packages.has(directory);
  it('names a module relatively through packages, or absolutely from the top package', () => {
    expect(pythonModuleOf('pkg/api/views.py', 'pkg/core/util.py', isPackage, true)).toBe('..core.util');
    expect(pythonModuleOf('pkg/api/views.py', 'pkg/api/forms.py', isPackage, true)).toBe('.forms');
    expect(pythonModuleOf('pkg/api/views.py', 'pkg/core/__init__.py', isPackage, true)).toBe('..core');
    expect(pythonModuleOf('pkg/api/views.py', 'pkg/core/util.py', isPackage, false)).toBe('pkg.core.util');
    // Outside any package: absolute, whatever the file prefers.
    expect(pythonModuleOf('scripts/run.py', 'pkg/core/util.py', isPackage, true)).toBe('pkg.core.util');
    // A script's neighbour by its bare name; a module in no package elsewhere cannot be named.
    expect(pythonModuleOf('scripts/run.py', 'scripts/helpers.py', isPackage, false)).toBe('helpers');
    expect(pythonModuleOf('pkg/api/views.py', 'scripts/helpers.py', isPackage, false)).toBeUndefined();
  });

  it('finds top-level definitions only', () => {
    expect(definesAtTopLevel('def slugify(text):\n    pass\n', 'slugify')).toBe(true);
    expect(definesAtTopLevel('async def fetch():\n    pass\n', 'fetch')).toBe(true);
    expect(definesAtTopLevel('class Model:\n    pass\n', 'Model')).toBe(true);
    expect(definesAtTopLevel('LIMIT: int = 3\n', 'LIMIT')).toBe(true);
    expect(definesAtTopLevel('class A:\n    def slugify(self):\n        pass\n', 'slugify')).toBe(false);
    expect(definesAtTopLevel('if LIMIT == 3:\n    pass\nLIMITS = 1\n', 'LIMIT')).toBe(false);
  });
});
