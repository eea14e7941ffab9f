/**
 * Repository cases of the hostile corpus (issue 23): attacks that are not a tool's own code but
 * what a PR puts around it — files that shadow what the gate starts (`venv.py`, `pip.py`,
 * `sitecustomize.py`), dependency strings, build backends, symbolic links, files the analysers
 * choke on. Each case is a PR repository of its own, run through the bundled `gate` from the
 * workspace (its cwd, as on a runner) with planted secrets; a planted payload that runs leaves a
 * `pwned-<name>` file in a world-writable folder, so only the sandbox's walls keep it out.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { persistCredentials } from '../helpers/checkout-credentials.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { runToEnd } from '../helpers/run-to-end.js';
import { alnum, leftovers, plantSecrets } from './corpus.js';
import type { Secrets } from './corpus.js';

export interface RepositoryCase {
  /** Base commit's files (the config among them: the base config is the one that counts). */
  readonly base: Readonly<Record<string, string>>;
  /** Files the PR adds or changes; `{PAYLOAD:name}` is replaced by a payload that says `name`. */
  readonly head: Readonly<Record<string, string>>;
  /** Symbolic links the PR adds: path → target. */
  readonly links?: Readonly<Record<string, string>>;
  /** Where the PR adds a small pure-Python wheel (`tinycron` 1.0), built by python at set-up. */
  readonly wheels?: readonly string[];
}

const WHEEL_MAKER = `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1], "w")
z.writestr("tinycron/__init__.py", "def minutes_until(e, m):\\n    return 0\\n")
z.writestr("tinycron-1.0.dist-info/METADATA", "Metadata-Version: 2.1\\nName: tinycron\\nVersion: 1.0\\n")
z.writestr("tinycron-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: t\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
z.writestr("tinycron-1.0.dist-info/RECORD", "")
z.close()
`;

export interface RepositoryRun {
  readonly exitCode: number | null;
  readonly wallMs: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: {
    readonly verdict?: string;
    readonly tools?: readonly {
      id: string;
      verdict: string | null;
      note?: string | null;
      comparison?: { new?: { error?: { kind: string; message: string } } } | null;
    }[];
  };
  readonly markdown: string;
  /** Payloads that ran where they could write the host's folder. */
  readonly pwned: readonly string[];
  /** Planted secrets found in anything published (report, markdown, stdout, stderr). */
  readonly published: readonly string[];
  /** Processes of the run left after the gate. */
  readonly processes: number;
}

/**
 * A Python payload: reads the planted secrets (`.netrc`, PID 1's environment, checkout v6's
 * credentials file), writes `pwned-<name>` with them, prints them.
 */
function payload(
  name: string,
  plant: { home: string; pwned: string; credentials: string },
): string {
  const read = [join(plant.home, '.netrc'), '/proc/1/environ', plant.credentials];
  return [
    'import os as _os',
    '_got = ""',
    `for _p in ${JSON.stringify(read)}:`,
    '    try:',
    '        _got += open(_p, errors="replace").read()',
    '    except OSError:',
    '        pass',
    'try:',
    `    open(_os.path.join(${JSON.stringify(plant.pwned)}, "pwned-${name}"), "w").write(_got)`,
    'except OSError:',
    '    pass',
    'print(_got)',
    '',
  ].join('\n');
}

