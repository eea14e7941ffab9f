import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Measurements are timing-sensitive: never run two test files at once on a 2-core runner.
    fileParallelism: false,
    // In CI also write a JSON result, from which .ci/run prints the plain 'N passed, N failed' line.
    reporters: process.env['CI']
      ? ['default', ['json', { outputFile: '.vitest-results.json' }]]
      : ['default'],
  },
});
