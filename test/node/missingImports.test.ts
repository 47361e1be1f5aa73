// The import a new usage needs, end to end: a real workspace on disk, the real tree-sitter index
// and engine. Typing a name that other files import, and this one does not, suggests the import
// line those files use, made relative to this file and written in its style.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayAndPredict } from '../../src/cli/replay';
import type { Logger } from '../../src/core/ports';
import { createEngine, openWorkspace, type Workspace } from '../../src/node/createEngine';
import { typeOver } from './support/typing';

const silentLogger: Logger = { info: () => undefined, warn: () => undefined };

const FILES: Record<string, string> = {
  // CommonJS rules that share a helper, required the same way in each.
  'lib/util/ast.js': 'function isCallExpression(node) {\n  return node.type === "CallExpression";\n}\nmodule.exports = { isCallExpression };\n',
  'lib/rules/first.js': "'use strict';\n\nconst astUtil = require('../util/ast');\n\nmodule.exports = (node) => astUtil.isCallExpression(node);\n",
  'lib/rules/second.js': "'use strict';\n\nconst astUtil = require('../util/ast');\n\nmodule.exports = (node) => !astUtil.isCallExpression(node);\n",
  'lib/rules/fresh.js': "'use strict';\n\nfunction check(node) {\n  return ;\n}\n",
  'lib/rules/target.js': "'use strict';\n\nconst report = require('../util/report')\nconst docsUrl = require('../util/docsUrl')\n\nfunction check(node) {\n  return ;\n}\n",
  // Two rules that keep their requires in one order, and a third that has their neighbours.
  'lib/util/props.js': 'module.exports = { isProp: () => true };\n',
  'lib/rules/fourth.js': "const docsUrl = require('../util/docsUrl');\nconst propsUtil = require('../util/props');\nconst report = require('../util/report');\n\nmodule.exports = propsUtil;\n",
  'lib/rules/fifth.js': "const docsUrl = require('../util/docsUrl');\nconst propsUtil = require('../util/props');\nconst report = require('../util/report');\n\nmodule.exports = propsUtil.isProp;\n",
  'lib/rules/neighbour.js': "const docsUrl = require('../util/docsUrl');\nconst report = require('../util/report');\nconst other = require('../util/other');\n\nfunction check(node) {\n  return ;\n}\n",
  // Python: a helper one module imports relatively, wanted in a sibling, a subpackage and a module
  // that already imports from the helper's module.
  'pkg/util.py': 'def slugify(text):\n    return text.lower()\n\n\ndef other(text):\n    return text\n',
  'pkg/views.py': '"""Views."""\nimport os\n\nfrom .util import slugify\n\n\ndef show(x):\n    return slugify(x)\n',
  'pkg/api.py': '"""API."""\nimport os\nfrom .models import Model\n\n\ndef handle(x):\n    return x\n',
  'pkg/admin.py': 'from .util import other\n\n\ndef tidy(x):\n    return x\n',
  'pkg/__init__.py': '',
  'pkg/sub/__init__.py': '',
  'pkg/text.py': 'def unique_helper(x):\n    return x\n',
  'scripts/run.py': 'import sys\n\n\ndef main():\n    return 0\n',
  'pkg/sub/deep.py': 'def handle(x):\n    return x\n',
  // ES modules, sorted imports, one import already from the same module in another file.
  'src/scheduler/timerHandle.ts': 'export type TimerHandle = number;\n',
  'src/scheduler/action.ts': "import { Scheduler } from '../scheduler';\nimport { TimerHandle } from './timerHandle';\n\nexport let handle: TimerHandle | undefined;\n",
  'src/util/arrRemove.ts': 'export function arrRemove(a: any[], x: any) {}\nexport function arrInsert(a: any[], x: any) {}\n',
  'src/scheduler/queue.ts': "import { arrInsert } from '../util/arrRemove';\n\nexport const queue: number[] = [];\narrInsert(queue, 1);\n",
  // Exported, imported nowhere yet; and a name two files export.
  'src/util/format.ts': 'export function formatBytes(n: number): string {\n  return `${n} B`;\n}\nexport const clamp = (n: number) => n;\n',
  'src/util/math.ts': 'export const clamp = (n: number) => Math.max(0, n);\n',
  'src/scheduler/frame.ts': "import { arrRemove } from '../util/arrRemove';\nimport { provider } from './provider';\nimport { queue } from './queue';\n\nexport function recycle(id?: any) {\n  return arrRemove([], id);\n}\n",
};

let root: string;
let workspace: Workspace;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ripple-imports-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  workspace = openWorkspace({ workspaceRoot: root, logger: silentLogger, useModel: false }, new AbortController().signal);
  await workspace.ready;
});

afterAll(() => workspace?.dispose());

async function suggestAfter(path: string, line: number, character: number, length: number, typed: string) {
  const engine = createEngine(workspace, { logger: silentLogger, budgetMs: 300 });
  try {
    const events = typeOver(path, line, character, length, typed);
    const outcome = await replayAndPredict(engine, { workspaceRoot: root, events, sources: 'symbolic', top: 5 }, workspace.clock, new AbortController().signal);
    return outcome.edits;
  } finally {
    engine.dispose();
  }
}

