/**
 * Process starts blocked below `os` (issue 10): with `sandbox: off` — where these are the only
 * guard — a tool that starts a process or a worker fails its row with kind `hostile`, however it
 * reached the call: Python's audit hook sees `posix.fork`, `os.posix_spawn`, a re-imported
 * `subprocess`, `pty.spawn`, ctypes' libc `fork`; Node's permission model and the harness's
 * guards see `ChildProcess.prototype.spawn` and `worker_threads`. Each asserts the error kind
 * only (no timing outcome).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Json, Language, CallStyle } from '../../src/domain/types.js';
import { nodePermissionArgs, permissionFlag } from '../../src/measure/launch.js';
import { createMeasurer } from '../../src/measure/index.js';
import { sandboxStatus } from '../../src/measure/sandbox.js';
import { node24 } from '../helpers/node24.js';

const OPTIONS = { budgetMs: 3000, confidence: 0.99, delta: 0.02, sandbox: 'off' as const };
const GOOD: Record<CallStyle, Record<'python' | 'javascript', string>> = {
  function: {
    python: 'def f(**kw):\n    return 1\n',
    javascript: 'export default function f() { return 1; }',
  },
  executable: {
    python: 'import json, sys\njson.load(sys.stdin)\nprint(json.dumps(1))\n',
    javascript: "process.stdout.write('1');",
  },
};

async function headError(code: string, language: Language, mode: CallStyle = 'function') {
  const version = (c: string) => ({ code: c, language, mode, testInput: {} as Json });
  const good = GOOD[mode][language === 'python' ? 'python' : 'javascript'];
  const result = await createMeasurer().compare(version(good), version(code), OPTIONS);
  expect(result.old.error, JSON.stringify(result.old.error)).toBeUndefined();
  expect(result.sandbox?.kind).toBe('none');
  return result.new.error;
}

const py = (...lines: string[]): string => `${lines.join('\n')}\n`;

describe('Python: the audit hook blocks process starts below os (sandbox: off)', () => {
  it.each([
    [
      'posix.fork',
      py(
        'import posix',
        'def f(**kw):',
        '    if posix.fork() == 0:',
        '        posix._exit(0)',
        '    return 1',
      ),
      'os.fork',
    ],
    [
      'posix.posix_spawn',
      py(
        'import posix',
        'def f(**kw):',
        "    posix.posix_spawn('/bin/true', ['/bin/true'], {})",
        '    return 1',
      ),
      'os.posix_spawn',
    ],
    [
      'a re-imported subprocess',
      py(
        'import sys',
        'def f(**kw):',
        "    sys.modules.pop('subprocess', None)",
        '    import subprocess',
        "    subprocess.run(['/bin/true'])",
        '    return 1',
      ),
      'subprocess.Popen',
    ],
    [
      'pty.spawn',
      py('import pty', 'def f(**kw):', "    pty.spawn('/bin/true')", '    return 1'),
      'pty.spawn',
    ],
    [
      'ctypes: libc fork',
      py('import ctypes', 'def f(**kw):', '    return ctypes.CDLL(None).fork()'),
      'ctypes fork',
    ],
    [
      '_posixsubprocess.fork_exec',
      py('import _posixsubprocess', 'def f(**kw):', '    return _posixsubprocess.fork_exec()'),
      '_posixsubprocess.fork_exec',
    ],
    [
      'a swallowed attempt',
      py(
        'import posix',
        'def f(**kw):',
        '    try:',
        '        posix.fork()',
        '    except BaseException:',
        '        pass',
        '    return 1',
      ),
      'os.fork',
    ],
    ['at import', py('import posix', 'posix.fork()', 'def f(**kw):', '    return 1'), 'os.fork'],
  ])(
    '%s → hostile',
    async (_name, code, what) => {
      const error = await headError(code, 'python');
      expect(error?.kind, JSON.stringify(error)).toBe('hostile');
      expect(error?.message).toContain('the tool tried to start a process');
      expect(error?.message).toContain(what);
    },
    30_000,
  );

  it('executable mode: a script that forks is hostile too', async () => {
    const code = py('import json, posix, sys', 'json.load(sys.stdin)', 'posix.fork()', 'print(1)');
    const error = await headError(code, 'python', 'executable');
    expect(error?.kind, JSON.stringify(error)).toBe('hostile');
  }, 30_000);

  it('a tool that starts nothing still runs (the hook costs nothing visible)', async () => {
    const error = await headError(
      py('import subprocess, json', 'def f(**kw):', '    return json.dumps([subprocess.PIPE])'),
      'python',
    );
    expect(error).toBeUndefined();
  }, 30_000);
});

describe('JS: Node’s permission model and the harness block processes and workers (sandbox: off)', () => {
  it.each([
    [
      'new ChildProcess().spawn',
      "import { ChildProcess } from 'node:child_process';\nexport default function f() { const c = new ChildProcess(); c.spawn({ file: '/bin/sh', args: ['/bin/sh', '-c', 'true'], envPairs: [], stdio: ['ignore', 'ignore', 'ignore'], detached: true }); return 1; }",
    ],
    [
      'worker_threads.Worker',
      "import { Worker } from 'node:worker_threads';\nexport default function f() { new Worker('1', { eval: true }); return 1; }",
    ],
    [
      'a swallowed spawn',
      "import { spawnSync } from 'node:child_process';\nexport default function f() { try { spawnSync('/bin/true'); } catch {} return 1; }",
    ],
  ])(
    '%s → hostile',
    async (_name, code) => {
      const error = await headError(code, 'javascript');
      expect(error?.kind, JSON.stringify(error)).toBe('hostile');
    },
    30_000,
  );

  it('executable mode: a script that spawns is hostile, and the harness still starts scripts', async () => {
    const code =
      "import { spawnSync } from 'node:child_process';\nspawnSync('/bin/true');\nprocess.stdout.write('1');";
    const error = await headError(code, 'javascript', 'executable');
    expect(error?.kind, JSON.stringify(error)).toBe('hostile');
  }, 30_000);
});

describe('JS writes under the permission model', () => {
  const writer =
    "import { writeFileSync, rmSync } from 'node:fs';\nexport default function f() { writeFileSync('/tmp/perf-verdict-write-probe', 'x'); rmSync('/tmp/perf-verdict-write-probe'); return 1; }";
  const run = async (sandbox: 'auto' | 'off') => {
    const version = (code: string) => ({
      code,
      language: 'javascript' as const,
      mode: 'function' as const,
      testInput: {} as Json,
    });
    return createMeasurer().compare(version(GOOD.function.javascript), version(writer), {
      ...OPTIONS,
      sandbox,
    });
  };

  it('unsandboxed (the host’s /tmp, where the other version lives): no write at all', async () => {
    const result = await run('off');
    expect(result.new.error?.message).toContain('Access to this API has been restricted');
  }, 30_000);

  it('sandboxed: the private /tmp is writable (where the sandbox can be had)', async () => {
    const result = await run('auto');
    if (sandboxStatus('auto').kind === 'bwrap') expect(result.new.error).toBeUndefined();
    else expect(result.new.error?.message).toContain('Access to this API has been restricted');
  }, 30_000);
});

describe('the permission flags for the runtime that runs the harness', () => {
  it.each([
    ['18.19.0', null],
    ['20.20.2', '--experimental-permission'],
    ['22.12.0', '--experimental-permission'],
    ['22.13.0', '--permission'],
    ['23.5.0', '--permission'],
    ['24.0.0', '--permission'],
  ])('Node %s → %s', (version, flag) => {
    expect(permissionFlag(version)).toBe(flag);
  });

  it('grants reads of the given paths, and child processes to the executable-mode harness only', () => {
    expect(nodePermissionArgs(['/a', '/b', '/a'], 'function', '24.1.0')).toEqual([
      '--permission',
      '--allow-fs-read=/a',
      '--allow-fs-read=/b',
    ]);
    expect(nodePermissionArgs(['/a'], 'executable', '20.1.0', ['/tmp'])).toEqual([
      '--experimental-permission',
      '--allow-fs-read=/a',
      '--allow-fs-read=/tmp',
      '--allow-fs-write=/tmp',
      '--allow-child-process',
    ]);
  });

  // Below the harness's guards: the raw binding-level spawn and a Worker, under the flags as
  // launch.ts builds them, in this Node (the CLI's) and in Node 24 (the Action's).
  const probe = [
    "const cp = require('node:child_process');",
    'const out = [];',
    "try { const c = new cp.ChildProcess(); c.spawn({ file: '/bin/true', args: ['/bin/true'], envPairs: [], stdio: ['ignore', 'ignore', 'ignore'] }); out.push('spawned'); } catch (e) { out.push(e.code + ':' + e.permission); }",
    "try { new (require('node:worker_threads').Worker)('1', { eval: true }); out.push('worker'); } catch (e) { out.push(e.code + ':' + e.permission); }",
    "try { require('node:fs').writeFileSync('/tmp/perf-verdict-permission-probe', 'x'); out.push('wrote'); } catch (e) { out.push(e.code + ':' + e.permission); }",
    'console.log(out.join(" "));',
  ].join('\n');
  it.each([
    ['this Node', process.execPath, process.versions.node],
    ['Node 24', 'node24', '24.0.0'],
  ])('%s refuses ChildProcess, Worker and writes', (_name, which, version) => {
    const node = which === 'node24' ? node24() : which;
    const args = nodePermissionArgs(['/nonexistent-perf-verdict'], 'function', version);
    const run = spawnSync(node, [...args, '--no-warnings', '-e', probe], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(
      'ERR_ACCESS_DENIED:ChildProcess ERR_ACCESS_DENIED:WorkerThreads ERR_ACCESS_DENIED:FileSystemWrite',
    );
  });
});
