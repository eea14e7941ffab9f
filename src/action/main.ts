/**
 * The Action entry's logic: read inputs and the event, build the config and the ports, run the
 * pipeline for the mode, publish, and set outputs. Every failure ends as one `::error::` line via
 * setFailed, never a stack trace; the job summary is always written.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { parseConfigFile } from '../adapters/config-file.js';
import { createGitHub } from '../adapters/github.js';
import type { GitHubPort, PullRequestInfo } from '../adapters/github.js';
import { resolveConfig } from '../config/config.js';
import type { Config } from '../config/config.js';
import { errorFirstLine, errorMessage, PerfVerdictError } from '../domain/errors.js';
import { renderSummary } from '../report/render.js';
import type { GateReport } from '../report/model.js';
import { reachesFailOn } from '../report/model.js';
import { judgeArtifact, run, withOverride } from '../run.js';
import { createEngines, gatePorts, openRepo } from '../wiring.js';
import {
  redacting,
  startRedaction,
  actionLog,
  actionProgress,
  at,
  readEvent,
  linksOf,
  runUrlOf,
  text,
  writeOutputFile,
  writeSummary,
} from './context.js';
import type { Env } from './context.js';
import { loadArtifacts } from './artifacts.js';
import { recordMode } from './record.js';
import { readInputs } from './inputs.js';
import { ACCEPT_COMMAND, findOverride, findPublished, publish } from './publish.js';

/**
 * The configuration file's text, from where the PR author cannot rewrite it. On a pull-request
 * event the workspace holds the PR head (or its merge commit): a PR that edits
 * `.perf-verdict.yml` (say `fail-on: never`, or `tools:` matching nothing) must not configure its
 * own gate, so the file is read from the PR's base commit. actions/checkout's default is a
 * depth-1 clone of the merge commit, which lacks the base: the history is deepened FIRST, and a
 * base that is still unreadable is an error — a gate that silently changes its own policy is
 * worse than a red one. Other events (push, workflow_run, issue_comment) check out a trusted
 * branch.
 */
async function configText(
  env: Env,
  cwd: string,
  fileName: string,
): Promise<{ text: string | null; from: string }> {
  const eventPath = env['GITHUB_EVENT_PATH'];
  const payload =
    eventPath !== undefined && eventPath !== '' && existsSync(eventPath) ? safeEvent(env) : null;
  const baseSha = payload === null ? '' : text(at(payload, 'pull_request', 'base', 'sha'));
  if (baseSha === '') {
    const path = `${cwd}/${fileName}`;
    return { text: existsSync(path) ? readFileSync(path, 'utf8') : null, from: fileName };
  }
  const repo = openRepo(cwd);
  await repo.ensureHistory();
  let tree;
  try {
    tree = await repo.tree(await repo.resolve(baseSha));
  } catch (error) {
    throw new PerfVerdictError(
      'config',
      `cannot read ${fileName} at the PR base ${baseSha.slice(0, 12)}: the commit is not in the clone even after deepening it (${errorFirstLine(error)}); set \`fetch-depth: 0\` on actions/checkout`,
      fileName,
    );
  }
  return {
    text: await tree.read(fileName),
    from: `${fileName} at the PR base ${baseSha.slice(0, 12)}`,
  };
}

function safeEvent(env: Env): Record<string, unknown> | null {
  try {
    return readEvent(env);
  } catch {
    return null;
  }
}

