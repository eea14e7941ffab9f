/**
 * The guide's Quick Start 2 ("Add two numbers with type validation", +34 %) lands where the
 * guide's decision table puts it (issue 24): the new requirement names the added behaviour, a
 * claimed purpose, so a 20–50 % slowdown is REVIEW — through `profile` (the profiler, fake
 * measurements), `evaluate` (the CLI in process) and the gate's judge step (a measured interval).
 * Nothing lifts an unjustified slowdown above 50 %.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/domain/types.js';
import { createRulesJudge, rulesJudge } from '../../src/judge/index.js';
import { PROFILE_EXIT, profileTool } from '../../src/profile/index.js';
import { FileRegistryStore } from '../../src/registry/store.js';
import { buildEvidence } from '../../src/verdict/policy.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { FakeMeasurer, fakeAnalyzer, fakeBenchmark } from './fakes.js';

const OLD_REQUIREMENT = 'Add two numbers together';
const NEW_REQUIREMENT = 'Add two numbers with type validation';
const OLD = 'def add(a, b):\n    # cost: 100\n    return a + b';
const validated = (cost: number): string =>
  `def add(a, b):\n    # cost: ${cost}\n    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):\n        return None\n    return a + b`;

describe("the guide's Quick Start 2", () => {
  it('profile: +34 % with the requirement naming type validation is REVIEW (exit 2), not REJECT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pv-qs2-'));
    const clock = { now: () => new Date('2026-12-07T03:00:00.000Z') };
    const ports = {
      benchmark: fakeBenchmark([]),
      measurer: new FakeMeasurer(),
      analyzer: fakeAnalyzer,
      judge: createRulesJudge(clock),
      registry: new FileRegistryStore(join(dir, 'tools', 'index.json')),
      clock,
    };
    const run = (code: string, requirement: string) =>
      profileTool(
        {
          tool_id: 'simple_adder',
          tool_code: code,
          test_input: { a: 5, b: 3 },
          requirement,
          language: 'python',
          old_version_data: { code: OLD, version: '1.0.0', requirement: OLD_REQUIREMENT },
        },
        ports,
        { budgetMs: 1000, confidence: 0.99, delta: 0.02 },
      );
    const guide = await run(validated(134), NEW_REQUIREMENT);
    expect(guide.status).toBe('review_required');
    expect(PROFILE_EXIT[guide.status]).toBe(2);
    // The same slowdown with an unchanged requirement names no purpose: REJECT, as before.
    const unexplained = await run(validated(134), OLD_REQUIREMENT);
    expect(unexplained.status).not.toBe('review_required');
    expect(PROFILE_EXIT[unexplained.status]).toBe(1);
  });

  it('evaluate: the guide figures with the requirement change are REVIEW; above 50 % REJECT whatever the requirement says', async () => {
    const input = (newMs: number) =>
      JSON.stringify({
        old_metrics: { execution_time_ms: 0.005, memory_usage_kb: 0.1, security_issues: 0 },
        new_metrics: { execution_time_ms: newMs, memory_usage_kb: 0.1, security_issues: 0 },
        requirement_change: {
          previous_requirement: OLD_REQUIREMENT,
          new_requirement: NEW_REQUIREMENT,
        },
        old_code: OLD,
        new_code: validated(134),
      });
    const moderate = await runCliInProcess(['evaluate'], input(0.0067));
    expect(moderate.json).toMatchObject({ evaluation: { recommendation: 'REVIEW' } });
    expect(moderate.code).toBe(2);
    expect(JSON.stringify(moderate.json)).toContain(
      'the new requirement names an added behaviour: a claimed purpose',
    );
    const severe = await runCliInProcess(['evaluate'], input(0.009));
    expect(severe.json).toMatchObject({ evaluation: { recommendation: 'REJECT' } });
    expect(severe.code).toBe(1);
  });

  it("gate's judge step: a measured +34 % interval with the requirement change is REVIEW", async () => {
    const stats = {
      ns_per_call: 400,
      calls_per_sample: 1000,
      samples: 40,
      steady_state: true,
      memory_kb: 0.1,
      network: [],
    };
    const comparison = (ratio: number, low: number, high: number): Comparison => ({
      time: {
        ratio,
        ci_low: low,
        ci_high: high,
        confidence_level: 0.99,
        delta: 0.02,
        change: 'regression',
        pairs: 6,
        rounds: 60,
      },
      memory: { old_kb: 0.1, new_kb: 0.1, ratio: 1 },
      steady_state: true,
      old: stats,
      new: { ...stats, ns_per_call: 400 * ratio },
      wall_ms: 5000,
    });
    const judge = (c: Comparison, newRequirement: string) =>
      rulesJudge.evaluate({
        evidence: buildEvidence({ comparison: c }),
        claims: { previous_requirement: OLD_REQUIREMENT, new_requirement: newRequirement },
        old_code: OLD,
        new_code: validated(134),
      });
    expect((await judge(comparison(1.34, 1.3, 1.38), NEW_REQUIREMENT)).recommendation).toBe(
      'REVIEW',
    );
    expect((await judge(comparison(1.34, 1.3, 1.38), OLD_REQUIREMENT)).recommendation).toBe(
      'REJECT',
    );
    expect((await judge(comparison(1.8, 1.7, 1.9), NEW_REQUIREMENT)).recommendation).toBe('REJECT');
  });
});
