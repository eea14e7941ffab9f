// bench/agreement: does `compare` agree with a plain loop? (issue 28)
//
//   node bench/agreement.mjs [--cli dist/cli/index.js] [--node PATH] [--trials 10]
//        [--languages javascript,python] [--workloads loop1us,…] [--variants aa,3,5,10]
//        [--ref-processes 7] [--ref-order concurrent|sequential] [--ref-input runtime|constant]
//        [--ref-young 16|v8]
//        [--maglev-ref] [--budget 20000]
//        [--quick] [--out rows.json] [--runs-from rows.json]
//
// For every cell (language × workload × variant, bench/reference/grid.ts) it runs the reference
// (bench/reference/: fresh processes that import the tool and call it in a plain loop, CPU time,
// several pairs, pinned to one CPU, each pair's two processes side by side and starting their
// timed loops together unless --ref-order sequential, the median pair ratio; the input a
// run-time value unless --ref-input constant, the earlier reference that let V8 compile the tool
// for its one input; its young generation pinned at 16 MB per semi-space unless --ref-young v8
// (V8's own sizing) or another size) with the flags `compare` gives its children
// (`--no-maglev`, unless PERF_VERDICT_MAGLEV=on) and, with --maglev-ref, also with Node's
// defaults; then `compare` through the bundled CLI, --trials times, under the same Node
// (--node: e.g. Node 22; default: the Node running this script). It prints per cell: both
// ratios, compare's median ratio and its distance from the reference, how many of compare's 99 %
// intervals contain the reference, the regressions called, the median wall time, and the
// 1-minute load; then the issue's targets. --quick: 3 trials, 3 reference processes, the cells
// loop10us and str at A/A and +5 %. --runs-from: take compare's trials of each cell from an
// earlier --out file instead of running them again (to judge the same trials against another
// reference). Not a test: figures depend on the machine and its load
// (state both when quoting them).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { JS_WORKLOADS, PY_WORKLOADS, cell } from './reference/grid.js';
import type { Cell } from './reference/grid.js';
import { DEFAULT_YOUNG_MB, median, referenceRatio, writeCell } from './reference/reference.js';

interface Trial {
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  readonly change: string;
  readonly pairs: number;
  readonly wall: number;
}

interface Settings {
  readonly cli: string;
  readonly node: string;
  readonly budget: number;
}

function parseArgs(argv: readonly string[]): Map<string, string> {
  const args = new Map<string, string>();
  argv.forEach((arg, i) => {
    const next = argv[i + 1];
    if (arg.startsWith('--'))
      args.set(arg.slice(2), next !== undefined && !next.startsWith('--') ? next : 'true');
  });
  return args;
}

