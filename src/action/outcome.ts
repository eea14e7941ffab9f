/**
 * What a mode's run comes to, and the one place the step's outputs are set from it. Every mode
 * returns an Outcome; `endStep` writes its report file and job summary, sets all six outputs —
 * each with the one meaning OUTPUTS gives it, in every mode — and fails the step when the outcome
 * says so. action.yml's `outputs:` and README's outputs table are checked against
 * OUTPUTS (test/unit/action-yml.test.ts, test/unit/config-surface.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { redacting, writeSummary } from './context.js';
import type { Env } from './context.js';

/**
 * The `verdict` output: the gate's verdict, or UNJUDGED when this step judged nothing — `measure`
 * mode (the `report` job judges), a comment that asks nothing, an error.
 */
export const OUTPUT_VERDICTS = ['ACCEPT', 'REVIEW', 'REJECT', 'NONE', 'UNJUDGED'] as const;
type OutputVerdict = (typeof OUTPUT_VERDICTS)[number];

export const OUTPUTS = {
  verdict:
    'ACCEPT, REVIEW or REJECT (the worst tool verdict); NONE when no tool changed; UNJUDGED when this step judged nothing (`measure` mode, a comment that is no command, an error).',
  score: 'The lowest tool score (0-100); empty when no tool was scored.',
  report:
    'Path of the JSON report: the gate report (`full`, `report`, the `measure` artifact) or the record result (`record`); empty when none was written.',
  'comment-id': 'ID of the sticky PR comment, when this step wrote one; else empty.',
  'check-run-id': 'ID of the `perf-verdict` check run, when this step wrote one; else empty.',
  registry:
    '`record` mode: absolute path of the registry file written (commit it back in a later step); empty in the other modes.',
} as const;

export interface Outcome {
  readonly verdict: OutputVerdict;
  readonly score: number | null;
  /**
   * The JSON file the `report` output names: its file name, under RUNNER_TEMP/`folder`
   * (default `perf-verdict`).
   */
  readonly report: {
    readonly name: string;
    readonly content: unknown;
    readonly folder?: string;
  } | null;
  readonly commentId: number | null;
  readonly checkRunId: number | null;
  readonly registry: string | null;
  /** The job summary (markdown), when there is one. */
  readonly summary: string | null;
  /** Set: the step fails with this message. */
  readonly failure: string | null;
  readonly notice: string | null;
}

/** An outcome: nothing judged (UNJUDGED), published or written, then `partial` over it. */
export function outcome(partial: Partial<Outcome> = {}): Outcome {
  return {
    verdict: 'UNJUDGED',
    score: null,
    report: null,
    commentId: null,
    checkRunId: null,
    registry: null,
    summary: null,
    failure: null,
    notice: null,
    ...partial,
  };
}

/**
 * Write the JSON file the `report` output names under RUNNER_TEMP (the workspace outside a
 * runner), redacted; returns its path.
 */
function writeReportFile(report: NonNullable<Outcome['report']>, env: Env, cwd: string): string {
  const dir = join(env['RUNNER_TEMP'] || cwd, report.folder ?? 'perf-verdict');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, report.name);
  writeFileSync(path, `${JSON.stringify(redacting().deep(report.content), null, 2)}\n`);
  return path;
}

const idText = (value: number | null): string => (value === null ? '' : String(value));

/**
 * End the step with `result`: write its report file and job summary, set every output (each
 * time; outside a runner, with no GITHUB_OUTPUT, there is nowhere to set them and nothing is
 * printed in their place), then the notice or the failure.
 */
export async function endStep(result: Outcome, env: Env, cwd: string): Promise<void> {
  const reportPath = result.report === null ? '' : writeReportFile(result.report, env, cwd);
  if (result.summary !== null) await writeSummary(result.summary, env);
  if (env['GITHUB_OUTPUT']) {
    const values: Record<keyof typeof OUTPUTS, string> = {
      verdict: result.verdict,
      score: result.score === null ? '' : String(Math.round(result.score)),
      report: reportPath,
      'comment-id': idText(result.commentId),
      'check-run-id': idText(result.checkRunId),
      registry: result.registry ?? '',
    };
    for (const [name, value] of Object.entries(values)) core.setOutput(name, value);
  }
  if (result.notice !== null) core.notice(result.notice);
  if (result.failure !== null) core.setFailed(result.failure);
}
