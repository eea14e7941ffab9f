/**
 * The repository files a tool loads (src/tools/imports.ts), and a changed one changing the tool
 * (src/tools/between.ts) in a real git history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo } from '../../src/adapters/git.js';
import { changedToolsBetween, mapTree } from '../../src/tools/index.js';
import type { ChangedTool } from '../../src/tools/index.js';
import { loadedFiles } from '../../src/tools/imports.js';
import type { Language } from '../../src/domain/types.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';

async function loads(
  files: Record<string, string>,
  path: string,
  language: Language,
): Promise<{ paths: string[]; incomplete: string | null }> {
  const loaded = await loadedFiles(mapTree(files), { path, code: files[path]!, language });
  return { paths: loaded.files.map((f) => f.path), incomplete: loaded.incomplete };
}

describe('the files a Python tool loads', () => {
  it.each([
    ['import helper', ['tools/t/helper.py']],
    ['import helper as h, json', ['tools/t/helper.py']],
    ['from helper import scale', ['tools/t/helper.py']],
    ['from .helper import scale', ['tools/t/helper.py']],
    ['from . import helper', ['tools/t/__init__.py', 'tools/t/helper.py']],
    ['from lib.util import (\n    a,\n    b,\n)', ['lib/__init__.py', 'lib/util.py']],
    ['from lib import util', ['lib/__init__.py', 'lib/util.py']],
    ['import tools.t.helper', ['tools/t/__init__.py', 'tools/t/helper.py']],
    ['x = 1; import helper', ['tools/t/helper.py']],
    ['def f():\n    import helper', ['tools/t/helper.py']],
    ['m = __import__("helper")', ['tools/t/helper.py']],
    ['m = importlib.import_module("lib.util")', ['lib/__init__.py', 'lib/util.py']],
    ['import os, json, numpy', []],
  ])('%j loads %j', async (line, expected) => {
    const files = {
      'tools/t/main.py': `${line}\n\ndef main(x):\n    return x\n`,
      'tools/t/helper.py': 'def scale(n):\n    return n\n',
      'tools/t/__init__.py': '',
      'lib/__init__.py': '',
      'lib/util.py': 'a = b = 1\n',
      'README.md': 'import helper\n',
    };
    const { paths } = await loads(files, 'tools/t/main.py', 'python');
    expect(paths.sort()).toEqual([...expected].sort());
  });

  it('follows what the helpers load in turn, relative to their own package, once each', async () => {
    const files = {
      'tools/t/main.py': 'from pkg.a import f\nimport pkg.a\n',
      'tools/t/pkg/__init__.py': '',
      'tools/t/pkg/a.py': 'from .b import g\nfrom ..sibling import h\n',
      'tools/t/pkg/b.py': 'from . import a\n',
      'tools/t/sibling.py': 'import os\n',
    };
    const { paths, incomplete } = await loads(files, 'tools/t/main.py', 'python');
    expect(paths).toEqual([
      'tools/t/pkg/__init__.py',
      'tools/t/pkg/a.py',
      'tools/t/pkg/b.py',
      'tools/t/sibling.py',
    ]);
    expect(incomplete).toBeNull();
  });

  it('never climbs out of the repository, never loads another language', async () => {
    const files = {
      'main.py': 'from ... import secret\nimport util\n',
      'util.ts': 'export const x = 1;\n',
    };
    expect(await loads(files, 'main.py', 'python')).toEqual({ paths: [], incomplete: null });
  });

  it('is bounded: past 64 files the set says it is incomplete', async () => {
    const files: Record<string, string> = { 'tools/t/main.py': 'import m0\n' };
    for (let i = 0; i < 70; i++) files[`tools/t/m${i}.py`] = `import m${i + 1}\n`;
    const { paths, incomplete } = await loads(files, 'tools/t/main.py', 'python');
    expect(paths).toHaveLength(64);
    expect(incomplete).toMatch(/loads more than 64 repository files/);
  });
});

describe('the files a TS/JS tool loads', () => {
  it.each([
    ['import { x } from "./util";', ['tools/t/util.ts']],
    ['import { x } from "./util.js";', ['tools/t/util.ts']],
    ["export * from './util';", ['tools/t/util.ts']],
    ["import './side.mjs';", ['tools/t/side.mjs']],
    ['const m = await import("./lib");', ['tools/t/lib/index.js']],
    ["const u = require('../shared/u.cjs');", ['tools/shared/u.cjs']],
    ["import q from 'shared/u.cjs';", ['tools/shared/u.cjs']],
    ["import fs from 'node:fs'; import z from 'zod';", []],
  ])('%j loads %j', async (line, expected) => {
    const files = {
      'tools/t/main.ts': `${line}\nexport default function f(n: number) { return n; }\n`,
      'tools/t/util.ts': 'export const x = 1;\n',
      'tools/t/side.mjs': 'globalThis.y = 1;\n',
      'tools/t/lib/index.js': 'export const z = 1;\n',
      'tools/shared/u.cjs': 'module.exports = 1;\n',
    };
    const { paths } = await loads(files, 'tools/t/main.ts', 'typescript');
    expect(paths).toEqual(expected);
  });
});

describe('a changed file a tool loads changes the tool', () => {
  let repo: TestRepo;
  let tools: ChangedTool[];

  beforeAll(async () => {
    repo = createRepo();
    repo.commit('base', {
      'tools/py/main.py': 'from lib.helper import scale\n\ndef main(n):\n    return scale(n)\n',
      'tools/py/other.py': 'def other(n):\n    return n\n',
      'tools/ts/calc.ts': 'import { k } from "./k.js";\nexport default (n: number) => n * k;\n',
      'tools/ts/k.ts': 'export const k = 2;\n',
      'lib/helper.py': 'def scale(n):\n    return n\n',
    });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit('head', {
      'lib/helper.py': 'import os\n\ndef scale(n):\n    os.system("true")\n    return n\n',
      'tools/ts/k.ts': 'export const k = 3;\n',
    });
    const git = openRepo(repo.dir);
    const changed = await changedToolsBetween(
      git,
      await git.resolve('main'),
      await git.resolve('feature'),
      ['tools/**/*.py', 'tools/**/*.ts'],
    );
    tools = changed.tools;
  });
  afterAll(() => repo.remove());

  it('lists the tool whose helper changed, as modified, with the helper as its changed path', () => {
    expect(tools.map((t) => [t.id, t.status, t.paths])).toEqual([
      ['calc', 'modified', ['tools/ts/k.ts']],
      ['k', 'modified', ['tools/ts/k.ts']],
      ['main', 'modified', ['lib/helper.py']],
    ]);
  });
});