/** Build the case's repository (main = base, pr = head), run the gate over it, collect. */
export async function runRepositoryCase(
  c: RepositoryCase,
  options: { dist: string; budget: number; sandbox: 'auto' | 'off'; node?: string },
): Promise<RepositoryRun> {
  const tag = alnum(6).toLowerCase();
  const work = mkdtempSync(join(tmpdir(), 'pv-hostile-repo-'));
  chmodSync(work, 0o755);
  const home = join(work, 'home');
  const out = join(work, 'out');
  const pwned = join(work, 'pwned');
  const runnerTemp = join(work, 'runner-temp');
  for (const d of [home, out, pwned, runnerTemp]) mkdirSync(d);
  // checkout v6's credentials file (planted with the repository): the payloads name it.
  let credentials = '';
  chmodSync(pwned, 0o777);
  const secrets: Secrets = plantSecrets(`pvr${tag}`);
  writeFileSync(
    join(home, '.netrc'),
    `machine github.com login x password ${secrets['.netrc password']}\n`,
    {
      mode: 0o644,
    },
  );
  const fill = (files: Readonly<Record<string, string>>): Record<string, string> =>
    Object.fromEntries(
      Object.entries(files).map(([path, text]) => [
        path,
        text
          .replace(/\{PAYLOAD:(\w+)\}/g, (_, name: string) =>
            payload(name, { home, pwned, credentials }),
          )
          .replace(/\{HOME\}/g, home),
      ]),
    );
  let repo: TestRepo | undefined;
  try {
    repo = createRepo('pv-hostile-repo-');
    // What actions/checkout leaves behind with persist-credentials (its default), v4 and v6.
    credentials =
      persistCredentials(repo.dir, {
        v4: secrets['checkout extraheader']!,
        v6: secrets['checkout v6 credential']!,
        runnerTemp,
      }) ?? '';
    repo.commit('base', fill(c.base));
    repo.git('checkout', '-q', '-b', 'pr');
    for (const [path, target] of Object.entries(c.links ?? {})) {
      mkdirSync(join(repo.dir, path, '..'), { recursive: true });
      rmSync(join(repo.dir, path), { force: true });
      execFileSync('ln', ['-s', target, join(repo.dir, path)]);
    }
    for (const path of c.wheels ?? []) {
      mkdirSync(join(repo.dir, path, '..'), { recursive: true });
      execFileSync('python3', ['-I', '-c', WHEEL_MAKER, join(repo.dir, path)]);
    }
    repo.commit('head', fill(c.head));
    execFileSync('chmod', ['-R', 'a+rX', repo.dir]);
    const started = Date.now();
    const gate = await runToEnd(
      options.node ?? process.execPath,
      [
        join(options.dist, 'cli/index.js'),
        'gate',
        '--base',
        'main',
        '--head',
        'pr',
        '--repo',
        repo.dir,
        '--json',
        join(out, 'report.json'),
        '--markdown',
        join(out, 'comment.md'),
        '--budget',
        String(options.budget),
        '--sandbox',
        options.sandbox,
      ],
      {
        cwd: repo.dir,
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: home,
          RUNNER_TEMP: runnerTemp,
          LANG: 'C.UTF-8',
          PERF_VERDICT_VENV_CACHE: join(work, 'venvs'),
          GITHUB_TOKEN: secrets['GITHUB_TOKEN']!,
          'INPUT_GITHUB-TOKEN': secrets['INPUT_GITHUB-TOKEN']!,
          ACTIONS_RUNTIME_TOKEN: secrets['ACTIONS_RUNTIME_TOKEN']!,
        },
        killAfterMs: 10 * 60_000,
      },
    );
    const wallMs = Date.now() - started;
    const read = (f: string): string =>
      existsSync(join(out, f)) ? readFileSync(join(out, f), 'utf8') : '';
    const reportText = read('report.json');
    const markdown = read('comment.md');
    const published = [reportText, markdown, gate.stdout, gate.stderr].join('\n');
    return {
      exitCode: gate.code,
      wallMs,
      stdout: gate.stdout,
      stderr: gate.stderr,
      report: reportText === '' ? {} : (JSON.parse(reportText) as RepositoryRun['report']),
      markdown,
      pwned: readdirSync(pwned),
      published: Object.entries(secrets)
        .filter(([, v]) => published.includes(v))
        .map(([k]) => k),
      processes: leftovers({ dist: work, tag }).length,
    };
  } finally {
    repo?.remove();
    rmSync(work, { recursive: true, force: true });
  }
}

/** A row's words: its note, its error or nothing. */
export function rowText(run: RepositoryRun, id: string): string {
  const row = run.report.tools?.find((t) => t.id === id);
  return `${row?.verdict ?? 'no row'} ${row?.note ?? ''} ${row?.comparison?.new?.error?.message ?? ''}`;
}
