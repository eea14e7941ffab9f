import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Analyzer } from '../../src/domain/ports.js';
import type { ToolVersion } from '../../src/domain/types.js';
import { createRulesJudge } from '../../src/judge/index.js';
import type { ProfileInput, ProfilePorts } from '../../src/profile/index.js';
import { PROFILE_EXIT, profileFigures, profileTool } from '../../src/profile/index.js';
import type { ProfileResult } from '../../src/profile/index.js';
import { ProfileOutputError } from '../../src/profile/output.js';
import { FileRegistryStore } from '../../src/registry/store.js';
import { FakeMeasurer, fakeAnalyzer, fakeBenchmark } from './fakes.js';

const clock = { now: () => new Date('2026-11-26T12:00:00.000Z') };
const OPTIONS = { budgetMs: 1000, confidence: 0.99, delta: 0.02 };
const FIRST = 'def add(a, b):\n    # cost: 100\n    return a + b';

function setup(registryPath?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'pv-profile-'));
  const measurer = new FakeMeasurer();
  const benchmarked: ToolVersion[] = [];
  const registry = new FileRegistryStore(registryPath ?? join(dir, 'tools', 'index.json'));
  const ports: ProfilePorts = {
    benchmark: fakeBenchmark(benchmarked),
    measurer,
    analyzer: fakeAnalyzer,
    judge: createRulesJudge(clock),
    registry,
    clock,
  };
  return { dir, measurer, benchmarked, registry, ports };
}

function input(code: string, extra: Partial<ProfileInput> = {}): ProfileInput {
  return {
    tool_id: 'simple_adder',
    tool_code: code,
    test_input: { a: 5, b: 3 },
    requirement: 'Add two numbers together',
    language: 'python',
    ...extra,
  };
}

function stepStatus(result: { workflow_steps: readonly { step: string; status: string }[] }) {
  return Object.fromEntries(result.workflow_steps.map((s) => [s.step, s.status]));
}

const withOld = (extra: Partial<ProfileInput> = {}): Partial<ProfileInput> => ({
  old_version_data: { code: FIRST, version: '1.0.0', requirement: 'Add two numbers together' },
  ...extra,
});