async function loadConfig(env: Env, cwd: string): Promise<Config> {
  const inputs = readInputs(env);
  const given = inputs['config'] ?? '';
  const fileName = given === '' ? '.perf-verdict.yml' : given;
  if (fileName.startsWith('/') || fileName.split(/[\\/]/).includes('..')) {
    throw new PerfVerdictError(
      'config',
      `input 'config' must be a path inside the repository but got '${fileName}'`,
      'config',
    );
  }
  const { text: source, from } = await configText(env, cwd, fileName);
  const file = parseConfigFile(source, {
    fileName,
    from,
    given: given !== '' && given !== '.perf-verdict.yml' ? "input 'config'" : null,
  });
  const { config, sources } = resolveConfig({ file, fileName, inputs });
  const fromFile = Object.entries(sources).filter(([, s]) => s === 'file');
  const fromInput = Object.entries(sources).filter(([, s]) => s === 'input');
  // Which keys the file set: on a runner, the only way to see that precedence did what was meant.
  if (safeEvent(env) !== null)
    core.info(
      `config: ${source === null ? `no ${fileName}` : from}; from the file: ${fromFile.map(([k]) => k).join(', ') || 'nothing'}; from inputs: ${fromInput.map(([k]) => k).join(', ') || 'nothing'}; the rest built-in defaults`,
    );
  return config;
}

interface PullRequestEvent {
  readonly number: number;
  readonly headSha: string;
  readonly baseSha: string;
  readonly baseRef: string;
  readonly labels: string[];
  /** The PR's title and body: claims (untrusted), never instructions. */
  readonly title: string | undefined;
  readonly body: string | undefined;
}

const optionalText = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

function pullRequestOf(payload: Record<string, unknown>, eventName: string): PullRequestEvent {
  const number = at(payload, 'pull_request', 'number');
  if (typeof number !== 'number') {
    throw new PerfVerdictError(
      'github',
      `mode full/measure runs on pull_request events, but this is '${eventName}'; for workflow_run use mode: report, for push use mode: record, locally use 'perf-verdict gate'`,
    );
  }
  const labels = at(payload, 'pull_request', 'labels');
  return {
    number,
    headSha: text(at(payload, 'pull_request', 'head', 'sha')),
    baseSha: text(at(payload, 'pull_request', 'base', 'sha')),
    baseRef: text(at(payload, 'pull_request', 'base', 'ref')),
    labels: Array.isArray(labels) ? labels.map((l) => text(at(l, 'name'))) : [],
    title: optionalText(at(payload, 'pull_request', 'title')),
    body: optionalText(at(payload, 'pull_request', 'body')),
  };
}

function writeReport(report: GateReport, env: Env, cwd: string): string {
  return writeOutputFile(report, env, cwd, 'report.json');
}

function githubFor(env: Env, token: string, repository: string): GitHubPort {
  if (token === '')
    throw new PerfVerdictError('github', "input 'github-token' is empty: publishing needs a token");
  return createGitHub({
    token,
    baseUrl: (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, ''),
    repository,
    log: actionLog,
    redact: (value) => redacting().deep(value),
  });
}

/**
 * The PR as it is now, through the API — not the event payload, which a re-run reuses. null when
 * it cannot be read (a warning; publishing then goes ahead with what the event said).
 */
async function currentPullRequest(
  github: GitHubPort,
  number: number,
): Promise<PullRequestInfo | null> {
  try {
    return await github.getPullRequest(number);
  } catch (error) {
    core.warning(
      `could not read pull request #${number} to check its head before publishing: ${(error as Error).message}`,
    );
    return null;
  }
}

/** Outputs and the step's exit for a judged report, whether or not it was published. */
function conclude(
  judged: GateReport,
  config: Config,
  reportPath: string,
  ids: { commentId: number | null; checkRunId: number | null },
): void {
  core.setOutput('verdict', judged.verdict ?? '');
  core.setOutput('score', judged.score === null ? '' : String(Math.round(judged.score)));
  core.setOutput('report', reportPath);
  core.setOutput('comment-id', ids.commentId === null ? '' : String(ids.commentId));
  core.setOutput('check-run-id', ids.checkRunId === null ? '' : String(ids.checkRunId));
  if (judged.override !== null)
    core.notice(`REJECT accepted by ${judged.override.by} (${judged.override.via})`);
  else if (reachesFailOn(judged.verdict, config.failOn)) {
    core.setFailed(
      `perf-verdict: ${judged.verdict ?? ''} reaches fail-on '${config.failOn}' (see the table in the job summary)`,
    );
  }
}

