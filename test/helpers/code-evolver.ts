/**
 * The code_evolver-shaped fixture (test/fixtures/code-evolver) as a real git repository: `base/`
 * committed on main, `head/` laid over it on `pr`, plus a tiny wheel (`tinycron`) that the head's
 * requirements list, built here so no binary sits in the fixtures.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';
import { createRepo } from './git-repo.js';
import type { TestRepo } from './git-repo.js';

export const FIXTURE = join(ROOT, 'test/fixtures/code-evolver');

const WHEEL = String.raw`
import base64, hashlib, sys, zipfile
files = {
    "tinycron/__init__.py": (
        "def minutes_until(expr, minute):\n"
        "    step = int(expr.split('/')[1]) if expr.startswith('*/') else 60\n"
        "    return (step - minute % step) % step\n"
    ),
    "tinycron-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: tinycron\nVersion: 1.0\n",
    "tinycron-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: perf-verdict-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = []
with zipfile.ZipFile(sys.argv[1], "w") as wheel:
    for name, text in files.items():
        data = text.encode()
        wheel.writestr(name, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (name, digest, len(data)))
    record.append("tinycron-1.0.dist-info/RECORD,,")
    wheel.writestr("tinycron-1.0.dist-info/RECORD", "\n".join(record) + "\n")
`;

/**
 * The `.perf-verdict.yml` docs/code-evolver.md shows, exactly as printed there: the tests run
 * the gate on it, so the page claims what they prove.
 */
function pageCodeEvolverConfig(): string {
  const page = readFileSync(join(ROOT, 'docs/code-evolver.md'), 'utf8');
  const block = /```yaml\n([\s\S]*?)```/.exec(page)?.[1];
  if (block === undefined) throw new Error('docs/code-evolver.md: no yaml block');
  return block;
}

/**
 * Build the fixture repository: main = base, pr = head. With `config`, the base also commits
 * docs/code-evolver.md's `.perf-verdict.yml` followed by `config` (e.g. budgets).
 */
export function codeEvolverRepo(config?: string): TestRepo {
  const repo = createRepo('pv-code-evolver-');
  cpSync(join(FIXTURE, 'base'), repo.dir, { recursive: true });
  if (config !== undefined)
    writeFileSync(join(repo.dir, '.perf-verdict.yml'), `${pageCodeEvolverConfig()}${config}`);
  repo.commit('base', {});
  repo.git('checkout', '-q', '-b', 'pr');
  cpSync(join(FIXTURE, 'head'), repo.dir, { recursive: true });
  const vendor = join(repo.dir, 'code_evolver/vendor');
  mkdirSync(vendor, { recursive: true });
  execFileSync('python3', ['-c', WHEEL, join(vendor, 'tinycron-1.0-py3-none-any.whl')]);
  repo.commit('evolve', {});
  return repo;
}

/** The config a code_evolver repository uses (docs/code-evolver.md). */
export const CODE_EVOLVER_CONFIG = {
  tools: ['code_evolver/tools/**'],
  'working-directory': { 'code_evolver/tools/**': 'code_evolver' },
  requirements: ['code_evolver/requirements.txt'],
  'install-sources': ['local'],
};
