import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two test files at once. Tests that run real children assert only what holds at any load
    // (the suite passes with two busy-loop neighbours), so a second file is a neighbour they
    // tolerate; most files wait on children, git and Node 24 much of the time.
    fileParallelism: true,
    maxWorkers: 2,
    // Also a JSON result, from which .ci/run prints the plain 'N passed, N failed' line.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
