// `npm test`'s set-up (the `pretest` script): the Python oracles the tests compare against
// (radon, bandit; pyperf for bench/) live in the project's own .venv, created from
// requirements-dev.txt when it is missing or when that file changed since it was made. The tests
// look for the oracles in .venv only (test/analyze/oracle-helpers.ts), never on PATH.
// A stamp file holds the requirements' hash, so a second `npm test` spends no time here.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const python = join(venv, 'bin', 'python');
const stamp = join(venv, '.requirements-dev.sha256');
const requirements = join(root, 'requirements-dev.txt');
const wanted = createHash('sha256').update(readFileSync(requirements)).digest('hex');

if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted) {
  process.exit(0);
}

function run(command, args) {
  console.log(`setup-venv: ${[command, ...args].join(' ')}`);
  try {
    execFileSync(command, args, { cwd: root, stdio: 'inherit' });
  } catch (error) {
    console.error(
      `setup-venv: '${command} ${args.join(' ')}' failed (${error.message}). ` +
        'The tests need python3 (with its venv module) and network access to PyPI on the first run.',
    );
    process.exit(1);
  }
}

if (!existsSync(python)) {
  rmSync(venv, { recursive: true, force: true });
  run('python3', ['-m', 'venv', venv]);
}
run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
writeFileSync(stamp, `${wanted}\n`);
