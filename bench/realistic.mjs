// bench/realistic: `perf-verdict gate` on a generated code_evolver-shaped repository whose PR
// changes 100+ paths like the issue-17 figures: about two-thirds tool definitions without code
// (YAML of type llm, openapi, custom, mcp, workflow), new executable tools, modified ones, every
// example shape (input, inputs, JSON strings, operation + params, prompt, string lists), tools
// with only an input_schema, tools importing the repository's own package from the working
// directory, tools importing subprocess (bandit LOW). Prints rows measured / skipped by reason /
// NONE (definitions), the verdicts, the wall time and the load average.
// Targets (issue 17): every code tool with an example or an input_schema measured (skipped only
// for a stated, fixable reason, <= 10 % of code tools); definitions produce no REVIEW; no REJECT
// from LOW findings; wall <= 3 min at the default budget.
//   npm run build && node bench/realistic.mjs [--budget S] [--total S] [--rows] [--keep]
//   (--total: total-budget-seconds; --rows: one line per row; --keep: leave the repository;
//   PERF_VERDICT_DIST=dir: another build)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { benchCli, benchRepository } from './gate.mjs';

const cli = benchCli;
const option = (name) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? null : process.argv[at + 1];
};
const budget = option('budget');
const total = option('total');
const fixture = benchRepository('pv-bench-realistic-');
const { dir: repo, env, git } = fixture;

const T = 'code_evolver/tools';
const base = {
  '.perf-verdict.yml': [
    'tools:',
    '  - "code_evolver/tools/**"',
    'working-directory:',
    '  "code_evolver/tools/**": code_evolver',
    'requirements:',
    '  - code_evolver/requirements.txt',
    ...(total === null ? [] : [`total-budget-seconds: ${total}`]),
    '',
  ].join('\n'),
  'code_evolver/requirements.txt': '# nothing third-party for these tools\n',
  'code_evolver/src/__init__.py': '',
  'code_evolver/src/text_utils.py':
    'def words(text):\n    return [w for w in str(text).split() if w]\n\n\ndef counts(items):\n    out = {}\n    for item in items:\n        out[item] = out.get(item, 0) + 1\n    return out\n',
};
const head = {};

// ---- definitions without code: 61 changed YAMLs (31 modified, 30 new)
const TYPES = ['llm', 'openapi', 'custom', 'mcp', 'workflow'];
for (let i = 0; i < 61; i++) {
  const type = TYPES[i % TYPES.length];
  const path = `${T}/${type}/def_${i}.yaml`;
  const body = (v) =>
    `name: "Definition ${i}"\ntype: "${type}"\ndescription: "A ${type} tool, revision ${v}"\n${type}:\n  note: "binding ${i}"\n`;
  if (i % 2 === 0) base[path] = body(1);
  head[path] = body(2);
}

// ---- code tools: executable YAML + Python script, every example shape
const script = (work, extra = '') =>
  `#!/usr/bin/env python3\nimport json\nimport sys\n${extra}\n\ndef main():\n    data = json.load(sys.stdin)\n${work}\n\n\nif __name__ == "__main__":\n    main()\n`;
const WORK = (n) =>
  `    text = " ".join(str(v) for v in data.values()) * ${n}\n    seen = {}\n    for w in text.split():\n        seen[w] = seen.get(w, 0) + 1\n    print(json.dumps({"words": len(seen)}))`;
const REPO_WORK = (n) =>
  `    print(json.dumps({"top": sorted(counts(words(" ".join(str(v) for v in data.values()) * ${n})).items())[:3]}))`;
const REPO_IMPORT =
  "\nsys.path.insert(0, '.')\nfrom src.text_utils import counts, words  # noqa: E402";
const SUBPROCESS_IMPORT =
  '\nimport subprocess  # noqa: F401  (runs commands when asked; not on the example)';

const SHAPES = [
  ['input', 'examples:\n  - input: {text: "a b c a", n: 2}\n'],
  ['json-string', 'examples:\n  - input: \'{"text": "x y x"}\'\n'],
  ['inputs', 'examples:\n  - inputs: {query: "select", limit: 3}\n'],
  ['operation', 'examples:\n  - operation: put\n    params: {key: k1, value: "v v"}\n'],
  ['prompt', 'examples:\n  - prompt: "Write three words"\n    expected_output: "three words"\n'],
  [
    'strings',
    'input_schema:\n  prompt: {type: string, required: true}\nexamples:\n  - "Name two rivers"\n  - "Name two hills"\n',
  ],
  [
    'schema-only',
    'input_schema:\n  title: {type: string, required: true}\n  mode: {type: string, required: true, enum: [fast, slow]}\n  count: {type: integer, default: 2}\n',
  ],
  [
    'two-examples',
    'examples:\n  - input: {text: "short"}\n  - input: {text: "a much longer text with many words in it"}\n',
  ],
  [
    'usage',
    'examples:\n  - name: from usage\n    usage: |\n      # call it like this\n      {"text": "u v w"}\n',
  ],
];
const yaml = (name, shape) =>
  `name: "${name}"\ntype: "executable"\ndescription: "Tool ${name}"\nexecutable:\n  command: "python"\n  args: ["{tool_dir}/${name}.py"]\n  stdin_mode: true\n${shape}`;

