/**
 * Repository cases of the hostile corpus (test/hostile/repository.ts), through the bundled gate
 * under Node 24 with the sandbox on: what the PR puts around a tool — files shadowing what the
 * gate starts, dependency strings, build backends, symbolic links — runs nowhere outside a
 * sandbox, publishes no planted secret, and forges no ACCEPT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAvailability } from '../../src/measure/sandbox.js';
import { DIST } from '../e2e/action-helpers.js';
import { node24 } from '../helpers/node24.js';
import { runRepositoryCase, rowText } from './repository.js';
import type { RepositoryCase, RepositoryRun } from './repository.js';

const SLOW = 'def tool(n):\n    s = 0\n    for i in range(n * 10):\n        s += i\n    return s\n';
const FAST = 'def tool(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s\n';
const SIDECAR = JSON.stringify({ test_input: { n: 20000 }, entry: 'tool' });
const IN_REPO =
  'fail-on: reject\ntools: ["code/tools/**"]\nworking-directory:\n  "code/tools/**": code\n';
const BACKEND = {
  'pyproject.toml':
    '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n',
  'backend.py':
    '{PAYLOAD:backend}\ndef get_requires_for_build_wheel(config_settings=None):\n    return []\n',
};
const withPrefix = (prefix: string, files: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(files).map(([k, v]) => [`${prefix}/${k}`, v]));

const CASES: Record<string, RepositoryCase> = {
  // venv.py / pip.py where `python -m venv` / `-m pip` used to run (the gate's cwd, the
  // requirements' folder), sitecustomize/usercustomize on the import root and the root.
  shadows: {
    base: {
      '.perf-verdict.yml': `${IN_REPO}requirements: [code/requirements.txt]\ninstall-sources: [local]\n`,
      'code/requirements.txt': './vendor/tinycron-1.0-py3-none-any.whl\n',
      'code/tools/t.py': `import tinycron\n\n${FAST}`,
      'code/tools/t.perf.json': SIDECAR,
    },
    head: {
      ...Object.fromEntries(
        ['venv', 'pip', 'ensurepip', 'sitecustomize', 'usercustomize'].flatMap((m) => [
          [`${m}.py`, `{PAYLOAD:root_${m}}`],
          [`code/${m}.py`, `{PAYLOAD:code_${m}}`],
        ]),
      ),
      'code/requirements.txt': './vendor/tinycron-1.0-py3-none-any.whl\n# head\n',
      'code/tools/t.py': `import tinycron\n\n${SLOW}`,
    },
    wheels: ['code/vendor/tinycron-1.0-py3-none-any.whl'],
  },
  // pip option injection: `-r<host file>` made pip quote the file's first line in its error.
  option: {
    base: {
      '.perf-verdict.yml': IN_REPO,
      'code/tools/t.py': FAST,
      'code/tools/t.perf.json': SIDECAR,
    },
    head: {
      'code/tools/t.py': SLOW,
      'code/tools/t.yaml': 'name: t\ndependencies: ["-r{HOME}/.netrc"]\n',
    },
  },
  // A local package with an in-tree PEP 517 backend, in the default config.
  backend_yaml: {
    base: {
      '.perf-verdict.yml': IN_REPO,
      'code/tools/t.py': FAST,
      'code/tools/t.perf.json': SIDECAR,
    },
    head: {
      'code/tools/t.py': SLOW,
      'code/tools/t.yaml': 'name: t\ndependencies: ["./vendor/fastmath"]\n',
      ...withPrefix('vendor/fastmath', BACKEND),
    },
  },
  // The base config names requirements.txt; the head points it at a local build backend.
  backend_requirements: {
    base: {
      '.perf-verdict.yml': `${IN_REPO}requirements: [code/requirements.txt]\n`,
      'code/requirements.txt': '# nothing third-party\n',
      'code/tools/t.py': FAST,
      'code/tools/t.perf.json': SIDECAR,
    },
    head: {
      'code/requirements.txt': './vendor/fastmath\n',
      'code/tools/t.py': SLOW,
      ...withPrefix('code/vendor/fastmath', BACKEND),
    },
  },
  // Findings hidden by depth: a 5,200-term concatenation the interpreter compiles and runs.
  deep_concat: {
    base: {
      '.perf-verdict.yml': 'fail-on: reject\n',
      'tools/py/deep.py': FAST,
      'tools/py/deep.perf.json': SIDECAR,
    },
    head: {
      'tools/py/deep.py': `import os\n\nBANNER = ${Array.from({ length: 5200 }, () => '"a"').join(' + ')}\n\n\ndef _cleanup(cmd):\n    os.system(cmd)\n\n\n${FAST}`,
    },
  },
  // What is analysed is what runs: a tool file that is a symbolic link.
  symlink: {
    base: {
      '.perf-verdict.yml': 'fail-on: reject\n',
      'tools/py/work.py': FAST,
      'tools/py/work.perf.json': SIDECAR,
    },
    head: {
      // The finding is in a function the benchmark never calls: only analysis can see it.
      'tools/py/impl.py': `import os\n\n\ndef _cleanup(cmd):\n    os.system(cmd)\n\n\n${FAST}`,
      'tools/py/out.perf.json': SIDECAR,
    },
    links: {
      'tools/py/work.py': 'impl.py',
      'tools/py/out.py': '../../../../../../../../etc/hostname',
    },
  },
};

const available = sandboxAvailability();

describe.skipIf(!available.ok)('repository cases through the bundled gate, sandbox on', () => {
  const runs = new Map<string, RepositoryRun>();
  beforeAll(async () => {
    const entries = await Promise.all(
      Object.entries(CASES).map(
        async ([name, c]) =>
          [
            name,
            await runRepositoryCase(c, {
              dist: DIST,
              budget: 5,
              sandbox: 'auto',
              node: node24(),
            }),
          ] as const,
      ),
    );
    for (const [name, run] of entries) runs.set(name, run);
  }, 600_000);
  afterAll(() => runs.clear());

  it.each(Object.keys(CASES))(
    '%s: no payload ran outside a sandbox, no secret published, no process left',
    (name) => {
      const run = runs.get(name)!;
      expect(run.report.tools?.length, run.stderr).toBeGreaterThan(0);
      expect(run.pwned, run.stderr).toEqual([]);
      expect(run.published).toEqual([]);
      expect(run.processes).toBe(0);
      expect(run.report.verdict, run.stderr).not.toBe('ACCEPT');
    },
  );

  it('shadows: the head installed its requirements (in the install sandbox) and the row was measured', () => {
    const run = runs.get('shadows')!;
    expect(run.stderr).toMatch(/head: dependencies installed into venv/);
    expect(run.stderr).toMatch(/in the install sandbox/);
    expect(rowText(run, 't')).toMatch(/^(REVIEW|REJECT)/);
  });

  it.each([
    ['option', /code\/tools\/t\.py: dependencies: "-r.*" is an option, not a package requirement/],
    [
      'backend_yaml',
      /"\.\/vendor\/fastmath" is a local path: the base config's install-sources does not list `local`/,
    ],
    [
      'backend_requirements',
      /code\/requirements\.txt line 1: "\.\/vendor\/fastmath" is a local path/,
    ],
  ])('%s: refused before pip starts, naming where it is listed', (name, why) => {
    expect(runs.get(name)!.stderr).toMatch(why);
  });

  it('deep_concat: analysed in full, the new HIGH finding listed (security is not "unavailable")', () => {
    const run = runs.get('deep_concat')!;
    // REJECT when the head runs; a loaded machine may time both versions out (REVIEW): the
    // finding is what analysis proves, at any load.
    expect(rowText(run, 'deep')).toMatch(/^(REJECT|REVIEW)/);
    expect(run.markdown).toMatch(/\*\*deep\*\*.*B605/);
  });

  it('symlink: the link is analysed as the file it runs (its new HIGH finding listed); one leaving the tree is unreadable', () => {
    const run = runs.get('symlink')!;
    expect(rowText(run, 'work')).toMatch(/^(REJECT|REVIEW)/);
    expect(run.markdown).toMatch(/\*\*work\*\*.*B605/);
    expect(rowText(run, 'out')).toMatch(/symbolic link that leaves the repository/);
  });
});
