import { execFileSync } from 'node:child_process';

let cached: string | undefined;

/** Path of a Node 24 binary (the GitHub Actions runtime), from the npm package `node@24`. */
export function node24(): string {
  cached ??= execFileSync('npx', ['-y', '-p', 'node@24', 'node', '-p', 'process.execPath'], {
    encoding: 'utf8',
    timeout: 120_000,
  }).trim();
  return cached;
}
