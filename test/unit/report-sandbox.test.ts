/**
 * The sandbox a measurement ran in survives the report's untrusted-data validation (a sharded
 * Action run reads the measure jobs' reports back through it): `via: sudo` is kept, an unknown
 * `via` is refused.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseUntrustedReport, ReportValidationError } from '../../src/report/artifact.js';

const EXAMPLE = JSON.parse(
  readFileSync(new URL('../render/example-report.json', import.meta.url), 'utf8'),
) as { mode: string; tools: { comparison: Record<string, unknown> | null }[] };

function withSandbox(sandbox: unknown): unknown {
  // As a measure job writes it (only those are artifacts).
  const report = { ...structuredClone(EXAMPLE), mode: 'measure' };
  const row = report.tools.find((t) => t.comparison !== null)!;
  row.comparison = { ...row.comparison, sandbox };
  return report;
}

describe('the recorded sandbox in a report read back', () => {
  it('keeps bwrap started through sudo -n (via: sudo)', () => {
    const parsed = parseUntrustedReport(
      withSandbox({ mode: 'required', kind: 'bwrap', via: 'sudo', reason: null }),
    );
    const sandboxes = parsed.tools.map((t) => t.comparison?.sandbox).filter(Boolean);
    expect(sandboxes).toEqual([{ mode: 'required', kind: 'bwrap', via: 'sudo' }]);
  });

  it('keeps a root start as it was (no via)', () => {
    const parsed = parseUntrustedReport(withSandbox({ mode: 'auto', kind: 'bwrap', reason: null }));
    const sandboxes = parsed.tools.map((t) => t.comparison?.sandbox).filter(Boolean);
    expect(sandboxes).toEqual([{ mode: 'auto', kind: 'bwrap' }]);
  });

  it('refuses a via it does not know', () => {
    expect(() =>
      parseUntrustedReport(withSandbox({ mode: 'auto', kind: 'bwrap', via: 'doas', reason: null })),
    ).toThrow(ReportValidationError);
    expect(() =>
      parseUntrustedReport(withSandbox({ mode: 'auto', kind: 'bwrap', via: 'doas', reason: null })),
    ).toThrow(/via/);
  });
});
