/**
 * What every mode's entry is given, built once by main.ts: the config, the parsed event, the
 * GitHub client and the pipeline. A mode reads nothing else — no `process`, no raw payload — so
 * tests run it in-process with a fake GitHub and a real or stubbed pipeline.
 */
import type { GitHubPort } from '../adapters/github.js';
import type { Config } from '../config/config.js';
import type { Log } from '../domain/ports.js';
import type { RenderLinks } from '../report/render.js';
import type { GateReport } from '../report/model.js';
import type { UntrustedReport } from '../report/artifact.js';
import { recordPush } from '../record/index.js';
import type { RecordRequest, RecordResult } from '../record/index.js';
import type { RegistryStore } from '../registry/store.js';
import { judgeArtifact, run } from '../run.js';
import type { GateRequest } from '../run.js';
import { createEngines, engineConfig, gatePorts, openRepo, profilePorts } from '../wiring.js';
import { actionLog, actionProgress } from './context.js';
import type { Env } from './context.js';
import type { ActionEvent, PullRequestOfEvent } from './event.js';
import type { Outcome } from './outcome.js';

/** The three pipelines the modes run, over the workspace. */
export interface Pipeline {
  /** The gate; without the judge (`measure` mode) it measures and analyses only. */
  gate(request: GateRequest, options: { readonly judge: boolean }): Promise<GateReport>;
  judgeArtifact(artifact: UntrustedReport): Promise<GateReport>;
  record(request: RecordRequest, registry: RegistryStore): Promise<RecordResult>;
}

export interface ModeContext {
  readonly config: Config;
  readonly event: ActionEvent;
  /** owner/name: GITHUB_REPOSITORY, else the payload's. */
  readonly repository: string;
  readonly cwd: string;
  readonly runUrl: string | null;
  readonly links: RenderLinks | null;
  /** The one GitHub client of the run, built on first use (it throws when the token is empty). */
  github(): GitHubPort;
  readonly pipeline: Pipeline;
  readonly log: Log;
}

export type ModeEntry = (context: ModeContext) => Promise<Outcome>;

/** The real pipelines: the engines of src/wiring.ts (tuned by `env`) over the git repository in `cwd`. */
export function workspacePipeline(config: Config, cwd: string, env: Env): Pipeline {
  const engines = engineConfig(config, env);
  return {
    gate: (request, { judge }) =>
      run(config, request, {
        ...gatePorts(engines, actionLog, cwd, { judge }),
        progress: actionProgress,
      }),
    judgeArtifact: (artifact) =>
      judgeArtifact(config, artifact, { ...createEngines(engines, actionLog), log: actionLog }),
    record: (request, registry) =>
      recordPush(config, request, {
        repo: openRepo(cwd),
        profile: profilePorts(engines, actionLog, registry),
        log: actionLog,
        monotonicMs: () => performance.now(),
      }),
  };
}

/** The gate of a pull request: merge-base(base, head) to head, with the PR's words. */
export function gateRequestOf(
  context: ModeContext,
  pr: PullRequestOfEvent,
  mode: 'full' | 'measure',
): GateRequest {
  return {
    mode,
    baseRef: context.config.baseRef ?? pr.baseSha,
    headRef: pr.headSha,
    repository: context.repository || null,
    pullRequest: pr.number,
    prTitle: pr.title,
    prBody: pr.body,
  };
}
