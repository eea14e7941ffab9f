/**
 * One version measured alone: a new tool has no base to compare against, so its figures are
 * absolute. Each run is a fresh process: its first call is timed as the cold time, then the
 * batch is calibrated, warmed up and sampled (warm time), then memory is taken in a separate
 * pass. Several test inputs are rotated through the runs, one input per run.
 */
import { median } from './stats.js';
import type {
  Json,
  NetworkEvent,
  SandboxMode,
  ToolError,
  ToolVersion,
  VersionProfile,
} from '../domain/types.js';
import { cleanup } from './launch.js';
import { freshRun } from './fresh-run.js';
import { Deadline, newSides } from './protocol.js';
import type { MeasureTuning } from './tuning.js';

export interface ProfileOptions {
  /** Wall-time budget, ms. */
  readonly budgetMs: number;
  /** The OS sandbox around the children; default `auto`. */
  readonly sandbox?: SandboxMode | undefined;
  /** Fresh processes to run (default: 3, at least one per input up to 6). */
  readonly runs?: number;
  /** The measurement's tuning knobs (tuning.ts); default: the documented protocol. */
  readonly tuning?: MeasureTuning | undefined;
}

const SAMPLES_PER_RUN = 5;

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
  const sides = await newSides(
    list.map((input) => ['new', { ...version, testInput: input }] as const),
    { sandbox: options.sandbox, tuning: options.tuning },
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
      const result = await freshRun(side, deadline, {
        first: !seen.has(k),
        samples: side.processPerCall ? 2 : SAMPLES_PER_RUN,
        memory: !seen.has(k),
      });
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
