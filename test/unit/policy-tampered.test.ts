/**
 * A measurement the gate's own figures contradict (issue 23, src/measure/observe.ts): the
 * comparison's `tampered` caps the row at REVIEW with both figures in the reason, whatever the
 * forged ratio says, and it survives the report read back as untrusted data (the `report` mode
 * judges artifacts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildEvidence, computeBand, recommend } from '../../src/verdict/policy.js';
import { parseUntrustedReport, ReportValidationError } from '../../src/report/artifact.js';
import type { Comparison, Tampering } from '../../src/domain/types.js';
import { comparison } from '../render/fixtures.js';

const cpu: Tampering = { version: 'new', figure: 'cpu', reported: 10.87, observed: 109.58 };
const memory: Tampering = { version: 'new', figure: 'memory', reported: 0.37, observed: 204728 };
const calls: Tampering = { version: 'new', figure: 'calls', reported: 4, observed: 42 };
const wall: Tampering = { version: 'new', figure: 'wall', reported: 9.5, observed: 95.02 };

const band = (c: Comparison) => computeBand(buildEvidence({ comparison: c }), {});

describe('a tampered measurement', () => {
  it.each([
    [cpu, '10.87 ms of CPU time over its samples where the gate saw 109.58 ms'],
    [
      memory,
      'a peak of 0.37 KB for one call where the gate saw its resident memory grow by 204728 KB',
    ],
    [calls, '4 calls for a sample the gate asked 42 calls of'],
    [
      wall,
      '9.5 ms of wall time over its samples where the gate saw it awake 95.02 ms of their round trips',
    ],
  ] as const)('%o: REVIEW at most, both figures named', (tampering, figures) => {
    // The forged figures say "unchanged": ACCEPT without the gate's own.
    const forged = comparison(1.0, 0.99, 1.01, 'unchanged');
    expect(recommend(band(forged).rule_score)).toBe('ACCEPT');
    const b = band({ ...forged, tampered: [tampering] });
    expect(b.hi).toBeLessThan(80);
    expect(recommend(b.rule_score)).toBe('REVIEW');
    expect(b.reasons.join('\n')).toContain(
      `measurement tampered: the new version’s harness reported ${figures}`,
    );
  });

  it('keeps a REJECT the figures earned anyway', () => {
    const b = band({ ...comparison(3, 2.8, 3.2, 'regression'), tampered: [cpu] });
    expect(recommend(b.rule_score)).toBe('REJECT');
    expect(b.reasons.join('\n')).toContain('measurement tampered');
  });
});

const EXAMPLE = JSON.parse(
  readFileSync(new URL('../render/example-report.json', import.meta.url), 'utf8'),
) as { mode: string; tools: { comparison: Record<string, unknown> | null }[] };

function withTampered(tampered: unknown): unknown {
  const report = { ...structuredClone(EXAMPLE), mode: 'measure' };
  const row = report.tools.find((t) => t.comparison !== null)!;
  row.comparison = { ...row.comparison, tampered };
  return report;
}

describe('tampered in a report read back', () => {
  it('is kept as written', () => {
    const parsed = parseUntrustedReport(withTampered([cpu, memory]));
    expect(parsed.tools.map((t) => t.comparison?.tampered).filter(Boolean)).toEqual([
      [cpu, memory],
    ]);
  });

  it('refuses a figure it does not know, naming the field', () => {
    expect(() => parseUntrustedReport(withTampered([{ ...cpu, figure: 'mood' }]))).toThrow(
      ReportValidationError,
    );
    expect(() => parseUntrustedReport(withTampered([{ ...cpu, figure: 'mood' }]))).toThrow(
      /tampered/,
    );
  });
});
