/**
 * `measure` mode, for fork pull requests (a read-only token): measure and analyse, judge nothing,
 * and write the report the `report` job judges and publishes. On a label change the report
 * published for this head is handed on instead of measuring again (the report job re-judges and
 * applies the override as always).
 */
import { renderSummary } from '../../report/render.js';
import type { GateReport } from '../../report/model.js';
import { publishedFor, reportFile } from '../conclude.js';
import { isLabelChange, pullRequestEventOf } from '../event.js';
import { gateRequestOf } from '../mode.js';
import type { ModeContext } from '../mode.js';
import { outcome } from '../outcome.js';
import type { Outcome } from '../outcome.js';

function measured(context: ModeContext, report: GateReport, notes: readonly string[]): Outcome {
  return outcome({
    report: reportFile(report, context.config.name),
    summary: renderSummary(report, { runUrl: context.runUrl, links: context.links, notes }),
  });
}

export async function measureMode(context: ModeContext): Promise<Outcome> {
  const event = pullRequestEventOf(context.event, 'measure');
  const pr = event.pullRequest;
  if (isLabelChange(event)) {
    const published = await publishedFor(context, pr);
    if (published !== null) {
      const note = `the report published for ${pr.headSha.slice(0, 12)} is handed on without measuring again (label change)`;
      context.log.info(note);
      return measured(context, { ...published, mode: 'measure', verdict: null }, [note]);
    }
  }
  const report = await context.pipeline.gate(gateRequestOf(context, pr, 'measure'), {
    judge: false,
  });
  return measured(context, report, [
    'Measured with a read-only token; the `report` job judges and publishes.',
    ...(report.shard === undefined
      ? []
      : [
          `Shard ${report.shard.index}/${report.shard.total}: this job measured ${report.tools.length} of the changed tools; the \`report\` job merges every shard's report.`,
        ]),
  ]);
}
