/**
 * README's path from a first pull request to a local run, its commands run as written: the lines
 * between `<!-- new-user-path:start -->` and `<!-- new-user-path:end -->`, with the placeholders
 * filled in — the repository cloned is this one (HEAD tagged v1 in a local bare "upstream", as
 * the release workflow tags it; no network here), `~` a temporary home, `your-repository` a
 * repository whose pull request slows a tool down 8×. The gate it runs is the bundled CLI under
 * Node 24; it must print the verdict's headline, exit with its code and write the report.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { createRepo } from '../helpers/git-repo.js';
import { node24 } from '../helpers/node24.js';
import { runToEnd } from '../helpers/run-to-end.js';

const README = readFileSync(`${ROOT}README.md`, 'utf8');
const block = README.slice(
  README.indexOf('<!-- new-user-path:start -->'),
  README.indexOf('<!-- new-user-path:end -->'),
);
const LINES = block
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('<!--') && !l.startsWith('```'));

const FAST = 'def scale(values):\n    return [v * 2 for v in values]\n';
const SLOW =
  'def scale(values):\n    out = []\n    for _ in range(8):\n        out = [v * 2 for v in values]\n    return out\n';
const SIDE = `{"test_input": {"values": [${Array.from({ length: 64 }, (_, i) => i).join(', ')}]}}`;

const home = mkdtempSync(join(tmpdir(), 'pv-home-'));
const repo = createRepo('pv-your-repository-');
afterAll(() => {
  repo.remove();
  rmSync(home, { recursive: true, force: true });
});

describe("README's path from a first pull request to a local run", () => {
  it('is three commands: clone perf-verdict, go to your repository, run the gate', () => {
    expect(LINES.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      'git clone',
      'cd your-repository',
      'node ~/perf-verdict/dist/cli/index.js',
    ]);
  });

  it('run as written, they reproduce the verdict of a pull request that slows a tool down', async () => {
    const base = repo.commit('base', {
      'tools/math/scale.py': FAST,
      'tools/math/scale.perf.json': SIDE,
    });
    repo.git('checkout', '-q', '-b', 'pr');
    const head = repo.commit('slow', { 'tools/math/scale.py': SLOW });
    // The "upstream" the clone line names: this repository's HEAD, tagged v1.
    const upstream = join(home, 'upstream.git');
    execFileSync('git', ['init', '-q', '--bare', upstream]);
    execFileSync('git', ['-C', ROOT, 'push', '-q', upstream, 'HEAD:refs/tags/v1']);
    const fill = (line: string): string[] =>
      line
        .replace('https://github.com/perf-verdict/perf-verdict', `file://${upstream}`)
        .replaceAll('~/', `${home}/`)
        .replace('<base sha>', base)
        .replace('<head sha>', head)
        .split(' ');
    const [clone, cd, gate] = LINES.map(fill);
    execFileSync(clone![0]!, clone!.slice(1), { stdio: 'ignore' });
    expect(cd).toEqual(['cd', 'your-repository']);
    const [node, ...args] = gate!;
    expect(node).toBe('node');
    const run = await runToEnd(node24(), args, {
      cwd: repo.dir,
      env: { PATH: `${dirname(node24())}:${process.env['PATH'] ?? ''}`, HOME: home },
    });
    // An 8× slowdown is REJECT (exit 1), or REVIEW (exit 2) where the load voids the evidence.
    const report = JSON.parse(readFileSync(join(repo.dir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ merge_base: base, head_sha: head });
    const headline = {
      REJECT: ['perf-verdict: ❌ REJECT — 1 rejected (1 changed tool)', 1],
      REVIEW: ['perf-verdict: 🟡 REVIEW — 1 to review (1 changed tool)', 2],
    }[report.verdict as string];
    expect(headline, `verdict ${report.verdict}`).toBeDefined();
    expect([run.stdout.split('\n')[0], run.code]).toEqual(headline);
  }, 180_000);
});
