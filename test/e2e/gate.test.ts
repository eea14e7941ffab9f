/**
 * `perf-verdict gate` end to end: the bundled CLI on a real repository built from examples/ (the
 * same history `npm run demo` builds), with the real measurer, analyser and rules judge.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { DIST } from './action-helpers.js';

function gate(args: string[], cwd: string) {
  return spawnSync(process.execPath, [join(DIST, 'cli/index.js'), 'gate', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
  });
}

describe('perf-verdict gate on the example tools', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = createRepo();
    cpSync(join(ROOT, 'examples/tools'), join(repo.dir, 'tools'), { recursive: true });
    repo.commit('base', {});
    repo.git('checkout', '-q', '-b', 'pr');
    cpSync(join(ROOT, 'examples/head'), repo.dir, { recursive: true });
    repo.commit('evolve', {});
  });
  afterAll(() => repo.remove());

  it('prints the table with one REJECT, one ACCEPT and a security fix, and exits 1', () => {
    const run = gate(
      [
        '--base',
        'main',
        '--head',
        'pr',
        '--json',
        'report.json',
        '--markdown',
        'comment.md',
        '--budget',
        '10',
      ],
      repo.dir,
    );
    // On a failure, say which tool moved and why (the judge's reasons from the report).
    const why = (() => {
      try {
        const r = JSON.parse(readFileSync(join(repo.dir, 'report.json'), 'utf8')) as {
          tools: { id: string; verdict: string; evaluation?: { reasoning?: string } }[];
        };
        return r.tools
          .map((t) => `${t.id} ${t.verdict}: ${t.evaluation?.reasoning ?? ''}`)
          .join('\n');
      } catch {
        return run.stdout + run.stderr;
      }
    })();
    expect(run.stdout.split('\n')[0], why).toBe(
      'perf-verdict: ❌ REJECT — 1 rejected, 2 accepted (3 changed tools)',
    );
    const rows = run.stdout.split('\n').filter((l) => l.startsWith('| **'));
    expect(rows).toHaveLength(3);
    // Base and head time per call, then the change: a percentage, or from 2× on a factor.
    const time = String.raw`[\d.]+\s[nµm]?s`;
    expect(rows[0]).toMatch(
      new RegExp(
        String.raw`^\| \*\*dedupe_words\*\* \| ${time} \| ${time} \| (\+\d+\s% \(\+\d+ to \+\d+\s%\)|[\d.]+×\sslower \([\d.]+ to [\d.]+×\)) \| .*❌\sREJECT\s\d+ \|$`,
      ),
    );
    expect(rows.find((r) => r.includes('**checksum**'))).toMatch(
      new RegExp(
        String.raw`^\| \*\*checksum\*\* \| ${time} \| ${time} \| (−\d+\s% \(|[\d.]+×\sfaster \().*✅\sACCEPT\s\d+ \|$`,
      ),
    );
    expect(rows.find((r) => r.includes('**parse_settings**'))).toMatch(
      /🔒\s1 fixed: B307 \| ✅\sACCEPT\s\d+ \|$/,
    );
    expect(run.status).toBe(1);
    const report = JSON.parse(readFileSync(join(repo.dir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({
      schema: 'perf-verdict/report',
      mode: 'gate',
      verdict: 'REJECT',
    });
    // Each version names the runtime that ran it (Python's, or the gate's own Node 24 for JS).
    for (const tool of report.tools)
      for (const side of [tool.comparison.old, tool.comparison.new])
        expect(side.runtime, tool.id).toMatch(/^(Python 3\.\d+\.\d+|Node v24\.\d+\.\d+)$/);
    const comment = readFileSync(join(repo.dir, 'comment.md'), 'utf8');
    expect(comment).toContain('### Details');
    expect(comment).toMatch(/^- ran on (Python 3\.\d+\.\d+|Node v24\.\d+\.\d+)$/m);
  }, 300_000);

  it('exits 2 on REVIEW (a changed tool with no test input) and names a bad ref', () => {
    const review = createRepo();
    try {
      review.commit('base', { 'tools/bare.py': 'def bare(x):\n    return x\n' });
      review.git('checkout', '-q', '-b', 'pr');
      review.commit('change', { 'tools/bare.py': 'def bare(x):\n    return x + 0\n' });
      const run = gate(['--base', 'main'], review.dir);
      expect(run.stdout).toMatch(/\| \*\*bare\*\* \(skipped\) .*🟡\sREVIEW \|/);
      expect(run.stdout).toContain('bare: not measured: no test input');
      expect(run.status).toBe(2);
      const bad = gate(['--base', 'no-such-branch'], review.dir);
      expect(bad.status).toBe(1);
      expect(JSON.parse(bad.stdout)).toMatchObject({ success: false, error: { kind: 'git' } });
      expect(JSON.parse(bad.stdout).error.message).toContain("cannot resolve 'no-such-branch'");
    } finally {
      review.remove();
    }
  }, 120_000);
});
