import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = `${ROOT}dist/cli/index.js`;

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON, or undefined when it is not JSON. */
  readonly json: any;
}

/** Run the bundled CLI as a user would: a real node child, JSON on stdin. */
export function runBuiltCli(
  args: readonly string[],
  stdin = '',
  options: { env?: NodeJS.ProcessEnv; cwd?: string; node?: string; timeoutMs?: number } = {},
): CliRun {
  const result = spawnSync(options.node ?? process.execPath, [CLI, ...args], {
    input: stdin,
    encoding: 'utf8',
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    json: parseJson(result.stdout),
  };
}

/** `text` parsed as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
