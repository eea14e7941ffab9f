/**
 * `record` mode: after a push to the default branch, profile every tool the push changed and
 * write it to the registry. The head version is benchmarked and analysed; the version before
 * the push is measured side by side with it (`old_version_data.code`), never taken from stored
 * numbers. Which version becomes current is the profiler's rule (docs/registry.md). One tool's
 * failure is that tool's row; a removed tool is left in the registry untouched. Tools that live
 * inside their repository (an `executable:` block, a `working-directory` setting) run as the
 * gate runs them: each version from a read-only checkout of its own commit, in its working
 * directory, with its import roots and the dependency venv (src/repo-context.ts).
 */
import { policyOf } from '../assess.js';
import type { Config } from '../config/config.js';
import type { Log, Repo } from '../domain/ports.js';
import { RepositoryContext, unsupportedCommand } from '../repo-context.js';
import type { Side } from '../repo-context.js';
import { toolIdProblem } from '../registry/schema.js';
import type { Verdict } from '../domain/types.js';
import { profileFigures, profileTool, registryNote } from '../profile/index.js';
import type { ProfilePorts, ProfileResult } from '../profile/index.js';
import { changedToolsSince, specOf, sharedTestCases, toolFailure } from '../tools/index.js';
import type { ChangedTool, Resolution, ToolSpec } from '../tools/index.js';
import type { BaseChoice, RecordResult, RecordRow, RecordStatus } from './result.js';
import { RECORD_SCHEMA, RECORD_VERSION } from './result.js';
import { lowestScore, SYNTHESISED_SOURCE, worstVerdict } from '../report/model.js';

export type * from './result.js';
export { renderRecordSummary } from './result.js';

export interface RecordRequest {
  /** The push payload's `before`: all zeros for a new branch. */
  readonly before: string;
  readonly after: string;
  readonly ref: string | null;
  readonly repository: string | null;
  /** The registry path as configured (relative to the workspace), for the result. */
  readonly registry: string;
}

export interface RecordPorts {
  readonly repo: Repo;
  readonly profile: ProfilePorts;
  readonly log: Log;
  readonly monotonicMs: () => number;
}

const VERDICT_OF: Readonly<Record<RecordStatus, Verdict | null>> = {
  completed: 'ACCEPT',
  review_required: 'REVIEW',
  rejected: 'REJECT',
  // Nothing recorded: a human looks at why.
  failed: 'REVIEW',
  skipped: 'REVIEW',
  removed: null,
};

/**
 * The base of the push: `before` when it is a commit we have; for a new branch (`before` all
 * zeros) or a `before` that is gone (force push), the parent of `after`; none for a root commit.
 */
async function baseOf(
  before: string,
  headSha: string,
  ports: RecordPorts,
): Promise<{ sha: string | null; choice: BaseChoice }> {
  if (before !== '' && !/^0+$/.test(before)) {
    try {
      return { sha: await ports.repo.resolve(before), choice: 'before' };
    } catch {
      ports.log.warn(
        `the push's 'before' ${before.slice(0, 12)} is not in the clone: comparing with the parent commit`,
      );
    }
  }
  try {
    return { sha: await ports.repo.resolve(`${headSha}^`), choice: 'parent' };
  } catch {
    return { sha: null, choice: 'none' };
  }
}

/** A changed tool the push did not record, and why (`removed`: left in the registry as it is). */
interface NotRecorded {
  readonly status: 'skipped' | 'failed' | 'removed';
  readonly note: string;
}

const notRecorded = (note: string, status: NotRecorded['status'] = 'skipped'): NotRecorded => ({
  status,
  note,
});

const NO_FIGURES = {
  score: null,
  time_ms: null,
  memory_kb: null,
  time_ratio: null,
  ci_low: null,
  ci_high: null,
};

/** The record row of one changed tool: the one place a profile (or why there is none) becomes a row. */
function recordRow(tool: ChangedTool, outcome: NotRecorded | ProfileResult): RecordRow {
  const files = tool.head ?? tool.base;
  const shown = {
    id: tool.id,
    change: tool.status,
    path:
      tool.unnamable !== undefined
        ? tool.id
        : (files?.implementation ?? files?.yaml ?? tool.paths[0] ?? tool.id),
  };
  if (!('workflow_steps' in outcome))
    return {
      ...shown,
      ...NO_FIGURES,
      status: outcome.status,
      version: null,
      current: false,
      verdict: VERDICT_OF[outcome.status],
      note: outcome.note,
    };
  const failed = outcome.workflow_steps.find((s) => s.status === 'failed');
  const rag = outcome.workflow_steps.find((s) => s.step === 'rag_update');
  const status: RecordStatus = outcome.status;
  return {
    ...shown,
    ...profileFigures(outcome),
    status,
    version: outcome.version,
    current: status === 'completed' && rag?.status === 'completed',
    verdict: VERDICT_OF[status],
    note:
      status === 'failed'
        ? `not recorded: ${failed?.step ?? 'a step'} failed: ${failed?.reason ?? 'unknown'}`
        : status === 'completed'
          ? null
          : rag?.status === 'completed'
            ? (registryNote(outcome) ?? `recorded in versions[] as ${status}`)
            : `not recorded (${status}): ${rag?.reason ?? 'the registry step did not run'}`,
  };
}

/** Both versions of a changed tool, resolved before anything runs (null: no code at that side). */
interface Specs {
  readonly head: ToolSpec | null;
  readonly base: ToolSpec | null;
  readonly error?: Error | undefined;
}

