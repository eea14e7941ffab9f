// bench/reference/reference.ts: the plain-loop reference ratio of two versions of a tool
// (issue 28). Several fresh processes per version, all pinned to one CPU; each prints its CPU ns
// per call (plain-loop.mjs / plain_loop.py). Two orders:
//  - `concurrent` (the default): each pair's two processes start together on the one CPU, so the
//    scheduler time-slices them and a slow-CPU episode or a neighbour's burst falls on both; the
//    ratio is the median of the pairs' new/old ratios;
//  - `sequential`: one process after the other, alternating A B, B A, …; the ratio is
//    median(new) / median(old). A process that runs alone meets the CPU's episodes alone: on an
//    allocating tool one process differs from its twin by up to 30 % (sd 7.6 %, quiet), which
//    five processes cannot average away (see docs/measurement.md).
// Used by bench/agreement.ts and test/measure/reference-agreement.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cell } from './grid.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((path) => existsSync(path));

/** A cell's two versions and its input, as files. */
export interface ToolFiles {
  readonly language: Cell['language'];
  readonly oldFile: string;
  readonly newFile: string;
  readonly inputFile: string;
}

export interface ReferenceOptions {
  /** Fresh processes per version (5). */
  readonly processes?: number;
  /** The Node binary (this one) and its flags ([]: V8's defaults). */
  readonly node?: string;
  readonly flags?: readonly string[];
  readonly python?: string;
  /** The CPU every process is pinned to (0); null: not pinned. */
  readonly cpu?: number | null;
  /** CPU ms of warm-up and of timed calls per process (1500, 600). */
  readonly warmMs?: number;
  readonly timedMs?: number;
  /** How a pair's two processes run (`concurrent`). */
  readonly order?: 'concurrent' | 'sequential';
  /**
   * The input of a JS/TS plain loop (`runtime`): a value its optimising compiler cannot know, or
   * a `constant` it folds into a tool inlined into the loop (the reference before issue 28's
   * cause was found; plain-loop.mjs).
   */
  readonly input?: 'runtime' | 'constant';
  /**
   * A JS/TS plain loop's young generation, pinned to this many MB per semi-space in both
   * processes (16, the most V8 grows it to on 64-bit); null: V8's own sizing, which grows it
   * 1 → 2 → 4 MB during a process at moments that differ between the two processes of a pair,
   * and an allocating tool's ratio with it (docs/measurement.md, issue 28).
   */
  readonly youngMb?: number | null;
  /**
   * Whether a JS/TS pair's two processes start their timed loops together (`barrier`, the
   * default with `concurrent`) or each after its own warm-up (`free`, the reference before the
   * barrier: its timed loops started up to the difference of the warm-ups apart).
   */
  readonly start?: 'barrier' | 'free';
}

/** The young generation the reference pins (ReferenceOptions.youngMb). */
export const DEFAULT_YOUNG_MB = 16;

export interface Reference {
  /** Median ns per call of each version, and their ratio new / old. */
  readonly old: number;
  readonly new: number;
  readonly ratio: number;
  /** Each process's ns per call, in the order they ran (old[i] and new[i] ran side by side). */
  readonly olds: readonly number[];
  readonly news: readonly number[];
  /** Each pair's new/old ratio. */
  readonly pairRatios: readonly number[];
}

export const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Write a cell's sources and input into `dir` (the extension the language loads by). */
export function writeCell(cell: Cell, dir: string, name: string): ToolFiles {
  const ext = cell.language === 'python' ? 'py' : cell.language === 'typescript' ? 'ts' : 'mjs';
  const files = {
    language: cell.language,
    oldFile: join(dir, `${name}-old.${ext}`),
    newFile: join(dir, `${name}-new.${ext}`),
    inputFile: join(dir, `${name}-input.json`),
  };
  writeFileSync(files.oldFile, cell.oldCode);
  writeFileSync(files.newFile, cell.newCode);
  writeFileSync(files.inputFile, JSON.stringify(cell.input));
  return files;
}

