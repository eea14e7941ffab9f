/**
 * The Action's `record` mode, on `push` to the default branch: profile the tools the push
 * changed into the registry file in the workspace. It never comments, never creates a check and
 * never fails the step for a verdict — the code is already on the branch, and the workflow's
 * next step must still commit the registry back. Errors (no push payload, a corrupt registry)
 * fail the step as usual.
 */
import { isAbsolute, join } from 'node:path';
import * as core from '@actions/core';
import { openRepo } from '../adapters/git.js';
import type { Config } from '../config/config.js';
import { PerfVerdictError } from '../domain/errors.js';
import { recordPush, renderRecordSummary } from '../record/index.js';
import { FileRegistryStore } from '../registry/store.js';
import { profilePorts } from '../wiring.js';
import type { Env } from './context.js';
import {
  actionLog,
  at,
  readEvent,
  runUrlOf,
  text,
  writeOutputFile,
  writeSummary,
} from './context.js';

export async function recordMode(config: Config, env: Env, cwd: string): Promise<void> {
  const payload = readEvent(env);
  const eventName = env['GITHUB_EVENT_NAME'] ?? '';
  const after = text(at(payload, 'after'));
  if (after === '' || typeof at(payload, 'before') !== 'string') {
    throw new PerfVerdictError(
      'github',
      `mode record runs on push events (a payload with 'before' and 'after'), but this is '${eventName}'; on pull requests use mode: full, or measure + report`,
    );
  }
  const registryPath = isAbsolute(config.registry) ? config.registry : join(cwd, config.registry);
  const registry = new FileRegistryStore(registryPath);
  if (at(payload, 'deleted') === true || /^0+$/.test(after)) {
    core.info('the push deleted the branch: nothing to record');
  }
  // A corrupt registry fails the run here, before minutes of measurement are spent.
  await registry.read();
  const result = /^0+$/.test(after)
    ? null
    : await recordPush(
        config,
        {
          before: text(at(payload, 'before')),
          after,
          ref: text(at(payload, 'ref')) || null,
          repository:
            env['GITHUB_REPOSITORY'] || text(at(payload, 'repository', 'full_name')) || null,
          registry: config.registry,
        },
        {
          repo: openRepo(cwd),
          profile: profilePorts(config, actionLog, registry),
          log: actionLog,
          monotonicMs: () => performance.now(),
        },
      );
  const resultPath = result === null ? '' : writeOutputFile(result, env, cwd, 'record.json');
  if (result !== null) await writeSummary(renderRecordSummary(result, runUrlOf(env)), env);
  core.setOutput('verdict', result?.verdict ?? 'NONE');
  core.setOutput('score', result?.score == null ? '' : String(Math.round(result.score)));
  core.setOutput('report', resultPath);
  core.setOutput('registry', registryPath);
  core.setOutput('comment-id', '');
  core.setOutput('check-run-id', '');
  for (const row of result?.tools ?? []) {
    // Visible in the run's annotations: what did not become current, and why.
    if (row.verdict !== null && row.verdict !== 'ACCEPT')
      core.warning(`${row.id}: ${row.verdict}: ${row.note ?? row.status}`);
  }
}
