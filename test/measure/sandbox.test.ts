/**
 * The OS sandbox around tool children (src/measure/sandbox.ts), tried with real python3
 * children: what the issue says it must contain, each checked from the inside.
 */
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonExecutable } from '../../src/measure/launch.js';
import { HarnessChild, ToolFailure } from '../../src/measure/child.js';
import {
  describeSandbox,
  planLaunch,
  resetSandboxProbe,
  sandboxAvailability,
  spawnSandboxed,
} from '../../src/measure/sandbox.js';
import type { SandboxSpec } from '../../src/measure/sandbox.js';
import { ROOT } from '../helpers/cli.js';

/** Where the sandbox must be had: Linux, root, bwrap installed (this machine, .ci/run). */
function expectedHere(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('bwrap', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function run(
  spec: SandboxSpec,
): Promise<{ code: number | null; out: string; err: string; uid: number | undefined }> {
  const { child, uid } = spawnSandboxed(spec, 'required', ['ignore', 'pipe', 'pipe']);
  return collect(child, uid);
}

function collect(
  child: ChildProcess,
  uid: number | undefined,
): Promise<{ code: number | null; out: string; err: string; uid: number | undefined }> {
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, out: out.trim(), err, uid })),
  );
}

const py = (code: string, extra: Partial<SandboxSpec> = {}): SandboxSpec => ({
  command: pythonExecutable(),
  args: ['-c', code],
  ...extra,
});

describe('sandbox availability', () => {
  it('is available where it must be (Linux, root, bwrap), and says why not elsewhere', () => {
    const available = sandboxAvailability();
    if (expectedHere()) expect(available).toMatchObject({ ok: true });
    else expect(available.ok === false && available.reason.length > 0).toBe(true);
  });

  it("'off' never sandboxes and says so; 'auto' records what it ran", () => {
    const off = planLaunch(py('pass'), 'off');
    expect(off).toMatchObject({ ok: true, sandbox: { mode: 'off', kind: 'none' } });
    expect(off.ok && describeSandbox(off.sandbox)).toBe('unsandboxed: sandbox: off');
    const auto = planLaunch(py('pass'), 'auto');
    expect(auto.sandbox.kind).toBe(sandboxAvailability().ok ? 'bwrap' : 'none');
  });
});

describe('where the sandbox cannot be had (no bwrap on PATH)', () => {
  it("'required' fails the child with kind sandbox; 'auto' runs it unsandboxed and says why", async () => {
    const path = process.env['PATH'];
    const runner = process.env['GITHUB_ACTIONS'];
    const python = pythonExecutable();
    process.env['PATH'] = '/nonexistent';
    // Not a runner: on one the probe would try to install bubblewrap (sandbox-install.test.ts).
    delete process.env['GITHUB_ACTIONS'];
    resetSandboxProbe();
    try {
      const required = planLaunch(py('pass'), 'required');
      expect(required.ok).toBe(false);
      expect(!required.ok && required.error.kind).toBe('sandbox');
      const auto = planLaunch({ command: python, args: ['-c', 'pass'] }, 'auto');
      expect(auto.sandbox).toMatchObject({ mode: 'auto', kind: 'none' });
      expect(describeSandbox(auto.sandbox)).toMatch(/^unsandboxed: .*bwrap/);
      const child = new HarnessChild({
        command: python,
        args: ['-c', 'pass'],
        maxOutputBytes: 1000,
        sandbox: 'required',
      });
      const failure = await child.request(undefined, 2000).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ToolFailure);
      expect((failure as ToolFailure).toolError.kind).toBe('sandbox');
      child.close();
    } finally {
      process.env['PATH'] = path;
      if (runner !== undefined) process.env['GITHUB_ACTIONS'] = runner;
      resetSandboxProbe();
    }
  });
});

