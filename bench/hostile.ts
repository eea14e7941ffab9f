/**
 * bench/hostile (run through bench/hostile.mjs): the corpus with the sandbox on and off, and what
 * the sandbox costs. See bench/hostile.mjs for the flags.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { caseLine, CASES, runCorpus } from '../test/hostile/corpus.js';
import type { CaseLanguage, CaseResult, CorpusRun } from '../test/hostile/corpus.js';
import { runRepositoryCase } from '../test/hostile/repository.js';
import { repositoryContained, REPOSITORY_CASES } from '../test/hostile/repository-cases.js';
import { ROOT } from '../test/helpers/cli.js';

type Mode = 'auto' | 'off';

function flags(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) out[arg.slice(2)] = argv[i + 1] ?? '';
  }
  return out;
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

interface Totals {
  readonly tokensPublished: number;
  readonly secretsRead: number;
  readonly filesChanged: number;
  readonly processesLeft: number;
  readonly tmpFiles: number;
  readonly forgedAccepts: number;
  readonly rowsMissing: number;
}

function totals(runs: readonly CorpusRun[]): Totals {
  const cases = runs.flatMap((r) => r.cases);
  return {
    tokensPublished: new Set(
      runs.flatMap((r) => r.publishedAnywhere.map((p) => `${r.language}:${p}`)),
    ).size,
    secretsRead: cases.reduce((n, c) => n + (c.stolen ?? 0), 0),
    filesChanged:
      cases.reduce((n, c) => n + c.changed.length, 0) +
      runs.reduce((n, r) => n + r.changedUnclaimed.length, 0),
    processesLeft:
      cases.reduce((n, c) => n + c.processes, 0) +
      runs.reduce((n, r) => n + r.processesUnclaimed, 0),
    tmpFiles:
      cases.reduce((n, c) => n + c.tmpFiles.length, 0) +
      runs.reduce((n, r) => n + r.gateTmpLeft.length, 0),
    forgedAccepts: cases.filter((c) => c.forged || (baseSlowed(c) && c.verdict === 'ACCEPT'))
      .length,
    rowsMissing: runs.reduce((n, r) => n + r.missing.length, 0),
  };
}

/**
 * Contained, for the table: the corpus's checks, and for the base-rewriting cases the measured
 * ratio too (the head does ten times the base's work: well below that, the base was slowed). Not
 * a test assertion: a timing figure.
 */
function held(r: CaseResult): boolean {
  return r.contained && !baseSlowed(r);
}

const baseSlowed = (r: CaseResult): boolean =>
  r.file === 'rewrite_other' && r.ratio !== null && r.ratio < 3;

function table(byMode: Map<Mode, CorpusRun[]>): string {
  const lines = [
    '| case | attack | sandbox on | sandbox off | only the sandbox contains it |',
    '|---|---|---|---|---|',
  ];
  const find = (mode: Mode, id: string): CaseResult | undefined =>
    byMode
      .get(mode)
      ?.flatMap((r) => r.cases)
      .find((c) => c.id === id);
  for (const c of CASES) {
    const on = find('auto', c.id);
    const off = find('off', c.id);
    if (on === undefined && off === undefined) continue;
    const cell = (r: CaseResult | undefined): string =>
      r === undefined
        ? '—'
        : `${held(r) ? '✅' : '❌'} ${r.verdict ?? '—'}${r.kind === null ? '' : ` (${r.kind})`}: ${baseSlowed(r) ? `base slowed (×${r.ratio?.toFixed(2) ?? '?'} for a head doing 10× the work)` : caseLine(r)}`;
    const only = on !== undefined && held(on) && off !== undefined && !held(off) ? 'yes' : '';
    lines.push(`| \`${c.id}\` | ${c.attack} | ${cell(on)} | ${cell(off)} | ${only} |`);
  }
  return lines.join('\n');
}

/**
 * bench/precision on a few cells, sandbox on and off: the wall time of a compare that settles (a
 * planted +10 %) and the interval of an A/A pair at the same budget (wall is the budget there).
 */
function cost(trials: number, budgetMs: number): string {
  const cli = join(process.env['PERF_VERDICT_DIST'] ?? join(ROOT, 'dist'), 'cli/index.js');
  const out: string[] = [];
  for (const sandbox of ['auto', 'off']) {
    const file = `/tmp/pv-hostile-cost-${sandbox}-${process.pid}.json`;
    const before = load();
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bench/precision.mjs'),
        '--cli',
        cli,
        '--trials',
        String(trials),
        '--budget',
        String(budgetMs),
        '--languages',
        'python,javascript',
        '--workloads',
        'loop100us',
        '--variants',
        'aa,10',
        '--methods',
        'ours',
        '--sandbox',
        sandbox,
        '--out',
        file,
      ],
      { encoding: 'utf8', timeout: 60 * 60_000 },
    );
    out.push(
      `### precision cells, sandbox ${sandbox} (load before ${before}, after ${load()})`,
      run.stdout.trim(),
    );
    if (run.status !== 0)
      out.push(`(exit ${String(run.status)}: ${run.stderr.trim().slice(-500)})`);
  }
  return out.join('\n\n');
}