function compare(c: Cell, settings: Settings): Trial {
  const started = Date.now();
  const run = spawnSync(settings.node, [settings.cli, 'compare'], {
    input: JSON.stringify({
      old_code: c.oldCode,
      new_code: c.newCode,
      test_input: c.input,
      language: c.language,
      budget_ms: settings.budget,
    }),
    encoding: 'utf8',
    timeout: settings.budget + 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = Date.now() - started;
  try {
    const json = JSON.parse(run.stdout) as {
      old: { error?: unknown };
      new: { error?: unknown };
      time: { ratio: number; ci_low: number; ci_high: number; change: string; pairs: number };
    };
    const error = json.old.error ?? json.new.error;
    if (error !== undefined) throw new Error(JSON.stringify(error).slice(0, 300));
    const t = json.time;
    return {
      ratio: t.ratio,
      low: t.ci_low,
      high: t.ci_high,
      change: t.change,
      pairs: t.pairs,
      wall,
    };
  } catch (error) {
    console.error(`# compare failed: ${String(error)} ${run.stderr.slice(-300)}`);
    return { ratio: NaN, low: NaN, high: NaN, change: 'failed', pairs: 0, wall };
  }
}

const fmt = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const finite = (xs: readonly number[]): number[] => xs.filter((x) => Number.isFinite(x));
const load = (): string => (loadavg()[0] ?? 0).toFixed(2);

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const quick = args.get('quick') === 'true';
  const settings: Settings = {
    cli: args.get('cli') ?? new URL('../dist/cli/index.js', import.meta.url).pathname,
    node: args.get('node') ?? process.execPath,
    budget: Number(args.get('budget') ?? 20000),
  };
  const trials = Number(args.get('trials') ?? (quick ? 3 : 10));
  // Seven pairs: with their timed loops side by side (a barrier) a loop's pairs lie within ±0.5 %
  // of each other, an allocating tool's mostly within ±1 % with an outlier in ten or so.
  const processes = Number(args.get('ref-processes') ?? (quick ? 3 : 7));
  const languages = (args.get('languages') ?? 'javascript').split(',') as (
    'javascript' | 'python'
  )[];
  const variants = (args.get('variants') ?? (quick ? 'aa,5' : 'aa,3,5,10')).split(',');
  const maglevRef = args.get('maglev-ref') === 'true';
  // The flags compare's JS children run with (src/measure/launch.ts); their pinned young
  // generation is the reference's own --ref-young default (16 MB).
  const compareFlags = process.env['PERF_VERDICT_MAGLEV'] === 'on' ? [] : ['--no-maglev'];
  const out = args.get('out');
  const order: 'concurrent' | 'sequential' =
    args.get('ref-order') === 'sequential' ? 'sequential' : 'concurrent';
  const input: 'runtime' | 'constant' =
    args.get('ref-input') === 'constant' ? 'constant' : 'runtime';
  const youngArg = args.get('ref-young') ?? String(DEFAULT_YOUNG_MB);
  const youngMb = youngArg === 'v8' ? null : Number(youngArg);
  if (youngMb !== null && !(Number.isInteger(youngMb) && youngMb > 0))
    throw new Error(`--ref-young: a size in MB or v8, not ${youngArg}`);
  const earlier = args.get('runs-from');
  const storedRuns = new Map<string, Trial[]>(
    earlier === undefined
      ? []
      : (
          JSON.parse(readFileSync(earlier, 'utf8')) as {
            language: string;
            workload: string;
            variant: string;
            runs: Trial[];
          }[]
        ).map((r) => [`${r.language}-${r.workload}-${r.variant}`, r.runs]),
  );
  const dir = mkdtempSync(join(tmpdir(), 'pv-agreement-'));
  const version = spawnSync(settings.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(
    `# node ${version}, cli ${settings.cli}, compare's child flags: ${compareFlags.join(' ') || '(defaults)'}, trials ${earlier === undefined ? trials : `from ${earlier}`}, reference ${processes} ${order} pairs (${input} input, young generation ${youngMb === null ? 'V8-sized' : `${youngMb} MB`}), budget ${settings.budget} ms`,
  );
  console.log(
    `# start ${new Date().toISOString()}, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    'lang   workload  planted  ref      ref range     ref-def  cmp med  |d|%   in-CI  regress  med wall  pairs  load',
  );
  const rows = [];
  try {
    for (const language of languages) {
      const table = language === 'python' ? PY_WORKLOADS : JS_WORKLOADS;
      const workloads = (
        args.get('workloads') ?? (quick ? 'loop10us,str' : Object.keys(table).join(','))
      )
        .split(',')
        .filter((w) => table[w] !== undefined);
      for (const workload of workloads)
        for (const variant of variants) {
          const c = cell(language, workload, variant);
          const tool = writeCell(c, dir, `${language}-${workload}-${variant}`);
          const options = {
            processes,
            order,
            input,
            youngMb,
            node: settings.node,
            warmMs: 1000,
            timedMs: 500,
          };
          const ref = await referenceRatio(tool, { ...options, flags: compareFlags });
          const refDefault =
            maglevRef && language !== 'python'
              ? await referenceRatio(tool, { ...options, flags: [] })
              : undefined;
          const stored = storedRuns.get(`${language}-${workload}-${variant}`);
          const runs: Trial[] = stored === undefined ? [] : [...stored];
          for (let t = 0; stored === undefined && t < trials; t++) runs.push(compare(c, settings));
          const inside = runs.filter((t) => t.low <= ref.ratio && ref.ratio <= t.high).length;
          const med = median(finite(runs.map((t) => t.ratio)));
          const row = {
            language,
            workload,
            variant,
            ref: ref.ratio,
            refNs: [ref.old, ref.new],
            refPairs: ref.pairRatios,
            refDefault: refDefault?.ratio ?? null,
            compare: med,
            offPercent: Math.abs(med / ref.ratio - 1) * 100,
            inside,
            trials: runs.length,
            regressions: runs.filter((t) => t.change === 'regression').length,
            wallMs: median(runs.map((t) => t.wall)),
            pairs: median(runs.map((t) => t.pairs)),
            load: Number(load()),
            runs,
          };
          rows.push(row);
          if (out !== undefined) writeFileSync(out, JSON.stringify(rows, null, 1));
          console.log(
            [
              language.slice(0, 6).padEnd(6),
              workload.padEnd(9),
              (variant === 'aa' ? 'A/A' : `+${variant}%`).padEnd(8),
              fmt(row.ref).padEnd(8),
              `${fmt(Math.min(...ref.pairRatios))}–${fmt(Math.max(...ref.pairRatios))}`.padEnd(13),
              fmt(row.refDefault ?? NaN).padEnd(8),
              fmt(med).padEnd(8),
              fmt(row.offPercent, 2).padEnd(6),
              `${inside}/${runs.length}`.padEnd(6),
              `${row.regressions}/${runs.length}`.padEnd(8),
              `${(row.wallMs / 1000).toFixed(1)} s`.padEnd(9),
              String(row.pairs).padEnd(6),
              load(),
            ].join(' '),
          );
        }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `# end ${new Date().toISOString()}, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  // The issue's targets, over the cells run.
  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  const within = rows.filter((r) => r.offPercent <= 1).length;
  const contained = rows.filter((r) => r.inside >= 0.9 * r.trials).length;
  console.log(`# median within ±1 % of the reference: ${within}/${rows.length} cells`);
  console.log(
    `# interval contains the reference in ≥ 90 % of runs: ${contained}/${rows.length} cells`,
  );
  const aa = rows.filter((r) => r.variant === 'aa');
  console.log(
    `# A/A false alarms: ${sum(aa.map((r) => r.regressions))}/${sum(aa.map((r) => r.trials))}`,
  );
  const five = rows.filter((r) => r.variant === '5' && r.ref >= 1.05);
  console.log(
    `# +5 % caught where the reference says ≥ 1.05: ${sum(five.map((r) => r.regressions))}/${sum(five.map((r) => r.trials))}`,
  );
  return 0;
}
