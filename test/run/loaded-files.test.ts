/**
 * A helper module a tool imports is analysed with it (issue 23), through the gate pipeline with
 * the real analyser and rules judge and a scripted measurer (no timing in question): changing
 * only the helper changes the tool; a new HIGH finding in it rejects and a benchmark-gaming line
 * in it caps at REVIEW, each naming the helper — in `full` mode and in `measure` → `report`,
 * where the artifact carries the helper's code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo } from '../../src/adapters/git.js';
import { createAnalyzer } from '../../src/analyze/index.js';
import { parseConfig } from '../../src/config/config.js';
import type { Log, Measurer } from '../../src/domain/ports.js';
import { createRulesJudge } from '../../src/judge/index.js';
import { parseUntrustedReport } from '../../src/report/artifact.js';
import type { GateReport } from '../../src/report/model.js';
import { judgeArtifact, run } from '../../src/run.js';
import type { GatePorts } from '../../src/run.js';
import { comparison } from '../render/fixtures.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';

const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };
const clock = { now: () => new Date('2026-12-07T00:00:00.000Z') };
const config = parseConfig({});
const judge = createRulesJudge(clock);
const analyzer = createAnalyzer();
/** Every pair measures the same: only analysis can tell the versions apart. */
const measurer: Measurer = {
  compare: () => Promise.resolve(comparison(1, 0.99, 1.01, 'unchanged')),
};

const tool = (helper: string): string =>
  `from lib.${helper} import scale\n\n\ndef tool(n):\n    return scale(n) + 1\n`;
const HELPER = 'def scale(n):\n    return n\n';
const SIDECAR = JSON.stringify({ test_input: { n: 3 }, entry: 'tool' });

function ports(dir: string, judging: boolean): GatePorts {
  return {
    repo: openRepo(dir),
    measurer,
    analyzer,
    judge: judging ? judge : null,
    clock,
    log: quiet,
    monotonicMs: () => 0,
  };
}

describe('helper modules through the gate pipeline', () => {
  let repo: TestRepo;
  const reports = new Map<string, GateReport>();

  beforeAll(async () => {
    repo = createRepo('pv-loaded-files-');
    repo.commit('base', {
      'tools/finding.py': tool('shell'),
      'tools/finding.perf.json': SIDECAR,
      'tools/gaming.py': tool('clock'),
      'tools/gaming.perf.json': SIDECAR,
      'lib/shell.py': HELPER,
      'lib/clock.py': HELPER,
    });
    repo.git('checkout', '-q', '-b', 'pr');
    repo.commit('helpers only', {
      'lib/shell.py': `import os\n\n\ndef _cleanup(cmd):\n    os.system(cmd)\n\n\n${HELPER}`,
      'lib/clock.py': `import time\n\ntime.perf_counter = time.process_time\n\n${HELPER}`,
    });
    const request = { baseRef: 'main', headRef: 'pr', repository: null, pullRequest: null };
    reports.set('full', await run(config, { ...request, mode: 'full' }, ports(repo.dir, true)));
    const measured = await run(config, { ...request, mode: 'measure' }, ports(repo.dir, false));
    const artifact = parseUntrustedReport(JSON.parse(JSON.stringify(measured)));
    reports.set(
      'measure → report',
      await judgeArtifact(config, artifact, {
        analyzer,
        judge,
        clock,
        log: quiet,
        monotonicMs: () => 0,
      }),
    );
  }, 120_000);
  afterAll(() => repo.remove());

  it.each(['full', 'measure → report'])('%s: both tools changed by their helpers alone', (path) => {
    const rows = reports.get(path)!.tools;
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['finding', 'modified'],
      ['gaming', 'modified'],
    ]);
  });

  it.each(['full', 'measure → report'])(
    '%s: a new HIGH finding in the helper rejects, naming it',
    (path) => {
      const row = reports.get(path)!.tools.find((r) => r.id === 'finding')!;
      expect(row.verdict).toBe('REJECT');
      expect(row.diff?.new_findings).toMatchObject([{ rule: 'B605', file: 'lib/shell.py' }]);
      expect(row.evaluation?.reasoning).toContain('B605 (HIGH) lib/shell.py line 5');
    },
  );

  it.each(['full', 'measure → report'])(
    '%s: a benchmark-gaming line in the helper caps at REVIEW, naming it',
    (path) => {
      const row = reports.get(path)!.tools.find((r) => r.id === 'gaming')!;
      expect(row.verdict).toBe('REVIEW');
      expect(row.evaluation?.reasoning).toContain(
        'benchmark-gaming: the head introduces lib/clock.py line 3',
      );
    },
  );
});
