/**
 * The hostile corpus (issue 10): tool code that attacks the gate, run end to end through the
 * bundled `gate` CLI, one PR repository per language holding every case, the gate run once over
 * all of them. Shared by test/hostile/corpus.test.ts (sandbox on, in CI) and bench/hostile.mjs
 * (sandbox on and off, docs/security.md's table).
 *
 * Each case is a modified tool: a benign base and a hostile head that is ten times slower or
 * fails, so its honest verdict is never ACCEPT — an ACCEPT is forged. The run plants what an
 * attacker goes for, every value carrying the run's marker: tokens in the gate's environment,
 * checkout's credential in both of its layouts (an extraheader in the workspace's .git/config as
 * v4 leaves it, and v6's `$RUNNER_TEMP/git-credentials-<uuid>.config` that .git/config includes:
 * test/helpers/checkout-credentials.ts), a .netrc and
 * .git-credentials in its HOME, a TCP port listening on the host's 127.0.0.1, the workspace's
 * files and the gate's own (a copy of dist/, so an uncontained case never damages the build).
 * After the gate it measures what got out: planted values in any published byte (report,
 * markdown, stdout, stderr), files changed (hashes before/after), processes of the run left
 * behind, new files in /tmp, connections to the port, verdicts forged.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SANDBOX_UIDS } from '../../src/measure/sandbox.js';
import { ROOT } from '../helpers/cli.js';
import { runAsUser } from '../helpers/users.js';
import type { TestUser } from '../helpers/users.js';
import { basicCredential, persistCredentials } from '../helpers/checkout-credentials.js';
import { createRepo } from '../helpers/git-repo.js';
import { runToEnd } from '../helpers/run-to-end.js';
import type { Finished } from '../helpers/run-to-end.js';

export type CaseLanguage = 'python' | 'javascript';

export interface HostileCase {
  /** Tool stem in the PR repository (and the row id). */
  readonly id: string;
  readonly language: CaseLanguage;
  /** What it tries, for the table. */
  readonly attack: string;
  /** Its body under test/fixtures/hostile/{py,js}/. */
  readonly file: string;
  /** The run's files it tries to change: the workspace and the gate's, or the report. */
  readonly targets?: 'workspace' | 'report';
  /**
   * The error kinds its head may fail with when contained (sandbox on). `null`: the head may
   * run without an error (its verdict still is not ACCEPT). Checked only where the outcome does
   * not depend on timing.
   */
  readonly kinds: readonly string[] | null;
  /**
   * Contained by issue 10's evidence checks (benchmark-gaming finding, cold time), not by the
   * sandbox: these forge an ACCEPT by measuring well; the sandbox cannot see that.
   */
  readonly evidence?: true;
  /** A path of its own instead of `tools/<lang>/<id>.<ext>` (no base version, no sidecar). */
  readonly path?: string;
  /**
   * Contained by the gate's own figures (issue 23, src/measure/observe.ts): what the row's
   * reasons must say (the measurement tampered), or, for a case whose trick no longer reaches
   * the figures and for the control, `null`: its reasons never say it.
   */
  readonly tampered?: string | null;
  /**
   * Ten times slower unless it finds the sign it looks for (issue 23): where the row was
   * measured, its time ratio must read the slowdown (above 3; about 1 had it found the sign).
   */
  readonly slowdown?: true;
  /**
   * Contained by the comparison of both versions' answers (issue 24, src/measure/outputs.ts):
   * what the row's reasons must say when it was measured.
   */
  readonly answers?: string;
  /**
   * Carries state across calls (a memo): where the steady state does not show the head clearly
   * slower, the row's reasons must say "state across calls" (policy.ts).
   */
  readonly state?: true;
  /** An executable script (stdin → stdout, a process per call in production), base and head. */
  readonly executable?: true;
}

const both = (
  name: string,
  attack: string,
  kinds: readonly string[] | null,
  more: Partial<HostileCase> = {},
): HostileCase[] => [
  { id: `py_${name}`, language: 'python', attack, file: name, kinds, ...more },
  { id: `js_${name}`, language: 'javascript', attack, file: name, kinds, ...more },
];

const THEFT = ['exception'];
/**
 * A process start: the harnesses refuse it below `os` (Python's audit hook, Node's permission
 * model) with kind `hostile`; where they do not, the sandbox's limits or walls end it.
 */
const PROCESS = ['exception', 'hostile'];

