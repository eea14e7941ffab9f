/**
 * The real engines behind the gate's ports, built once per run from the config. Shared by the
 * Action entry and `perf-verdict gate`, so both run the same measurement, analysis and judge.
 */
import { createAnalyzer } from '../analyze/index.js';
import type { Config } from '../core/config.js';
import { diffAnalyses } from '../core/analysis-diff.js';
import type { Clock, Log } from '../core/ports.js';
import { createJudge } from '../judge/index.js';
import { createMeasurer } from '../measure/index.js';
import type { GatePorts } from '../run.js';

export const systemClock: Clock = { now: () => new Date() };

export function createEngines(
  config: Config,
  log: Log,
): Pick<GatePorts, 'measurer' | 'analyzer' | 'judge' | 'diffAnalyses' | 'clock' | 'monotonicMs'> & {
  readonly judge: NonNullable<GatePorts['judge']>;
} {
  return {
    measurer: createMeasurer(),
    analyzer: createAnalyzer(),
    judge: createJudge(config.ollama.host === null ? null : config.ollama, {
      clock: systemClock,
      log,
    }),
    diffAnalyses,
    clock: systemClock,
    monotonicMs: () => performance.now(),
  };
}
