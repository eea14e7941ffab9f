/**
 * A TS/JS tool with the repository files it loads, made runnable side by side
 * (src/analyze/transpile.ts): each file under its repository path with the extension of its
 * format, and only the specifiers that name one of them rewritten.
 */
import { describe, expect, it } from 'vitest';
import { runnableScript } from '../../src/analyze/transpile.js';

describe('runnableScript with the files a tool loads', () => {
  it('alone, the tool is transpiled as before and has no tree', () => {
    const script = runnableScript({
      code: 'export default (n: number): number => n;',
      language: 'typescript',
      path: 'tools/a.ts',
      loads: [],
    });
    expect(script.tree).toBeUndefined();
    expect(script.code).toContain('export default (n) => n;');
  });

  it('names each file by its format and rewrites the specifiers that name them, nothing else', () => {
    const script = runnableScript({
      code: [
        "import { sum } from './lib/helper';",
        "import { scale } from './scale.js';",
        "import { join } from 'node:path';",
        "import missing from './missing.js';",
        'const text = "import x from \'./lib/helper\'";',
        'export default (xs: number[]): number => scale(sum(xs)) + text.length + join.length + missing;',
      ].join('\n'),
      language: 'typescript',
      path: 'tools/t/total.ts',
      loads: [
        {
          path: 'tools/t/lib/helper.ts',
          code: "export { util } from '../util.cjs';\nexport const sum = (xs: number[]) => xs.length;",
        },
        { path: 'tools/t/scale.ts', code: 'export const scale = (n: number) => n * 2;' },
        { path: 'tools/t/util.cjs', code: 'module.exports.util = require(`./scale.js`);' },
        { path: 'tools/t/data.py', code: 'x = 1' },
      ],
    });
    expect(script.tree?.tool).toBe('tools/t/total.ts.mjs');
    expect(script.tree?.files.map((f) => f.path)).toEqual([
      'tools/t/total.ts.mjs',
      'tools/t/lib/helper.ts.mjs',
      'tools/t/scale.ts.mjs',
      'tools/t/util.cjs',
    ]);
    expect(script.tree?.files[1]?.source).toBe('tools/t/lib/helper.ts');
    const [tool, helper, , util] = script.tree!.files.map((f) => f.code);
    expect(tool).toBe(script.code);
    expect(tool).toContain('from "./lib/helper.ts.mjs"');
    expect(tool).toContain('from "./scale.ts.mjs"');
    // A bare specifier, one that names no loaded file and a string that is not an import stay.
    expect(tool).toContain("from 'node:path'");
    expect(tool).toContain("from './missing.js'");
    expect(tool).toContain('"import x from \'./lib/helper\'"');
    expect(tool).not.toContain(': number');
    expect(helper).toContain('from "../util.cjs"');
    expect(util).toBe('module.exports.util = require("./scale.ts.mjs");');
  });
});