function specsOf({ base, head, error }: Resolution): Specs {
  return { head: specOf(head), base: specOf(base), error };
}

/** Why a changed tool is not profiled before its specs matter, or null. */
function notProfiled(tool: ChangedTool): NotRecorded | null {
  if (tool.unnamable !== undefined) return notRecorded(`not recorded: ${tool.unnamable}`);
  if (tool.status === 'removed' || tool.head === null)
    return notRecorded(
      'removed by this push: its registry entry and history are left as they are',
      'removed',
    );
  const idProblem = toolIdProblem(tool.id);
  if (idProblem !== null)
    return notRecorded(`not recorded: tool id ${JSON.stringify(tool.id)} ${idProblem}`);
  return null;
}

/** Profile one changed tool into the registry. Never throws. */
async function recordTool(
  tool: ChangedTool,
  specs: Specs,
  config: Config,
  ports: RecordPorts,
  context: RepositoryContext,
): Promise<RecordRow> {
  const skipped = notProfiled(tool);
  if (skipped !== null) return recordRow(tool, skipped);
  try {
    if (specs.error !== undefined) throw specs.error;
    const { head, base } = specs;
    if (head === null) {
      return recordRow(
        tool,
        notRecorded(`not recorded: no implementation file beside ${tool.head?.yaml ?? tool.id}`),
      );
    }
    const unsupported = unsupportedCommand(head);
    if (unsupported !== null) return recordRow(tool, notRecorded(`not recorded: ${unsupported}`));
    const shared = sharedTestCases(head, base);
    if ('missing' in shared) return recordRow(tool, notRecorded(`not recorded: ${shared.missing}`));
    const testInput = shared.cases[0]!.input;
    ports.log.info(
      `recording ${tool.id} (${tool.status}${base === null ? '' : `, measured against ${base.path}`})`,
    );
    const contextOf = (side: Side, spec: ToolSpec | null) =>
      spec === null ? undefined : context.contextFor(side, spec, testInput);
    const result = await profileTool(
      {
        tool_id: tool.id,
        tool_code: head.code,
        test_input: testInput,
        requirement: head.requirement ?? undefined,
        language: head.language,
        entry: head.entry,
        mode: head.mode,
        old_version_data:
          base === null
            ? undefined
            : { code: base.code, requirement: base.requirement ?? undefined },
      },
      ports.profile,
      {
        budgetMs: config.timeBudgetSeconds * 1000,
        confidence: config.confidence,
        delta: config.delta,
        sandbox: config.sandbox,
        policy: policyOf(config),
        synthesisedInput: head.inputSource?.startsWith(SYNTHESISED_SOURCE) === true,
        contexts: { new: contextOf('head', head), old: contextOf('base', base) },
        loads: {
          new: { path: head.path, files: head.loads.files },
          ...(base === null ? {} : { old: { path: base.path, files: base.loads.files } }),
        },
      },
    );
    return recordRow(tool, result);
  } catch (error) {
    const why = toolFailure(error);
    ports.log.warn(`${tool.id}: ${why}`);
    return recordRow(tool, notRecorded(`not recorded: ${why}`, 'failed'));
  }
}

/**
 * The checkouts and dependency venvs the push's tools need, made once before any tool runs
 * (none when no version runs inside its repository, or the Repo cannot check out).
 */
async function prepareContext(
  specs: ReadonlyMap<ChangedTool, Specs>,
  shas: { base: string | null; head: string },
  config: Config,
  ports: RecordPorts,
): Promise<RepositoryContext> {
  const profiled = [...specs].filter(([tool]) => notProfiled(tool) === null);
  return RepositoryContext.forRepo(
    profiled.flatMap(([, { head, base }]) => [
      { side: 'head' as const, spec: head },
      { side: 'base' as const, spec: shas.base === null ? null : base },
    ]),
    { base: shas.base ?? shas.head, head: shas.head },
    config,
    ports,
  );
}

/** Profile the tools a push changed into the registry, one at a time. */
export async function recordPush(
  config: Config,
  request: RecordRequest,
  ports: RecordPorts,
): Promise<RecordResult> {
  const started = ports.monotonicMs();
  const { tools, headSha, base, resolutions } = await changedToolsSince(
    ports.repo,
    {
      headRef: request.after,
      baseOf: (head) => baseOf(request.before, head, ports),
      describeBase: (b) => b.sha?.slice(0, 12) ?? '(root)',
    },
    config,
    ports.log,
  );
  const specs = new Map(tools.map((tool) => [tool, specsOf(resolutions.get(tool)!)]));
  const context = await prepareContext(specs, { base: base.sha, head: headSha }, config, ports);
  const rows: RecordRow[] = [];
  try {
    // One at a time: two measurements side by side would be each other's noise.
    for (const tool of tools) {
      const row = await recordTool(tool, specs.get(tool)!, config, ports, context);
      ports.log.info(
        `${tool.id}: ${row.status}${row.version === null ? '' : ` as ${row.version}`}`,
      );
      rows.push(row);
    }
  } finally {
    await context.close();
  }
  return {
    schema: RECORD_SCHEMA,
    version: RECORD_VERSION,
    created_at: ports.profile.clock.now().toISOString(),
    mode: 'record',
    repository: request.repository,
    ref: request.ref,
    base_sha: base.sha,
    base: base.choice,
    head_sha: headSha,
    registry: request.registry,
    verdict: worstVerdict(rows),
    score: lowestScore(rows),
    tools: rows,
    wall_ms: Math.round(ports.monotonicMs() - started),
  };
}
