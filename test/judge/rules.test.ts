import { describe, expect, it } from 'vitest';
import { SCENARIOS, point } from '../../bench/judge-scenarios.js';
import { createJudge, createRulesJudge, rulesJudge } from '../../src/judge/index.js';

describe('rules judge: the labelled scenarios (worked examples, Common Scenarios rows)', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const evaluation = await rulesJudge.evaluate(scenario.input);
    expect(evaluation.recommendation).toBe(scenario.label);
    expect(evaluation.judge).toBe('rules');
    expect(evaluation.llm_model).toBeNull();
    expect(evaluation.injection).toEqual([]);
    expect(evaluation.score).toBe(evaluation.band.rule_score);
  });

  it('scores Example 3 (bubble sort, 200 % slower) at 15 or less', async () => {
    const example3 = SCENARIOS.find((s) => s.guide === 'Example 3')!;
    const evaluation = await rulesJudge.evaluate(example3.input);
    expect(evaluation.score).toBeLessThanOrEqual(15);
  });

  it("keeps the guide's typical score ranges where it follows the guide", async () => {
    const score = async (guide: string): Promise<number> =>
      (await rulesJudge.evaluate(SCENARIOS.find((s) => s.guide === guide)!.input)).score;
    expect(await score('Common: Security improvement')).toBeGreaterThanOrEqual(75);
    expect(await score('Common: Security improvement')).toBeLessThanOrEqual(90);
    expect(await score('Common: Refactoring')).toBeGreaterThanOrEqual(70);
    expect(await score('Common: Refactoring')).toBeLessThanOrEqual(85);
    expect(await score('Common: Optimization failure')).toBeGreaterThanOrEqual(10);
    expect(await score('Common: Optimization failure')).toBeLessThanOrEqual(25);
    expect(await score('Common: No changes')).toBeGreaterThanOrEqual(5);
    expect(await score('Common: No changes')).toBeLessThanOrEqual(15);
    expect(
      await score('Common: Feature addition (< 30 %, departs: REVIEW)'),
    ).toBeGreaterThanOrEqual(60);
    expect(await score('Common: Bug fix')).toBeGreaterThanOrEqual(50);
    expect(await score('Common: Bug fix')).toBeLessThanOrEqual(79);
  });

  it('uses a feature list only to pick a higher point inside the same band', async () => {
    const input = { evidence: point(1.25), claims: {}, old_code: 'a', new_code: 'b' };
    const bare = await rulesJudge.evaluate(input);
    const claimed = await rulesJudge.evaluate({ ...input, claims: { feature_additions: ['X'] } });
    expect(claimed.score).toBeGreaterThan(bare.score);
    expect([claimed.band.lo, claimed.band.hi]).toEqual([bare.band.lo, bare.band.hi]);
  });

  it('stamps the time from its clock and explains the band', async () => {
    const judge = createRulesJudge({ now: () => new Date('2025-11-17T12:00:00Z') });
    const evaluation = await judge.evaluate(SCENARIOS[0]!.input);
    expect(evaluation.timestamp).toBe('2025-11-17T12:00:00.000Z');
    expect(evaluation.reasoning).toContain('security findings 2 → 0');
    expect(evaluation.reasoning).toContain(`[${evaluation.band.lo}, ${evaluation.band.hi}]`);
  });

  it('is what createJudge gives without an Ollama host', async () => {
    const judge = createJudge({
      host: null,
      model: 'qwen2.5-coder:3b',
      digest: null,
      headers: {},
      timeoutSeconds: 60,
    });
    const evaluation = await judge.evaluate(SCENARIOS.find((s) => s.guide === 'Example 3')!.input);
    expect(evaluation.judge).toBe('rules');
    expect(evaluation.recommendation).toBe('REJECT');
  });
});
