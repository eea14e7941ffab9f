import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Measurements are timing-sensitive: never run two test files at once on a 2-core runner.
    fileParallelism: false,
    reporters: ['default'],
  },
});
