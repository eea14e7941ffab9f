/**
 * Outputs compared and failures as failures (issue 24), with real python3 / node children: a
 * faster-but-wrong corpus never ACCEPT, nondeterministic tools not flagged, `{"success": false}`
 * a failure, source read as the interpreter reads it (BOM, PEP 263, CRLF) and a syntax error
 * named by its repository path. Budgets are small: the answers come from each fresh process's
 * first calls, whatever the timing decides.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEvidence } from '../../src/verdict/policy.js';
import type {
  Comparison,
  Json,
  Language,
  RunContext,
  ToolVersion,
} from '../../src/domain/types.js';
import { rulesJudge } from '../../src/judge/index.js';
import { comparePair } from '../../src/measure/protocol.js';
import { expandArgs } from '../../src/tools/index.js';

const OPTIONS = { budgetMs: 2000, confidence: 0.99, delta: 0.02 };

const fn = (code: string, language: Language, testInput: Json): ToolVersion => ({
  code,
  language,
  mode: 'function',
  testInput,
});

async function verdictOf(c: Comparison, requirement = 'Sort the records') {
  const evaluation = await rulesJudge.evaluate({
    evidence: buildEvidence({ comparison: c }),
    claims: { previous_requirement: requirement, new_requirement: requirement },
    old_code: 'a',
    new_code: 'b',
  });
  return evaluation;
}

const RECORDS = { items: [5, 3, 9, 1], rows: [{ id: 1, name: 'a' }] };
const PY_BASE = `def f(items, rows):
    return {"sorted": sorted(items), "count": len(items), "rows": rows}
`;
const JS_BASE = `export default function f({ items, rows }) {
  return { sorted: [...items].sort((a, b) => a - b), count: items.length, rows };
}
`;

// Each head is wrong in one way and does less work than the base, or the same.
const WRONG: readonly [string, Language, string, string][] = [
  ['truncated result', 'python', PY_BASE, PY_BASE.replace('sorted(items)', 'sorted(items)[:2]')],
  ['off-by-one', 'python', PY_BASE, PY_BASE.replace('len(items)', 'len(items) - 1')],
  [
    'dropped field',
    'python',
    PY_BASE,
    PY_BASE.replace('"rows": rows', '"rows": [{"id": r["id"]} for r in rows]'),
  ],
  ['wrong sort', 'python', PY_BASE, PY_BASE.replace('sorted(items)', 'list(items)')],
  [
    'truncated result',
    'javascript',
    JS_BASE,
    JS_BASE.replace('(a, b) => a - b)', '(a, b) => a - b).slice(0, 2)'),
  ],
  ['off-by-one', 'javascript', JS_BASE, JS_BASE.replace('items.length', 'items.length - 1')],
  [
    'dropped field',
    'javascript',
    JS_BASE,
    JS_BASE.replace(
      'count: items.length, rows',
      'count: items.length, rows: rows.map(({ id }) => ({ id }))',
    ),
  ],
  ['wrong sort', 'javascript', JS_BASE, JS_BASE.replace('.sort((a, b) => a - b)', '.sort()')],
];

describe('a faster-but-wrong head is never ACCEPT', () => {
  it.concurrent.each(WRONG)(
    '%s (%s): outputs differ, REVIEW at most; REJECT where the example states the output',
    async (name, language, base, head) => {
      const input =
        language === 'javascript' && name === 'wrong sort'
          ? { ...RECORDS, items: [10, 9, 1] }
          : RECORDS;
      const c = await comparePair(fn(base, language, input), fn(head, language, input), {
        ...OPTIONS,
        cases: [{ input, expected: { value: baseAnswer(input) } }],
      });
      expect(c.old.error).toBeUndefined();
      expect(c.new.error).toBeUndefined();
      expect(c.outputs).toMatchObject({ inputs: 1, differing: 1, nondeterministic: [] });
      expect(c.outputs?.expected).toMatchObject({ checked: 1, old_matches: 1, new_matches: 0 });
      // Without the example's stated output: the changed answer alone.
      const plain = await verdictOf({ ...c, outputs: { ...c.outputs!, expected: undefined } });
      expect(plain.recommendation).not.toBe('ACCEPT');
      expect(plain.band.reasons.join('; ')).toMatch(/outputs differ on 1 of 1 input \(at \$/);
      expect((await verdictOf(c)).recommendation).toBe('REJECT');
    },
  );
});

/** What the base version of the corpus answers (as its YAML example would state it). */
function baseAnswer(input: typeof RECORDS): Json {
  const sorted = [...input.items].sort((a, b) => a - b);
  return { sorted, count: input.items.length, rows: input.rows };
}

describe('nondeterministic tools are said, not flagged', () => {
  it.concurrent.each([
    ['random', 'python', 'import random\ndef f(**kw):\n    return {"pick": random.random()}\n'],
    [
      'time',
      'python',
      'import datetime\ndef f(**kw):\n    return {"at": datetime.datetime.now().isoformat(), "n": 1}\n',
    ],
    ['random', 'javascript', 'export default function f() { return { pick: Math.random() }; }\n'],
  ] as const)('%s (%s)', async (_what, language, code) => {
    const c = await comparePair(fn(code, language, {}), fn(code, language, {}), OPTIONS);
    expect(c.outputs?.differing).toBe(0);
    expect(c.outputs?.nondeterministic).toEqual(['new', 'old']);
    const evaluation = await verdictOf(c);
    expect(evaluation.band.reasons.join('; ')).not.toMatch(/outputs differ/);
    expect(evaluation.band.reasons.join('; ')).toMatch(/nondeterministic output/);
  });
});

