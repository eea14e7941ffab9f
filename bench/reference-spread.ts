// bench/reference-spread: how far one plain-loop reference pair is from the next (issue 28).
//
//   node bench/reference-spread.mjs [--workload str] [--variant 5] [--pairs 16]
//        [--young 16|v8] [--order concurrent|sequential] [--start barrier|free] [--node PATH] [--flags=--no-maglev]
//
// Runs one cell's reference (bench/reference/reference.ts) with many pairs and prints each
// pair's ns per call and ratio, then the median ratio with a distribution-free 99 % interval for
// it (order statistics of the pair ratios), so that a reference of 5 pairs can be judged for how
// far its median wanders from run to run. Not a test: figures depend on the machine and its
// load (printed).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cell } from './reference/grid.js';
import { DEFAULT_YOUNG_MB, median, referenceRatio, writeCell } from './reference/reference.js';

/** Order-statistic ranks (1-based) of a distribution-free interval for the median. */
function medianRanks(n: number, confidence: number): readonly [number, number] | null {
  // P(X_(k) <= median <= X_(n+1-k)) = 1 - 2 P(Bin(n, 1/2) <= k - 1); the largest k that keeps it.
  const binomCdf = (k: number): number => {
    let p = 0;
    let term = 0.5 ** n;
    for (let i = 0; i <= k; i++) {
      p += term;
      term = (term * (n - i)) / (i + 1);
    }
    return p;
  };
  let best: readonly [number, number] | null = null;
  for (let k = 1; k <= n / 2; k++) if (1 - 2 * binomCdf(k - 1) >= confidence) best = [k, n + 1 - k];
  return best;
}

export async function main(argv: readonly string[]): Promise<number> {
  const get = (name: string, fallback: string): string => {
    const eq = argv.find((a) => a.startsWith(`--${name}=`));
    if (eq !== undefined) return eq.slice(name.length + 3);
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
  };
  const workload = get('workload', 'str');
  const variant = get('variant', '5');
  const pairs = Number(get('pairs', '16'));
  const young = get('young', String(DEFAULT_YOUNG_MB));
  const order = get('order', 'concurrent') as 'concurrent' | 'sequential';
  const flags = get('flags', '--no-maglev').split(',').filter(Boolean);
  const startMode = get('start', 'barrier') as 'barrier' | 'free';
  const node = get('node', process.execPath);
  const dir = mkdtempSync(join(tmpdir(), 'pv-spread-'));
  try {
    const files = writeCell(cell('javascript', workload, variant), dir, workload);
    const load = loadavg()[0]!.toFixed(1);
    const ref = await referenceRatio(files, {
      processes: pairs,
      node,
      flags,
      order,
      start: startMode,
      youngMb: young === 'v8' ? null : Number(young),
    });
    const ratios = [...ref.pairRatios].sort((a, b) => a - b);
    const ranks = medianRanks(ratios.length, 0.99);
    console.log(
      `# ${workload} ${variant}, ${pairs} ${order} pairs, young ${young}, start ${startMode}, flags ${flags.join(' ') || '(none)'}, node ${node}, load ${load}→${loadavg()[0]!.toFixed(1)}`,
    );
    ref.olds.forEach((o, i) =>
      console.log(
        `pair ${String(i + 1).padStart(2)}  old ${o.toFixed(0)} ns  new ${ref.news[i]!.toFixed(0)} ns  ratio ${ref.pairRatios[i]!.toFixed(3)}`,
      ),
    );
    const sd = (xs: readonly number[]): number => {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
    };
    console.log(
      `median ratio ${median(ratios).toFixed(3)}  range ${ratios[0]!.toFixed(3)}–${ratios.at(-1)!.toFixed(3)}` +
        `  99 % interval ${ranks === null ? 'n/a' : `${ratios[ranks[0] - 1]!.toFixed(3)}–${ratios[ranks[1] - 1]!.toFixed(3)}`}` +
        `  process sd old ${((100 * sd(ref.olds)) / median(ref.olds)).toFixed(1)} %, new ${((100 * sd(ref.news)) / median(ref.news)).toFixed(1)} %`,
    );
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
