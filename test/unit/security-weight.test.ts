import { describe, expect, it } from 'vitest';
import { measured } from '../../bench/judge-scenarios.js';
import { judgeNewTool, missingModule } from '../../src/verdict/new-tool.js';
import { computeBand, recommend } from '../../src/verdict/policy.js';
import { findingEffect, weighFindings } from '../../src/verdict/security.js';
import type {
  SecurityFailOn,
  SecurityIssue,
  Severity,
  VersionProfile,
} from '../../src/domain/types.js';
import { analysis } from '../render/fixtures.js';

const issue = (rule: string, severity: Severity, confidence: Severity = 'HIGH'): SecurityIssue => ({
  rule,
  severity,
  confidence,
  line: 3,
  message: rule,
});

describe('security-fail-on weighs new findings by severity and confidence', () => {
  it.each([
    ['high', 'HIGH', 'HIGH', 'reject'],
    ['high', 'MEDIUM', 'HIGH', 'review'],
    ['high', 'LOW', 'HIGH', 'listed'],
    ['high', 'HIGH', 'LOW', 'review'],
    ['medium', 'MEDIUM', 'HIGH', 'reject'],
    ['medium', 'LOW', 'HIGH', 'review'],
    ['low', 'LOW', 'HIGH', 'reject'],
    ['low', 'LOW', 'LOW', 'reject'],
  ] as const)('fail-on %s: %s finding (%s confidence) → %s', (failOn, sev, conf, effect) => {
    expect(findingEffect({ severity: sev, confidence: conf }, failOn)).toBe(effect);
  });

  it('the strongest finding decides', () => {
    const w = weighFindings([issue('B404', 'LOW'), issue('B602', 'HIGH'), issue('B307', 'MEDIUM')]);
    expect(w.effect).toBe('reject');
    expect(w.reject.map((f) => f.rule)).toEqual(['B602']);
    expect(w.review.map((f) => f.rule)).toEqual(['B307']);
    expect(w.listed.map((f) => f.rule)).toEqual(['B404']);
  });
});

describe('the band for a modified tool with new findings', () => {
  const unchanged = (findings: SecurityIssue[], failOn?: SecurityFailOn) =>
    computeBand(
      measured(1.0, 0.99, 1.01, 'unchanged', {
        security_old: 0,
        security_new: findings.length,
        new_findings: findings,
        ...(failOn === undefined ? {} : { security_fail_on: failOn }),
      }),
      {},
    );

  it('a new LOW finding (import subprocess) is listed and does not move an ACCEPT', () => {
    const band = unchanged([issue('B404', 'LOW')]);
    expect(recommend(band.rule_score)).toBe('ACCEPT');
    expect(band.hi).toBe(100);
    expect(band.reasons.join(' ')).toMatch(/listed, not weighed \(B404 \(LOW\) line 3\)/);
  });

  it('a new MEDIUM finding caps at REVIEW; a new HIGH one at REJECT', () => {
    const medium = unchanged([issue('B307', 'MEDIUM')]);
    expect(recommend(medium.rule_score)).toBe('REVIEW');
    expect(medium.hi).toBeLessThanOrEqual(50);
    const high = unchanged([issue('B602', 'HIGH')]);
    expect(recommend(high.rule_score)).toBe('REJECT');
    expect(high.hi).toBeLessThanOrEqual(30);
    expect(high.reasons.join(' ')).toMatch(/security-fail-on high \(B602 \(HIGH\) line 3\)/);
  });

  it('security-fail-on low makes a LOW finding REJECT', () => {
    expect(recommend(unchanged([issue('B404', 'LOW')], 'low').rule_score)).toBe('REJECT');
  });

  it('without severities (counts only) any increase is REJECT: nothing can weigh it down', () => {
    const band = computeBand(
      measured(1.0, 0.99, 1.01, 'unchanged', { security_old: 0, security_new: 1 }),
      {},
    );
    expect(band.hi).toBe(30);
    expect(band.rule_score).toBeLessThanOrEqual(25);
  });
});

const profile = (over: Partial<VersionProfile> = {}): VersionProfile => ({
  ns_per_call: 2e6,
  cold_ns: 9e6,
  memory_kb: 120,
  samples: 10,
  calls_per_sample: 1,
  runs: 3,
  inputs: 2,
  network: [],
  wall_ms: 900,
  ...over,
});

describe('the verdict on a new tool', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const facts = {
    analysis: analysis(2),
    profile: profile(),
    synthesised: false,
    failOn: 'high' as const,
    code: 'def f(x):\n    return x\n',
    requirementsHint: 'code_evolver/requirements.txt',
  };

  it('ACCEPT when it runs and has no finding at the threshold; its figures are in the reasons', () => {
    const { evaluation, error } = judgeNewTool(
      { ...facts, analysis: analysis(2, [issue('B404', 'LOW')]) },
      now,
    );
    expect(error).toBe(false);
    expect(evaluation.recommendation).toBe('ACCEPT');
    expect(evaluation.reasoning).toMatch(/2\.00\sms\/call warm, 9\.00\sms cold/);
    expect(evaluation.reasoning).toMatch(/below security-fail-on \(listed\): B404/);
  });

  it('REVIEW for a HIGH finding, for no input, for a rejected synthesised input', () => {
    expect(
      judgeNewTool({ ...facts, analysis: analysis(2, [issue('B602', 'HIGH')]) }, now).evaluation
        .recommendation,
    ).toBe('REVIEW');
    const notRun = judgeNewTool({ ...facts, profile: null }, now).evaluation;
    expect(notRun.recommendation).toBe('REVIEW');
    const synthesised = judgeNewTool(
      {
        ...facts,
        synthesised: true,
        profile: profile({ error: { kind: 'exception', message: "KeyError: 'cron'" } }),
      },
      now,
    ).evaluation;
    expect(synthesised.recommendation).toBe('REVIEW');
    expect(synthesised.reasoning).toMatch(/needs an example/);
  });

  it('REJECT when it fails on its own example or does not parse', () => {
    const fails = judgeNewTool(
      { ...facts, profile: profile({ error: { kind: 'exception', message: 'ValueError: x' } }) },
      now,
    ).evaluation;
    expect(fails.recommendation).toBe('REJECT');
    expect(fails.reasoning).toMatch(/fails on its own example \(exception: ValueError: x\)/);
    const broken = analysis(2);
    const parse = judgeNewTool(
      {
        ...facts,
        analysis: { ...broken, correctness: { ...broken.correctness, syntax_valid: false } },
      },
      now,
    ).evaluation;
    expect(parse.recommendation).toBe('REJECT');
  });

  it('a missing package is a row error naming the package and the file to list it in', () => {
    const error = {
      kind: 'exception' as const,
      message: 'the tool exited with status 1',
      traceback: "ModuleNotFoundError: No module named 'croniter.parser'",
    };
    expect(missingModule(error)).toBe('croniter');
    const out = judgeNewTool({ ...facts, profile: profile({ error }) }, now);
    expect(out.error).toBe(true);
    expect(out.evaluation.recommendation).toBe('REVIEW');
    expect(out.evaluation.reasoning).toMatch(
      /imports 'croniter', which is not installed: list it in code_evolver\/requirements\.txt/,
    );
  });
});
