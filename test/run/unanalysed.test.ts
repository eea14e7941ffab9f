/**
 * Issue 10, case 7, end to end through the gate pipeline with the real Python analyser, the real
 * analysis diff and the rules judge: the base uses eval; the head keeps eval, is 80 % slower and
 * adds one 20,000-term line, so the analyser's security part hits RecursionError. That must not
 * read as "0 findings, a security fix" (it was ACCEPT 85): the time decides (REJECT), and the row
 * names the part that could not run. The measurer is scripted (the time is not what is tested).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo } from '../../src/adapters/git.js';
import { createAnalyzer } from '../../src/analyze/index.js';
import { diffAnalyses } from '../../src/core/analysis-diff.js';
import { parseConfig } from '../../src/core/config.js';
import type { Log, Measurer } from '../../src/core/ports.js';
import { createRulesJudge } from '../../src/judge/rules.js';
import { run } from '../../src/run.js';
import { comparison } from '../render/fixtures.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';

const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };
/** 1.8× slower, whatever the code: the analysis is under test here, not the measurement. */
const slower: Measurer = {
  compare: () => Promise.resolve(comparison(1.8, 1.72, 1.88, 'regression')),
};

const BASE = 'def work(n):\n    x = eval(str(n))\n    return x\n';
const HEAD = `def work(n):\n    x = eval(str(n))\n    x = ${Array.from({ length: 20_000 }, () => 'x').join('+')}\n    return x\n`;

describe('case 7: a head whose security analysis could not run', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = createRepo();
    repo.commit('base', { 'tools/t.py': BASE, 'tools/t.perf.json': '{"test_input": {"n": 2}}' });
    repo.git('checkout', '-q', '-b', 'pr');
    repo.commit('head', { 'tools/t.py': HEAD });
  });
  afterAll(() => repo.remove());

  it('is judged on time (REJECT), not as a security fix, with the reason in the row', async () => {
    let t = 0;
    const report = await run(
      parseConfig({}),
      { mode: 'gate', baseRef: 'main', headRef: 'pr', repository: null, pullRequest: null },
      {
        repo: openRepo(repo.dir),
        measurer: slower,
        analyzer: createAnalyzer(),
        judge: createRulesJudge({ now: () => new Date('2026-01-01T00:00:00Z') }),
        diffAnalyses,
        clock: { now: () => new Date('2026-01-01T00:00:00Z') },
        log: quiet,
        monotonicMs: () => (t += 10),
      },
    );
    const row = report.tools.find((r) => r.id === 't')!;
    // The real analyser: the base's eval is found, the head's security part could not run.
    expect(row.analysis_old?.security).toMatchObject({ available: true, total_issues: 1 });
    expect(row.analysis_new?.security).toEqual({
      available: false,
      reason: 'code nests too deeply to analyse',
    });
    expect(row.analysis_new?.correctness.syntax_valid).toBe(true);
    expect(row.diff).toMatchObject({ security_old: 1, security_new: null, fixed_findings: [] });
    expect(row.verdict).toBe('REJECT');
    const reasons = row.evaluation!.band.reasons.join('\n');
    expect(reasons).not.toMatch(/security fix/);
    expect(reasons).toContain(
      'analysis could not run: security of the head (code nests too deeply to analyse)',
    );
  }, 60_000);
});