/** The repository cases (test/hostile/repository-cases.ts) in one mode: a line each, contained or not. */
async function repositoryCases(
  mode: Mode,
  budget: number,
  dist: string,
  only: readonly string[] | undefined,
): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  for (const [name, c] of Object.entries(REPOSITORY_CASES)) {
    const id = `repository:${name}`;
    if (only !== undefined && !only.includes(id)) continue;
    const loadBefore = load();
    const run = await runRepositoryCase(c, { dist, budget, sandbox: mode });
    const ok = repositoryContained(run);
    out.set(id, ok);
    const why = `payloads that ran: ${run.pwned.join(', ') || 'none'}; published: ${run.published.join(', ') || 'none'}; processes left ${run.processes}; verdict ${run.report.verdict ?? '—'}`;
    console.log(
      `${id}, sandbox ${mode}: ${ok ? 'contained' : `NOT contained (${why})`}, ${(run.wallMs / 1000).toFixed(1)} s wall (load before ${loadBefore}, after ${load()})`,
    );
  }
  return out;
}

/**
 * Which cases only the sandbox contains: contained with it, not without. A run without the
 * sandbox alone lists what it does not contain (with the sandbox on, the corpus tests —
 * test/hostile/corpus.test.ts and repository.test.ts — hold every case contained).
 */
function onlyTheSandbox(contained: ReadonlyMap<Mode, ReadonlyMap<string, boolean>>): string {
  const on = contained.get('auto');
  const off = contained.get('off');
  if (off === undefined) return '';
  const notOff = [...off].filter(([, ok]) => !ok).map(([id]) => id);
  if (on === undefined)
    return `not contained without the sandbox (${notOff.length}; the sandbox-on tests contain every case): ${notOff.join(', ')}`;
  const only = notOff.filter((id) => on.get(id) === true);
  return `only the sandbox contains (${only.length}): ${only.join(', ')}`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const f = flags(argv);
  const modes = (f['modes'] ?? 'auto,off').split(',').filter((m) => m !== 'none') as Mode[];
  const languages = (f['languages'] ?? 'python,javascript').split(',') as CaseLanguage[];
  const budget = Number(f['budget'] ?? 2);
  const only = f['only']?.split(',');
  const dist = process.env['PERF_VERDICT_DIST'] ?? join(ROOT, 'dist');
  const byMode = new Map<Mode, CorpusRun[]>();
  for (const mode of modes) {
    for (const language of languages) {
      if (only !== undefined && !CASES.some((c) => c.language === language && only.includes(c.id)))
        continue;
      const loadBefore = load();
      const run = await runCorpus({
        language,
        sandbox: mode,
        dist,
        budget,
        ...(only ? { only } : {}),
      });
      console.log(
        `${language}, sandbox ${mode}: gate exit ${String(run.exitCode)}, ${(run.wallMs / 1000).toFixed(1)} s wall (load before ${loadBefore}, after ${load()}); ${run.headline}`,
      );
      if (run.missing.length > 0) console.log(`  rows missing: ${run.missing.join(', ')}`);
      byMode.set(mode, [...(byMode.get(mode) ?? []), run]);
    }
  }
  console.log(`\n${table(byMode)}\n`);
  for (const [mode, runs] of byMode) {
    const t = totals(runs);
    const cases = runs.flatMap((r) => r.cases);
    console.log(
      `sandbox ${mode}: ${cases.filter(held).length}/${cases.length} contained; ` +
        `tokens published ${t.tokensPublished}, secrets read ${t.secretsRead}, files changed outside the sandbox ${t.filesChanged}, ` +
        `processes left ${t.processesLeft}, new files in /tmp ${t.tmpFiles}, forged ACCEPTs ${t.forgedAccepts}, rows missing ${t.rowsMissing}`,
    );
  }
  const contained = new Map<Mode, Map<string, boolean>>(
    modes.map((mode) => [
      mode,
      new Map((byMode.get(mode) ?? []).flatMap((r) => r.cases).map((c) => [c.id, held(c)])),
    ]),
  );
  if ((f['repository'] ?? '1') !== '0')
    for (const mode of modes) {
      const budgetSeconds = Number(f['repository-budget'] ?? 5);
      for (const [id, ok] of await repositoryCases(mode, budgetSeconds, dist, only))
        contained.get(mode)?.set(id, ok);
    }
  console.log(`\n${onlyTheSandbox(contained)}`);
  if (f['out'] !== undefined)
    writeFileSync(f['out'], `${JSON.stringify(Object.fromEntries(byMode), null, 2)}\n`);
  if ((f['cost'] ?? '0') !== '0')
    console.log(`\n${cost(Number(f['cost-trials'] ?? 3), Number(f['cost-budget'] ?? 8000))}`);
  return 0;
}