const stats = { newCode: 0, modifiedCode: 0, noInput: 0 };
// 19 new tools
for (let i = 0; i < 19; i++) {
  const name = `new_tool_${i}`;
  const [, shape] = SHAPES[i % SHAPES.length];
  const noInput = i === 18; // one new tool with neither example nor schema
  const extra = i % 6 === 1 ? SUBPROCESS_IMPORT : i % 6 === 4 ? REPO_IMPORT : '';
  const work = i % 6 === 4 ? REPO_WORK(20) : WORK(20);
  head[`${T}/executable/${name}.yaml`] = yaml(name, noInput ? '' : shape);
  head[`${T}/executable/${name}.py`] = script(work, extra);
  stats.newCode++;
  if (noInput) stats.noInput++;
}
// 10 modified tools (the script changes; 3 get slower)
for (let i = 0; i < 10; i++) {
  const name = `mod_tool_${i}`;
  const [, shape] = SHAPES[(i + 3) % SHAPES.length];
  const extra = i % 4 === 2 ? REPO_IMPORT : i % 4 === 3 ? SUBPROCESS_IMPORT : '';
  const work = (n) => (i % 4 === 2 ? REPO_WORK(n) : WORK(n));
  base[`${T}/executable/${name}.yaml`] = yaml(name, shape);
  base[`${T}/executable/${name}.py`] = script(work(20), extra);
  head[`${T}/executable/${name}.py`] = script(`    # revised\n${work(i < 3 ? 400 : 20)}`, extra);
  stats.modifiedCode++;
}

try {
  git('init', '-q', '-b', 'main');
  fixture.commit(base, 'base');
  git('checkout', '-q', '-b', 'pr');
  fixture.commit(head, 'head');
  const changedPaths = git('diff', '--name-only', 'main', 'pr').toString().trim().split('\n');
  const load0 = loadavg();
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [
      cli,
      'gate',
      '--base',
      'main',
      '--head',
      'pr',
      '--json',
      join(repo, 'report.json'),
      ...(budget === null ? [] : ['--budget', budget]),
    ],
    { cwd: repo, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const wallS = (performance.now() - started) / 1000;
  const load1 = loadavg();
  if (run.status !== 0 && run.status !== 1 && run.status !== 2) {
    process.stderr.write(run.stderr);
    throw new Error(`gate exited ${run.status}`);
  }
  const report = JSON.parse(readFileSync(join(repo, 'report.json'), 'utf8'));
  const rows = report.tools;
  const measured = rows.filter(
    (r) =>
      (r.comparison !== null &&
        r.comparison.old.error === undefined &&
        r.comparison.new.error === undefined) ||
      (r.profile !== null && r.profile !== undefined && r.profile.error === undefined),
  );
  const failed = rows.filter(
    (r) =>
      (r.comparison !== null &&
        (r.comparison.old.error !== undefined || r.comparison.new.error !== undefined)) ||
      (r.profile?.error !== undefined && r.profile !== null && r.profile !== undefined),
  );
  const notRun = rows.filter((r) => !measured.includes(r) && !failed.includes(r));
  const reasons = {};
  for (const r of notRun) {
    const why = (r.note ?? r.evaluation?.band?.reasons?.[0] ?? 'no note')
      .replace(/[`'"].*$/, '')
      .slice(0, 70);
    reasons[why] = (reasons[why] ?? 0) + 1;
  }
  const verdicts = {};
  for (const r of rows) verdicts[r.verdict ?? 'none'] = (verdicts[r.verdict ?? 'none'] ?? 0) + 1;
  const lowRejects = rows.filter(
    (r) =>
      r.verdict === 'REJECT' &&
      (r.evaluation?.band?.reasons ?? []).some((x) => /security/.test(x)) &&
      !(r.analysis_new?.security?.issues ?? []).some((f) => f.severity !== 'LOW'),
  );
  const codeTools = stats.newCode + stats.modifiedCode;
  const out = {
    changed_paths: changedPaths.length,
    definitions_changed: 61,
    code_tools: { new: stats.newCode, modified: stats.modifiedCode },
    gate_verdict: report.verdict,
    rows: rows.length,
    measured: measured.length,
    failed_on_own_input: failed.length,
    skipped_or_not_run: notRun.length,
    skipped_by_reason: reasons,
    skipped_share_of_code_tools: `${((notRun.length / codeTools) * 100).toFixed(1)} %`,
    none_definitions: report.definitions?.length ?? 0,
    definition_rows_with_review: rows.filter((r) => /definition without code/.test(r.note ?? ''))
      .length,
    verdicts,
    rejects_from_low_findings_only: lowRejects.length,
    wall_s: Math.round(wallS * 10) / 10,
    measure_s: Math.round(report.measure_ms / 100) / 10,
    budget_per_tool_s: report.settings.time_budget_seconds,
    total_budget_s: total === null ? 'unset' : Number(total),
    wall_target: `<= 180 s at the default budget: ${wallS <= 180 ? 'OK' : 'OVER'}`,
    loadavg_before: load0.map((l) => l.toFixed(2)).join(' '),
    loadavg_after: load1.map((l) => l.toFixed(2)).join(' '),
  };
  process.stdout.write(`${run.stdout.split('\n')[0]}\n${JSON.stringify(out, null, 2)}\n`);
  const timeOf = (r) => {
    const t = r.comparison?.time;
    if (t === undefined) return '';
    const d = r.comparison.diagnostics;
    return `×${t.ratio.toFixed(2)} [${t.ci_low.toFixed(2)}, ${t.ci_high.toFixed(2)}] ${t.change}, ${t.pairs} pairs, stopped ${d?.stopped ?? '?'}; `;
  };
  const detail = rows.map(
    (r) =>
      `${r.id.padEnd(14)} ${r.status.padEnd(9)} ${(r.verdict ?? '-').padEnd(7)} ${timeOf(r)}${(r.note ?? r.evaluation?.band?.reasons?.[0] ?? r.input_source ?? '').slice(0, 110)}`,
  );
  if (process.argv.includes('--rows')) process.stdout.write(`${detail.join('\n')}\n`);
} finally {
  if (process.argv.includes('--keep')) process.stdout.write(`kept: ${repo}\n`);
  else fixture.remove();
}
