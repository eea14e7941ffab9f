/**
 * The Action's entry: read the inputs, the event (once, validated) and the config, build the
 * GitHub client (once, on first use) and the pipeline, run the mode's entry, and end the step
 * with its outcome. Every failure ends as one `::error::` line via setFailed, never a stack trace;
 * the job summary is always written.
 */
import { createGitHub } from '../adapters/github.js';
import type { GitHubPort } from '../adapters/github.js';
import type { Config } from '../config/config.js';
import { errorMessage, PerfVerdictError } from '../domain/errors.js';
import { loadConfig } from './config.js';
import { actionLog, linksOf, redacting, runUrlOf, startRedaction } from './context.js';
import type { Env } from './context.js';
import { missingEvent, readEvent } from './event.js';
import { readInputs } from './inputs.js';
import { workspacePipeline } from './mode.js';
import type { ModeEntry } from './mode.js';
import { fullMode } from './modes/full.js';
import { measureMode } from './modes/measure.js';
import { recordMode } from './modes/record.js';
import { reportMode } from './modes/report.js';
import { endStep, outcome } from './outcome.js';
import type { Outcome } from './outcome.js';

/** The entry of each mode (`mode` input). */
const MODES: Readonly<Record<Config['mode'], ModeEntry>> = {
  full: fullMode,
  measure: measureMode,
  report: reportMode,
  record: recordMode,
};

function githubClient(env: Env, token: string, repository: string): () => GitHubPort {
  let client: GitHubPort | undefined;
  return () => {
    if (token === '')
      throw new PerfVerdictError(
        'github',
        "input 'github-token' is empty: publishing needs a token",
      );
    return (client ??= createGitHub({
      token,
      baseUrl: (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, ''),
      repository,
      log: actionLog,
      redact: (value) => redacting().deep(value),
    }));
  };
}

async function runMode(env: Env, cwd: string): Promise<Outcome> {
  const inputs = readInputs(env);
  const event = readEvent(env);
  const config = await loadConfig(inputs, event, cwd);
  if (event === null) throw missingEvent(env);
  const repository = env['GITHUB_REPOSITORY'] || event.repository || '';
  return MODES[config.mode]({
    config,
    event,
    repository,
    cwd,
    runUrl: runUrlOf(env),
    links: linksOf(env),
    github: githubClient(env, inputs['github-token'] ?? '', repository),
    pipeline: workspacePipeline(config, cwd, env),
    log: actionLog,
  });
}

export async function main(env: Env, cwd: string): Promise<void> {
  const redactor = startRedaction(env);
  try {
    await endStep(await runMode(env, cwd), env, cwd);
  } catch (error) {
    const message = redactor.text(
      error instanceof PerfVerdictError ? error.message : `internal error: ${errorMessage(error)}`,
    );
    const failed = outcome({
      summary: `## perf-verdict: error\n\n${message.replace(/[<>@`]/g, ' ')}\n`,
      failure: message.replace(/\r?\n/g, ' '),
    });
    await endStep(failed, env, cwd);
  }
}
