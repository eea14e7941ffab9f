/** The rules judge: the embedded default when no Ollama is configured, and every fallback. */
import { systemClock } from '../adapters/clock.js';
import type { Clock, Judge } from '../domain/ports.js';
import { assess, rulesEvaluation } from './assess.js';

/** A rules judge reading the time from `clock`. */
export function createRulesJudge(clock: Clock = systemClock): Judge {
  return {
    evaluate(input) {
      return Promise.resolve(rulesEvaluation(assess(input), clock.now()));
    },
    run() {
      return {
        kind: 'rules',
        model: null,
        digest: null,
        details: null,
        pull_ms: null,
        load_ms: null,
        unavailable: null,
      };
    },
  };
}

export const rulesJudge: Judge = createRulesJudge();