/** One reference process: `ready` once it waits at its barrier (if it has one), `ns` at its end. */
interface Running {
  readonly ready: Promise<void>;
  readonly ns: Promise<number>;
  go(): void;
}

function start(command: string, args: readonly string[], cpu: number | null): Running {
  const argv =
    TASKSET !== undefined && cpu !== null
      ? [TASKSET, '-c', String(cpu), command, ...args]
      : [command, ...args];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let isReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (isReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) isReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  child.stdin.on('error', () => undefined); // a process that died is reported by `ns`
  const ns = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      isReady(); // a process that ended never waits: its partner must not either
      if (code !== 0) reject(new Error(`reference process failed (${code}): ${err.slice(-500)}`));
      else resolve((JSON.parse(out.trim().split('\n').pop() ?? '') as { ns: number }).ns);
    });
  });
  return { ready, ns, go: () => child.stdin.end('go\n') };
}

async function runOnce(
  command: string,
  args: readonly string[],
  cpu: number | null,
): Promise<number> {
  const running = start(command, args, cpu);
  running.go();
  return running.ns;
}

/**
 * A pair side by side. With a barrier (JS) each process warms up on its own, then both start
 * their timed loops together: a pair's timed loops otherwise start as far apart as their
 * warm-ups differ (the slower version's is longer), and the machine's episodes fall on one of
 * them only.
 */
async function runPair(
  command: string,
  argsOf: (file: string) => readonly string[],
  files: readonly [string, string],
  cpu: number | null,
): Promise<[number, number]> {
  const both = files.map((file) => start(command, argsOf(file), cpu));
  await Promise.all(both.map((r) => r.ready));
  for (const r of both) r.go();
  const [a, b] = await Promise.all(both.map((r) => r.ns));
  return [a!, b!];
}

/** The reference for one cell. */
export async function referenceRatio(
  tool: ToolFiles,
  options: ReferenceOptions = {},
): Promise<Reference> {
  const processes = options.processes ?? 5;
  const cpu = options.cpu === undefined ? 0 : options.cpu;
  const python = tool.language === 'python';
  const command = python ? (options.python ?? 'python3') : (options.node ?? process.execPath);
  const script = join(HERE, python ? 'plain_loop.py' : 'plain-loop.mjs');
  const young = options.youngMb === undefined ? DEFAULT_YOUNG_MB : options.youngMb;
  const flags = python
    ? []
    : [
        ...(options.flags ?? []),
        ...(young === null
          ? []
          : [`--min-semi-space-size=${young}`, `--max-semi-space-size=${young}`]),
      ];
  const timing = [
    String(options.warmMs ?? 1500),
    String(options.timedMs ?? 600),
    ...(python ? [] : [options.input ?? 'runtime']),
  ];
  const barrier = !python && options.order !== 'sequential' && options.start !== 'free';
  const argsOf = (file: string): readonly string[] => [
    ...flags,
    script,
    file,
    tool.inputFile,
    ...timing,
    ...(barrier ? ['barrier'] : []),
  ];
  const run = (file: string): Promise<number> => runOnce(command, argsOf(file), cpu);
  const times: { old: number[]; new: number[] } = { old: [], new: [] };
  for (let p = 0; p < processes; p++) {
    if (options.order === 'sequential') {
      // Alternate which version goes first in each round of two.
      const order = p % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const);
      for (const side of order)
        times[side][p] = await run(side === 'old' ? tool.oldFile : tool.newFile);
    } else {
      const [oldNs, newNs] = barrier
        ? await runPair(command, argsOf, [tool.oldFile, tool.newFile], cpu)
        : await Promise.all([run(tool.oldFile), run(tool.newFile)]);
      times.old.push(oldNs);
      times.new.push(newNs);
    }
  }
  const pairRatios = times.new.map((ns, p) => ns / times.old[p]!);
  const oldNs = median(times.old);
  const newNs = median(times.new);
  const ratio = options.order === 'sequential' ? newNs / oldNs : median(pairRatios);
  return { old: oldNs, new: newNs, ratio, olds: times.old, news: times.new, pairRatios };
}