describe('profileTool', () => {
  it('profiles a first version: judged as a new tool (ACCEPT), exit 0, recorded as 1.0.0', async () => {
    const { ports, registry, measurer } = setup();
    const result = await profileTool(input(FIRST), ports, OPTIONS);
    expect(result.status).toBe('completed');
    expect(PROFILE_EXIT[result.status]).toBe(0);
    expect(stepStatus(result)).toEqual({
      benchmark: 'completed',
      static_analysis: 'completed',
      regression_evaluation: 'completed',
      rag_update: 'completed',
    });
    expect(measurer.calls).toHaveLength(0);
    const entry = (await registry.read())['simple_adder']!;
    expect(entry.version).toBe('1.0.0');
    expect(entry.metadata.source).toBe(FIRST);
    expect(entry.metadata.requirement).toBe('Add two numbers together');
    expect(entry.metadata.performance.execution_time_ms).toBeCloseTo(0.000101);
    expect(entry.metadata.static_analysis).toMatchObject({ complexity: { grade: 'A' } });
    expect(entry.versions).toHaveLength(1);
    expect(entry.versions![0]).toMatchObject({
      version: '1.0.0',
      status: 'current',
      verdict: 'ACCEPT',
    });
    expect(result.metadata).toMatchObject({ version: '1.0.0', source: FIRST });
  });

  it('measures old and new side by side now, never against the stored old numbers', async () => {
    const { ports, registry, measurer } = setup();
    await profileTool(input(FIRST), ports, OPTIONS);
    const slower = 'def add(a, b):\n    # cost: 300\n    return a + b';
    const result = await profileTool(
      input(slower, {
        old_version_data: {
          code: FIRST,
          version: '1.0.0',
          requirement: 'Add two numbers together',
          // Stored numbers from another machine: would make the new version look 1000× faster.
          metadata: { performance: { execution_time_ms: 1000, memory_usage_kb: 1 } },
        },
      }),
      ports,
      OPTIONS,
    );
    expect(measurer.calls).toEqual([{ old: FIRST, new: slower, options: OPTIONS }]);
    expect(result.status).toBe('rejected');
    expect(PROFILE_EXIT[result.status]).toBe(1);
    const evaluation = result.workflow_steps.find((s) => s.step === 'regression_evaluation')!;
    expect(evaluation.data).toMatchObject({
      comparison: { time_ratio: 3, change: 'regression', against_version: '1.0.0' },
      evaluation: { recommendation: 'REJECT' },
      old_version_reported: { execution_time_ms: 1000 },
    });
    // Rejected: recorded in the history, the current version stays 1.0.0.
    const entry = (await registry.read())['simple_adder']!;
    expect(entry.version).toBe('1.0.0');
    expect(entry.metadata.source).toBe(FIRST);
    expect(entry.versions!.map((v) => [v.version, v.status, v.verdict])).toEqual([
      ['1.0.0', 'current', 'ACCEPT'],
      ['1.0.1', 'rejected', 'REJECT'],
    ]);
    expect(entry.versions![1]!.metrics).toMatchObject({
      time_ratio: 3,
      ci_low: 2.91,
      ci_high: 3.09,
    });
    expect(result.version).toBe('1.0.1');
  });

  it('accepts a measured improvement and makes it current (minor bump honoured)', async () => {
    const { ports, registry } = setup();
    await profileTool(input(FIRST), ports, OPTIONS);
    const faster = 'def add(a, b):\n    # cost: 40\n    return a + b';
    const result = await profileTool(
      input(faster, withOld({ change_type: 'minor' })),
      ports,
      OPTIONS,
    );
    expect(result.status).toBe('completed');
    const entry = (await registry.read())['simple_adder']!;
    expect(entry.version).toBe('1.1.0');
    expect(entry.metadata.source).toBe(faster);
    expect(entry.metadata.performance['regression_evaluation']).toMatchObject({
      recommendation: 'ACCEPT',
    });
    expect(entry.versions!.map((v) => v.status)).toEqual(['current', 'current']);
  });

  it('asks for review (exit 2) when a moderate slowdown comes with claimed features', async () => {
    const { ports, registry } = setup();
    await profileTool(input(FIRST), ports, OPTIONS);
    const validated = 'def add(a, b):\n    # cost: 125\n    return a + b';
    const result = await profileTool(
      input(validated, {
        ...withOld({ requirement: 'Add two numbers with type validation' }),
        requirement_change: { feature_additions: ['Type validation'] },
      }),
      ports,
      OPTIONS,
    );
    expect(result.status).toBe('review_required');
    expect(PROFILE_EXIT[result.status]).toBe(2);
    const entry = (await registry.read())['simple_adder']!;
    expect(entry.version).toBe('1.0.0');
    expect(entry.versions!.map((v) => [v.version, v.status, v.verdict])).toEqual([
      ['1.0.0', 'current', 'ACCEPT'],
      ['1.0.1', 'review_required', 'REVIEW'],
    ]);
    // A later profile never reuses 1.0.1.
    const again = await profileTool(input(FIRST.replace('100', '99'), withOld()), ports, OPTIONS);
    expect(again.version).toBe('1.0.2');
  });

  it('rejects (exit 1) and records nothing when a new tool throws on its example, as the gate does', async () => {
    const { ports, registry } = setup();
    const result = await profileTool(
      input('def add(a, b):\n    raise ValueError()'),
      ports,
      OPTIONS,
    );
    expect(result.status).toBe('rejected');
    expect(profileFigures(result).score).toBe(10);
    expect(PROFILE_EXIT[result.status]).toBe(1);
    expect(stepStatus(result)).toMatchObject({ benchmark: 'failed', rag_update: 'skipped' });
    expect(result.workflow_steps[0]!.reason).toMatch(/exception.*ValueError: boom/);
    expect(await registry.read()).toEqual({});
  });

  it('judges without a time comparison, as the gate does, when the old version crashes', async () => {
    const { ports } = setup();
    const result = await profileTool(
      input(FIRST, { old_version_data: { code: 'def add(a, b):\n    raise KeyError()' } }),
      ports,
      OPTIONS,
    );
    // No time ratio to judge on: the rules cannot ACCEPT, so a human looks.
    expect(result.status).toBe('review_required');
    const step = result.workflow_steps.find((s) => s.step === 'regression_evaluation')!;
    expect(step).toMatchObject({
      status: 'completed',
      data: {
        note: expect.stringMatching(/base version fails .*judged without a time comparison/),
      },
    });
  });

  it('rejects with score 0, as the gate does, when the new version fails where the old one runs', async () => {
    const { ports, registry } = setup();
    const result = await profileTool(
      input('def add(a, b):\n    raise ValueError()', { old_version_data: { code: FIRST } }),
      ports,
      OPTIONS,
    );
    expect(result.status).toBe('rejected');
    expect(PROFILE_EXIT[result.status]).toBe(1);
    const step = result.workflow_steps.find((s) => s.step === 'regression_evaluation')!;
    expect(step).toMatchObject({
      status: 'completed',
      data: { evaluation: { score: 0, recommendation: 'REJECT' } },
    });
    expect(profileFigures(result).score).toBe(0);
    expect(await registry.read()).toEqual({});
  });

  it('fails when an engine throws instead of passing it', async () => {
    const { ports } = setup();
    const broken: Analyzer = { analyze: () => Promise.reject(new Error('python3 not found')) };
    const result = await profileTool(input(FIRST), { ...ports, analyzer: broken }, OPTIONS);
    expect(result.status).toBe('failed');
    expect(result.workflow_steps[1]).toMatchObject({
      step: 'static_analysis',
      status: 'failed',
      reason: 'analyzer failed: python3 not found',
    });
  });

  it('makes a failed registry write fail the step and the status', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pv-profile-'));
    writeFileSync(join(dir, 'tools'), 'a file where the folder should be');
    const { ports } = setup(join(dir, 'tools', 'index.json'));
    const result = await profileTool(input(FIRST), ports, OPTIONS);
    expect(result.status).toBe('failed');
    const step = result.workflow_steps.find((s) => s.step === 'rag_update')!;
    expect(step.status).toBe('failed');
    expect(step.reason).toMatch(/registry write failed: .*tools\/index.json/);
  });

  it('leaves a corrupt registry untouched and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pv-profile-'));
    const file = join(dir, 'index.json');
    writeFileSync(file, '{"simple_adder": ');
    const { ports } = setup(file);
    const result = await profileTool(input(FIRST), ports, OPTIONS);
    expect(result.status).toBe('failed');
    expect(result.workflow_steps[3]!.reason).toMatch(/not valid JSON at line 1, column 18/);
    expect(readFileSync(file, 'utf8')).toBe('{"simple_adder": ');
  });

  it('skips the comparison, saying why, when the old version has numbers but no code', async () => {
    const { ports, measurer } = setup();
    const result = await profileTool(
      input(FIRST, {
        old_version_data: {
          version: '1.0.0',
          metadata: { performance: { execution_time_ms: 0.005 } },
        },
      }),
      ports,
      OPTIONS,
    );
    expect(measurer.calls).toHaveLength(0);
    expect(result.workflow_steps[2]).toMatchObject({
      step: 'regression_evaluation',
      status: 'skipped',
      data: { old_version_reported: { execution_time_ms: 0.005 } },
    });
    expect(result.workflow_steps[2]!.reason).toMatch(/not a baseline/);
    // The bump starts from the version the caller named.
    expect(result.version).toBe('1.0.1');
  });

  it('records the caller’s old version first when the tool is new to the registry', async () => {
    const { ports, registry } = setup();
    const faster = 'def add(a, b):\n    # cost: 50\n    return a + b';
    const result = await profileTool(
      input(faster, withOld({ change_type: 'major' })),
      ports,
      OPTIONS,
    );
    expect(result.status).toBe('completed');
    const entry = (await registry.read())['simple_adder']!;
    expect(entry.versions!.map((v) => v.version)).toEqual(['1.0.0', '2.0.0']);
    expect(entry.versions![0]!.metrics.execution_time_ms).toBeCloseTo(0.0001);
    expect(entry.version).toBe('2.0.0');
  });

  it('re-profiling unchanged code refreshes its numbers under the same version', async () => {
    const { ports, registry, measurer } = setup();
    await profileTool(input(FIRST), ports, OPTIONS);
    const again = await profileTool(input(FIRST), ports, OPTIONS);
    expect(again.status).toBe('completed');
    expect(again.version).toBe('1.0.0');
    expect(measurer.calls).toHaveLength(0);
    const entry = (await registry.read())['simple_adder']!;
    expect(entry.versions!.map((v) => v.version)).toEqual(['1.0.0', '1.0.0']);
  });

  it('judges changed code against the registry’s current version when no old version is given', async () => {
    const { ports, registry, measurer } = setup();
    await profileTool(input(FIRST), ports, OPTIONS);
    const slower = 'def add(a, b):\n    # cost: 300\n    return a + b';
    const result = await profileTool(input(slower), ports, OPTIONS);
    expect(measurer.calls.map((c) => [c.old, c.new])).toEqual([[FIRST, slower]]);
    expect(result.workflow_steps[2]).toMatchObject({
      status: 'completed',
      data: { baseline: 'registry', comparison: { against_version: '1.0.0', time_ratio: 3 } },
    });
    expect(result.status).toBe('rejected');
    expect((await registry.read())['simple_adder']!.metadata.source).toBe(FIRST);
  });

  it('never stores a caller’s version label that is not a semantic version', async () => {
    const { ports, registry } = setup();
    const faster = 'def add(a, b):\n    # cost: 50\n    return a + b';
    const result = await profileTool(
      input(faster, { old_version_data: { code: FIRST, version: 'v2-beta' } }),
      ports,
      OPTIONS,
    );
    expect(result.status).toBe('completed');
    const entry = (await registry.read())['simple_adder']!;
    expect(entry.versions!.map((v) => v.version)).toEqual(['1.0.0', '1.0.1']);
  });

  it('profileFigures reads the score, times and interval of a profile, null where it has none', async () => {
    const { ports } = setup();
    const first = await profileTool(input(FIRST), ports, OPTIONS);
    // A new tool: judged alone (ACCEPT 85), no interval.
    expect(profileFigures(first)).toMatchObject({ score: 85, time_ratio: null, ci_low: null });
    expect(profileFigures(first).time_ms).toBeGreaterThan(0);
    const faster = 'def add(a, b):\n    # cost: 40\n    return a + b';
    const second = await profileTool(input(faster, withOld()), ports, OPTIONS);
    const figures = profileFigures(second);
    expect(figures.score).toBeGreaterThanOrEqual(70);
    expect(figures.time_ratio).toBeLessThan(1);
    expect(figures.ci_low).toBeLessThanOrEqual(figures.time_ratio!);
    expect(figures.ci_high).toBeGreaterThanOrEqual(figures.time_ratio!);
  });

  it.each([
    ['workflow_steps', { workflow_steps: 'none' }, "'workflow_steps' must be an array"],
    [
      'a ratio',
      { workflow_steps: [regressionStep({ comparison: { time_ratio: '0.5' } })] },
      "'workflow_steps[0].data.comparison.time_ratio' must be a number",
    ],
    [
      'a score',
      { workflow_steps: [regressionStep({ evaluation: { score: [90] } })] },
      "'workflow_steps[0].data.evaluation.score' must be a number",
    ],
    ['metadata', { metadata: null }, "'metadata' must be an object"],
  ])('profileFigures names the field of the wrong type: %s', (_, change, message) => {
    const result = { ...profileShell(), ...change } as unknown as ProfileResult;
    expect(() => profileFigures(result)).toThrow(ProfileOutputError);
    expect(() => profileFigures(result)).toThrow(`profile result: ${message}`);
  });

  it('profileFigures takes a non-finite ratio (a failed measurement) as no figure', () => {
    const result = {
      ...profileShell(),
      workflow_steps: [regressionStep({ comparison: { time_ratio: Number.NaN, ci_low: null } })],
    };
    expect(profileFigures(result)).toMatchObject({ time_ratio: null, ci_low: null, ci_high: null });
  });
});

function regressionStep(data: unknown) {
  return { step: 'regression_evaluation' as const, status: 'failed' as const, data };
}

function profileShell(): ProfileResult {
  return {
    tool_id: 't',
    status: 'failed',
    version: null,
    workflow_steps: [],
    metadata: { performance: { execution_time_ms: null, memory_usage_kb: null } },
    registry: 'tools/index.json',
  };
}
