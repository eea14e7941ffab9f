/**
 * A pair of versions that both fail (src/measure/protocol.ts): both sides make their first call,
 * so the measurement says both failed, and a failing head is judged by whether the base runs.
 */
import { describe, expect, it } from 'vitest';
import type { ToolVersion } from '../../src/domain/types.js';
import { createMeasurer } from '../../src/measure/index.js';

describe('a pair where both versions fail', () => {
  // The first call's order is a coin: before both sides made their first call whatever the other
  // did, the side called second never ran when the first failed, and half the time a pair of two
  // failing versions read as "the head fails where the base runs" (REJECT 0 instead of REVIEW).
  it('reports both failures, whichever side is called first', async () => {
    const failing = (message: string): ToolVersion => ({
      code: `def f(n):\n    raise ValueError('${message}')\n`,
      language: 'python',
      mode: 'function',
      testInput: { n: 1 },
    });
    for (let i = 0; i < 4; i++) {
      const c = await createMeasurer().compare(failing('old'), failing('new'), {
        budgetMs: 5000,
        confidence: 0.99,
        delta: 0.02,
      });
      expect(c.old.error?.message, `run ${i}`).toMatch(/old/);
      expect(c.new.error?.message, `run ${i}`).toMatch(/new/);
    }
  }, 60_000);
});
