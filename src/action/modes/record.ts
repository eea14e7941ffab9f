/**
 * `record` mode, on `push` to the default branch: profile the tools the push changed into the
 * registry file in the workspace. It never comments, never creates a check and never fails the
 * step for a verdict — the code is already on the branch, and the workflow's next step must still
 * commit the registry back. Errors (no push payload, a corrupt registry) fail the step as usual.
 */
import { isAbsolute, join } from 'node:path';
import { PerfVerdictError } from '../../domain/errors.js';
import { renderRecordSummary } from '../../record/index.js';
import { recordDashboard } from '../../registry/dashboard-record.js';
import { FileRegistryStore } from '../../registry/store.js';
import { eventName } from '../event.js';
import type { ModeContext } from '../mode.js';
import { outcome } from '../outcome.js';
import type { Outcome } from '../outcome.js';

export async function recordMode(context: ModeContext): Promise<Outcome> {
  const { config, event } = context;
  if (event.kind !== 'push') {
    throw new PerfVerdictError(
      'github',
      `mode record runs on push events (a payload with 'before' and 'after'), but this is '${eventName(event)}'; on pull requests use mode: full, or measure + report`,
    );
  }
  const registryPath = isAbsolute(config.registry)
    ? config.registry
    : join(context.cwd, config.registry);
  const registry = new FileRegistryStore(registryPath);
  // A corrupt registry fails the run here, before minutes of measurement are spent.
  await registry.read();
  if (event.deleted) {
    context.log.info('the push deleted the branch: nothing to record');
    return outcome({ verdict: 'NONE', registry: registryPath });
  }
  const result = await context.pipeline.record(
    {
      before: event.before,
      after: event.after,
      ref: event.ref,
      repository: context.repository || null,
      registry: config.registry,
    },
    registry,
  );
  for (const row of result.tools) {
    // Visible in the run's annotations: what did not become current, and why.
    if (row.verdict !== null && row.verdict !== 'ACCEPT')
      context.log.warn(`${row.id}: ${row.verdict}: ${row.note ?? row.status}`);
  }
  const dashboard = await recordDashboard(
    registry,
    result,
    {
      branch: config.dashboardBranch,
      pushedRef: event.ref,
      cwd: context.cwd,
      links: context.links,
      provenance: { message: event.headMessage ?? '', pushedBy: event.sender },
    },
    context.log,
  );
  if (dashboard.warning !== null) context.log.warn(dashboard.warning);
  return outcome({
    verdict: result.verdict,
    score: result.score,
    report: { name: 'record.json', content: result },
    registry: registryPath,
    summary: `${renderRecordSummary(result, context.runUrl)}\n${dashboard.summary}`,
  });
}
