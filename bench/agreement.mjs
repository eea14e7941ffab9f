#!/usr/bin/env node
// bench/agreement: does `compare` agree with a plain loop? (issue 28)
//
//   node bench/agreement.mjs [--cli dist/cli/index.js] [--node PATH] [--trials 10]
//        [--languages javascript,python] [--workloads loop1us,…] [--variants aa,3,5,10]
//        [--ref-processes 5] [--maglev-ref] [--budget 20000] [--quick] [--out rows.json]
//
// For every cell (language × workload × variant) it runs the reference (bench/reference/: fresh
// processes that import the tool and call it in a plain loop, CPU time, several per version,
// alternating, pinned to one CPU, median) with the flags `compare` gives its children
// (`--no-maglev`, unless PERF_VERDICT_MAGLEV=on) and, with --maglev-ref, also with Node's defaults;
// then `compare` through the bundled CLI, --trials times, under the same Node (--node: e.g. Node
// 22; default: the Node running this script). It prints per cell: both ratios, how many of
// compare's 99 % intervals contain the reference, |median − reference|, regressions called, the
// median wall time, and the 1-minute load; then the targets, met or not.
// --quick: 3 trials, 3 reference processes, the cells loop10us and str at A/A and +5 %.
// Not a test: figures depend on the machine and its load (state both when quoting them).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { JS_WORKLOADS, PY_WORKLOADS, cell } from './reference/grid.mjs';
import { referenceRatio } from './reference/reference.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, arg, i, all) => {
    if (arg.startsWith('--'))
      acc.push([arg.slice(2), all[i + 1]?.startsWith('--') === false ? all[i + 1] : 'true']);
    return acc;
  }, []),
);
const QUICK = args.quick === 'true';
const CLI = args.cli ?? new URL('../dist/cli/index.js', import.meta.url).pathname;
const NODE = args.node ?? process.execPath;
const TRIALS = Number(args.trials ?? (QUICK ? 3 : 10));
const BUDGET = Number(args.budget ?? 20000);
const REF_PROCESSES = Number(args['ref-processes'] ?? (QUICK ? 3 : 5));
const LANGUAGES = (args.languages ?? 'javascript').split(',');
const VARIANTS = (args.variants ?? (QUICK ? 'aa,5' : 'aa,3,5,10')).split(',');
const MAGLEV_REF = args['maglev-ref'] === 'true';
const workloadsOf = (language) =>
  (args.workloads ?? (QUICK ? 'loop10us,str' : Object.keys(language === 'python' ? PY_WORKLOADS : JS_WORKLOADS).join(',')))
    .split(',')
    .filter((w) => (language === 'python' ? PY_WORKLOADS : JS_WORKLOADS)[w] !== undefined);
// The flags compare's JS children run with (src/measure/launch.ts).
const COMPARE_FLAGS = process.env.PERF_VERDICT_MAGLEV === 'on' ? [] : ['--no-maglev'];

