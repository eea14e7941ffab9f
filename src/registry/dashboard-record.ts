/**
 * What record mode does for the dashboard once the run has written the registry: stamp the
 * versions it recorded with their provenance (commit, pull request, who accepted a REVIEW or
 * REJECT), draw the recorded tools' trend charts for the job summary, and — with
 * `dashboard-branch` — commit the site to that branch and push it. A failed push is a warning
 * in the log and the summary, never a lost registry: the file in the workspace is written either
 * way, for the workflow's next step to commit.
 */
import { errorMessage, PerfVerdictError } from '../domain/errors.js';
import type { Log } from '../domain/ports.js';
import type { RecordResult } from '../record/index.js';
import { dashboardFiles } from './dashboard.js';
import type { RepositoryLinks } from './dashboard-data.js';
import { DEFAULT_DRIFT_ALERT, repositoryLinks } from './dashboard-data.js';
import { stampProvenance } from './dashboard-provenance.js';
import type { Provenance } from './dashboard-provenance.js';
import { gitIn, publishDashboard } from './dashboard-publish.js';
import { renderTrendSection } from './dashboard-summary.js';
import type { RegistryStore } from './store.js';

export interface DashboardRecordRequest {
  /** `dashboard-branch`; null: nothing is published. */
  readonly branch: string | null;
  /** The branch the push went to (`refs/heads/main`): never the dashboard's. */
  readonly pushedRef: string | null;
  /** The workspace: a clone whose `origin` the site is pushed to. */
  readonly cwd: string;
  /** The server and repository the PR and commit links point to (the runner's). */
  readonly links: RepositoryLinks | null;
  readonly provenance: Omit<Provenance, 'commit'>;
}

/** What record mode adds to its job summary, and the warning when publishing failed. */
export interface DashboardRecordResult {
  readonly summary: string;
  readonly warning: string | null;
}

/** Just the two link fields, and only when they are safe in an href; else no links. */
function linksOf(links: RepositoryLinks | null): RepositoryLinks | null {
  try {
    return repositoryLinks(links?.serverUrl, links?.repository);
  } catch {
    return null;
  }
}

/** Publishing attempts, as github-action-benchmark retries its gh-pages push. */
const ATTEMPTS = 10;

export async function recordDashboard(
  registry: RegistryStore,
  result: RecordResult,
  request: DashboardRecordRequest,
  log: Log,
): Promise<DashboardRecordResult> {
  const recorded = result.tools.flatMap((row) => (row.version === null ? [] : [row]));
  for (const row of recorded) {
    await registry.updateEntry(row.id, (entry) => {
      if (entry === undefined)
        throw new PerfVerdictError('registry', `${row.id} vanished from ${registry.path}`);
      return stampProvenance(entry, row.version!, {
        ...request.provenance,
        commit: result.head_sha,
      });
    });
  }
  const after = await registry.read();
  const trend = renderTrendSection(
    after,
    recorded.map((row) => row.id),
  );
  if (request.branch === null) return { summary: trend, warning: null };
  if (request.pushedRef === `refs/heads/${request.branch}`) {
    const warning = `dashboard-branch '${request.branch}' is the branch this push recorded: the dashboard is not published onto the code`;
    return { summary: `${trend}\n⚠️ ${warning}\n`, warning };
  }
  try {
    const published = await publishDashboard(gitIn(request.cwd), {
      remote: 'origin',
      branch: request.branch,
      files: dashboardFiles(after, { alert: DEFAULT_DRIFT_ALERT, links: linksOf(request.links) }),
      message: `perf-verdict: registry dashboard at ${result.head_sha.slice(0, 12)}`,
      author: {
        name: 'github-actions[bot]',
        email: '41898282+github-actions[bot]@users.noreply.github.com',
      },
      attempts: ATTEMPTS,
    });
    const line =
      published.commit === null
        ? `Dashboard: \`${request.branch}\` already holds this registry's site.`
        : `Dashboard: published to \`${request.branch}\` at ${published.commit.slice(0, 12)}${published.attempts > 1 ? ` (after ${published.attempts - 1} rejected push${published.attempts > 2 ? 'es' : ''}: the branch moved on)` : ''}.`;
    log.info(line.replace(/`/g, ''));
    return { summary: `${trend}\n${line}\n`, warning: null };
  } catch (error) {
    const warning = `the dashboard was not published to ${request.branch}: ${errorMessage(error)}`;
    return { summary: `${trend}\n⚠️ ${warning}\n`, warning };
  }
}
