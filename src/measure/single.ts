/**
 * One version measured alone: a new tool has no base to compare against, so its figures are
 * absolute. Each run is a fresh process: its first call is timed as the cold time, then the
 * batch is calibrated, warmed up and sampled (warm time), then memory is taken in a separate
 * pass. Several test inputs are rotated through the runs, one input per run.
 */
import { median } from '../core/stats.js';
import type {
  Json,
  NetworkEvent,
  SandboxMode,
  ToolError,
  ToolVersion,
  VersionProfile,
} from '../core/types.js';
import { cleanup } from './launch.js';
import type { Side } from './protocol.js';
import { boot, calibrate, Deadline, guarded, newSide, sample, warmUp } from './protocol.js';

export interface ProfileOptions {
  /** Wall-time budget, ms. */
  readonly budgetMs: number;
  /** The OS sandbox around the children; default `auto`. */
  readonly sandbox?: SandboxMode | undefined;
  /** Fresh processes to run (default: 3, at least one per input up to 6). */
  readonly runs?: number;
}

const SAMPLES_PER_RUN = 5;

interface RunResult {
  readonly coldNs: number;
  readonly warmNs: number[];
  readonly memoryKb: number | null;
}

async function oneRun(
  side: Side,
  deadline: Deadline,
  first: boolean,
): Promise<RunResult | undefined> {
  const child = await boot(side, deadline);
  if (child === undefined) return undefined;
  try {
    return await guarded(side, async () => {
      // The first call in a fresh process: imports, caches and JIT all cold.
      const checked = await child.request({ op: 'check' }, deadline.open());
      const coldNs = checked.ns ?? 0;
      // A process per call (JS/TS executable mode) is one call per sample and cold by design: the
      // first call primed the caches, there is nothing to calibrate or warm.
      if (side.processPerCall) {
        side.callsPerSample = 1;
        side.perCallEstimate = coldNs;
      } else {
        if (first) await calibrate(side, child, deadline);
        const steady = await warmUp(side, child, deadline, 300);
        if (steady) side.steadyPairs++;
      }
      side.pairs++;
      if (side.processPerCall) side.steadyPairs++;
      const warmNs: number[] = [];
      const samples = side.processPerCall ? 2 : SAMPLES_PER_RUN;
      for (let i = 0; i < samples && deadline.left() > 0; i++)
        warmNs.push(await sample(side, child, deadline));
      if (warmNs.length === 0) warmNs.push(await sample(side, child, deadline));
      side.perCallNs.push(...warmNs);
      let memoryKb: number | null = null;
      if (first) {
        const memory = await child.request(
          { op: 'mem' },
          deadline.timeout((side.perCallEstimate * 10) / 1e6),
        );
        memoryKb = Math.round((memory.kb ?? 0) * 100) / 100;
      }
      const events = await child.request({ op: 'events' }, deadline.timeout(100));
      for (const event of events.network ?? [])
        side.network.set(`${event.kind} ${event.target}`, event);
      return { coldNs, warmNs, memoryKb };
    });
  } finally {
    child.close();
  }
}

/** Profile one version on its inputs. Never throws for the tool's misbehaviour: `error` says. */
export async function profileVersion(
  version: ToolVersion,
  inputs: readonly Json[],
  options: ProfileOptions,
): Promise<VersionProfile> {
  const started = Date.now();
  const deadline = new Deadline(started + options.budgetMs);
  const list = inputs.length > 0 ? inputs : [version.testInput];
  const runs = options.runs ?? Math.min(6, Math.max(3, list.length));
  const sides = list.map((input) =>
    newSide('new', { ...version, testInput: input }, { sandbox: options.sandbox }),
  );
  const seen = new Set<number>();
  const cold: number[] = [];
  const memory: number[] = [];
  let error: ToolError | undefined;
  let completed = 0;
  try {
    for (let r = 0; r < runs; r++) {
      // Never start a run that the budget cannot hold (the first always runs).
      if (r > 0 && deadline.left() < 200) break;
      const k = r % sides.length;
      const side = sides[k]!;
      const result = await oneRun(side, deadline, !seen.has(k));
      if (result === undefined) {
        error = side.error ?? { kind: 'crashed', message: 'the run did not complete' };
        break;
      }
      seen.add(k);
      completed++;
      cold.push(result.coldNs);
      if (result.memoryKb !== null) memory.push(result.memoryKb);
    }
  } catch (e) {
    error = {
      kind: 'crashed',
      message: `the measurement could not run: ${e instanceof Error ? e.message : String(e)}`,
    };
  } finally {
    for (const side of sides) cleanup(side.prepared);
  }
  const warm = sides.flatMap((s) => s.perCallNs);
  const network = new Map<string, NetworkEvent>();
  for (const side of sides) for (const [key, event] of side.network) network.set(key, event);
  return {
    ns_per_call: warm.length > 0 ? median(warm) : 0,
    cold_ns: cold.length > 0 ? median(cold) : 0,
    memory_kb: memory.length > 0 ? Math.max(...memory) : null,
    samples: warm.length,
    calls_per_sample: sides[0]?.callsPerSample ?? 0,
    runs: completed,
    inputs: seen.size,
    network: [...network.values()],
    wall_ms: Date.now() - started,
    ...(error === undefined ? {} : { error }),
    ...(sides[0] === undefined ? {} : { sandbox: sides[0].prepared.sandbox }),
  };
}
