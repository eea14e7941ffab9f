/**
 * The measurement engine's public face: a Measurer for the gate, the guide's benchmark view and
 * the standalone script generator.
 */
import type { Measurer } from '../domain/ports.js';
import { compareTool } from './compare.js';
import { profileVersion } from './single.js';
import { DEFAULT_TUNING } from './tuning.js';
import type { MeasureTuning } from './tuning.js';

export { benchmarkTool } from './benchmark.js';
export type { BenchmarkResult } from './benchmark.js';
export { generateScript } from './script.js';
export { profileVersion } from './single.js';
export { describeOutputs } from './outputs.js';
export { describeGrowth } from './growth.js';
export { describeInputUsed } from './compare.js';
export { DEFAULT_TUNING, GC_POLICIES } from './tuning.js';
export type { MeasureTuning } from './tuning.js';

/** The Measurer port, every measurement under `tuning` (the composition root's, src/wiring.ts). */
export function createMeasurer(tuning: MeasureTuning = DEFAULT_TUNING): Measurer {
  return {
    compare: (oldVersion, newVersion, options) =>
      compareTool(oldVersion, newVersion, options, tuning),
    profile: (version, inputs, options) => profileVersion(version, inputs, { ...options, tuning }),
  };
}
