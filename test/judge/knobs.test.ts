/** The policy knobs in config, inputs and flags: max-slowdown, noise-zone, intent. */
import { describe, expect, it } from 'vitest';
import { measured } from '../../bench/judge-scenarios.js';
import { parseConfig } from '../../src/config/config.js';
import { rulesJudge } from '../../src/judge/index.js';

describe('config: max-slowdown, noise-zone, intent', () => {
  it('reads percentages and fractions, file and input (input wins)', () => {
    const config = parseConfig({
      file: { 'max-slowdown': '25%', 'noise-zone': 0.03, intent: 'optimization' },
      inputs: { intent: 'off' },
    });
    expect(config.maxSlowdown).toBeCloseTo(0.25);
    expect(config.delta).toBeCloseTo(0.03);
    expect(config.intent).toBe('off');
  });

  it('defaults: no limit, δ 2 % (from delta), intent auto; noise-zone wins over delta', () => {
    const config = parseConfig({});
    expect([config.maxSlowdown, config.delta, config.intent]).toEqual([null, 0.02, 'auto']);
    expect(parseConfig({ file: { delta: 0.05, 'noise-zone': '1%' } }).delta).toBeCloseTo(0.01);
    expect(parseConfig({ file: { delta: 0.05 } }).delta).toBeCloseTo(0.05);
  });

  it.each([
    ['max-slowdown', '25'],
    ['max-slowdown', 'a lot'],
    ['noise-zone', '80%'],
    ['intent', 'speed'],
  ])('names the field for a bad %s: %s', (key, value) => {
    expect(() => parseConfig({ inputs: { [key]: value } })).toThrow(key);
  });
});

describe('the knobs reach the judge', () => {
  const input = {
    evidence: measured(1.2, 1.17, 1.23, 'regression'),
    claims: { feature_additions: ['Type validation'] },
    old_code: 'def add(a, b): return a + b',
    new_code: 'def add(a, b):\n    check(a); check(b)\n    return a + b',
  };
  it('max-slowdown 10 % REJECTs +20 % [+17 %, +23 %] with features; without it REVIEW', async () => {
    const config = parseConfig({ inputs: { 'max-slowdown': '10%' } });
    const policy = {
      maxSlowdown: config.maxSlowdown,
      noiseZone: config.delta,
      intent: config.intent,
    };
    expect((await rulesJudge.evaluate({ ...input, policy })).recommendation).toBe('REJECT');
    expect((await rulesJudge.evaluate(input)).recommendation).toBe('REVIEW');
  });
});
