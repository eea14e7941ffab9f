/**
 * `definitions: list | review | ignore` on a push that changes only tool definitions without
 * code (docs/code-evolver.md): nothing runs, so the ports that
 * would measure or analyse fail the test if called.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo } from '../../src/adapters/git.js';
import { parseConfig } from '../../src/config/config.js';
import type { Log } from '../../src/domain/ports.js';
import { renderHeadline } from '../../src/report/render.js';
import { createRulesJudge } from '../../src/judge/rules.js';
import { run } from '../../src/run.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';

const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };
const never = (): Promise<never> => Promise.reject(new Error('nothing may run for a definition'));

describe('definitions without code, by the `definitions` setting', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = createRepo('pv-definitions-');
    repo.commit('base', {
      'code_evolver/tools/llm/summarise.yaml': 'name: s\ntype: llm\nllm:\n  prompt: "v1"\n',
    });
    repo.git('checkout', '-q', '-b', 'pr');
    repo.commit('head', {
      'code_evolver/tools/llm/summarise.yaml': 'name: s\ntype: llm\nllm:\n  prompt: "v2"\n',
      'code_evolver/tools/agents/planner.yaml': 'name: p\ntype: agent\nagent:\n  model: x\n',
    });
  });
  afterAll(() => repo.remove());

  const gate = (definitions: string) =>
    run(
      parseConfig({ file: { tools: ['code_evolver/tools/**'], definitions } }),
      { mode: 'gate', baseRef: 'main', headRef: 'pr', repository: null, pullRequest: null },
      {
        repo: openRepo(repo.dir),
        measurer: { compare: never, profile: never },
        analyzer: { analyze: never },
        judge: createRulesJudge(),
        clock: { now: () => new Date('2026-11-30T12:00:00Z') },
        log: quiet,
        monotonicMs: () => performance.now(),
      },
    );

  it('list (default): one collapsed line, no row, verdict NONE', async () => {
    const report = await gate('list');
    expect(report.tools).toEqual([]);
    expect(report.verdict).toBe('NONE');
    expect(report.definitions?.map((d) => [d.id, d.type, d.status])).toEqual([
      ['planner', 'agent', 'new'],
      ['summarise', 'llm', 'modified'],
    ]);
    expect(renderHeadline(report)).toBe(
      'perf-verdict: ⚪ NONE — no code tool changed; 2 tool definitions changed without code: not measured',
    );
  });

  it('review: each definition is a REVIEW row saying it was not measured', async () => {
    const report = await gate('review');
    expect(report.definitions ?? []).toEqual([]);
    expect(report.tools.map((t) => [t.id, t.status, t.verdict, t.note])).toEqual([
      ['planner', 'skipped', 'REVIEW', 'tool definition without code (type: agent): not measured'],
      ['summarise', 'skipped', 'REVIEW', 'tool definition without code (type: llm): not measured'],
    ]);
    expect(report.verdict).toBe('REVIEW');
  });

  it('ignore: neither rows nor the line', async () => {
    const report = await gate('ignore');
    expect(report.tools).toEqual([]);
    expect(report.definitions ?? []).toEqual([]);
    expect(report.verdict).toBe('NONE');
  });
});
