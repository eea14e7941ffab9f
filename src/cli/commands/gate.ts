import { accessSync, constants, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseConfigFile } from '../../adapters/config-file.js';
import type { Config } from '../../config/config.js';
import { PerfVerdictError } from '../../domain/errors.js';
import { commandSafe } from '../../report/escape.js';
import { Redactor, runSecrets } from '../../report/redact.js';
import type { Log } from '../../domain/ports.js';
import { renderSummary, renderTerminal } from '../../report/render.js';
import type { GateReport } from '../../report/model.js';
import { reachesFailOn } from '../../report/model.js';
import { run } from '../../run.js';
import { engineConfig, gatePorts } from '../../wiring.js';
import type { Command, ExitCode } from '../command.js';
import { createTerminalProgress } from '../progress.js';
import { parseFlags } from '../command.js';
import { FLAGS, JUDGE_FLAGS, MEASURE_FLAGS, runConfig } from '../flags.js';
import type { Flag } from '../flags.js';

const GATE_FLAGS: readonly Flag[] = [
  FLAGS.base,
  FLAGS.head,
  FLAGS.repo,
  FLAGS.json,
  FLAGS.markdown,
  FLAGS.config,
  FLAGS.title,
  FLAGS.body,
  FLAGS.tools,
  ...MEASURE_FLAGS,
  FLAGS.totalBudget,
  FLAGS.failOn,
  FLAGS.securityFailOn,
  FLAGS.definitions,
  ...JUDGE_FLAGS,
];

/** The configuration file of the repository (optional unless --config names it), under the flags. */
function loadConfig(repoDir: string, flags: Readonly<Record<string, string>>): Config {
  const file = flags['config'];
  const fileName = file ?? '.perf-verdict.yml';
  const path = isAbsolute(fileName) ? fileName : join(repoDir, fileName);
  const data = parseConfigFile(existsSync(path) ? readFileSync(path, 'utf8') : null, {
    fileName,
    from: fileName,
    given: file === undefined ? null : '--config',
  });
  return runConfig(flags, GATE_FLAGS, { file: data, fileName });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** An error naming the option unless `path` is a file the gate can write at the end. */
function writableFile(path: string, flag: string): void {
  const dir = dirname(path);
  const fail = (why: string): never => {
    throw new PerfVerdictError(
      'invalid_input',
      `option '--${flag}': cannot write '${path}': ${why}`,
      flag,
    );
  };
  if (isDirectory(path)) fail('it is a folder; give a file name');
  if (!isDirectory(dir)) fail(`folder '${dir}' does not exist; create it first or write elsewhere`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    fail(`folder '${dir}' is not writable; write elsewhere`);
  }
}

/**
 * Exit code of a gate verdict: 1 when it reaches `fail-on` (REJECT by default), 2 for a REVIEW or
 * REJECT that does not (a human looks), 0 for ACCEPT or no tool changed.
 */
function exitCodeOf(report: GateReport, failOn: Config['failOn']): ExitCode {
  if (reachesFailOn(report.verdict, failOn)) return 1;
  return report.verdict === 'ACCEPT' || report.verdict === 'NONE' ? 0 : 2;
}

export const gateCommand: Command = {
  name: 'gate',
  summary: 'Run the pull-request gate in any git repository and print the table.',
  help: `perf-verdict gate --base REF [options]

Finds the tools changed between merge-base(BASE, HEAD) and HEAD, measures each base/head pair
side by side, analyses and judges them, and prints the PR table (progress goes to stderr).
The PR's title and body (--title, --body) are claims for every changed tool, with the messages
of the commits in merge-base..HEAD that touch it. A setting flag wins over .perf-verdict.yml.
exit: 0 ACCEPT or no tool changed, 1 a verdict that reaches fail-on (REJECT by default) or an
error, 2 another REVIEW or REJECT.`,
  flags: GATE_FLAGS,
  async run(args, io) {
    const { flags } = parseFlags(args, GATE_FLAGS);
    const base = flags['base'];
    if (base === undefined || base === '')
      throw new PerfVerdictError(
        'invalid_input',
        "option '--base' is required (the PR's base branch or commit)",
        'base',
      );
    const repoDir = resolve(io.cwd, flags['repo'] ?? '.');
    if (!isDirectory(repoDir))
      throw new PerfVerdictError(
        'invalid_input',
        `option '--repo': '${flags['repo'] ?? '.'}' is not a folder (${repoDir}); give the folder of a git clone, or leave it out to use the current directory`,
        'repo',
      );
    // Where the results go is checked before anything is measured, not after.
    for (const flag of ['json', 'markdown'] as const) {
      const file = flags[flag];
      if (file !== undefined) writableFile(resolve(io.cwd, file), flag);
    }
    const config = loadConfig(repoDir, flags);
    // The environment's tokens (GITHUB_TOKEN, …) and token shapes never reach the outputs.
    const redactor = new Redactor(runSecrets(io.env));
    const say = (m: string): string => commandSafe(redactor.text(m));
    const progress = createTerminalProgress({
      write: (text) => io.stderr(redactor.text(text)),
      isTTY: io.stderrIsTTY === true,
      now: () => performance.now(),
      log: {
        debug: () => {},
        info: (m) => io.stderr(`${say(m)}\n`),
        warn: (m) => io.stderr(`warning: ${say(m)}\n`),
        error: (m) => io.stderr(`error: ${say(m)}\n`),
      },
    });
    const log: Log = progress.log;
    const measured = await run(
      config,
      {
        mode: 'gate',
        baseRef: base,
        headRef: flags['head'] ?? 'HEAD',
        repository: null,
        pullRequest: null,
        prTitle: flags['title'],
        prBody: flags['body'],
      },
      { ...gatePorts(engineConfig(config, io.env), log, repoDir), progress },
    ).finally(() => progress.stop());
    const report = redactor.deep(measured);
    if (flags['json'] !== undefined)
      writeFileSync(resolve(io.cwd, flags['json']), `${JSON.stringify(report, null, 2)}\n`);
    if (flags['markdown'] !== undefined)
      writeFileSync(resolve(io.cwd, flags['markdown']), renderSummary(report, {}));
    return { output: renderTerminal(report), exitCode: exitCodeOf(report, config.failOn) };
  },
};