describe.runIf(expectedHere())('inside the sandbox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perf-verdict-sandbox-test-'));
  const secretFile = join(dir, 'secret');
  const shared = join(dir, 'shared');
  let server: ReturnType<typeof createServer>;
  let port = 0;
  const accepted: number[] = [];

  beforeAll(async () => {
    chmodSync(dir, 0o755);
    writeFileSync(secretFile, 'planted-root-secret');
    chmodSync(secretFile, 0o600);
    mkdirSync(join(shared, 'pkg'), { recursive: true });
    writeFileSync(join(shared, 'pkg', 'helper.py'), 'VALUE = 42\n');
    chmodSync(join(shared, 'pkg', 'helper.py'), 0o644);
    chmodSync(shared, 0o755);
    chmodSync(join(shared, 'pkg'), 0o755);
    server = createServer((socket) => {
      accepted.push(1);
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs as a fresh unprivileged uid without capabilities', async () => {
    const r = await run(
      py(
        'import os; print(os.getuid(), os.getgid(), os.getgroups(), [l for l in open("/proc/self/status") if l.startswith(("CapEff", "CapBnd", "NoNewPrivs"))])',
      ),
    );
    expect(r.code, r.err).toBe(0);
    const [uid, gid] = r.out.split(' ').map(Number);
    expect(uid).toBe(r.uid);
    expect(uid).not.toBe(0);
    expect(uid).not.toBe(process.getuid?.());
    expect(gid).toBe(r.uid);
    expect(r.out).toContain('CapEff:\\t0000000000000000');
    expect(r.out).toContain('CapBnd:\\t0000000000000000');
    expect(r.out).toContain('NoNewPrivs:\\t1');
  });

  it("cannot read a root-owned 0600 file even where it is bound, nor the caller's environment", async () => {
    process.env['PERF_VERDICT_PLANTED'] = 'planted-env-secret';
    try {
      const r = await run(
        py(
          [
            'import os',
            'out = []',
            'try:',
            `    out.append(open(${JSON.stringify(secretFile)}).read())`,
            'except OSError as e:',
            '    out.append("denied:" + type(e).__name__)',
            'for pid in [p for p in os.listdir("/proc") if p.isdigit()]:',
            '    for name in ("environ", "cmdline"):',
            '        try:',
            '            out.append(open("/proc/%s/%s" % (pid, name), "rb").read().decode("latin1"))',
            '        except OSError:',
            '            pass',
            'out.append("pids=" + ",".join(p for p in os.listdir("/proc") if p.isdigit()))',
            'print("\\n".join(out))',
          ].join('\n'),
          { readOnly: [dir] },
        ),
      );
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain('denied:PermissionError');
      expect(r.out).not.toContain('planted-root-secret');
      expect(r.out).not.toContain('planted-env-secret');
      // Only the sandbox's own PID namespace: its init and the child.
      const pids =
        /^pids=(.*)$/
          .exec(r.out.split('\n').at(-1) ?? '')?.[1]
          ?.split(',')
          .map(Number) ?? [];
      expect(pids.length).toBeGreaterThan(0);
      expect(Math.max(...pids), r.out.slice(-200)).toBeLessThan(10);
    } finally {
      delete process.env['PERF_VERDICT_PLANTED'];
    }
  });

  it('sees no workspace or home, writes nothing outside its private /tmp', async () => {
    const r = await run(
      py(
        [
          'import os',
          `print(os.path.exists(${JSON.stringify(join(ROOT, 'package.json'))}), os.path.exists(os.path.expanduser("~root/.bashrc")))`,
          'for path in ' +
            JSON.stringify([join(dir, 'planted'), join(shared, 'pkg', 'helper.py'), '/etc/x']) +
            ':',
          '    try:',
          '        open(path, "a").write("x")',
          '        print("wrote", path)',
          '    except OSError as e:',
          '        print("denied", type(e).__name__)',
          'open("/tmp/ok", "w").write("fine")',
          'print(os.getcwd())',
        ].join('\n'),
        { readOnly: [dir] },
      ),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toBe('False False');
    expect(r.out).not.toContain('wrote');
    expect(r.out).toContain('/tmp');
  });

  it('has no network: a port listening on the host loopback is unreachable', async () => {
    const r = await run(
      py(
        [
          'import socket',
          'try:',
          `    socket.create_connection(("127.0.0.1", ${port}), timeout=2)`,
          '    print("connected")',
          'except OSError as e:',
          '    print("refused", type(e).__name__)',
        ].join('\n'),
      ),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^refused/);
    expect(accepted).toHaveLength(0);
  });

  it('runs in a chosen read-only directory with an allow-listed PYTHONPATH', async () => {
    const r = await run(
      py(
        'import os, pkg.helper as h; print(os.getcwd(), h.VALUE, os.environ.get("GITHUB_TOKEN"))',
        {
          readOnly: [shared],
          cwd: shared,
          env: { PYTHONPATH: shared, GITHUB_TOKEN: 'planted-token' },
        },
      ),
    );
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.out).toBe(`${shared} 42 None`);
  });

  it('leaves no process behind: a setsid daemon dies with the sandbox', async () => {
    const r = await run(
      py(
        'import os\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        import time; time.sleep(60)\n    os._exit(0)\nprint("parent done")',
      ),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('parent done');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const left = execFileSync('ps', ['-e', '-o', 'uid='], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((uid) => uid === r.uid);
    expect(left).toEqual([]);
  });

  it('binds memory: a bytearray bomb fails inside the address-space limit', async () => {
    const r = await run(
      py(
        'try:\n    b = bytearray(3 * 1024 ** 3)\n    print("allocated")\nexcept MemoryError:\n    print("MemoryError")',
      ),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('MemoryError');
  });
});
