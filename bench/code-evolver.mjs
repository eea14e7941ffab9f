// bench/code-evolver (issue 24's target on real history): `perf-verdict gate` over a stretch of a
// code_evolver repository's history, with the configuration docs/code-evolver.md gives, and per
// row what the issue asks of it: no REJECT a reading of the diff does not support (the REJECT
// rows are listed with their reason and the diff's size, to be read), no "syntax error" row for
// a file Python compiles (each such row's file is compiled with python3 here), every modified
// tool measured on an input both versions accept or marked "no working input".
//
//   npm run build && node bench/code-evolver.mjs <clone> [--base REV] [--head REV] [--budget S]
//     [--total S] [--requirements] [--json FILE] [--keep]
//
// <clone>: a local clone of github.com/scottgal/mostlylucid.dse (bare or not): nothing is fetched,
// the network is never needed. Default stretch 4d1bdf6..7815fc3 (2025-11-17/18, 92 commits: the
// test generators, the HTTP clients with a BOM, workflow_runner and 86 new tools). The config is
// docs/code-evolver.md's; its `requirements` (pip from the package index) only with
// --requirements, as this machine has no network: without it tools run on the system python's
// packages, and one that imports a missing package is a row that says so. --budget: the per-tool
// time-budget-seconds (default 5: 80+ tools at 20 s would take half an hour). PERF_VERDICT_DIST=dir
// runs another build.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchCli } from './gate.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at === -1 ? fallback : argv[at + 1];
};
const clone = argv[0] !== undefined && !argv[0].startsWith('--') ? resolve(argv[0]) : null;
if (clone === null) {
  process.stderr.write('usage: node bench/code-evolver.mjs <clone> [--base REV] [--head REV] …\n');
  process.exit(2);
}
const BASE = option('base', '4d1bdf6');
const HEAD = option('head', '7815fc3');
const BUDGET = Number(option('budget', '5'));
const TOTAL = option('total', null);
const jsonOut = option('json', null);

const config = [
  'tools:',
  '  - "code_evolver/tools/**"',
  'working-directory:',
  '  "code_evolver/tools/**": code_evolver',
  ...(argv.includes('--requirements')
    ? ['requirements:', '  - code_evolver/requirements.txt', 'install-sources: [local]']
    : []),
  'definitions: list',
  'security-fail-on: high',
  `time-budget-seconds: ${BUDGET}`,
  ...(TOTAL === null ? [] : [`total-budget-seconds: ${TOTAL}`]),
  '',
].join('\n');