/**
 * Full, report and re-judge runs end here: check that the PR still points at the judged head,
 * look for an override, publish, write the summary and outputs, gate. When the head moved on while
 * this run worked, a newer run owns the PR's comment and check: nothing is published, the log and
 * the job summary say why, and the step's exit still follows `fail-on` for the commit it judged.
 */
async function finish(
  report: GateReport,
  pr: PullRequestInfo,
  labelActor: string | null,
  github: GitHubPort,
  config: Config,
  env: Env,
  cwd: string,
): Promise<void> {
  const runUrl = runUrlOf(env);
  const current = await currentPullRequest(github, pr.number);
  if (current !== null && current.headSha !== report.head_sha) {
    const why = `pull request #${pr.number} moved on to ${current.headSha.slice(0, 12)} while this run judged ${report.head_sha.slice(0, 12)}: nothing published (the run for the new head publishes)`;
    core.info(why);
    const reportPath = writeReport(report, env, cwd);
    await writeSummary(renderSummary(report, { runUrl, notes: [`⏭️ ${why}`] }), env);
    conclude(report, config, reportPath, { commentId: null, checkRunId: null });
    return;
  }
  // Labels as they are now: a re-run of an old event must see the label added since.
  const now: PullRequestInfo = current ?? pr;
  let judged = report;
  if (report.verdict === 'REJECT') {
    try {
      judged = withOverride(
        report,
        await findOverride(github, now, config.acceptLabel, labelActor, actionLog),
      );
    } catch (error) {
      core.warning(`could not look for an override: ${errorMessage(error)}`);
    }
  }
  const result = await publish(
    judged,
    {
      pullRequest: pr.number,
      headSha: judged.head_sha,
      comment: config.comment,
      reviewers: config.reviewers,
      runUrl,
      // NONE measured nothing: a re-run is as cheap as reading it back.
      ...(report.verdict === 'NONE' ? {} : { stored: report }),
      links: linksOf(env),
      acceptLabel: config.acceptLabel,
    },
    github,
    actionLog,
  );
  const reportPath = writeReport(judged, env, cwd);
  await writeSummary(
    renderSummary(judged, {
      runUrl,
      links: linksOf(env),
      acceptLabel: config.acceptLabel,
      notes: result.warnings.map((w) => `⚠️ ${w.replace(/\n\s*/g, ' · ')}`),
    }),
    env,
  );
  conclude(judged, config, reportPath, result);
}

/**
 * A run that only re-judges the override: `labeled` / `unlabeled` on pull_request, or a
 * `/perf-verdict accept` comment (issue_comment). The report published for the PR's current
 * head is taken from the sticky comment; nothing is measured. Returns false when there is no
 * such report (the caller measures, or says so).
 */
async function rejudge(
  github: GitHubPort,
  pr: PullRequestInfo,
  labelActor: string | null,
  config: Config,
  env: Env,
  cwd: string,
): Promise<boolean> {
  let published: GateReport | null = null;
  try {
    published = await findPublished(github, pr.number, pr.headSha);
  } catch (error) {
    core.warning(`could not read the published report: ${(error as Error).message}`);
  }
  if (published === null) return false;
  core.info(
    `a report for ${pr.headSha.slice(0, 12)} is published (${published.verdict ?? ''}): re-judging the override without measuring`,
  );
  await finish(published, pr, labelActor, github, config, env, cwd);
  return true;
}