/** Every case, in table order. */
export const CASES: readonly HostileCase[] = [
  ...both('env_self', 'tokens from its own environment', THEFT),
  ...both('environ_ppid', 'tokens from `/proc/<ppid>/environ` and its ancestors', THEFT),
  ...both('environ_all', 'tokens from `/proc/*/environ` of every visible process', THEFT),
  ...both('proc_mem', 'tokens from `/proc/<ppid>/mem` (the stack)', THEFT),
  {
    id: 'py_ptrace',
    language: 'python',
    attack: 'ptrace(ATTACH) the parent, read its memory',
    file: 'ptrace',
    kinds: PROCESS,
  },
  ...both(
    'git_config',
    "checkout's token: the extraheader in the workspace's .git/config (v4) and the `git-credentials-<uuid>.config` in RUNNER_TEMP it includes (v6)",
    THEFT,
  ),
  ...both('home_files', '`$HOME/.netrc` and `.git-credentials`', THEFT),
  ...both('net_loopback', "connect to a port on the host's 127.0.0.1", THEFT),
  ...both(
    'write_workspace',
    'write .perf-verdict.yml, tools/index.json, .git/hooks, .git/config, dist/index.js, the harness',
    ['exception'],
    { targets: 'workspace' },
  ),
  ...both('rewrite_other', "slow down the base version's files (forge an improvement)", null),
  {
    id: 'py_daemon_fork',
    language: 'python',
    attack: 'posix.fork + setsid + double fork: a daemon rewrites report.json to ACCEPT',
    file: 'daemon_fork',
    kinds: null,
    targets: 'report',
  },
  {
    id: 'py_daemon_spawn',
    language: 'python',
    attack: 'posix.posix_spawn(setsid) a shell daemon that rewrites report.json',
    file: 'daemon_spawn',
    kinds: null,
    targets: 'report',
  },
  {
    id: 'js_daemon',
    language: 'javascript',
    attack: 'new ChildProcess().spawn({detached}) a shell daemon that rewrites report.json',
    file: 'daemon',
    kinds: null,
    targets: 'report',
  },
  {
    id: 'py_fork_bomb',
    language: 'python',
    attack: 'fork bomb: posix.fork ×150',
    file: 'fork_bomb',
    kinds: PROCESS,
  },
  {
    id: 'py_spawn_bomb',
    language: 'python',
    attack: 'fork bomb: os.posix_spawn (as posix.posix_spawn) ×150',
    file: 'spawn_bomb',
    kinds: PROCESS,
  },
  {
    id: 'py_ctypes_fork',
    language: 'python',
    attack: 'fork bomb: libc fork() through ctypes ×150',
    file: 'ctypes_fork',
    kinds: PROCESS,
  },
  {
    id: 'js_spawn_bomb',
    language: 'javascript',
    attack: 'fork bomb: new ChildProcess().spawn ×150',
    file: 'spawn_bomb',
    kinds: PROCESS,
  },
  ...both('sigterm', 'ignore SIGTERM and never return', ['timeout']),
  ...both('disk_fill', 'fill /tmp with a 200 MB file', ['exception', 'crashed']),
  {
    id: 'py_memory_bytearray',
    language: 'python',
    attack: 'lift RLIMIT_AS as root, then 2.6 GB of bytearray/bytes blocks (200 MB written)',
    file: 'memory_bytearray',
    kinds: ['memory', 'exception'],
  },
  {
    id: 'js_memory_buffer',
    language: 'javascript',
    attack: '2.6 GB of Buffers, 200 MB written (outside the V8 heap limit)',
    file: 'memory_buffer',
    kinds: ['memory', 'exception', 'crashed'],
  },
  ...both('bench_detect', "benchmark detection ('perf-verdict' in its own path)", null, {
    evidence: true,
  }),
  ...both('clock_patch', 'clock patching (perf_counter / performance.now ÷ 10)', null, {
    evidence: true,
  }),
  ...both('memo', 'memoisation across calls (10× slower, cached)', null, {
    evidence: true,
    state: true,
  }),
  // Issue 23: memos the fixed cold/warm thresholds let through (JS: caught by the first calls of
  // interpreter-only pairs, src/measure/first-calls.ts).
  ...both(
    'memo_unchanged',
    'a memo under an unchanged steady state (the first call 10× the work, then the base’s)',
    null,
    { evidence: true, state: true },
  ),
  {
    id: 'py_memo_module',
    language: 'python',
    attack: 'an executable script memoising in `json.__dict__` (a process per call in production)',
    file: 'memo_module',
    kinds: null,
    executable: true,
  },
  // Issue 23: a sandbox that looks like the benchmark's (its hostname, its uid), figures forged
  // from inside the tool's process, and their control.
  ...both(
    'sandbox_detect',
    'fast only where the host is named `sandbox` or the uid is ≥ 2·10⁹',
    null,
    { tampered: null },
  ),
  ...both(
    'bench_signs',
    'fast only where its paths, argv, environment, cwd, mounts, PID 1, /run, /tmp, hostname or uid name the benchmark',
    null,
    { tampered: null, slowdown: true },
  ),
  ...both(
    'side_detect',
    'fast only where its paths, argv, environment, cwd or mounts say it is the new version',
    null,
    { tampered: null, slowdown: true },
  ),
  ...both('slow_control', 'the control: ten times the work, no trick', null, { tampered: null }),
  {
    id: 'py_forge_frame',
    language: 'python',
    attack: "the request loop's clocks ÷ 10 in its running frame (ctypes PyFrame_LocalsToFast)",
    file: 'forge_frame',
    kinds: null,
    tampered: 'CPU time over its samples',
  },
  {
    id: 'py_forge_wall',
    language: 'python',
    attack: "a tool that waits divides the request loop's wall clock only by 10 (its frame)",
    file: 'forge_wall',
    kinds: null,
    tampered: 'wall time over its samples',
  },
  {
    id: 'py_forge_globals',
    language: 'python',
    attack:
      "the harness's clocks and reply writer ÷ 10 through `__main__` and `call_tool.__globals__`",
    file: 'forge_globals',
    kinds: null,
    tampered: null,
  },
  {
    id: 'py_forge_request',
    language: 'python',
    attack: 'a tenth of the calls asked for: `json._default_decoder` rewrites each request',
    file: 'forge_request',
    kinds: null,
    tampered: 'calls for a sample',
  },
  {
    id: 'py_memory_untraced',
    language: 'python',
    attack: '96 MB made resident per call, except while `tracemalloc.is_tracing()`',
    file: 'memory_untraced',
    kinds: null,
    tampered: 'resident memory grow',
  },
  {
    id: 'js_forge_stringify',
    language: 'javascript',
    attack: 'times ÷ 10 in every reply: `JSON.stringify` and `Object.prototype.toJSON` replaced',
    file: 'forge_stringify',
    kinds: null,
    tampered: null,
  },
  {
    id: 'js_forge_request',
    language: 'javascript',
    attack:
      "a tenth of the calls asked for: `EventEmitter.prototype.emit` rewrites the channel's data",
    file: 'forge_request',
    kinds: null,
    tampered: 'calls for a sample',
  },
  // Issue 24: faster because wrong. The answers are compared; noise is no excuse where the
  // base's answer is stable, and answers are checked after the timed calls too.
  ...both(
    'wrong_noise',
    'half the work, random noise on the answer so the change passes as nondeterminism',
    null,
    { answers: "the head's answer varies between calls, the base's does not" },
  ),
  ...both(
    'right_first',
    'right on the first two calls of each process (the answer checks), a constant 0 after',
    null,
    { answers: 'outputs differ on 1 of 1 input' },
  ),
  {
    id: 'tools/py/fast\\ntool.py',
    language: 'python',
    attack: 'a file name with a newline (the gate said NONE)',
    file: 'newline_path',
    kinds: null,
    path: 'tools/py/fast\ntool.py',
  },
];

