import { describe, expect, it } from 'vitest';
import type { Json, Language, ToolErrorKind } from '../../src/domain/types.js';
import { benchmarkTool, createMeasurer } from '../../src/measure/index.js';

const BUDGET = 4000;
const OPTIONS = { budgetMs: BUDGET, confidence: 0.99, delta: 0.02 };
const GOOD_PY = 'def f(**kw):\n    return 1\n';
const GOOD_JS = 'export default function f() { return 1; }';

function version(code: string, language: Language, testInput: Json = {}) {
  return { code, language, mode: 'function' as const, testInput };
}

/** Compare a good old version against a hostile new one; the new side must carry the error. */
async function hostile(code: string, language: Language, kind: ToolErrorKind) {
  const started = Date.now();
  const good = language === 'python' ? GOOD_PY : GOOD_JS;
  const result = await createMeasurer().compare(
    version(good, language),
    version(code, language),
    OPTIONS,
  );
  const elapsed = Date.now() - started;
  expect(result.new.error?.kind, JSON.stringify(result.new.error)).toBe(kind);
  expect(result.old.error).toBeUndefined();
  expect(result.time.change).toBe('inconclusive');
  expect(elapsed).toBeLessThan(BUDGET + 5000);
  // JSON-safe: no NaN / Infinity anywhere.
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  return result;
}

describe('hostile Python tools', () => {
  it.each([
    ['while True: pass', 'def f(**kw):\n    while True:\n        pass\n', 'timeout'],
    ['os._exit(3)', 'import os\ndef f(**kw):\n    os._exit(3)\n', 'crashed'],
    ['sys.exit()', 'import sys\ndef f(**kw):\n    sys.exit()\n', 'crashed'],
    [
      'memory bomb',
      'def f(**kw):\n    x = []\n    while True:\n        x.append(bytearray(10**7))\n',
      'memory',
    ],
    ['fork bomb', 'import os\ndef f(**kw):\n    while True:\n        os.fork()\n', 'hostile'],
    [
      '1 GB of output',
      'import sys\ndef f(**kw):\n    for _ in range(16384):\n        sys.stdout.write("x" * 65536)\n    sys.stdout.flush()\n',
      'output',
    ],
    [
      'exception on first call',
      'def f(**kw):\n    raise ValueError("boom from the tool")\n',
      'exception',
    ],
    // A set is an answer now (compared as a set, issue 24); a list that holds itself is not.
    ['non-JSON result', 'def f(**kw):\n    a = []\n    a.append(a)\n    return a\n', 'output'],
    ['syntax error', 'def f(:\n', 'invalid_tool'],
  ] as const)('%s', async (_name, code, kind) => {
    const result = await hostile(code, 'python', kind);
    if (_name === 'exception on first call') {
      expect(result.new.error?.traceback).toContain('boom from the tool');
      expect(result.new.error?.traceback).toContain('raise ValueError');
    }
  });
});

describe('hostile JavaScript tools', () => {
  it.each([
    ['while (true) {}', 'export default function f() { while (true) {} }', 'timeout'],
    ['process.exit()', 'export default function f() { process.exit(3); }', 'crashed'],
    [
      'memory bomb',
      'export default function f() { const a = []; for (;;) a.push(new Array(1e6).fill(1)); }',
      'memory',
    ],
    [
      'fork bomb',
      "import { spawn } from 'node:child_process';\nexport default function f() { for (;;) spawn('sh', ['-c', 'true']); }",
      'hostile',
    ],
    [
      '1 GB of output',
      "export default function f() { const s = 'x'.repeat(65536); for (let i = 0; i < 16384; i++) process.stdout.write(s); }",
      'output',
    ],
    [
      'exception on first call',
      "export default function f() { throw new Error('boom from the tool'); }",
      'exception',
    ],
    [
      'non-JSON result',
      'export default function f() { const a = {}; a.self = a; return a; }',
      'output',
    ],
    ['syntax error', 'export default function f( {', 'invalid_tool'],
  ] as const)('%s', async (_name, code, kind) => {
    const result = await hostile(code, 'javascript', kind);
    if (_name === 'exception on first call')
      expect(result.new.error?.traceback).toContain('boom from the tool');
  });
});

describe('environment', () => {
  it.each(['python', 'javascript'] as const)(
    'a %s child never sees GITHUB_TOKEN / INPUT_* / ACTIONS_*',
    async (language) => {
      process.env['GITHUB_TOKEN'] = 'secret-token';
      process.env['INPUT_FOO'] = 'x';
      process.env['ACTIONS_RUNTIME_TOKEN'] = 'y';
      try {
        const code =
          language === 'python'
            ? "import os\ndef f(**kw):\n    bad = [k for k in os.environ if k == 'GITHUB_TOKEN' or k.startswith(('INPUT_', 'ACTIONS_'))]\n    if bad:\n        raise RuntimeError('leaked ' + ','.join(bad))\n    return len(os.environ)\n"
            : "export default function f() { const bad = Object.keys(process.env).filter((k) => k === 'GITHUB_TOKEN' || k.startsWith('INPUT_') || k.startsWith('ACTIONS_')); if (bad.length) throw new Error('leaked ' + bad.join(',')); return bad.length; }";
        const result = await benchmarkTool(version(code, language), { budgetMs: 5000 });
        expect(result.error).toBeUndefined();
        expect(result.success).toBe(true);
      } finally {
        delete process.env['GITHUB_TOKEN'];
        delete process.env['INPUT_FOO'];
        delete process.env['ACTIONS_RUNTIME_TOKEN'];
      }
    },
  );
});
