import { accessSync, constants, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseConfigFile } from '../../adapters/config-file.js';
import { parseConfig } from '../../config/config.js';
import type { Config } from '../../config/config.js';
import { PerfVerdictError } from '../../domain/errors.js';
import { commandSafe } from '../../report/escape.js';
import { Redactor, runSecrets } from '../../report/redact.js';
import type { Log } from '../../domain/ports.js';
import { renderSummary, renderTerminal } from '../../report/render.js';
import type { GateReport } from '../../report/model.js';
import { run } from '../../run.js';
import { gatePorts } from '../../wiring.js';
import type { Command, ExitCode } from '../command.js';
import { createTerminalProgress } from '../progress.js';
import { parseFlags } from '../command.js';

const GATE_FLAGS = [
  'base',
  'head',
  'repo',
  'json',
  'markdown',
  'config',
  'budget',
  'sandbox',
  'title',
  'body',
  'intent',
  'max-slowdown',
] as const;

function loadConfig(
  repoDir: string,
  file: string | undefined,
  budget: string | undefined,
  sandbox: string | undefined,
  knobs: {
    readonly intent?: string | undefined;
    readonly 'max-slowdown'?: string | undefined;
  } = {},
): Config {
  const fileName = file ?? '.perf-verdict.yml';
  const path = isAbsolute(fileName) ? fileName : join(repoDir, fileName);
  const data = parseConfigFile(existsSync(path) ? readFileSync(path, 'utf8') : null, {
    fileName,
    from: fileName,
    given: file === undefined ? null : '--config',
  });
  return parseConfig({
    file: data,
    fileName,
    inputs: {
      ...(budget === undefined ? {} : { 'time-budget-seconds': budget }),
      ...(sandbox === undefined ? {} : { sandbox }),
      ...(knobs.intent === undefined ? {} : { intent: knobs.intent }),
      ...(knobs['max-slowdown'] === undefined ? {} : { 'max-slowdown': knobs['max-slowdown'] }),
    },
  });
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

/** Exit code of a gate verdict: 0 ACCEPT or nothing changed, 2 REVIEW, 1 REJECT. */
function exitCodeOf(report: GateReport): ExitCode {
  switch (report.verdict) {
    case 'REJECT':
      return 1;
    case 'REVIEW':
    case null:
      return 2;
    case 'ACCEPT':
    case 'NONE':
      return 0;
  }
}

export const gateCommand: Command = {
  name: 'gate',
  summary: 'Run the pull-request gate in any git repository and print the table.',
  help: `perf-verdict gate --base REF [--head REF] [--repo DIR] [--json FILE] [--markdown FILE] [--config FILE] [--budget SECONDS] [--sandbox auto|required|off] [--title TEXT] [--body TEXT] [--intent auto|optimization|feature|off] [--max-slowdown PCT]

Finds the tools changed between merge-base(BASE, HEAD) and HEAD, measures each base/head pair
side by side, analyses and judges them, and prints the PR table (progress goes to stderr).
  --head      default HEAD
  --repo      default the current directory
  --json      write the versioned JSON report to FILE
  --markdown  write the PR comment / job summary markdown to FILE
  --config    default .perf-verdict.yml in the repository (optional)
  --budget    measurement budget per tool in seconds (time-budget-seconds)
  --sandbox   the OS sandbox around tool code (sandbox): auto (default; unsandboxed where it
              cannot be had, and the headline says so), required, off
  --title, --body  the PR's title and body: claims for every changed tool (untrusted; with the
              messages of the commits in merge-base..HEAD that touch the tool)
  --intent    auto (default), optimization, feature, off (intent)
  --max-slowdown  e.g. 25%: a measured slowdown beyond it is REJECT without a trusted justification
exit: 0 ACCEPT or no tool changed, 2 REVIEW, 1 REJECT or error.`,
  async run(args, io) {
    const { flags, positional } = parseFlags(args, GATE_FLAGS);
    if (positional.length > 0)
      throw new PerfVerdictError('invalid_input', `unexpected argument '${positional[0] ?? ''}'`);
    const base = flags['base'];
    if (base === undefined || base === '')
      throw new PerfVerdictError(
        'invalid_input',
        "option '--base' is required (the PR's base branch or commit)",
        'base',
      );
    const budget = flags['budget'];
    if (budget !== undefined && !(Number(budget) > 0 && Number.isFinite(Number(budget))))
      throw new PerfVerdictError(
        'invalid_input',
        `option '--budget' must be a positive number of seconds but got '${budget}'`,
        'budget',
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
    const config = loadConfig(repoDir, flags['config'], flags['budget'], flags['sandbox'], {
      intent: flags['intent'],
      'max-slowdown': flags['max-slowdown'],
    });
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
      { ...gatePorts(config, log, repoDir), progress },
    ).finally(() => progress.stop());
    const report = redactor.deep(measured);
    if (flags['json'] !== undefined)
      writeFileSync(resolve(io.cwd, flags['json']), `${JSON.stringify(report, null, 2)}\n`);
    if (flags['markdown'] !== undefined)
      writeFileSync(resolve(io.cwd, flags['markdown']), renderSummary(report, {}));
    return { output: renderTerminal(report), exitCode: exitCodeOf(report) };
  },
};
