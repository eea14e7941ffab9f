/**
 * The gate on a code_evolver-shaped repository (test/fixtures/code-evolver): real git, real
 * measurer and analyser, the rules judge. Definitions without code collapse into one list; new
 * tools run on their examples; every example shape and input synthesis; tools run inside a
 * checkout of their commit with code_evolver/ as working directory; a listed third-party package
 * is installed once into a venv; an unlisted one is a row error naming it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo } from '../../src/adapters/git.js';
import { createAnalyzer } from '../../src/analyze/index.js';
import { diffAnalyses } from '../../src/core/analysis-diff.js';
import { parseConfig } from '../../src/core/config.js';
import type { Log } from '../../src/core/ports.js';
import type { GateReport, ToolRow } from '../../src/core/report.js';
import { renderComment } from '../../src/core/render.js';
import { createRulesJudge } from '../../src/judge/rules.js';
import { createMeasurer } from '../../src/measure/index.js';
import { sandboxStatus } from '../../src/measure/sandbox.js';
import { run } from '../../src/run.js';
import { CODE_EVOLVER_CONFIG, codeEvolverRepo } from '../helpers/code-evolver.js';
import type { TestRepo } from '../helpers/git-repo.js';

const lines: string[] = [];
const log: Log = {
  debug: () => undefined,
  info: (m) => lines.push(m),
  warn: (m) => lines.push(`warn: ${m}`),
  error: (m) => lines.push(`error: ${m}`),
};

describe('the gate on a code_evolver repository', () => {
  let repo: TestRepo;
  let cache: string;
  let report: GateReport;
  let rows: Record<string, ToolRow>;
  const previousCache = process.env['PERF_VERDICT_VENV_CACHE'];

  beforeAll(async () => {
    repo = codeEvolverRepo();
    cache = mkdtempSync(join(tmpdir(), 'pv-venvs-'));
    process.env['PERF_VERDICT_VENV_CACHE'] = cache;
    const config = parseConfig({ file: { ...CODE_EVOLVER_CONFIG, 'time-budget-seconds': 8 } });
    report = await run(
      config,
      { mode: 'gate', baseRef: 'main', headRef: 'pr', repository: null, pullRequest: null },
      {
        repo: openRepo(repo.dir),
        measurer: createMeasurer(),
        analyzer: createAnalyzer(),
        judge: createRulesJudge(),
        diffAnalyses,
        clock: { now: () => new Date() },
        log,
        monotonicMs: () => performance.now(),
      },
    );
    rows = Object.fromEntries(report.tools.map((r) => [r.id, r]));
  }, 600_000);

  afterAll(() => {
    if (previousCache === undefined) delete process.env['PERF_VERDICT_VENV_CACHE'];
    else process.env['PERF_VERDICT_VENV_CACHE'] = previousCache;
    rmSync(cache, { recursive: true, force: true });
    repo.remove();
  });

  it('lists definitions without code in one collapsed line, never as rows to review', () => {
    expect(report.definitions?.map((d) => [d.id, d.type, d.status])).toEqual([
      ['fetch_page', 'mcp', 'new'],
      ['fix_imports', 'llm', 'new'],
      ['git_status', 'custom', 'new'],
      ['release_notes', 'workflow', 'new'],
      ['summarise', 'llm', 'modified'],
      ['weather', 'openapi', 'modified'],
    ]);
    expect(Object.keys(rows).sort()).toEqual([
      'bad_parser',
      'cron_next',
      'kv_store',
      'needs_example',
      'prompt_echo',
      'run_command',
      'slugify_title',
      'uses_missing',
      'word_stats',
    ]);
    const comment = renderComment(report, {}, 'digest');
    expect(comment).toContain(
      '<details><summary>6 tool definitions changed without code: not measured</summary>',
    );
  });

  it('runs a modified tool inside its checkout: code_evolver/ as working directory, its own package importable', () => {
    const c = rows['word_stats']!.comparison;
    expect(c).not.toBeNull();
    // Both versions import `src.text_utils` from the working directory: outside the checkout
    // they fail at once with "No module named 'src'" (an exception). Whether the budget holds
    // enough process pairs for an interval depends on the machine's load, so only failures of
    // the tool itself are ruled out here.
    for (const side of [c!.old, c!.new]) {
      expect(side.error?.kind ?? 'none', JSON.stringify(side.error)).not.toMatch(
        /exception|invalid_tool/,
      );
      expect(side.error?.traceback ?? '').not.toContain('No module named');
    }
    expect(rows['word_stats']!.input_source).toBe(
      'code_evolver/tools/executable/word_stats.yaml examples (2 inputs, rotated)',
    );
    // Base and head list different requirements: one venv each, installed once before any run.
    expect(
      lines.filter((l) => /^(base|head): dependencies installed into venv \w+$/.test(l)),
    ).toHaveLength(2);
  });

  it('runs new tools on their examples: figures, every shape, ACCEPT', () => {
    for (const id of ['kv_store', 'prompt_echo', 'run_command', 'slugify_title', 'cron_next']) {
      const row = rows[id]!;
      expect(row.status, id).toBe('new');
      expect(row.profile?.error, `${id}: ${JSON.stringify(row.profile?.error)}`).toBeUndefined();
      expect(row.profile!.ns_per_call, id).toBeGreaterThan(0);
      expect(row.profile!.cold_ns, id).toBeGreaterThan(0);
      expect(row.verdict, `${id}: ${row.evaluation?.reasoning}`).toBe('ACCEPT');
    }
    // operation + params, rotated; the YAML names its script by another stem
    expect(rows['kv_store']!.path).toBe('code_evolver/tools/executable/kv_store_manager.py');
    expect(rows['kv_store']!.profile!.inputs).toBe(2);
    // a prompt entry and a plain string wrapped in the schema's one required field
    expect(rows['prompt_echo']!.profile!.inputs).toBe(2);
    expect(rows['slugify_title']!.input_source).toBe('input synthesised from input_schema');
    // In the OS sandbox wherever the platform has one (the checkout and the venv bound read-only).
    expect(rows['cron_next']!.profile!.sandbox?.kind).toBe(sandboxStatus('auto').kind);
  });

  it('a LOW finding (import subprocess) is listed, not weighed', () => {
    const reasoning = rows['run_command']!.evaluation!.reasoning;
    expect(reasoning).toMatch(/below security-fail-on \(listed\): B\d+ \(LOW\)/);
  });

  it('REJECT for a tool failing on its own example; REVIEW "needs an example" for a rejected synthesised input', () => {
    expect(rows['bad_parser']).toMatchObject({ verdict: 'REJECT', status: 'new' });
    expect(rows['bad_parser']!.evaluation!.reasoning).toMatch(/fails on its own example/);
    expect(rows['needs_example']).toMatchObject({ verdict: 'REVIEW', status: 'new' });
    expect(rows['needs_example']!.evaluation!.reasoning).toMatch(
      /needs an example: the tool rejects the input synthesised from input_schema/,
    );
  });

  it('a package nobody lists is a row error naming the package and the file to list it in', () => {
    expect(rows['uses_missing']).toMatchObject({ status: 'error', verdict: 'REVIEW' });
    expect(rows['uses_missing']!.note).toMatch(
      /imports 'padderly', which is not installed: list it in code_evolver\/requirements\.txt/,
    );
  });
});