/** What the run planted: paths and markers each head gets as `P`. */
interface Plant {
  readonly tag: string;
  /** Every planted secret holds it; the tools keep nothing else they find. */
  readonly marker: string;
  readonly repo: string;
  readonly dist: string;
  readonly tmp: string;
  readonly home: string;
  /** The runner's temp directory (RUNNER_TEMP): checkout v6's credentials file is there. */
  readonly runnerTemp: string;
  readonly out: string;
  readonly report: string;
  readonly port: number;
}

export interface CaseResult {
  readonly id: string;
  readonly language: CaseLanguage;
  readonly attack: string;
  readonly evidence: boolean;
  readonly present: boolean;
  readonly verdict: string | null;
  readonly kind: string | null;
  readonly message: string;
  /** Time ratio, interval, cold ratio and the judge's reasons (measured rows). */
  readonly measured: string;
  /** The sandbox the report records for the row's measurement (null: none recorded). */
  readonly sandbox: { mode: string; kind: string; via?: string; reason?: string } | null;
  /** Upper edge of the steady-state ratio's interval (null: not measured). */
  readonly ciHigh: number | null;
  /** The steady-state time ratio new/old (null: not measured). */
  readonly ratio: number | null;
  /** Its body's file under test/fixtures/hostile. */
  readonly file: string;
  /**
   * What the head says it achieved, from its own error message (secrets read, the host's port
   * reached, files written, no process limit met, 200 MB written, 2.6 GB allocated); null: nothing.
   */
  readonly claimed: string | null;
  /** The head said it read this many planted secrets (`STOLEN[n]`); null: not a theft case. */
  readonly stolen: number | null;
  /** Names of the planted secrets found verbatim in this row (before any redaction). */
  readonly published: readonly string[];
  /** Files of the workspace, the gate or the report changed. */
  readonly changed: readonly string[];
  /** Processes of this case left after the gate exited. */
  readonly processes: number;
  /** Its files in /tmp (or the gate's TMPDIR) after the gate. */
  readonly tmpFiles: readonly string[];
  /** Connections the test's port received from it. */
  readonly connected: boolean;
  /** ACCEPT for a head that is slower or fails, or the report rewritten after the gate. */
  readonly forged: boolean;
  /** Every check held. */
  readonly contained: boolean;
}

