/**
 * A sandbox that looks like an ordinary machine (issue 23): a tool started the way the gate starts
 * it (prepareVersion + startChild, the real harness over its real channel) reports everything of
 * its machine a process reads without looking into its own code — its file, argv, working
 * directory, environment, `/proc/self/cmdline`, `/proc/self/mountinfo`, PID 1's command line,
 * what `/tmp` and `/run` hold, its hostname and uid. Nothing of it may name the benchmark
 * (`perf-verdict`, `harness`, `benchmark`, `/run/perf-verdict`), and two versions started alike
 * must see the same thing up to the random part of a temporary name, so neither can tell which
 * side it is. Python reads /proc; a JS tool may not (Node's permission model), so it reports what
 * Node hands it.
 */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { ToolVersion } from '../../src/domain/types.js';
import type { HarnessChild } from '../../src/measure/child.js';
import { cleanup, startChild } from '../../src/measure/launch.js';
import { newSides } from '../../src/measure/protocol.js';
import type { Side } from '../../src/measure/protocol.js';
import { SANDBOX_UIDS, sandboxAvailability } from '../../src/measure/sandbox.js';
import { ROOT } from '../helpers/cli.js';

const PYTHON_VIEW = `
import os, socket, sys

def _read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("latin1").replace("\\x00", " ")
    except OSError:
        return ""

def _list(path):
    try:
        return sorted(os.listdir(path))
    except OSError:
        return []

SEEN = {
    "file": __file__,
    "argv": sys.argv,
    "cwd": os.getcwd(),
    "hostname": socket.gethostname(),
    "uid": os.getuid(),
    "environ": sorted(_read("/proc/self/environ").split()),
    "cmdline": _read("/proc/self/cmdline"),
    "mountinfo": _read("/proc/self/mountinfo"),
    "init": _read("/proc/1/cmdline"),
    "tmp": _list("/tmp"),
    "run": _list("/run"),
}

def tool(n):
    return SEEN
`;

const JS_VIEW = `
import { hostname } from 'node:os';

const seen = {
  file: import.meta.url,
  argv: process.argv,
  execArgv: process.execArgv,
  cwd: process.cwd(),
  hostname: hostname(),
  uid: process.getuid(),
  environ: Object.entries(process.env).map(([k, v]) => k + '=' + v).sort(),
};

export default function tool() {
  return seen;
}
`;

/** A helper that adds what it sees of itself to the tool's view. */
const HELPER_VIEW = `export const same = (seen) => ({ ...seen, helper: import.meta.url });\n`;
const PY_HELPER_VIEW = 'def same(seen):\n    return dict(seen, helper=__file__)\n';

/** Words that would tell a tool it is being measured by perf-verdict. */
const SIGNS = /perf.?verdict|harness|benchmark|\/run\/perf/i;
/** Words that would tell it which side it is (V8's `--max-old-space-size`, on both, aside). */
const SIDES = /(?:^|[/_.=-])(?:old|new|base|head)(?:$|[/_.=-])/i;

/** What one side's tool saw, started as the measurement protocol starts it. */
async function view(label: 'old' | 'new', version: ToolVersion): Promise<Record<string, unknown>> {
  let side: Side | undefined;
  let child: HarnessChild | undefined;
  try {
    side = (await newSides([[label, version]], { sandbox: 'required' }))[0]!;
    child = startChild(side.prepared);
    await child.request(undefined, 20_000);
    const reply = await child.request({ op: 'check' }, 20_000);
    expect(reply.ok, JSON.stringify(reply.error)).toBe(true);
    return JSON.parse(reply.output ?? '{}') as Record<string, unknown>;
  } finally {
    child?.close();
    if (side !== undefined) cleanup(side.prepared);
  }
}

/** The view as text, without the test machine's own checkout path (its name is not ours to choose). */
function text(seen: Record<string, unknown>): string {
  return JSON.stringify(seen).split(ROOT.replace(/\/$/, '')).join('<root>');
}

const blank = (seen: Record<string, unknown>): string =>
  text(seen).replace(/tmp\.[A-Za-z0-9]{6}/g, 'tmp.XXXXXX');

const available = sandboxAvailability();

describe.skipIf(!available.ok)(
  `what a sandboxed tool sees of its machine${available.ok ? '' : ` (skipped: ${available.reason})`}`,
  () => {
    it.each([
      ['python', PYTHON_VIEW, {}],
      ['javascript', JS_VIEW, {}],
      // With a helper it imports, both in its repository's layout under the version's directory.
      [
        'javascript with a helper',
        `import { same } from './lib/same.js';\n${JS_VIEW.replace('return seen', 'return same(seen)')}`,
        { path: 'tools/view.js', loads: [{ path: 'tools/lib/same.js', code: HELPER_VIEW }] },
      ],
      [
        'python with a helper',
        `from same import same\n${PYTHON_VIEW.replace('return SEEN', 'return same(SEEN)')}`,
        { path: 'tools/view.py', loads: [{ path: 'tools/same.py', code: PY_HELPER_VIEW }] },
      ],
    ] as const)('%s: nothing names the benchmark or the side', async (name, code, files) => {
      const language = name.startsWith('python') ? 'python' : 'javascript';
      const version: ToolVersion = { code, language, mode: 'function', testInput: 1, ...files };
      const [old, current] = [await view('old', version), await view('new', version)];
      for (const seen of [old, current]) {
        const all = text(seen);
        expect(all).not.toMatch(SIGNS);
        // Every string the tool holds, split where a path or an argument splits it; PID 1's
        // arguments are bwrap's and setpriv's (`--no-new-privs`): compared between sides below.
        const held = text({ ...seen, init: undefined }).replaceAll('--max-old-space-size', '');
        for (const piece of held.split(/["\s,]/)) expect(piece).not.toMatch(SIDES);
        expect(seen['hostname']).toBe(hostname());
        expect(seen['uid']).toBeGreaterThanOrEqual(SANDBOX_UIDS[0]);
        expect(seen['uid']).toBeLessThan(SANDBOX_UIDS[1]);
        if ('loads' in files) {
          // It ran from its tree, with the helper beside it (the view saw both files).
          expect(String(seen['file'])).toMatch(/\/tmp\.\w{6}\/repo\/tools\/view\.(py|js\.mjs)$/);
          expect(String(seen['helper'])).toMatch(
            /\/tmp\.\w{6}\/repo\/tools\/(same\.py|lib\/same\.js\.mjs)$/,
          );
        }
        if (language === 'python') {
          // The checks above looked at something: the process's own files were read.
          expect(String(seen['mountinfo'])).toMatch(/ \/tmp /);
          expect(String(seen['cmdline'])).toContain('main.py');
          expect(String(seen['init'])).not.toBe('');
        }
      }
      // The base's and the head's: the same view up to the random names and the uid (and the
      // mount ids, which count up); PID 1's arguments the same words but for the uid they drop
      // to (in another order: binds are sorted by path, and the random names sort at random).
      const same = (seen: Record<string, unknown>): string =>
        blank({ ...seen, uid: 0, mountinfo: undefined, init: undefined });
      const init = (seen: Record<string, unknown>): string[] =>
        blank({ init: seen['init'] })
          .replace(/--re[ug]id=\d+/g, '--reuid=U')
          .split(' ')
          .sort();
      expect(init(current)).toEqual(init(old));
      expect(same(current)).toBe(same(old));
    });
  },
);
