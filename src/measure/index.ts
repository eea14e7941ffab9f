/**
 * The measurement engine's public face: a Measurer for the gate, the guide's benchmark view and
 * the standalone script generator.
 */
import type { Measurer } from '../core/ports.js';
import { comparePair } from './protocol.js';

export { benchmarkTool } from './benchmark.js';
export type { BenchmarkResult, BenchmarkStatistics, RunMetrics } from './benchmark.js';
export { generateScript } from './script.js';

export function createMeasurer(): Measurer {
  return { compare: comparePair };
}
