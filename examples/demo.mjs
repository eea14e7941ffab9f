// The demo: builds a small tools repository with a base and a pull-request head in a temporary
// folder, then runs `perf-verdict gate` on it with the rules judge and exits with gate's code.
//   base (main): examples/tools/**            head (pr): examples/head/** copied over it
// The head slows dedupe_words down (quadratic), speeds checksum up (plain loop instead of
// split/map/reduce) and fixes a security issue in parse_settings (eval → ast.literal_eval).
// Run: npm run build && npm run demo      (extra arguments are passed to gate, e.g. --budget 10)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli', 'index.js');
const repo = mkdtempSync(join(tmpdir(), 'perf-verdict-demo-'));
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'demo',
  GIT_AUTHOR_EMAIL: 'demo@example.com',
  GIT_COMMITTER_NAME: 'demo',
  GIT_COMMITTER_EMAIL: 'demo@example.com',
};
const git = (...args) => execFileSync('git', args, { cwd: repo, env, stdio: 'pipe' });

let code = 1;
try {
  git('init', '-q', '-b', 'main');
  cpSync(join(here, 'tools'), join(repo, 'tools'), { recursive: true });
  git('add', '-A');
  git('commit', '-q', '-m', 'base: three tools');
  git('checkout', '-q', '-b', 'pr');
  cpSync(join(here, 'head'), repo, { recursive: true });
  git('add', '-A');
  git('commit', '-q', '-m', 'evolve: dedupe_words, checksum, parse_settings');
  process.stderr.write(`demo repository: ${repo} (main → pr)\n`);
  const gate = spawnSync(
    process.execPath,
    [cli, 'gate', '--repo', repo, '--base', 'main', '--head', 'pr', ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env,
    },
  );
  code = gate.status ?? 1;
} finally {
  rmSync(repo, { recursive: true, force: true });
}
process.exitCode = code;
