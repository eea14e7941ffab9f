/**
 * Globs that find the tools, through the bundled `gate` CLI under Node 24 in real repositories
 * with no config file (the defaults): code_evolver's layout (`code_evolver/tools/…`) is gated;
 * a changed tool the globs miss (code beside a YAML with `executable:`) is not a bare NONE — the
 * headline names the file and the config line to add.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GateReport } from '../../src/report/model.js';
import { runBuiltCli } from '../helpers/cli.js';
import { createRepo, type TestRepo } from '../helpers/git-repo.js';
import { node24 } from '../helpers/node24.js';

const repos: TestRepo[] = [];
afterAll(() => {
  for (const r of repos) r.remove();
});

/** A repository with `files` on main and `changed` on the PR branch; the gate's run and report. */
function gate(files: Record<string, string>, changed: Record<string, string>) {
  const repo = createRepo('pv-globs-');
  repos.push(repo);
  repo.commit('base', files);
  repo.git('checkout', '-q', '-b', 'pr');
  repo.commit('head', changed);
  const run = runBuiltCli(
    ['gate', '--base', 'main', '--budget', '2', '--json', 'report.json', '--sandbox', 'off'],
    '',
    { node: node24(), cwd: repo.dir, timeoutMs: 120_000 },
  );
  const report = JSON.parse(readFileSync(join(repo.dir, 'report.json'), 'utf8')) as GateReport;
  return { run, report };
}

/** A tool as code_evolver keeps one: a YAML spec with an example, and its script. */
const SPEC = [
  'name: "Ratio"',
  'type: "executable"',
  'executable:',
  '  command: "python"',
  '  args: ["{tool_dir}/ratio.py"]',
  '  stdin_mode: true',
  'examples:',
  '  - input: {values: [4, 8, 16]}',
  '',
].join('\n');
const RATIO =
  'import json, sys\nprint(json.dumps([x / 2 for x in json.load(sys.stdin)["values"]]))\n';

describe('the default tool globs', () => {
  it('gate code_evolver/tools/**: a changed tool there is measured, not NONE', () => {
    const { report } = gate(
      { 'code_evolver/tools/m/ratio.yaml': SPEC, 'code_evolver/tools/m/ratio.py': RATIO },
      { 'code_evolver/tools/m/ratio.py': `${RATIO}# tuned\n` },
    );
    expect(report.verdict).not.toBe('NONE');
    expect(report.tools.map((t) => [t.id, t.path, t.status])).toEqual([
      ['ratio', 'code_evolver/tools/m/ratio.py', 'modified'],
    ]);
    expect(report.tools[0]!.comparison?.new.error).toBeUndefined();
  }, 180_000);

  it('a tool they miss: the headline names it and the line to add', () => {
    const spec = 'name: shout\nexecutable:\n  command: python3 shout.py\n';
    const { run, report } = gate(
      { 'lib/agent/tools/text/shout.yaml': spec, 'lib/agent/tools/text/shout.py': 'print(1)\n' },
      { 'lib/agent/tools/text/shout.py': 'print(2)\n' },
    );
    expect(report.verdict).toBe('NONE');
    expect(report.unmatched).toEqual({
      paths: ['lib/agent/tools/text/shout.py'],
      glob: 'lib/agent/tools/**',
    });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      'perf-verdict: ⚪ NONE — no tools glob matches `lib/agent/tools/text/shout.py`, which looks like a tool (code beside a YAML with `executable:` or `type:`): add `- "lib/agent/tools/**"` under `tools:` in .perf-verdict.yml (or the `tools` input), beside the globs you keep',
    );
  }, 180_000);

  it('a changed file that is no tool anywhere is still a plain NONE', () => {
    const { run, report } = gate({ 'src/app.py': 'x = 1\n' }, { 'src/app.py': 'x = 2\n' });
    expect(report.unmatched).toBeUndefined();
    expect(run.stdout.split('\n')[0]).toBe(
      'perf-verdict: ⚪ NONE — no tool changed in this pull request',
    );
  }, 180_000);
});
