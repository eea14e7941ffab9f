// bench/gate: wall time of `perf-verdict gate` on a repository of changed small tools, at the
// default budget (time-budget-seconds: 20), and the overhead outside measurement.
//   npm run build && node bench/gate.mjs            (PERF_VERDICT_DIST=dir to use another build)
//   node bench/gate.mjs [--slow 4] [--fast 3] [--same 3] [--total SECONDS] [--target SECONDS]
// Defaults: 4 slower, 3 faster, 3 same-speed tools (issue 12 target: <= 45 s wall). The issue's
// 30-tool case: --slow 10 --fast 0 --same 20 --total 180 --target 180 (every verdict decided or
// marked as cut by the PR's budget).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * A fresh git repository in a temporary directory (bench/realistic.mjs builds on it too):
 * `git(...args)` runs git there, `write({path: text})` writes files, `commit(files, message)`
 * writes, stages everything and commits, `remove()` deletes it.
 */
export function benchRepository(prefix) {
  const repo = mkdtempSync(join(tmpdir(), prefix));
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'b',
    GIT_AUTHOR_EMAIL: 'b@e',
    GIT_COMMITTER_NAME: 'b',
    GIT_COMMITTER_EMAIL: 'b@e',
  };
  const git = (...args) => execFileSync('git', args, { cwd: repo, env, stdio: 'pipe' });
  const write = (files) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), text);
    }
  };
  const commit = (files, message) => {
    write(files);
    git('add', '-A');
    git('commit', '-q', '-m', message);
  };
  return {
    dir: repo,
    env,
    git,
    write,
    commit,
    remove: () => rmSync(repo, { recursive: true, force: true }),
  };
}

/** The built CLI: PERF_VERDICT_DIST=dir to use another build. */
export const benchCli = join(
  process.env.PERF_VERDICT_DIST ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist'),
  'cli',
  'index.js',
);

const main =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (main) bench();

function bench() {
  const args = Object.fromEntries(
    process.argv.slice(2).reduce((acc, arg, i, all) => {
      if (arg.startsWith('--')) acc.push([arg.slice(2), all[i + 1]]);
      return acc;
    }, []),
  );
  const SLOW = Number(args.slow ?? 4);
  const FAST = Number(args.fast ?? 3);
  const SAME = Number(args.same ?? 3);
  const TOTAL = args.total === undefined ? null : Number(args.total);
  const TARGET = Number(args.target ?? 45);
  const cli = benchCli;
  const fixture = benchRepository('pv-bench-gate-');
  const { dir: repo, env, git } = fixture;

  // Ten small tools: 4 slowed down, 3 sped up, 3 touched without a time change.
  const py = (name, body) => `def ${name}(values):\n${body}\n`;
  const side = JSON.stringify({
    test_input: { values: Array.from({ length: 64 }, (_, i) => (i * 7) % 31) },
  });
  const base = {};
  const head = {};
  for (let i = 0; i < SLOW; i++) {
    base[`tools/slow/s${i}.py`] = py(`s${i}`, '    return sorted(values)');
    head[`tools/slow/s${i}.py`] = py(
      `s${i}`,
      `    out = values\n    for _ in range(${3 + (i % 4)}):\n        out = sorted(list(values))\n    return out`,
    );
    base[`tools/slow/s${i}.perf.json`] = head[`tools/slow/s${i}.perf.json`] = side;
  }
  for (let i = 0; i < FAST; i++) {
    base[`tools/fast/f${i}.ts`] =
      `export default function f${i}(input: { values: number[] }): number {\n  return input.values.map((v) => v * 2).filter((v) => v % 3 !== 0).reduce((a, b) => a + b, 0) + [...input.values].sort().length * 0;\n}\n`;
    head[`tools/fast/f${i}.ts`] =
      `export default function f${i}(input: { values: number[] }): number {\n  let sum = 0;\n  for (const v of input.values) {\n    const d = v * 2;\n    if (d % 3 !== 0) sum += d;\n  }\n  return sum;\n}\n`;
    base[`tools/fast/f${i}.perf.json`] = head[`tools/fast/f${i}.perf.json`] = side;
  }
  for (let i = 0; i < SAME; i++) {
    base[`tools/same/u${i}.py`] = py(`u${i}`, '    return [v + 1 for v in values]');
    head[`tools/same/u${i}.py`] =
      `"""Add one to every value."""\n${py(`u${i}`, '    return [v + 1 for v in values]')}`;
    base[`tools/same/u${i}.perf.json`] = head[`tools/same/u${i}.perf.json`] = side;
  }

  try {
    git('init', '-q', '-b', 'main');
    if (TOTAL !== null) base['.perf-verdict.yml'] = `total-budget-seconds: ${TOTAL}\n`;
    fixture.commit(base, 'base');
    git('checkout', '-q', '-b', 'pr');
    fixture.commit(head, 'head');
    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      [cli, 'gate', '--base', 'main', '--head', 'pr', '--json', join(repo, 'report.json')],
      {
        cwd: repo,
        env,
        encoding: 'utf8',
      },
    );
    const wallS = (performance.now() - started) / 1000;
    process.stdout.write(run.stdout);
    if (run.status !== 0 && run.status !== 1 && run.status !== 2) {
      process.stderr.write(run.stderr);
      throw new Error(`gate failed with exit ${run.status}`);
    }
    const report = JSON.parse(readFileSync(join(repo, 'report.json'), 'utf8'));
    const measureS = report.measure_ms / 1000;
    const overheadS = wallS - measureS;
    const verdicts = report.tools.map((t) => `${t.id}=${t.verdict}`).join(' ');
    console.log(
      `\nbench/gate: ${report.tools.length} changed tools (${SLOW} slower, ${FAST} faster, ${SAME} same speed), budget ${report.settings.time_budget_seconds} s/tool, total-budget-seconds ${TOTAL ?? 'default (1200)'}; /proc/loadavg ${readFileSync('/proc/loadavg', 'utf8').trim()}`,
    );
    console.log(
      `  wall ${wallS.toFixed(1)} s (target <= ${TARGET} s): ${wallS <= TARGET ? 'OK' : 'OVER'}`,
    );
    const cut = report.tools.filter((t) => (t.note ?? '').includes('total-budget-seconds'));
    const decided = report.tools.filter((t) => t.comparison?.diagnostics?.stopped === 'decided');
    console.log(
      `  decided ${decided.length}, cut by the PR budget ${cut.length}, other ${report.tools.length - decided.length - cut.length}`,
    );
    const byGroup = {};
    for (const t of report.tools) {
      const group = t.id.replace(/\d+$/, '');
      byGroup[group] ??= {};
      byGroup[group][t.verdict] = (byGroup[group][t.verdict] ?? 0) + 1;
    }
    console.log(
      `  verdicts by group (s = slower, f = faster, u = same speed): ${JSON.stringify(byGroup)}`,
    );
    console.log(
      `  measurement ${measureS.toFixed(1)} s; overhead outside measurement ${overheadS.toFixed(1)} s (target <= 15 s): ${overheadS <= 15 ? 'OK' : 'OVER'}`,
    );
    console.log(
      `  per tool measurement s: ${report.tools.map((t) => `${t.id}=${((t.comparison?.wall_ms ?? 0) / 1000).toFixed(1)}`).join(' ')}`,
    );
    console.log(`  verdicts: ${verdicts}; gate exit ${run.status}`);
  } finally {
    fixture.remove();
  }
}