export interface CorpusRun {
  readonly language: CaseLanguage;
  readonly sandbox: string;
  readonly exitCode: number | null;
  readonly wallMs: number;
  readonly cases: readonly CaseResult[];
  /** Case ids with no row in the report: the gate dropped or crashed on them. */
  readonly missing: readonly string[];
  /** Planted secrets found anywhere in the published text (report, markdown, stdout, stderr). */
  readonly publishedAnywhere: readonly string[];
  /** Changed files no case claims. */
  readonly changedUnclaimed: readonly string[];
  /** Processes of the run that no case claims (e.g. a harness left behind). */
  readonly processesUnclaimed: number;
  /** Entries left in the gate's own TMPDIR (it should clean up after itself). */
  readonly gateTmpLeft: readonly string[];
  readonly headline: string;
  readonly stderr: string;
}

const FIXTURES = join(ROOT, 'test/fixtures/hostile');

export const alnum = (n: number): string =>
  randomBytes(n * 2)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, n);

function fixture(language: CaseLanguage, name: string): string {
  return readFileSync(
    join(
      FIXTURES,
      language === 'python' ? 'py' : 'js',
      `${name}.${language === 'python' ? 'py' : 'mjs'}`,
    ),
    'utf8',
  );
}

function toolPath(c: HostileCase): string {
  return (
    c.path ??
    `tools/${c.language === 'python' ? 'py' : 'js'}/${c.id}.${c.language === 'python' ? 'py' : 'mjs'}`
  );
}

const BENIGN = {
  python: 'def tool(n):\n    return _work(n, 1)\n',
  javascript: 'export default function tool({ n }) {\n  return work(n, 1);\n}\n',
};
/** The benign base of an executable case: the same work, input on stdin, answer on stdout. */
const BENIGN_SCRIPT =
  'import json as _json\n\nprint(_json.dumps(_work(_json.load(sys.stdin)["n"], 1)))\n';

/** The files the workspace case writes and every run hashes. */
function workspaceTargets(plant: Plant, language: CaseLanguage): string[] {
  return [
    join(plant.repo, '.perf-verdict.yml'),
    join(plant.repo, 'tools/index.json'),
    join(plant.repo, '.git/hooks/post-checkout'),
    join(plant.repo, '.git/config'),
    join(
      plant.repo,
      language === 'python' ? 'tools/py/py_env_self.py' : 'tools/js/js_env_self.mjs',
    ),
    join(plant.dist, 'index.js'),
    join(plant.dist, 'cli/index.js'),
    ...['python.py', 'node.mjs'].map((h) => harnessPath(plant.dist, h)),
  ];
}

function harnessPath(dist: string, name: string): string {
  for (const candidate of [
    join(dist, 'measure/harness', name),
    join(dist, 'assets/measure/harness', name),
  ])
    if (existsSync(candidate)) return candidate;
  return join(dist, 'measure/harness', name);
}

export function hashFile(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return 'absent';
  }
}

/** Every file under `dir` (skipping git's object store, which the gate's worktrees touch). */
function walk(dir: string, skip: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (skip(path)) continue;
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) out.push(...walk(path, skip));
    else if (stat !== undefined) out.push(path);
  }
  return out;
}

function snapshot(plant: Plant, language: CaseLanguage): Map<string, string> {
  const gitInternal = (path: string): boolean =>
    /\/\.git\/(objects|logs|worktrees|refs|index|ORIG_HEAD|FETCH_HEAD|COMMIT_EDITMSG)/.test(path);
  const files = new Set([
    ...walk(plant.repo, gitInternal),
    ...walk(plant.dist),
    ...walk(plant.runnerTemp),
    ...workspaceTargets(plant, language),
    join(plant.home, '.netrc'),
    join(plant.home, '.git-credentials'),
  ]);
  return new Map([...files].map((f) => [f, hashFile(f)]));
}

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly comm: string;
  readonly cmdline: string;
}

function processes(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      out.push({
        pid: Number(name),
        ppid: Number(/PPid:\s*(\d+)/.exec(status)?.[1] ?? 0),
        uid: Number(/Uid:\s*(\d+)/.exec(status)?.[1] ?? -1),
        comm: readFileSync(`/proc/${name}/comm`, 'utf8').trim(),
        cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' '),
      });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const inSandboxRange = (uid: number): boolean => uid >= SANDBOX_UIDS[0] && uid < SANDBOX_UIDS[1];

/**
 * Processes this run left: anything naming its dist copy or a case's marker, and any process of
 * a sandbox uid that is not inside a sandbox (its parent neither bwrap nor another sandbox
 * process: an escapee). Other runs' sandboxes on a shared machine are not counted.
 */
