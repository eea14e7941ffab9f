/**
 * What "contained" means for one hostile case, as vitest expectations: shared by the corpus run
 * (corpus.test.ts) and the sandbox through sudo (sudo.test.ts).
 */
import { expect } from 'vitest';
import type { CorpusRun, HostileCase } from './corpus.js';

/** Every check of one case held: nothing read, published, changed, left, reached or forged. */
export function expectContained(c: HostileCase, run: CorpusRun): void {
  const result = run.cases.find((r) => r.id === c.id)!;
  const described = `${c.id}: ${result.verdict ?? '—'} ${result.kind ?? ''} ${result.message} ${result.measured}`;
  expect(result.present, described).toBe(true);
  expect(result.verdict, described).not.toBe('ACCEPT');
  expect(result.forged, described).toBe(false);
  expect(result.stolen ?? 0, described).toBe(0);
  expect(result.published, described).toEqual([]);
  expect(result.changed, described).toEqual([]);
  expect(result.processes, described).toBe(0);
  expect(result.tmpFiles, described).toEqual([]);
  expect(result.connected, described).toBe(false);
  expect(result.contained, described).toBe(true);
  if (c.kinds !== null) expect(c.kinds, described).toContain(result.kind);
  // The attack ran and met the wall (not a typo that failed before it tried).
  if (c.kinds?.includes('exception') === true && result.kind === 'exception')
    expect(result.message, described).toMatch(
      /NOTHING\[0\]|CONNECTED\[0\]|WROTE\[0\]|FORKED\[\d+\]|SPAWNED\[\d+\]|FILLED\[\d+ MB\]|ALLOCATED/,
    );
  // Figures forged inside the tool's process: the gate's own figures void the measurement (when
  // the row was measured at all: on a loaded machine a 1 s budget may end it first); the control
  // and the tricks that no longer reach the figures are never called tampered.
  if (c.tampered === null) expect(result.measured, described).not.toContain('measurement tampered');
  else if (c.tampered !== undefined && result.kind === null)
    expect(result.measured, described).toMatch(new RegExp(`measurement tampered: .*${c.tampered}`));
  // A head fast only where it finds a sign of the benchmark or of its side finds none: measured,
  // the row reads its tenfold slowdown (about 1 had it found one).
  if (c.slowdown === true && result.ratio !== null)
    expect(result.ratio, described).toBeGreaterThan(3);
  // Faster because wrong: the answers compared say so (when the row was measured at all).
  if (c.answers !== undefined && result.kind === null)
    expect(result.measured, described).toContain(c.answers);
  // Gaming the benchmark measures well: the evidence checks, not the sandbox, contain it (where
  // the row was measured: `bench_detect` no longer finds its sign in a neutral path, so its head
  // runs ten times slower and a loaded machine's 1 s budget may end it first).
  if (c.evidence === true && c.state !== true && result.kind === null)
    expect(result.measured, described).toContain('benchmark-gaming');
  // State carried across calls: where the steady state does not show the head clearly slower
  // (the memo's look-ups), the first call in each fresh process must (policy.ts).
  if (c.state === true && result.ciHigh !== null && result.ciHigh < 1.25)
    expect(result.measured, described).toContain('state across calls');
  if (c.path !== undefined) {
    expect(result.verdict).toBe('REVIEW');
    expect(result.message).toContain('cannot be a tool name (the path holds a newline)');
  }
}
