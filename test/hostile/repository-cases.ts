/**
 * The repository cases of the hostile corpus (issue 23), by name: what a PR puts around a tool.
 * Run with the sandbox on by test/hostile/repository.test.ts, and on and off by bench/hostile.
 */
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

export const REPOSITORY_CASES: Readonly<Record<string, RepositoryCase>> = {
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

/** No payload ran outside a sandbox, no secret was published, no process left, no ACCEPT. */
export function repositoryContained(run: RepositoryRun): boolean {
  return (
    (run.report.tools?.length ?? 0) > 0 &&
    run.pwned.length === 0 &&
    run.published.length === 0 &&
    run.processes === 0 &&
    run.report.verdict !== 'ACCEPT'
  );
}
