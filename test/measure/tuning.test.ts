/**
 * The measurement's tuning knobs (src/measure/tuning.ts): read from the environment in the wiring
 * only (`measureTuning`), then passed down to the children and the pair protocol.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/domain/errors.js';
import type { ToolVersion } from '../../src/domain/types.js';
import { createMeasurer, DEFAULT_TUNING } from '../../src/measure/index.js';
import type { MeasureTuning } from '../../src/measure/index.js';
import { cleanup, prepareVersion } from '../../src/measure/launch.js';
import { measureTuning } from '../../src/wiring.js';

describe('measureTuning: the knobs from the environment', () => {
  it('is the documented protocol when no knob is set, or a knob is empty', () => {
    expect(measureTuning({})).toEqual(DEFAULT_TUNING);
    expect(measureTuning({ PERF_VERDICT_GC: '', PATH: '/usr/bin' })).toEqual(DEFAULT_TUNING);
  });

  it('reads every knob', () => {
    expect(
      measureTuning({
        PERF_VERDICT_PIN: 'off',
        PERF_VERDICT_ASLR: 'on',
        PERF_VERDICT_TIMER: 'wall',
        PERF_VERDICT_MAGLEV: 'on',
        PERF_VERDICT_GC: 'pyperf',
        PERF_VERDICT_OBSERVE: 'off',
      }),
    ).toEqual({
      pin: false,
      aslr: 'on',
      timer: 'wall',
      maglev: true,
      gc: 'pyperf',
      observe: false,
    });
  });

  it.each([
    [
      'PERF_VERDICT_GC',
      'fast',
      "'PERF_VERDICT_GC' must be one of align, pyperf, none but got 'fast'",
    ],
    ['PERF_VERDICT_PIN', '0', "'PERF_VERDICT_PIN' must be one of on, off but got '0'"],
    ['PERF_VERDICT_TIMER', 'cpu', "'PERF_VERDICT_TIMER' must be one of auto, wall but got 'cpu'"],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    expect(() => measureTuning({ [name]: value })).toThrow(ConfigError);
    expect(() => measureTuning({ [name]: value })).toThrow(message);
  });
});

describe('the tuning reaches the children and the protocol', () => {
  it("a JS child's V8 flags and the harness's GC policy follow it", () => {
    const version: ToolVersion = {
      code: 'export default () => 1;\n',
      language: 'javascript',
      mode: 'function',
      testInput: {},
    };
    const cases: [MeasureTuning, boolean, string][] = [
      [DEFAULT_TUNING, true, 'align'],
      [{ ...DEFAULT_TUNING, maglev: true, gc: 'none' }, false, 'none'],
    ];
    for (const [tuning, noMaglev, gc] of cases) {
      const prepared = prepareVersion(version, null, { tuning });
      try {
        expect(prepared.args.includes('--no-maglev')).toBe(noMaglev);
        expect((JSON.parse(readFileSync(prepared.configPath, 'utf8')) as { gc: string }).gc).toBe(
          gc,
        );
      } finally {
        cleanup(prepared);
      }
    }
  });

  it('a comparison under the bench tuning runs on the wall clock, unplaced and unobserved, and says so', async () => {
    const tool: ToolVersion = {
      code: 'def f(n):\n    return sum(range(n))\n',
      language: 'python',
      mode: 'function',
      testInput: { n: 2000 },
    };
    const options = { budgetMs: 5000, confidence: 0.99, delta: 0.02 };
    const bench: MeasureTuning = {
      ...DEFAULT_TUNING,
      pin: false,
      aslr: 'on',
      timer: 'wall',
      observe: false,
    };
    const tuned = await createMeasurer(bench).compare(tool, tool, options);
    expect(tuned.new.error).toBeUndefined();
    expect(tuned.time.pairs).toBeGreaterThanOrEqual(1);
    expect(tuned.diagnostics).toMatchObject({ timer: 'wall', pinned: false, aslr: 'on' });
    expect(tuned.old.observed?.cpu_share ?? null).toBeNull();
    expect(tuned.new.observed?.cpu_share ?? null).toBeNull();
    // The same pair under the protocol is observed where /proc shows the harness (Linux).
    if (process.platform === 'linux') {
      const observed = await createMeasurer(DEFAULT_TUNING).compare(tool, tool, options);
      expect(observed.time.pairs).toBeGreaterThanOrEqual(1);
      expect(observed.new.observed?.cpu_share).toEqual(expect.any(Number));
    }
  }, 30_000);
});
