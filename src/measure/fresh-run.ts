/**
 * One run of one version alone in a fresh process, shared by the guide's `benchmark` view
 * (benchmark.ts) and a new tool's profile (single.ts): the first call timed as the cold time, the
 * batch calibrated (first run only) and warmed up, timed samples, memory in a separate pass, the
 * network events.
 */
import type { Deadline, Side } from './protocol.js';
import { boot, calibrate, checkCall, guarded, sample, warmUp } from './protocol.js';

/** What one fresh process gave. */
export interface FreshRun {
  /** The first call in the process, ns: imports, caches and JIT all cold. */
  readonly coldNs: number;
  /** The timed samples after warm-up, ns per call (at least one). */
  readonly warmNs: readonly number[];
  /** Peak memory of one call, KB; null when not asked for. */
  readonly memoryKb: number | null;
}

export interface FreshRunOptions {
  /** The side's first run calibrates the batch; later runs reuse its size. */
  readonly first: boolean;
  /** Timed samples to take while the budget lasts (a process per call is given fewer). */
  readonly samples: number;
  readonly memory: boolean;
}

/** One fresh process of `side`; a tool failure is stored on the side and yields undefined. */
export async function freshRun(
  side: Side,
  deadline: Deadline,
  options: FreshRunOptions,
): Promise<FreshRun | undefined> {
  const child = await boot(side, deadline);
  if (child === undefined) return undefined;
  try {
    return await guarded(side, async () => {
      const checked = await checkCall(side, child, deadline);
      const coldNs = checked.ns ?? 0;
      // A process per call (JS/TS executable mode) is one call per sample and cold by design: the
      // first call primed the caches, there is nothing to calibrate or warm.
      if (side.processPerCall) {
        side.callsPerSample = 1;
        side.perCallEstimate = coldNs;
        side.steadyPairs++;
      } else {
        if (options.first) await calibrate(side, child, deadline);
        if (await warmUp(side, child, deadline, 300)) side.steadyPairs++;
      }
      side.pairs++;
      const warmNs: number[] = [];
      for (let i = 0; i < options.samples && deadline.left() > 0; i++)
        warmNs.push(await sample(side, child, deadline));
      if (warmNs.length === 0) warmNs.push(await sample(side, child, deadline));
      side.perCallNs.push(...warmNs);
      let memoryKb: number | null = null;
      if (options.memory) {
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