const dir = mkdtempSync(join(tmpdir(), 'pv-agreement-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const load = () => loadavg()[0].toFixed(2);

function files(c, name) {
  const ext = c.language === 'python' ? 'py' : c.language === 'typescript' ? 'ts' : 'mjs';
  const oldFile = join(dir, `${name}-old.${ext}`);
  const newFile = join(dir, `${name}-new.${ext}`);
  const inputFile = join(dir, `${name}-input.json`);
  writeFileSync(oldFile, c.oldCode);
  writeFileSync(newFile, c.newCode);
  writeFileSync(inputFile, JSON.stringify(c.input));
  return { language: c.language, oldFile, newFile, inputFile };
}

function compare(c) {
  const started = Date.now();
  const run = spawnSync(NODE, [CLI, 'compare'], {
    input: JSON.stringify({
      old_code: c.oldCode,
      new_code: c.newCode,
      test_input: c.input,
      language: c.language,
      budget_ms: BUDGET,
    }),
    encoding: 'utf8',
    timeout: BUDGET + 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = Date.now() - started;
  try {
    const json = JSON.parse(run.stdout);
    const error = json.old?.error ?? json.new?.error;
    if (error !== undefined) throw new Error(JSON.stringify(error).slice(0, 300));
    const t = json.time;
    return { ratio: t.ratio, low: t.ci_low, high: t.ci_high, change: t.change, pairs: t.pairs, wall, pairRatios: t.pair_ratios };
  } catch (error) {
    console.error(`# compare failed: ${error.message} ${run.stderr.slice(-300)}`);
    return { ratio: NaN, low: NaN, high: NaN, change: 'failed', pairs: 0, wall };
  }
}

const rows = [];
const fmt = (x, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');
console.log(`# node ${spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()}, cli ${CLI}, compare's child flags: ${COMPARE_FLAGS.join(' ') || '(defaults)'}, trials ${TRIALS}, reference ${REF_PROCESSES} processes/version, budget ${BUDGET} ms`);
console.log(`# start ${new Date().toISOString()}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const header = 'lang   workload  planted  ref      ref-def  cmp med  |d|%   in-CI  regress  med wall  pairs  load';
console.log(header);
for (const language of LANGUAGES)
  for (const workload of workloadsOf(language))
    for (const variant of VARIANTS) {
      const c = cell(language, workload, variant);
      const tool = files(c, `${language}-${workload}-${variant}`);
      const options = { processes: REF_PROCESSES, node: NODE, warmMs: 1000, timedMs: 500 };
      const ref = await referenceRatio(tool, { ...options, flags: COMPARE_FLAGS });
      const refDefault =
        MAGLEV_REF && language !== 'python' ? await referenceRatio(tool, { ...options, flags: [] }) : undefined;
      const trials = [];
      for (let t = 0; t < TRIALS; t++) trials.push(compare(c));
      const inside = trials.filter((t) => t.low <= ref.ratio && ref.ratio <= t.high).length;
      const med = median(trials.map((t) => t.ratio));
      const row = {
        language,
        workload,
        variant,
        ref: ref.ratio,
        refNs: [ref.old, ref.new],
        refDefault: refDefault?.ratio ?? null,
        compare: med,
        offPercent: Math.abs(med / ref.ratio - 1) * 100,
        inside,
        trials: trials.length,
        regressions: trials.filter((t) => t.change === 'regression').length,
        wallMs: median(trials.map((t) => t.wall)),
        pairs: median(trials.map((t) => t.pairs)),
        load: Number(load()),
        runs: trials,
      };
      rows.push(row);
      if (args.out) writeFileSync(args.out, JSON.stringify(rows, null, 1));
      console.log(
        [
          language.slice(0, 6).padEnd(6),
          workload.padEnd(9),
          (variant === 'aa' ? 'A/A' : `+${variant}%`).padEnd(8),
          fmt(row.ref).padEnd(8),
          fmt(row.refDefault ?? NaN).padEnd(8),
          fmt(med).padEnd(8),
          fmt(row.offPercent, 2).padEnd(6),
          `${inside}/${trials.length}`.padEnd(6),
          `${row.regressions}/${trials.length}`.padEnd(8),
          `${(row.wallMs / 1000).toFixed(1)} s`.padEnd(9),
          String(row.pairs).padEnd(6),
          load(),
        ].join(' '),
      );
    }

console.log(`# end ${new Date().toISOString()}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
// The targets, per cell and overall.
const within = rows.filter((r) => r.offPercent <= 1).length;
const contained = rows.filter((r) => r.inside >= 0.9 * r.trials).length;
console.log(`# median within ±1 % of the reference: ${within}/${rows.length} cells`);
console.log(`# interval contains the reference in ≥ 90 % of runs: ${contained}/${rows.length} cells`);
const aa = rows.filter((r) => r.variant === 'aa');
console.log(`# A/A false alarms: ${aa.reduce((s, r) => s + r.regressions, 0)}/${aa.reduce((s, r) => s + r.trials, 0)}`);
const five = rows.filter((r) => r.variant === '5' && r.ref >= 1.05);
console.log(`# +5 % (reference ≥ 1.05) caught: ${five.reduce((s, r) => s + r.regressions, 0)}/${five.reduce((s, r) => s + r.trials, 0)}`);