/** issue_comment: `/perf-verdict accept` on a pull request re-judges its published report. */
async function commentMode(config: Config, env: Env, cwd: string): Promise<void> {
  const payload = readEvent(env);
  const number = at(payload, 'issue', 'number');
  const body = text(at(payload, 'comment', 'body'));
  if (typeof number !== 'number' || at(payload, 'issue', 'pull_request') === undefined) {
    core.info('the comment is not on a pull request: nothing to do');
    return;
  }
  if (!ACCEPT_COMMAND.test(body)) {
    core.info('the comment is not a /perf-verdict command: nothing to do');
    return;
  }
  const repository = env['GITHUB_REPOSITORY'] || text(at(payload, 'repository', 'full_name'));
  const github = githubFor(env, readInputs(env)['github-token'] ?? '', repository);
  const pr = await github.getPullRequest(number);
  if (!(await rejudge(github, pr, null, config, env, cwd))) {
    const why = `no perf-verdict report is published for the head ${pr.headSha.slice(0, 12)} of #${number} yet: the accept applies when the pull_request run publishes one`;
    core.info(why);
    await writeSummary(`## perf-verdict\n\n${why}\n`, env);
  }
}

async function fullOrMeasure(
  config: Config,
  env: Env,
  cwd: string,
  mode: 'full' | 'measure',
): Promise<void> {
  const eventName = env['GITHUB_EVENT_NAME'] ?? '';
  if (eventName === 'pull_request_target') {
    throw new PerfVerdictError(
      'github',
      `mode ${config.mode} runs the PR's code and must never run under pull_request_target; use mode: measure on pull_request and mode: report on workflow_run`,
    );
  }
  if (eventName === 'issue_comment' && mode === 'full') return commentMode(config, env, cwd);
  const payload = readEvent(env);
  const pr = pullRequestOf(payload, eventName);
  const repository = env['GITHUB_REPOSITORY'] || text(at(payload, 'repository', 'full_name'));
  const judge = mode === 'full';
  if (judge && config.shard !== null && config.shard.total > 1) {
    // Each shard would publish its part as the PR's verdict, over the other shards' comment.
    throw new PerfVerdictError(
      'config',
      `shard '${config.shard.index}/${config.shard.total}' needs mode: measure (one job per shard) and one mode: report job that merges the shard reports; mode full would publish a partial verdict`,
      'shard',
    );
  }
  const prInfo: PullRequestInfo = {
    number: pr.number,
    headSha: pr.headSha,
    baseSha: pr.baseSha,
    baseRef: pr.baseRef,
    labels: pr.labels,
    headRepository: null,
  };
  const sender = text(at(payload, 'sender', 'login'));
  const label = text(at(payload, 'label', 'name'));
  const labelActor =
    payload['action'] === 'labeled' && label === config.acceptLabel && sender !== ''
      ? sender
      : null;
  const relabel = payload['action'] === 'labeled' || payload['action'] === 'unlabeled';
  let github: GitHubPort | null = null;
  if (judge && relabel) {
    github = githubFor(env, readInputs(env)['github-token'] ?? '', repository);
    if (await rejudge(github, prInfo, labelActor, config, env, cwd)) return;
    core.info(`no report published for ${pr.headSha.slice(0, 12)} yet: measuring`);
  }
  if (!judge && relabel) {
    // measure on a label change: the report job only needs the measurements again. When they
    // are published for this head, hand them on as the artifact instead of measuring (the
    // report job re-analyses, re-judges and applies the override as always).
    let published: GateReport | null = null;
    try {
      published = await findPublished(
        githubFor(env, readInputs(env)['github-token'] ?? '', repository),
        pr.number,
        pr.headSha,
      );
    } catch (error) {
      core.info(`could not read the published report (${(error as Error).message}): measuring`);
    }
    if (published !== null) {
      const artifact: GateReport = { ...published, mode: 'measure', verdict: null };
      const reportPath = writeReport(artifact, env, cwd);
      const note = `the report published for ${pr.headSha.slice(0, 12)} is handed on without measuring again (label change)`;
      core.info(note);
      await writeSummary(renderSummary(artifact, { runUrl: runUrlOf(env), notes: [note] }), env);
      core.setOutput('verdict', '');
      core.setOutput('score', '');
      core.setOutput('report', reportPath);
      return;
    }
  }
  const report = await run(
    config,
    {
      mode,
      baseRef: config.baseRef ?? pr.baseSha,
      headRef: pr.headSha,
      repository: repository || null,
      pullRequest: pr.number,
      prTitle: pr.title,
      prBody: pr.body,
    },
    { ...gatePorts(config, actionLog, cwd, { judge }), progress: actionProgress },
  );
  if (!judge) {
    // measure: read-only. The report file is the artifact for the `report` job.
    const reportPath = writeReport(report, env, cwd);
    await writeSummary(
      renderSummary(report, {
        runUrl: runUrlOf(env),
        links: linksOf(env),
        notes: [
          'Measured with a read-only token; the `report` job judges and publishes.',
          ...(report.shard === undefined
            ? []
            : [
                `Shard ${report.shard.index}/${report.shard.total}: this job measured ${report.tools.length} of the changed tools; the \`report\` job merges every shard's report.`,
              ]),
        ],
      }),
      env,
    );
    core.setOutput('verdict', '');
    core.setOutput('score', '');
    core.setOutput('report', reportPath);
    return;
  }
  github ??= githubFor(env, readInputs(env)['github-token'] ?? '', repository);
  await finish(report, prInfo, labelActor, github, config, env, cwd);
}

