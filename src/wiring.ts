/**
 * The composition root: the one place that builds the real engines and adapters behind the ports
 * of src/domain/ports.ts. Both entries — the Action (src/action) and the CLI (src/cli) — take their
 * measurer, analyser, judge, repository and profiler wiring from here, so they run the same code.
 * Tests build their own ports from fakes instead.
 */
import { systemClock } from './adapters/clock.js';
import { openRepo } from './adapters/git.js';
import { createAnalyzer } from './analyze/index.js';
import { z } from 'zod';
import { parseWith } from './config/config.js';
import type { OllamaConfig } from './config/config.js';
import type { Judge, Log } from './domain/ports.js';
import { createJudge } from './judge/index.js';
import {
  benchmarkTool,
  createMeasurer,
  DEFAULT_TUNING,
  GC_POLICIES,
  generateScript,
} from './measure/index.js';
import type { MeasureTuning } from './measure/index.js';
import type { ProfilePorts } from './profile/index.js';
import type { RegistryStore } from './registry/store.js';
import type { GatePorts } from './run.js';

export { openRepo };

/** What the engines need from the configuration and the environment. */
export interface EngineConfig {
  readonly ollama: OllamaConfig;
  /** The measurement's tuning knobs (`measureTuning`). */
  readonly tuning: MeasureTuning;
}

/** A knob's variable: one of `values`; unset or empty: the protocol's value. */
const knob = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z
    .preprocess(
      (v) => (v === '' ? undefined : v),
      z.enum(values, { error: `one of ${values.join(', ')}` }).optional(),
    )
    .transform((v) => v ?? fallback);

const onOff = (on: boolean): 'on' | 'off' => (on ? 'on' : 'off');

/** The environment variables of the tuning knobs (docs/measurement.md, "Tuning knobs"). */
const TUNING_ENV = z
  .object({
    PERF_VERDICT_PIN: knob(['on', 'off'], onOff(DEFAULT_TUNING.pin)),
    PERF_VERDICT_ASLR: knob(['on', 'off'], DEFAULT_TUNING.aslr),
    PERF_VERDICT_TIMER: knob(['auto', 'wall'], DEFAULT_TUNING.timer),
    PERF_VERDICT_MAGLEV: knob(['on', 'off'], onOff(DEFAULT_TUNING.maglev)),
    PERF_VERDICT_GC: knob(GC_POLICIES, DEFAULT_TUNING.gc),
    PERF_VERDICT_OBSERVE: knob(['on', 'off'], onOff(DEFAULT_TUNING.observe)),
  })
  .transform((env): MeasureTuning => ({
    pin: env.PERF_VERDICT_PIN === 'on',
    aslr: env.PERF_VERDICT_ASLR,
    timer: env.PERF_VERDICT_TIMER,
    maglev: env.PERF_VERDICT_MAGLEV === 'on',
    gc: env.PERF_VERDICT_GC,
    observe: env.PERF_VERDICT_OBSERVE === 'on',
  }));

/**
 * The measurement's tuning knobs from the environment the entry was started with: the one place
 * they are read (bench comparisons set them; unset, the protocol of docs/measurement.md). A value
 * outside a knob's set is a ConfigError naming the variable.
 */
export function measureTuning(env: Readonly<Record<string, string | undefined>>): MeasureTuning {
  return Object.freeze(parseWith(TUNING_ENV, env, ''));
}

/** The engines' configuration: the judge's settings of `config`, the tuning knobs of `env`. */
export function engineConfig(
  config: Pick<EngineConfig, 'ollama'>,
  env: Readonly<Record<string, string | undefined>>,
): EngineConfig {
  return { ollama: config.ollama, tuning: measureTuning(env) };
}

/** The real engines: the measurer, the analyser, the judge (rules or Ollama), clocks. */
export function createEngines(
  config: EngineConfig,
  log: Log,
): Omit<GatePorts, 'repo' | 'log' | 'judge'> & { readonly judge: Judge } {
  return {
    measurer: createMeasurer(config.tuning),
    analyzer: createAnalyzer(),
    judge: createJudge(config.ollama, { clock: systemClock, log }),
    clock: systemClock,
    monotonicMs: () => performance.now(),
  };
}

/**
 * The gate's ports over the git repository in `dir`. Without a judge (`judge: false`) the gate
 * measures and analyses only: the Action's `measure` mode.
 */
export function gatePorts(
  config: EngineConfig,
  log: Log,
  dir: string,
  options: { readonly judge: boolean } = { judge: true },
): GatePorts {
  const engines = createEngines(config, log);
  return { ...engines, judge: options.judge ? engines.judge : null, repo: openRepo(dir), log };
}

/** The profiler's ports (`profile`, and the Action's `record` mode) over a registry. */
export function profilePorts(
  config: EngineConfig,
  log: Log,
  registry: RegistryStore,
): ProfilePorts {
  const engines = createEngines(config, log);
  return {
    benchmark: (version, options) => benchmarkTool(version, { ...options, tuning: config.tuning }),
    measurer: engines.measurer,
    analyzer: engines.analyzer,
    judge: engines.judge,
    registry,
    clock: engines.clock,
    testScript: generateScript,
  };
}
