/**
 * Dependency installs (issue 23): what the PR lists is a package requirement or refused, and
 * what pip runs — a local requirement's in-tree PEP 517 build backend — runs in the install
 * sandbox, where the planted secrets, the other processes' environments, the workspace and the
 * host's loopback are out of reach. Real pip, real bubblewrap; no network (local wheels only).
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DependencyError, ensureVenv, requirementArgs } from '../../src/adapters/deps.js';
import type { DependencySet } from '../../src/adapters/deps.js';
import type { InstallSource } from '../../src/config/config.js';
import { pythonExecutable } from '../../src/measure/launch.js';
import { SANDBOX_UIDS, sandboxAvailability } from '../../src/measure/sandbox.js';
import { installLauncher } from '../../src/repo-context.js';
import { ROOT } from '../helpers/cli.js';
import { alnum } from './corpus.js';

const work = mkdtempSync(join(tmpdir(), 'pv-install-'));
chmodSync(work, 0o755);
const root = join(work, 'checkout');
mkdirSync(join(root, 'reqs'), { recursive: true });
writeFileSync(join(root, 'reqs/tinycron-1.0-py3-none-any.whl'), '');
symlinkSync('/etc', join(root, 'reqs/out'));

const refused = async (text: string, sources: InstallSource[] = []): Promise<string> => {
  const set: DependencySet = { root, files: [{ name: 'reqs/r.txt', text }], packages: [] };
  const error = await requirementArgs(set, sources).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DependencyError);
  return (error as Error).message;
};

describe('a dependency is a package requirement, never an option, path, URL or VCS reference unless the base config allows it', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each([
    'numpy',
    'numpy>=1.24,<3',
    'requests[socks,security] == 2.31.0',
    'tomli; python_version < "3.11"',
    'attrs (>=22)',
  ])('%s is passed to pip as written', async (text) => {
    expect(
      await requirementArgs({ root, files: [{ name: 'reqs/r.txt', text }], packages: [] }, []),
    ).toEqual([text]);
  });

  it.each([
    ['-r/root/.netrc', /reqs\/r\.txt line 1: "-r\/root\/\.netrc" is an option/],
    ['--index-url https://evil.example/simple', /is an option/],
    ['  -e ./vendor/fastmath', /is an option/],
    ['numpy --hash=sha256:00', /is not a package requirement/],
    [
      './vendor/fastmath',
      /is a local path: the base config's install-sources does not list `local`/,
    ],
    ['tinycron-1.0-py3-none-any.whl', /is a local path/],
    ['fastmath @ file:///etc', /is a local path/],
    ['https://evil.example/x.whl', /is a URL: .* does not list `url`/],
    ['git+https://evil.example/x.git', /is a VCS reference/],
    ['x @ git+ssh://git@evil.example/x', /is a VCS reference/],
  ])('%s is refused, naming the file and line', async (text, why) => {
    expect(await refused(`# comment\n${text}`.replace('# comment\n', ''))).toMatch(why);
  });

  it('allowed kinds still stay inside the checkout and need `sdist` to build', async () => {
    expect(await refused('../../../../../../../../etc/passwd', ['local', 'sdist'])).toMatch(
      /outside the checkout/,
    );
    expect(await refused('out/passwd', ['local', 'sdist'])).toMatch(/outside the checkout/);
    expect(await refused('./missing', ['local', 'sdist'])).toMatch(/does not exist/);
    expect(await refused('http://evil.example/x.whl', ['url'])).toMatch(/not an https URL/);
    expect(await refused('https://evil.example/x.tar.gz', ['url'])).toMatch(
      /does not list `sdist`/,
    );
    expect(await refused('git+ssh://git@x/y', ['vcs', 'sdist'])).toMatch(/other than git\+https/);
    expect(
      await requirementArgs(
        {
          root,
          files: [{ name: 'reqs/r.txt', text: '# ours\n./tinycron-1.0-py3-none-any.whl \\\n\n' }],
          packages: [],
        },
        ['local'],
      ),
    ).toEqual([join(root, 'reqs/tinycron-1.0-py3-none-any.whl')]);
  });

  it("a YAML's dependency is named by its tool", async () => {
    const error = await requirementArgs(
      { root, files: [], packages: [{ text: '-r/etc/shadow', tool: 'tools/t/work.py' }] },
      [],
    ).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(
      /^tools\/t\/work\.py: dependencies: "-r\/etc\/shadow"/,
    );
  });
});

const available = sandboxAvailability();

describe.skipIf(!available.ok)(
  'pip runs in a sandbox of its own: a local build backend sees no secret and changes nothing',
  () => {
    const marker = `pvi${alnum(10)}`;
    const dir = mkdtempSync(join(tmpdir(), 'pv-install-hostile-'));
    const repo = join(dir, 'repo');
    const home = join(dir, 'home');
    const cache = join(dir, 'venvs');
    let ancestor: ChildProcess;
    let server: Server;
    let connections = 0;
    const planted = {
      netrc: join(home, '.netrc'),
      gitconfig: join(repo, '.git/config'),
      workspace: join(repo, 'tools/t.py'),
    };

    beforeAll(async () => {
      chmodSync(dir, 0o755);
      for (const d of [
        home,
        join(repo, '.git'),
        join(repo, 'tools'),
        join(repo, 'vendor/fastmath'),
      ])
        mkdirSync(d, { recursive: true });
      // Readable and writable by anyone: only the sandbox's walls keep them out of reach.
      writeFileSync(planted.netrc, `machine github.com login x password ${marker}\n`, {
        mode: 0o666,
      });
      writeFileSync(planted.gitconfig, `[http]\n\textraheader = AUTHORIZATION: basic ${marker}\n`);
      writeFileSync(planted.workspace, 'def tool(n):\n    return n\n');
      for (const f of Object.values(planted)) chmodSync(f, 0o666);
      server = createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      // A process holding the secret in its environment, as the gate's ancestors do.
      ancestor = spawn('sleep', ['120'], { env: { PATH: '/usr/bin:/bin', GITHUB_TOKEN: marker } });
      const p = {
        marker,
        read: [planted.netrc, planted.gitconfig],
        write: Object.values(planted),
        port: (server.address() as AddressInfo).port,
      };
      writeFileSync(
        join(repo, 'vendor/fastmath/evil_backend.py'),
        `P = ${JSON.stringify(p)}\n${readFileSync(join(ROOT, 'test/fixtures/hostile/install/evil_backend.py'), 'utf8')}`,
      );
      writeFileSync(
        join(repo, 'vendor/fastmath/pyproject.toml'),
        '[build-system]\nrequires = []\nbuild-backend = "evil_backend"\nbackend-path = ["."]\n',
      );
      execFileSync('chmod', ['-R', 'a+rX', repo]);
    });
    afterAll(() => {
      ancestor.kill('SIGKILL');
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const set = (): DependencySet => ({
      root: repo,
      files: [],
      packages: [{ text: './vendor/fastmath', tool: 'tools/t.py' }],
    });
    const hashes = (): string[] => Object.values(planted).map((f) => readFileSync(f, 'utf8'));

    it('the backend runs as a fresh uid and reads, reaches and writes nothing of the host', async () => {
      const before = hashes();
      const venv = await ensureVenv(set(), pythonExecutable(), {
        launcher: installLauncher('required'),
        sources: ['local', 'sdist'],
        cacheDir: cache,
      });
      const probe = JSON.parse(
        JSON.parse(
          execFileSync(
            venv.python,
            ['-I', '-c', 'import json, evil_probe; print(json.dumps(evil_probe.RESULT))'],
            {
              encoding: 'utf8',
            },
          ),
        ) as string,
      ) as { uid: number; read: string[]; wrote: string[]; environ: number; connected: boolean };
      expect(probe.uid).toBeGreaterThanOrEqual(SANDBOX_UIDS[0]);
      expect(probe.uid).toBeLessThan(SANDBOX_UIDS[1]);
      expect(probe).toMatchObject({ read: [], wrote: [], environ: 0, connected: false });
      expect(connections).toBe(0);
      expect(hashes()).toEqual(before);
      // The venv is the gate's again, readable by the tools' sandboxes, not writable by them.
      const info = statSync(join(venv.dir, 'bin'));
      expect(info.uid).toBe(process.getuid?.());
      expect(info.mode & 0o022).toBe(0);
    }, 120_000);

    it('without the sandbox nothing is built from source: refused before pip starts', async () => {
      const error = await ensureVenv(set(), pythonExecutable(), {
        launcher: installLauncher('off'),
        sources: ['local', 'sdist'],
        cacheDir: join(dir, 'venvs-off'),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DependencyError);
      expect((error as Error).message).toMatch(/building from source needs the install sandbox/);
      expect(connections).toBe(0);
    }, 60_000);

    it('a wheel from the checkout installs in the sandbox without the network', async () => {
      mkdirSync(join(repo, 'wheels'), { recursive: true });
      execFileSync(pythonExecutable(), [
        '-I',
        '-c',
        'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w"); z.writestr("wheelpkg/__init__.py", "X = 7\\n"); z.writestr("wheelpkg-1.0.dist-info/METADATA", "Metadata-Version: 2.1\\nName: wheelpkg\\nVersion: 1.0\\n"); z.writestr("wheelpkg-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: t\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"); z.writestr("wheelpkg-1.0.dist-info/RECORD", ""); z.close()',
        join(repo, 'wheels/wheelpkg-1.0-py3-none-any.whl'),
      ]);
      chmodSync(join(repo, 'wheels/wheelpkg-1.0-py3-none-any.whl'), 0o644);
      const lines: string[] = [];
      const venv = await ensureVenv(
        {
          root: repo,
          files: [{ name: 'req.txt', text: 'wheels/wheelpkg-1.0-py3-none-any.whl\n' }],
          packages: [],
        },
        pythonExecutable(),
        {
          launcher: installLauncher('required'),
          sources: ['local'],
          cacheDir: cache,
          log: (l) => lines.push(l),
        },
      );
      expect(lines.join('\n')).toMatch(/in the install sandbox/);
      expect(
        execFileSync(venv.python, ['-I', '-c', 'import wheelpkg; print(wheelpkg.X)'], {
          encoding: 'utf8',
        }).trim(),
      ).toBe('7');
    }, 120_000);
  },
);