const work = mkdtempSync(join(tmpdir(), 'pv-bench-ce-'));
const repo = join(work, 'repo');
const git = (...args) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: 'pipe' });
try {
  // A repository of two commits, the stretch's base and head trees (a snapshot clone may lack
  // its largest blobs, data files no tool reads: those paths are left out, and said).
  const source = join(work, 'source');
  execFileSync('git', ['clone', '-q', '--shared', '--no-checkout', clone, source], {
    stdio: 'pipe',
  });
  const src = (...args) =>
    execFileSync('git', args, { cwd: source, encoding: 'utf8', stdio: 'pipe' });
  execFileSync('git', ['init', '-q', '-b', 'main', repo], { stdio: 'pipe' });
  const env = {
    GIT_AUTHOR_NAME: 'b',
    GIT_AUTHOR_EMAIL: 'b@e',
    GIT_COMMITTER_NAME: 'b',
    GIT_COMMITTER_EMAIL: 'b@e',
  };
  for (const [rev, branch] of [
    [BASE, 'main'],
    [HEAD, 'pr'],
  ]) {
    const entries = src('ls-tree', '-r', rev)
      .split('\n')
      .filter((l) => / blob /.test(l))
      .map((l) => ({ sha: l.split(/\s+/)[2], path: l.slice(l.indexOf('\t') + 1) }));
    const present = spawnSync('git', ['cat-file', '--batch-check'], {
      cwd: source,
      input: entries.map((e) => e.sha).join('\n'),
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }).stdout.split('\n');
    const kept = entries.filter((_, i) => !/ missing$/.test(present[i] ?? ''));
    if (kept.length < entries.length)
      process.stdout.write(
        `${rev}: ${entries.length - kept.length} blobs absent from the clone, left out\n`,
      );
    if (branch === 'pr') execFileSync('git', ['checkout', '-q', '-b', 'pr'], { cwd: repo });
    execFileSync('git', ['rm', '-rq', '--ignore-unmatch', '.'], { cwd: repo, stdio: 'pipe' });
    const list = join(work, 'paths');
    writeFileSync(list, kept.map((e) => e.path).join('\n'));
    execFileSync(
      'git',
      [`--work-tree=${repo}`, 'checkout', rev, `--pathspec-from-file=${list}`, '--'],
      { cwd: source, stdio: 'pipe' },
    );
    execFileSync('git', ['add', '-A'], { cwd: repo, stdio: 'pipe' });
    execFileSync('git', ['commit', '-qm', rev], {
      cwd: repo,
      env: { ...process.env, ...env },
      stdio: 'pipe',
    });
  }
  const configFile = join(work, 'perf-verdict.yml');
  writeFileSync(configFile, config);
  const reportFile = join(work, 'report.json');
  const load0 = loadavg()[0];
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [
      benchCli,
      'gate',
      '--repo',
      repo,
      '--base',
      'main',
      '--head',
      'pr',
      '--config',
      configFile,
      '--json',
      reportFile,
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const wallS = (performance.now() - started) / 1000;
  if (![0, 1, 2].includes(run.status) || !existsSync(reportFile)) {
    process.stderr.write(run.stdout.slice(-3000));
    process.stderr.write(run.stderr);
    throw new Error(`gate exited ${run.status}`);
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const rows = report.tools.map((r) => judgeRow(r));
  printTable(rows);
  const modified = rows.filter((r) => r.status !== 'new');
  const count = (xs, f) => xs.filter(f).length;
  const summary = {
    stretch: `${BASE}..${HEAD}`,
    rows: rows.length,
    definitions_listed: report.definitions?.length ?? 0,
    modified_code_tools: modified.length,
    modified_measured_on_an_input_both_accept: count(modified, (r) => r.measuredOn === 'both'),
    modified_no_working_input: count(modified, (r) => r.measuredOn === 'no working input'),
    modified_neither: modified
      .filter((r) => r.measuredOn !== 'both' && r.measuredOn !== 'no working input')
      .map((r) => `${r.id}: ${r.measuredOn}`),
    syntax_error_rows: count(rows, (r) => r.syntax !== null),
    syntax_error_rows_python_compiles: rows
      .filter((r) => r.syntax === 'python compiles it')
      .map((r) => r.id),
    rejects: rows.filter((r) => r.verdict === 'REJECT').map((r) => `${r.id}: ${r.why}`),
    verdicts: Object.fromEntries(
      ['ACCEPT', 'REVIEW', 'REJECT', null].map((v) => [
        String(v),
        count(rows, (r) => r.verdict === v),
      ]),
    ),
    budget_per_tool_s: BUDGET,
    wall_s: Math.round(wallS),
    load_before: load0.toFixed(2),
    load_after: loadavg()[0].toFixed(2),
  };
  process.stdout.write(`\n${run.stdout.split('\n')[0]}\n${JSON.stringify(summary, null, 2)}\n`);
  if (jsonOut !== null) writeFileSync(jsonOut, JSON.stringify({ summary, rows }, null, 2));
} finally {
  if (argv.includes('--keep')) process.stdout.write(`kept: ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
}

/** What the issue asks of one row. */
function judgeRow(r) {
  const c = r.comparison ?? null;
  const oldError = c?.old?.error;
  const newError = c?.new?.error;
  const note = r.note ?? '';
  const reasons = r.evaluation?.band?.reasons ?? [];
  const measuredOn =
    r.status === 'new'
      ? r.profile
        ? r.profile.error
          ? `fails on its input (${r.profile.error.kind})`
          : 'ran'
        : `not run: ${note.slice(0, 80)}`
      : c === null
        ? `not measured: ${note.slice(0, 80)}`
        : oldError === undefined && newError === undefined
          ? 'both'
          : /no working input/.test(note)
            ? 'no working input'
            : oldError !== undefined && newError !== undefined
              ? 'both fail'
              : oldError !== undefined
                ? `base fails (${oldError.kind})`
                : `head fails (${newError.kind})`;
  const message = [
    note,
    oldError?.message ?? '',
    newError?.message ?? '',
    r.profile?.error?.message ?? '',
  ].join(' ');
  const syntax = /syntax error/.test(message) ? syntaxCheck(r) : null;
  const growth = c?.growth;
  return {
    id: r.id,
    status: r.status,
    verdict: r.verdict,
    score: r.score,
    measuredOn,
    input: c?.input ? `${c.input.index + 1}/${c.input.of}` : (r.input_source ?? '').slice(0, 40),
    time:
      c?.time && oldError === undefined && newError === undefined
        ? `×${c.time.ratio.toFixed(2)} [${c.time.ci_low.toFixed(2)}, ${c.time.ci_high.toFixed(2)}]`
        : '',
    outputs: c?.outputs
      ? `${c.outputs.differing}/${c.outputs.inputs} differ${c.outputs.nondeterministic.length > 0 ? ' (varies)' : ''}`
      : '',
    growth:
      growth === undefined
        ? ''
        : growth.new
          ? `${growth.old.exponent}→${growth.new.exponent}${growth.rises ? ' rises' : ''}`
          : 'no fit',
    syntax,
    why: (note || reasons[0] || '').replace(/\s+/g, ' ').slice(0, 160),
  };
}

/** A "syntax error" row: does python3 compile the file (the version the row blames)? */
function syntaxCheck(r) {
  const ref =
    r.comparison?.old?.error && /syntax error/.test(r.comparison.old.error.message) ? BASE : HEAD;
  let bytes;
  try {
    bytes = execFileSync('git', ['show', `${ref}:${r.path}`], { cwd: repo, stdio: 'pipe' });
  } catch {
    return 'file not found';
  }
  const compiled = spawnSync(
    'python3',
    ['-c', 'import sys; compile(sys.stdin.buffer.read(), "f", "exec")'],
    {
      input: bytes,
    },
  );
  return compiled.status === 0 ? 'python compiles it' : 'a real syntax error';
}

function printTable(rows) {
  const cells = rows.map((r) => [
    r.id,
    r.status,
    `${r.verdict ?? '—'}${r.score === null || r.score === undefined ? '' : ` ${r.score}`}`,
    r.measuredOn,
    r.input,
    r.time,
    r.outputs,
    r.growth,
    r.why,
  ]);
  const head = [
    'tool',
    'status',
    'verdict',
    'measured on',
    'input',
    'time',
    'outputs',
    'growth',
    'why',
  ];
  const widths = head.map((h, i) =>
    Math.min(Math.max(h.length, ...cells.map((c) => String(c[i]).length)), i === 8 ? 160 : 40),
  );
  const line = (c) =>
    c
      .map((x, i) => String(x).slice(0, widths[i]).padEnd(widths[i]))
      .join(' | ')
      .trimEnd();
  process.stdout.write(
    `${[line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n')}\n`,
  );
}