export function leftovers(plant: Pick<Plant, 'dist' | 'tag'>): ProcessInfo[] {
  const all = processes();
  const byPid = new Map(all.map((p) => [p.pid, p]));
  return all.filter((p) => {
    if (p.pid === process.pid) return false;
    if (p.cmdline.includes(plant.dist) || p.cmdline.includes(`pvh-${plant.tag}`)) return true;
    if (p.comm.startsWith(`pv${plant.tag}`)) return true;
    if (!inSandboxRange(p.uid)) return false;
    const parent = byPid.get(p.ppid);
    return parent === undefined || (parent.comm !== 'bwrap' && !inSandboxRange(parent.uid));
  });
}

function caseMark(plant: Plant, index: number): { mark: string; shmark: string } {
  const n = String(index).padStart(2, '0');
  return { mark: `pv${plant.tag}${n}`, shmark: `pvh-${plant.tag}-${n}` };
}

function headCode(c: HostileCase, index: number, plant: Plant): string {
  const { mark, shmark } = caseMark(plant, index);
  return hostileSource(c.language, c.file, {
    marker: plant.marker,
    repo: plant.repo,
    dist: plant.dist,
    tmp: plant.tmp,
    home: plant.home,
    runner_temp: plant.runnerTemp,
    report: plant.report,
    port: plant.port,
    mark,
    shmark,
    file_prefix: `/tmp/${shmark}`,
    bomb: 150,
    targets: c.targets === 'workspace' ? workspaceTargets(plant, c.language) : [],
  });
}

/** A hostile head: the prelude, `P` (what the run planted, as the tool may know it), the body. */
export function hostileSource(
  language: CaseLanguage,
  file: string,
  p: Readonly<Record<string, unknown>>,
): string {
  const prelude = fixture(language, '_prelude');
  return language === 'python'
    ? // One JSON string, not a dict of path literals: bandit's B108 (a literal starting with /tmp)
      // would flag every head and cap it at REVIEW, hiding what the case itself earns.
      `${prelude}\nP = __import__("json").loads(${JSON.stringify(JSON.stringify(p))})\n\n${fixture(language, file)}`
    : `${prelude}\nconst P = ${JSON.stringify(p)};\n\n${fixture(language, file)}`;
}

/** The benign base of every case: the same prelude, the work once (a script for executable ones). */
export function benignSource(language: CaseLanguage, executable = false): string {
  return `${fixture(language, '_prelude')}\n${executable ? BENIGN_SCRIPT : BENIGN[language]}`;
}

export interface Secrets {
  readonly [name: string]: string;
}

export function plantSecrets(marker: string): Secrets {
  const token = (prefix: string, letter: string): string =>
    `${prefix}${marker}${letter}${alnum(36 - marker.length - 1)}`;
  const checkout = token('ghs_', 'D');
  const checkoutV6 = token('ghs_', 'G');
  return {
    GITHUB_TOKEN: token('ghs_', 'A'),
    'INPUT_GITHUB-TOKEN': token('ghs_', 'B'),
    ACTIONS_RUNTIME_TOKEN: token('rt-', 'C'),
    'checkout extraheader': basicCredential(checkout),
    'checkout token': checkout,
    'checkout v6 credential': basicCredential(checkoutV6),
    'checkout v6 token': checkoutV6,
    '.netrc password': `${marker}E${alnum(24)}`,
    '.git-credentials token': token('ghp_', 'F'),
  };
}