async function judgeArtifactMode(config: Config, env: Env, cwd: string): Promise<void> {
  const payload = readEvent(env);
  const runHeadSha = text(at(payload, 'workflow_run', 'head_sha'));
  if (runHeadSha === '') {
    throw new PerfVerdictError(
      'github',
      `mode report runs on workflow_run events, but this is '${env['GITHUB_EVENT_NAME'] ?? ''}'`,
    );
  }
  const artifact = loadArtifacts(config.artifact, cwd);
  const repository = env['GITHUB_REPOSITORY'] || text(at(payload, 'repository', 'full_name'));
  if (artifact.head_sha !== runHeadSha) {
    throw new PerfVerdictError(
      'invalid_input',
      `the report artifact is for ${artifact.head_sha.slice(0, 12)} but the workflow run measured ${runHeadSha.slice(0, 12)}: refusing to publish it`,
      'artifact',
    );
  }
  if (artifact.pull_request === null)
    throw new PerfVerdictError(
      'invalid_input',
      'the report artifact names no pull request',
      'artifact',
    );
  const github = githubFor(env, readInputs(env)['github-token'] ?? '', repository);
  const pr = await github.getPullRequest(artifact.pull_request);
  if (pr.headSha !== artifact.head_sha) {
    throw new PerfVerdictError(
      'invalid_input',
      `pull request #${pr.number} is now at ${pr.headSha.slice(0, 12)}, the report artifact is for ${artifact.head_sha.slice(0, 12)}: stale or forged, not published (the next run will report)`,
      'artifact',
    );
  }
  const engines = createEngines(config, actionLog);
  const report = await judgeArtifact(
    config,
    { ...artifact, repository },
    { ...engines, log: actionLog },
  );
  await finish(report, pr, null, github, config, env, cwd);
}

export async function main(env: Env, cwd: string): Promise<void> {
  const redactor = startRedaction(env);
  try {
    const config = await loadConfig(env, cwd);
    if (config.mode === 'report') await judgeArtifactMode(config, env, cwd);
    else if (config.mode === 'record') await recordMode(config, env, cwd);
    else await fullOrMeasure(config, env, cwd, config.mode);
  } catch (error) {
    const message = redactor.text(
      error instanceof PerfVerdictError ? error.message : `internal error: ${errorMessage(error)}`,
    );
    await writeSummary(`## perf-verdict: error\n\n${message.replace(/[<>@`]/g, ' ')}\n`, env);
    core.setFailed(message.replace(/\r?\n/g, ' '));
  }
}
