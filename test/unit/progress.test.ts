import { describe, expect, it } from 'vitest';
import { createTerminalProgress, formatDuration, progressText } from '../../src/cli/progress.js';
import { estimateLeftMs } from '../../src/domain/ports.js';
import type { Log } from '../../src/domain/ports.js';

function harness(isTTY: boolean) {
  const out: string[] = [];
  let clock = 0;
  const log: Log = {
    debug: () => {},
    info: (m) => out.push(`${m}\n`),
    warn: (m) => out.push(`warning: ${m}\n`),
    error: (m) => out.push(`error: ${m}\n`),
  };
  const progress = createTerminalProgress({
    write: (t) => out.push(t),
    isTTY,
    now: () => clock,
    log,
    everyMs: 60_000,
  });
  return { out, progress, tick: (ms: number) => (clock += ms) };
}

const first = { id: 'dedupe_words', index: 1, total: 3, elapsedMs: 400, leftMs: 60_000 };

describe('gate progress', () => {
  it('not on a terminal: plain lines, no escape codes', () => {
    const { out, progress } = harness(false);
    progress.startTool(first);
    progress.log.info('measuring dedupe_words');
    progress.endTool({ ...first, outcome: 'REJECT', toolMs: 17_000, leftMs: 34_000 });
    progress.stop();
    expect(out.join('')).toBe(
      'tool 1 of 3 · dedupe_words · 0 s elapsed · ~1 m 00 s left\nmeasuring dedupe_words\n',
    );
    expect(out.join('')).not.toContain('\r');
    expect(out.join('')).not.toContain('\u001b');
  });

  it('on a terminal: one line redrawn in place, cleared around log lines and at the end', () => {
    const { out, progress, tick } = harness(true);
    progress.startTool(first);
    tick(12_000);
    progress.log.info('measuring dedupe_words');
    progress.endTool({ ...first, outcome: 'REJECT', toolMs: 17_000, leftMs: 34_000 });
    progress.stop();
    expect(out).toEqual([
      '\r\u001b[2Ktool 1 of 3 · dedupe_words · 0 s elapsed · ~1 m 00 s left',
      '\r\u001b[2K',
      'measuring dedupe_words\n',
      '\r\u001b[2Ktool 1 of 3 · dedupe_words · 12 s elapsed · ~48 s left',
      '\r\u001b[2K',
    ]);
  });

  it('estimates what is left from the pace, bounded by the budget per tool', () => {
    expect(estimateLeftMs([], 3, 20_000)).toBe(60_000);
    expect(estimateLeftMs([5_000, 7_000], 2, 20_000)).toBe(12_000);
    // A slow tool (boot, analysis) cannot push the estimate past 1.2 × budget per tool.
    expect(estimateLeftMs([90_000], 2, 20_000)).toBe(48_000);
    expect(estimateLeftMs([5_000], 0, 20_000)).toBe(0);
  });

  it('formats durations and escapes a hostile id', () => {
    expect(formatDuration(65_400)).toBe('1 m 05 s');
    expect(progressText({ ...first, id: 'a\u001b[31mb\nc' })).toBe(
      'tool 1 of 3 · a[31mb c · 0 s elapsed · ~1 m 00 s left',
    );
  });
});
