/**
 * The composition root: the one place that builds the real engines and adapters behind the ports
 * of src/domain/ports.ts. Both entries — the Action (src/action) and the CLI (src/cli) — take their
 * measurer, analyser, judge, repository and profiler wiring from here, so they run the same code.
 * Tests build their own ports from fakes instead.
 */
import { systemClock } from './adapters/clock.js';
import { openRepo } from './adapters/git.js';
import { createAnalyzer } from './analyze/index.js';
import type { OllamaConfig } from './config/config.js';
import type { Judge, Log } from './domain/ports.js';
import { createJudge } from './judge/index.js';
import { benchmarkTool, createMeasurer, generateScript } from './measure/index.js';
import type { ProfilePorts } from './profile/index.js';
import type { RegistryStore } from './registry/store.js';
import type { GatePorts } from './run.js';

export { openRepo };

/** What the engines need from the configuration. */
export interface EngineConfig {
  readonly ollama: OllamaConfig;
}

/** The real engines: the measurer, the analyser, the judge (rules or Ollama), clocks. */
export function createEngines(
  config: EngineConfig,
  log: Log,
): Omit<GatePorts, 'repo' | 'log' | 'judge'> & { readonly judge: Judge } {
  return {
    measurer: createMeasurer(),
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
    benchmark: (version, options) => benchmarkTool(version, options),
    measurer: engines.measurer,
    analyzer: engines.analyzer,
    judge: engines.judge,
    registry,
    clock: engines.clock,
    testScript: generateScript,
  };
}
