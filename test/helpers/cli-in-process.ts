import { runCli } from '../../src/cli/router.js';
import { parseJson, ROOT } from './cli.js';
import type { CliRun } from './cli.js';

/**
 * Run the CLI router in this process, with the same inputs and the same result shape as
 * `runBuiltCli`: for tests of what a command answers, where spawning the bundle is not what is
 * tested (each spawn of the bundle costs seconds of start-up on a loaded runner). Every command
 * keeps one smoke test through `dist/` (`runBuiltCli`).
 */
export async function runCliInProcess(
  args: readonly string[],
  stdin = '',
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    readStdin: () => Promise.resolve(stdin),
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: options.env ?? process.env,
    cwd: options.cwd ?? ROOT,
  });
  return { code, stdout, stderr, json: parseJson(stdout) };
}
