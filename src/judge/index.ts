/**
 * The judge engine: `createJudge(config.ollama)` gives the Ollama judge when a host is
 * configured, else the rules judge. Either way `evaluate` resolves with a verdict.
 */
import type { OllamaConfig } from '../config/config.js';
import type { Clock, Judge, Log } from '../domain/ports.js';
import { createOllamaJudge } from './ollama.js';
import type { OllamaJudgeConfig } from './ollama.js';
import { createRulesJudge } from './rules.js';

export { rulesJudge, createRulesJudge } from './rules.js';
export { GENERATION, KEEP_ALIVE } from './ollama.js';
export type { OllamaJudgeConfig } from './ollama.js';
export { assess } from './assess.js';
export interface JudgeDeps {
  readonly clock?: Clock | undefined;
  readonly log?: Log | undefined;
  readonly fetch?: typeof fetch | undefined;
  /** Stream the model's reply when the timeout budget exceeds this, ms. */
  readonly streamAboveMs?: number | undefined;
  /** Monotonic milliseconds, for latencies. */
  readonly monotonicMs?: (() => number) | undefined;
}

/** The judge for a configuration: null or no host → rules only. */
export function createJudge(
  ollama: (Omit<OllamaJudgeConfig, 'host'> & Pick<OllamaConfig, 'host'>) | null,
  deps: JudgeDeps = {},
): Judge {
  if (ollama === null || ollama.host === null) return createRulesJudge(deps.clock);
  return createOllamaJudge({ ...ollama, host: ollama.host }, deps);
}