describe('code_evolver scripts in their checkout', () => {
  const root = mkdtempSync(join(tmpdir(), 'pv-outputs-'));
  const folder = 'code_evolver/tools/executable';
  mkdirSync(join(root, folder), { recursive: true });
  // A checkout is readable by the sandbox's user, as the gate's checkouts are.
  for (const dir of ['', 'code_evolver', 'code_evolver/tools', folder])
    chmodSync(join(root, dir), 0o755);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** A script at `folder/name` in the checkout, run as its YAML's args say. */
  function script(name: string, bytes: Buffer | string, args: string[], input: Json): ToolVersion {
    writeFileSync(join(root, folder, name), bytes, { mode: 0o644 });
    const context: RunContext = {
      root,
      toolPath: join(root, folder, name),
      cwd: join(root, 'code_evolver'),
      importPaths: [join(root, 'code_evolver')],
      argv: expandArgs(args, join(root, folder), input),
      readOnly: [root],
    };
    const language: Language = name.endsWith('.py') ? 'python' : 'javascript';
    return {
      code: String(bytes),
      language,
      mode: 'executable',
      testInput: input,
      path: `${folder}/${name}`,
      context,
    };
  }

  it('reads a Python file with a BOM, a PEP 263 latin-1 line and CRLF as Python does, and compares the answers', async () => {
    const plain =
      'import json, sys\ndata = json.load(sys.stdin)\nprint(json.dumps({"word": "caf\u00e9", "n": data["n"]}))\n';
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('# -*- coding: latin-1 -*-\r\n'.replace('latin-1', 'utf-8'), 'latin1'),
      Buffer.from(plain.replace(/\n/g, '\r\n'), 'utf8'),
    ]);
    const pep263 = Buffer.concat([
      Buffer.from('# -*- coding: latin-1 -*-\r\n', 'latin1'),
      Buffer.from(plain.replace(/\n/g, '\r\n'), 'latin1'),
    ]);
    const base = script('plain.py', plain, [], { n: 2 });
    for (const head of [
      script('bom.py', bom, [], { n: 2 }),
      script('pep263.py', pep263, [], { n: 2 }),
    ]) {
      const c = await comparePair(base, head, OPTIONS);
      expect(c.new.error, JSON.stringify(c.new.error)).toBeUndefined();
      expect(c.outputs).toMatchObject({ inputs: 1, differing: 0 });
    }
  });

  it('names a syntax error by its repository path and line, never a temp path (Python and JS)', async () => {
    const good = script('ok.py', 'import sys\nprint(1)\n', [], {});
    const bad = script('broken.py', 'import sys\n\ndef main(:\n    pass\n', [], {});
    const c = await comparePair(good, bad, OPTIONS);
    expect(c.new.error?.kind).toBe('invalid_tool');
    expect(c.new.error?.message).toMatch(
      /^syntax error in code_evolver\/tools\/executable\/broken\.py at line 3: /,
    );
    expect(c.new.error?.message).not.toContain(tmpdir());

    const js = await comparePair(
      fn('export default function f() { return 1; }', 'javascript', {}),
      {
        ...fn('export default function f() {\n  return 1 +;\n}', 'javascript', {}),
        path: 'tools/js/add.mjs',
      },
      OPTIONS,
    );
    expect(js.new.error?.message).toMatch(/^syntax error in tools\/js\/add\.mjs at line 2: /);
  });

  it('{input_json} reaches a script that reads json.loads(sys.argv[1]) (workflow_runner)', async () => {
    const code =
      'import json, sys\nargs = json.loads(sys.argv[1])\nprint(json.dumps({"success": True, "workflow_id": args["workflow_id"]}))\n';
    const args = ['{tool_dir}/workflow_runner.py', '{input_json}'].slice(1);
    const v = script('workflow_runner.py', code, args, { workflow_id: 'wf-1' });
    const c = await comparePair(v, v, OPTIONS);
    expect(c.old.error, JSON.stringify(c.old.error)).toBeUndefined();
    expect(c.outputs?.differing).toBe(0);
  });

  it('`{"success": false}` on stdout with exit status 0 is a failed run on that side (Python and JS)', async () => {
    const ok =
      'import json, sys\njson.load(sys.stdin)\nprint(json.dumps({"success": True, "result": 1}))\n';
    const says =
      'import json, sys\ndata = json.load(sys.stdin)\nprint(json.dumps({"success": False, "error": "\'str\' object has no attribute \'get\'"}))\n';
    const c = await comparePair(
      script('ok2.py', ok, [], 'text'),
      script('says.py', says, [], 'text'),
      OPTIONS,
    );
    expect(c.old.error).toBeUndefined();
    expect(c.new.error).toEqual({
      kind: 'reported',
      message: "the tool reported a failure: 'str' object has no attribute 'get'",
    });
    const js = await comparePair(
      script('ok.mjs', 'process.stdout.write(JSON.stringify({ result: 2 }));\n', [], {}),
      script(
        'says.mjs',
        'process.stdout.write(JSON.stringify({ error: "no workflow" }) + "\\n");\n',
        [],
        {},
      ),
      OPTIONS,
    );
    expect(js.old.error, JSON.stringify(js.old.error)).toBeUndefined();
    expect(js.new.error).toMatchObject({
      kind: 'reported',
      message: 'the tool reported a failure: no workflow',
    });
  });
});
