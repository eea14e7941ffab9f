// bench/gate: wall time of `perf-verdict gate` on a repository with 10 changed small tools, at
// the default budget (time-budget-seconds: 20), and the overhead outside measurement.
// Targets (issue 7): wall <= 3 min, overhead <= 15 s on the 2-core dev machine.
//   npm run build && node bench/gate.mjs            (PERF_VERDICT_DIST=dir to use another build)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(process.env.PERF_VERDICT_DIST ?? join(root, 'dist'), 'cli', 'index.js');
const repo = mkdtempSync(join(tmpdir(), 'pv-bench-gate-'));
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

// Ten small tools: 4 slowed down, 3 sped up, 3 touched without a time change.
const py = (name, body) => `def ${name}(values):\n${body}\n`;
const side = JSON.stringify({
  test_input: { values: Array.from({ length: 64 }, (_, i) => (i * 7) % 31) },
});
const base = {};
const head = {};
for (let i = 0; i < 4; i++) {
  base[`tools/slow/s${i}.py`] = py(`s${i}`, '    return sorted(values)');
  head[`tools/slow/s${i}.py`] = py(
    `s${i}`,
    `    out = values\n    for _ in range(${3 + i}):\n        out = sorted(list(values))\n    return out`,
  );
  base[`tools/slow/s${i}.perf.json`] = head[`tools/slow/s${i}.perf.json`] = side;
}
for (let i = 0; i < 3; i++) {
  base[`tools/fast/f${i}.ts`] =
    `export default function f${i}(input: { values: number[] }): number {\n  return input.values.map((v) => v * 2).filter((v) => v % 3 !== 0).reduce((a, b) => a + b, 0) + [...input.values].sort().length * 0;\n}\n`;
  head[`tools/fast/f${i}.ts`] =
    `export default function f${i}(input: { values: number[] }): number {\n  let sum = 0;\n  for (const v of input.values) {\n    const d = v * 2;\n    if (d % 3 !== 0) sum += d;\n  }\n  return sum;\n}\n`;
  base[`tools/fast/f${i}.perf.json`] = head[`tools/fast/f${i}.perf.json`] = side;
}
for (let i = 0; i < 3; i++) {
  base[`tools/same/u${i}.py`] = py(`u${i}`, '    return [v + 1 for v in values]');
  head[`tools/same/u${i}.py`] =
    `"""Add one to every value."""\n${py(`u${i}`, '    return [v + 1 for v in values]')}`;
  base[`tools/same/u${i}.perf.json`] = head[`tools/same/u${i}.perf.json`] = side;
}

try {
  git('init', '-q', '-b', 'main');
  write(base);
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'pr');
  write(head);
  git('add', '-A');
  git('commit', '-q', '-m', 'head');
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
    `\nbench/gate: ${report.tools.length} changed tools, budget ${report.settings.time_budget_seconds} s/tool`,
  );
  console.log(`  wall ${wallS.toFixed(1)} s (target <= 180 s): ${wallS <= 180 ? 'OK' : 'OVER'}`);
  console.log(
    `  measurement ${measureS.toFixed(1)} s; overhead outside measurement ${overheadS.toFixed(1)} s (target <= 15 s): ${overheadS <= 15 ? 'OK' : 'OVER'}`,
  );
  console.log(
    `  per tool measurement s: ${report.tools.map((t) => `${t.id}=${((t.comparison?.wall_ms ?? 0) / 1000).toFixed(1)}`).join(' ')}`,
  );
  console.log(`  verdicts: ${verdicts}; gate exit ${run.status}`);
} finally {
  rmSync(repo, { recursive: true, force: true });
}