describe('missing imports', () => {
  it('requires a CommonJS helper the way sibling files do, in this file\'s style, after its imports', async () => {
    const edits = await suggestAfter('lib/rules/target.js', 6, 9, 0, 'astUtil.isCallExpression(node)');
    // No semicolons in this file, and its requires are not sorted: after the last one.
    expect(edits[0]).toMatchObject({ path: 'lib/rules/target.js', range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: "const astUtil = require('../util/ast')\n" });
  });

  it('puts a require where the files that have it put it: between the same neighbours', async () => {
    const edits = await suggestAfter('lib/rules/neighbour.js', 5, 9, 0, 'propsUtil.isProp(node)');
    // After docsUrl and before report, as in the two rules that require it; not after the last.
    expect(edits[0]).toMatchObject({ path: 'lib/rules/neighbour.js', range: { start: { line: 1, character: 0 } }, text: "const propsUtil = require('../util/props');\n" });
  });

  it('gives a file without imports its first one, after its directive, set apart from the code', async () => {
    const edits = await suggestAfter('lib/rules/fresh.js', 3, 9, 0, 'astUtil.isCallExpression(node)');
    expect(edits[0]).toMatchObject({ path: 'lib/rules/fresh.js', range: { start: { line: 2, character: 0 } }, text: "const astUtil = require('../util/ast');\n\n" });
  });

  it('imports a named export in sorted place among the same kind of imports', async () => {
    const edits = await suggestAfter('src/scheduler/frame.ts', 4, 29, 3, 'TimerHandle');
    // './provider' < './queue' < './timerHandle': after the sibling imports, kept sorted.
    expect(edits[0]).toMatchObject({ path: 'src/scheduler/frame.ts', range: { start: { line: 3, character: 0 } }, text: "import { TimerHandle } from './timerHandle';\n" });
  });

  it('adds the name to the import this file already has from its module', async () => {
    const edits = await suggestAfter('src/scheduler/frame.ts', 5, 9, 17, 'arrInsert([], id)');
    expect(edits[0]).toMatchObject({ path: 'src/scheduler/frame.ts', range: { start: { line: 0, character: 18 }, end: { line: 0, character: 18 } }, text: ', arrInsert' });
  });

  it('imports a name that one file exports and none imports yet, from that file', async () => {
    const edits = await suggestAfter('src/scheduler/frame.ts', 5, 9, 17, 'formatBytes(id)');
    // With the other parent-directory import, before the sibling ones.
    expect(edits[0]).toMatchObject({ path: 'src/scheduler/frame.ts', range: { start: { line: 1, character: 0 } }, text: "import { formatBytes } from '../util/format';\n" });
    // Two files export `clamp`: which one is meant is the user's call.
    const ambiguous = await suggestAfter('src/scheduler/frame.ts', 5, 9, 17, 'clamp(id)');
    expect(ambiguous.filter((edit) => edit.text.includes('import'))).toEqual([]);
  });

  it('offers every import a pasted line needs as one suggestion', async () => {
    const edits = await suggestAfter('src/scheduler/frame.ts', 5, 9, 17, 'formatBytes(arrInsert([], id))');
    expect(edits).toMatchObject([
      { range: { start: { line: 0, character: 18 } }, text: ', arrInsert' },
      { range: { start: { line: 1, character: 0 } }, text: "import { formatBytes } from '../util/format';\n" },
    ]);
  });

  it('imports a Python name the way a sibling module does, re-anchored and joined where it can be', async () => {
    const sibling = await suggestAfter('pkg/api.py', 6, 11, 1, 'slugify(x)');
    // After the relative imports, which come after the absolute ones.
    expect(sibling[0]).toMatchObject({ path: 'pkg/api.py', range: { start: { line: 3, character: 0 } }, text: 'from .util import slugify\n' });
    const deeper = await suggestAfter('pkg/sub/deep.py', 1, 11, 1, 'slugify(x)');
    expect(deeper[0]).toMatchObject({ path: 'pkg/sub/deep.py', range: { start: { line: 0, character: 0 } }, text: 'from ..util import slugify\n\n' });
    const joined = await suggestAfter('pkg/admin.py', 4, 11, 1, 'slugify(x)');
    expect(joined[0]).toMatchObject({ path: 'pkg/admin.py', range: { start: { line: 0, character: 23 } }, text: ', slugify' });
  });

  it('imports a Python name no module imports yet from the one module that defines it', async () => {
    // This module imports relatively, so relatively; after the other relative imports.
    const inside = await suggestAfter('pkg/api.py', 6, 11, 1, 'unique_helper(x)');
    expect(inside[0]).toMatchObject({ path: 'pkg/api.py', range: { start: { line: 3, character: 0 } }, text: 'from .text import unique_helper\n' });
    // A script outside the package: by the package's absolute path.
    const outside = await suggestAfter('scripts/run.py', 4, 11, 1, 'unique_helper(0)');
    expect(outside[0]).toMatchObject({ path: 'scripts/run.py', range: { start: { line: 1, character: 0 } }, text: 'from pkg.text import unique_helper\n' });
  });

  it('stays silent for names the file already has, and for an import typed by hand', async () => {
    const local = await suggestAfter('src/scheduler/frame.ts', 5, 23, 2, 'id');
    expect(local.filter((edit) => edit.text.startsWith('import'))).toEqual([]);
    const typedImport = await suggestAfter('src/scheduler/frame.ts', 3, 0, 0, "import { TimerHandle } from './timerHandle';\n");
    expect(typedImport.filter((edit) => edit.text.startsWith('import'))).toEqual([]);
  });
});
