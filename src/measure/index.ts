/**
 * The measurement engine's public face: a Measurer for the gate, the guide's benchmark view and
 * the standalone script generator.
 */
import type { Measurer } from '../domain/ports.js';
import { compareTool } from './compare.js';
import { profileVersion } from './single.js';

export { benchmarkTool } from './benchmark.js';
export type { BenchmarkResult } from './benchmark.js';
export { generateScript } from './script.js';
export { profileVersion } from './single.js';
export { describeOutputs } from './outputs.js';
export { describeGrowth } from './growth.js';
export { describeInputUsed } from './compare.js';

export function createMeasurer(): Measurer {
  return { compare: compareTool, profile: profileVersion };
}
