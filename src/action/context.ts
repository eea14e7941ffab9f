/**
 * What every mode of the Action shares with the runner: the log, the redaction of the run's
 * secrets, the job summary and the run's URL and links.
 */
import * as core from '@actions/core';
import { errorMessage } from '../domain/errors.js';
import { commandSafe } from '../report/escape.js';
import type { Log, Progress } from '../domain/ports.js';
import { Redactor, runSecrets } from '../report/redact.js';
import type { RenderLinks } from '../report/render.js';

export type Env = Readonly<Record<string, string | undefined>>;

function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
}

/** One collapsible log group per tool: `tool 3 of 10: <id> (12 s elapsed, ~40 s left)`. */
export const actionProgress: Progress = {
  startTool: (p) =>
    core.startGroup(
      commandSafe(
        `perf-verdict: tool ${p.index} of ${p.total}: ${p.id} (${seconds(p.elapsedMs)} elapsed, ~${seconds(p.leftMs)} left)`,
      ),
    ),
  endTool: (p) => {
    core.info(
      commandSafe(
        `${p.id}: ${p.outcome} in ${seconds(p.toolMs)}; ${p.total - p.index} to go, ~${seconds(p.leftMs)} left`,
      ),
    );
    core.endGroup();
  },
};

/** The run's secrets, redacted from everything the Action publishes (set by `startRedaction`). */
let redactor = new Redactor([]);

/**
 * Learn the run's secrets (token inputs, the runner's tokens, Ollama header values), mask them in
 * the runner's log (`core.setSecret`) and redact them — and every token-shaped string — from
 * every log line, summary, report file, output and GitHub request body from here on.
 */
export function startRedaction(env: Env): Redactor {
  redactor = new Redactor(runSecrets(env));
  for (const secret of redactor.secrets) core.setSecret(secret);
  return redactor;
}

export function redacting(): Redactor {
  return redactor;
}

// info/debug lines are written raw: keep PR-controlled text (tool ids) from forming a command.
export const actionLog: Log = {
  debug: (m) => core.debug(commandSafe(redactor.text(m))),
  info: (m) => core.info(commandSafe(redactor.text(m))),
  warn: (m) => core.warning(redactor.text(m)),
  error: (m) => core.error(redactor.text(m)),
};

export async function writeSummary(markdown: string, env: Env): Promise<void> {
  // Outside a runner (no GITHUB_STEP_SUMMARY) there is nowhere to write it: not an error.
  if (!env['GITHUB_STEP_SUMMARY']) return;
  try {
    await core.summary.addRaw(redactor.text(markdown), true).write();
  } catch (error) {
    core.warning(`could not write the job summary: ${errorMessage(error)}`);
  }
}

export function runUrlOf(env: Env): string | null {
  const server = env['GITHUB_SERVER_URL'];
  const repo = env['GITHUB_REPOSITORY'];
  const id = env['GITHUB_RUN_ID'];
  return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : null;
}

/**
 * Server, repository and run id for the renderers' links (they never read the environment), and
 * the perf-verdict that runs: the runner's GITHUB_ACTION_REPOSITORY and GITHUB_ACTION_REF, or for
 * `uses: ./` (no action repository) this repository at the commit the workflow runs.
 */
export function linksOf(env: Env): RenderLinks | null {
  const serverUrl = env['GITHUB_SERVER_URL'];
  const repository = env['GITHUB_REPOSITORY'];
  if (!serverUrl || !repository) return null;
  const actionRepository = env['GITHUB_ACTION_REPOSITORY'];
  const action = actionRepository
    ? { repository: actionRepository, ref: env['GITHUB_ACTION_REF'] ?? '' }
    : { repository, ref: env['GITHUB_SHA'] ?? '' };
  return { serverUrl, repository, runId: env['GITHUB_RUN_ID'] || null, action };
}