export interface CorpusOptions {
  readonly language: CaseLanguage;
  readonly sandbox: 'auto' | 'required' | 'off';
  /** The bundle to copy and run (dist/ or PERF_VERDICT_DIST). */
  readonly dist: string;
  /** time-budget-seconds per tool. */
  readonly budget: number;
  /** Node for the gate (default: this one). */
  readonly node?: string;
  /** Only these case ids (default: every case of the language). */
  readonly only?: readonly string[];
  /** Seconds to wait after the gate for a daemon to act (default 3). */
  readonly settleSeconds?: number;
  /**
   * Run the gate as this user instead of ours (test/hostile/sudo.test.ts): the repository, HOME,
   * TMPDIR and the output directory become its own, the dist copy readable; `node` must be a
   * binary it can run.
   */
  readonly user?: TestUser;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Build the PR repository for one language, run the gate once over every case, measure. */
export async function runCorpus(options: CorpusOptions): Promise<CorpusRun> {
  const cases = CASES.filter(
    (c) => c.language === options.language && (options.only?.includes(c.id) ?? true),
  );
  const tag = alnum(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x');
  const marker = `pvh${tag}`;
  const work = mkdtempSync(join(tmpdir(), 'pv-hostile-'));
  const dist = join(work, 'dist');
  cpSync(options.dist, dist, { recursive: true });
  const home = join(work, 'home');
  const gateTmp = join(work, 'tmp');
  const runnerTemp = join(work, 'runner-temp');
  const out = join(work, 'out');
  for (const dir of [home, gateTmp, runnerTemp, out]) mkdirSync(dir);
  chmodSync(work, 0o755);
  const connections: string[] = [];
  const server = createServer((socket) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('close', () => connections.push(text));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const repo = createRepo('pv-hostile-repo-');
  const plant: Plant = {
    tag,
    marker,
    repo: repo.dir,
    dist,
    tmp: gateTmp,
    home,
    runnerTemp,
    out,
    report: join(out, 'report.json'),
    port: (server.address() as AddressInfo).port,
  };
  const secrets = plantSecrets(marker);
  let result: CorpusRun | undefined;
  try {
    writeFileSync(
      join(home, '.netrc'),
      `machine github.com login x password ${secrets['.netrc password']}\n`,
      {
        mode: 0o600,
      },
    );
    writeFileSync(
      join(home, '.git-credentials'),
      `https://x-access-token:${secrets['.git-credentials token']}@github.com\n`,
      { mode: 0o600 },
    );
    const base: Record<string, string> = {
      '.perf-verdict.yml': 'fail-on: reject\n',
      'tools/index.json': '{"tools": {}}\n',
    };
    const head: Record<string, string> = {};
    const ext = options.language === 'python' ? 'py' : 'mjs';
    const sidecar = (c: HostileCase): string =>
      JSON.stringify({
        test_input: { n: 2000 },
        ...(c.executable === true
          ? { mode: 'executable' }
          : c.language === 'python'
            ? { entry: 'tool' }
            : {}),
      });
    // Every case file exists at base (benign), so the workspace targets exist for all.
    for (const c of CASES.filter((x) => x.language === options.language && x.path === undefined)) {
      base[toolPath(c)] = benignSource(c.language, c.executable === true);
      base[toolPath(c).replace(`.${ext}`, '.perf.json')] = sidecar(c);
    }
    repo.commit('base', base);
    repo.git('checkout', '-q', '-b', 'pr');
    for (const [i, c] of cases.entries()) {
      if (c.path !== undefined)
        head[c.path] = 'import time\n\ndef fast(n):\n    time.sleep(0.5)\n    return n\n';
      else head[toolPath(c)] = headCode(c, i, plant);
    }
    repo.commit('hostile heads', head);
    // What actions/checkout leaves behind with persist-credentials (its default), v4 and v6.
    persistCredentials(repo.dir, {
      v4: secrets['checkout extraheader']!,
      v6: secrets['checkout v6 credential']!,
      runnerTemp,
    });
    chmodSync(repo.dir, 0o755);
    if (options.user !== undefined) {
      const { uid, gid } = options.user;
      execFileSync('chown', ['-R', `${uid}:${gid}`, repo.dir, home, gateTmp, runnerTemp, out]);
      execFileSync('chmod', ['-R', 'a+rX', dist]);
    }
    const before = snapshot(plant, options.language);
    const tmpBefore = new Set(readdirSync('/tmp'));

    const started = Date.now();
    const gate = await runGate(options, plant, secrets);
    const wallMs = Date.now() - started;
    // The report as the gate left it; then a daemon that outlived the gate gets its chance.
    const reportText = existsSync(plant.report) ? readFileSync(plant.report, 'utf8') : '';
    await sleep((options.settleSeconds ?? 3) * 1000);
    const reportRewritten =
      (existsSync(plant.report) ? readFileSync(plant.report, 'utf8') : '') !== reportText ||
      !reportAgrees(reportText, gate.stdout.split('\n')[0] ?? '');
    const left = leftovers(plant);
    const after = snapshot(plant, options.language);
    const changed = [
      ...[...new Set([...before.keys(), ...after.keys()])].filter(
        (f) => before.get(f) !== after.get(f),
      ),
      ...(reportRewritten ? [plant.report] : []),
    ];
    const markdown = existsSync(join(out, 'comment.md'))
      ? readFileSync(join(out, 'comment.md'), 'utf8')
      : '';
    const report = parseReport(reportText);
    const verdicts = markdownVerdicts(markdown);
    const published = [reportText, markdown, gate.stdout, gate.stderr].join('\n');
    const newTmp = readdirSync('/tmp').filter((f) => !tmpBefore.has(f) || f.includes(tag));
    const gateTmpLeft = readdirSync(gateTmp);
    const workspace = new Set(workspaceTargets(plant, options.language));
    const claimed = new Set<string>();
    let processesClaimed = 0;

    const own = (i: number) => (p: ProcessInfo) =>
      p.comm === caseMark(plant, i).mark || p.cmdline.includes(caseMark(plant, i).shmark);
    const daemons = cases.filter((c, i) => c.targets === 'report' && left.some(own(i)));
    const results: CaseResult[] = cases.map((c, i) => {
      const { mark, shmark } = caseMark(plant, i);
      const found = report.rows.find((r) => r.id === c.id);
      // The report may have been rewritten behind the gate's back: its verdicts then come
      // from the markdown, which no case goes for.
      const row =
        found === undefined
          ? undefined
          : { ...found, verdict: reportRewritten ? (verdicts.get(c.id) ?? null) : found.verdict };
      const rowText = row === undefined ? '' : JSON.stringify(row.raw);
      const publishedHere = Object.entries(secrets)
        .filter(([, value]) => rowText.includes(value))
        .map(([name]) => name);
      const mine =
        c.targets === 'workspace'
          ? changed.filter((f) => workspace.has(f) || f.startsWith(dist))
          : c.targets === 'report' && (daemons.length === 0 || daemons.includes(c)) // the live daemons did it
            ? changed.filter((f) => f === plant.report)
            : [];
      for (const f of mine) claimed.add(f);
      const procs = left.filter(own(i)).length;
      processesClaimed += procs;
      const tmpFiles = [
        ...newTmp.filter((f) => f.includes(shmark) || f.includes(mark)),
        ...gateTmpLeft.filter((f) => f.includes(mark)),
      ];
      const connected = connections.some((text) => text.includes(mark));
      const stolen = /\b(?:STOLEN|NOTHING)\[(\d+)\]/.exec(row?.message ?? '');
      const rewroteReport = c.targets === 'report' && mine.length > 0;
      const honestAccept = c.path !== undefined;
      const forged = (!honestAccept && row?.verdict === 'ACCEPT') || rewroteReport;
      const result = {
        id: c.id,
        language: c.language,
        attack: c.attack,
        evidence: c.evidence === true,
        present: row !== undefined,
        verdict: row?.verdict ?? null,
        kind: row?.kind ?? null,
        message: row?.message ?? '',
        measured: row?.measured ?? '',
        sandbox: row?.sandbox ?? null,
        ciHigh: row?.ciHigh ?? null,
        ratio: row?.ratio ?? null,
        file: c.file,
        claimed: claimOf(row?.message ?? ''),
        stolen: stolen === null ? null : Number(stolen[1]),
        published: publishedHere,
        changed: mine,
        processes: procs,
        tmpFiles,
        connected,
        forged,
      };
      return {
        ...result,
        contained:
          result.present &&
          result.verdict !== 'ACCEPT' &&
          !forged &&
          (result.stolen ?? 0) === 0 &&
          result.claimed === null &&
          publishedHere.length === 0 &&
          mine.length === 0 &&
          procs === 0 &&
          tmpFiles.length === 0 &&
          !connected,
      };
    });
    result = {
      language: options.language,
      sandbox: options.sandbox,
      exitCode: gate.code,
      wallMs,
      cases: results,
      missing: cases.filter((c) => !report.rows.some((r) => r.id === c.id)).map((c) => c.id),
      publishedAnywhere: Object.entries(secrets)
        .filter(([, value]) => published.includes(value))
        .map(([name]) => name),
      changedUnclaimed: changed.filter((f) => !claimed.has(f)),
      processesUnclaimed: left.length - processesClaimed,
      gateTmpLeft,
      headline: gate.stdout.split('\n')[0] ?? '',
      stderr: gate.stderr,
    };
    return result;
  } finally {
    server.close();
    // What an uncontained case left behind: its processes (by pid) and its files.
    for (const p of leftovers(plant)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    for (const name of readdirSync('/tmp'))
      if (name.includes(tag)) rmSync(join('/tmp', name), { recursive: true, force: true });
    repo.remove();
    rmSync(work, { recursive: true, force: true });
  }
}

/** What a head's message says it achieved (see CaseResult.claimed), or null. */
function claimOf(message: string): string | null {
  const filled = /FILLED\[(\d+) MB\]/.exec(message);
  if (/STOLEN\[[1-9]/.test(message)) return 'read secrets';
  if (/CONNECTED\[1\]/.test(message)) return "reached the host's port";
  if (/WROTE\[[1-9]/.test(message)) return 'wrote files';
  if (/no limit met/.test(message)) return 'met no process limit';
  if (filled !== null && Number(filled[1]) >= 200) return `wrote ${filled[1]} MB`;
  const allocated = /ALLOCATED\[(\d+) MB\]/.exec(message);
  if (allocated !== null) return `allocated ${allocated[1]} MB`;
  return null;
}

/**
 * Row verdicts from the markdown the gate wrote (its table's last cell), by tool id: the daemon
 * cases go for report.json, so where that was rewritten the markdown still has the gate's word.
 */
function markdownVerdicts(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('| ')) continue;
    const id = /\*\*(.+?)\*\*/.exec(line)?.[1];
    const cells = line.split(' | ');
    const verdict = /ACCEPT|REVIEW|REJECT/.exec(cells[cells.length - 1] ?? '')?.[0];
    if (id !== undefined && verdict !== undefined)
      out.set(id.replace(/&#92;/g, '\\').replace(/&#95;/g, '_'), verdict);
  }
  return out;
}

/** The report the gate wrote is valid JSON whose verdict is the one its headline printed. */
function reportAgrees(text: string, headline: string): boolean {
  try {
    const verdict = (JSON.parse(text) as { verdict?: unknown }).verdict;
    return typeof verdict === 'string' && headline.includes(verdict);
  } catch {
    return false;
  }
}

interface Row {
  readonly id: string;
  readonly verdict: string | null;
  readonly kind: string | null;
  readonly message: string;
  /** The time ratio with its interval, cold ratio and the judge's reasons, when measured. */
  readonly measured: string;
  /** Upper edge of the steady-state ratio's interval (null: not measured). */
  readonly ciHigh: number | null;
  readonly ratio: number | null;
  readonly sandbox: CaseResult['sandbox'];
  readonly raw: unknown;
}

function parseReport(text: string): { rows: Row[] } {
  let parsed: { tools?: unknown[] };
  try {
    parsed = JSON.parse(text) as { tools?: unknown[] };
  } catch {
    return { rows: [] };
  }
  const rows = (parsed.tools ?? []).map((raw) => {
    const r = raw as {
      id: string;
      verdict: string | null;
      note: string | null;
      comparison?: {
        new?: { error?: { kind: string; message: string } };
        time?: { ratio: number; ci_low: number; ci_high: number; pairs: number };
        cold?: { ratio: number | null };
        sandbox?: CaseResult['sandbox'];
      } | null;
      profile?: { sandbox?: CaseResult['sandbox'] } | null;
      evaluation?: { band?: { reasons?: string[] } } | null;
    };
    const error = r.comparison?.new?.error;
    const t = r.comparison?.time;
    const cold = r.comparison?.cold?.ratio;
    const measured = [
      t === undefined || error !== undefined
        ? ''
        : `×${t.ratio.toFixed(2)} [${t.ci_low.toFixed(2)}, ${t.ci_high.toFixed(2)}] (${t.pairs} pairs)`,
      cold === undefined || cold === null ? '' : `cold ×${cold.toFixed(2)}`,
      ...(r.evaluation?.band?.reasons ?? []),
    ].filter((x) => x !== '');
    return {
      id: r.id,
      verdict: r.verdict,
      kind: error?.kind ?? null,
      message: error?.message ?? r.note ?? '',
      measured: measured.join('; '),
      ciHigh: t === undefined || error !== undefined ? null : t.ci_high,
      ratio: t === undefined || error !== undefined ? null : t.ratio,
      sandbox: r.comparison?.sandbox ?? r.profile?.sandbox ?? null,
      raw,
    };
  });
  return { rows };
}

function runGate(options: CorpusOptions, plant: Plant, secrets: Secrets): Promise<Finished> {
  const node = options.node ?? process.execPath;
  const env: Record<string, string> = {
    PATH:
      options.user === undefined
        ? (process.env['PATH'] ?? '/usr/bin:/bin')
        : `${dirname(node)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: plant.home,
    TMPDIR: plant.tmp,
    RUNNER_TEMP: plant.runnerTemp,
    LANG: 'C.UTF-8',
    GITHUB_TOKEN: secrets['GITHUB_TOKEN']!,
    'INPUT_GITHUB-TOKEN': secrets['INPUT_GITHUB-TOKEN']!,
    ACTIONS_RUNTIME_TOKEN: secrets['ACTIONS_RUNTIME_TOKEN']!,
  };
  const user = options.user;
  const gate = [
    join(plant.dist, 'cli/index.js'),
    'gate',
    '--base',
    'main',
    '--head',
    'pr',
    '--repo',
    plant.repo,
    '--json',
    plant.report,
    '--markdown',
    join(plant.out, 'comment.md'),
    '--budget',
    String(options.budget),
    '--sandbox',
    options.sandbox,
  ];
  const { command, args } =
    user === undefined ? { command: node, args: gate } : runAsUser(user, node, gate);
  return runToEnd(command, args, {
    cwd: plant.repo,
    env,
    killAfterMs: 15 * 60_000,
  });
}

/** Where the corpus results go for docs/security.md: one line per case. */
export function caseLine(r: CaseResult): string {
  const what: string[] = [];
  if (!r.present) what.push('no row');
  if (r.stolen !== null && r.stolen > 0) what.push(`read ${r.stolen} secret(s)`);
  else if (r.claimed !== null && !(r.connected && r.claimed.includes('port'))) what.push(r.claimed);
  if (r.published.length > 0) what.push(`published ${r.published.join(', ')}`);
  if (r.changed.length > 0) what.push(`changed ${r.changed.length} file(s)`);
  if (r.processes > 0) what.push(`${r.processes} process(es) left`);
  if (r.tmpFiles.length > 0) what.push(`left ${r.tmpFiles.join(', ')}`);
  if (r.connected) what.push("reached the host's port");
  if (r.forged) what.push('forged ACCEPT');
  return what.length === 0 ? 'contained' : what.join('; ');
}
