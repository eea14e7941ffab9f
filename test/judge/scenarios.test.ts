/**
 * The labelled scenarios (the guide's examples and Common Scenarios rows, each in several
 * wordings, plus intent and knob cases) through the rules judge and through the Ollama judge with
 * a fake model that always answers 100 / ACCEPT or always 0 / REJECT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../bench/judge-scenarios.js';
import { createJudge, rulesJudge } from '../../src/judge/index.js';
import { DEFAULT_MODEL, startFakeOllama, verdictJson } from '../helpers/fake-ollama.js';
import type { FakeOllama } from '../helpers/fake-ollama.js';

let always100: FakeOllama;
let always0: FakeOllama;
beforeAll(async () => {
  always100 = await startFakeOllama({
    reply: () => ({
      kind: 'content',
      content: verdictJson(100, 'ACCEPT', 'Justified. Score 100.'),
    }),
  });
  always0 = await startFakeOllama({
    reply: () => ({ kind: 'content', content: verdictJson(0, 'REJECT', 'Unjustified.') }),
  });
});
afterAll(async () => {
  await always100.close();
  await always0.close();
});

const judgeAt = (host: string) =>
  createJudge({ host, model: DEFAULT_MODEL, digest: null, headers: {}, timeoutSeconds: 10 });

describe('the labelled scenarios', () => {
  it('are at least 40, and every guide row comes in at least 3 wordings', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(40);
    const rows = new Map<string, number>();
    for (const s of SCENARIOS) {
      const row = s.guide?.replace(/ \(.*\)$/, '').replace(/^Example (\d)$/, 'Example $1');
      if (row !== undefined) rows.set(row, (rows.get(row) ?? 0) + 1);
    }
    for (const row of [
      'Common: Security improvement',
      'Common: Refactoring',
      'Common: Bug fix',
      'Common: Optimization failure',
      'Common: No changes',
      'Common: Feature addition',
      'Example 3',
    ]) {
      expect(rows.get(row) ?? 0, row).toBeGreaterThanOrEqual(3);
    }
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const rules = await rulesJudge.evaluate(scenario.input);
    expect(rules.recommendation).toBe(scenario.label);

    const high = await judgeAt(always100.url).evaluate(scenario.input);
    const low = await judgeAt(always0.url).evaluate(scenario.input);
    expect(high.judge).toBe('ollama');
    expect(low.judge).toBe('ollama');
    // The model's score is clamped to the rules' band, so the band decides how far it moves.
    expect(high.score).toBe(rules.band.hi);
    expect(low.score).toBe(rules.band.lo);
    if (scenario.label === 'REJECT') {
      // REJECT stays REJECT whatever the model says.
      expect(high.score).toBeLessThanOrEqual(30);
      expect(high.recommendation).toBe('REJECT');
    }
  });
});
