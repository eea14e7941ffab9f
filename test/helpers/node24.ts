import { execFileSync } from 'node:child_process';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the Node 24 binary, found once by test/global-setup.ts. */
    node24: string;
  }
}

let cached: string | undefined;

/** Path of a Node 24 binary (the GitHub Actions runtime), from the npm package `node@24`. */
export function findNode24(): string {
  return execFileSync('npx', ['-y', '-p', 'node@24', 'node', '-p', 'process.execPath'], {
    encoding: 'utf8',
    timeout: 120_000,
  }).trim();
}

/** The Node 24 binary for this test run: found once for all test files (test/global-setup.ts). */
export function node24(): string {
  cached ??= inject('node24') || findNode24();
  return cached;
}
