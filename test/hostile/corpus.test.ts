/**
 * The hostile corpus (test/hostile/corpus.ts) with the sandbox on, end to end through the bundled
 * `gate`: one PR repository per language holding every case, the gate run once over each (the two
 * run side by side). Every case must be contained: no planted secret read or published, no file of
 * the workspace, the gate or the report changed, no process of the run left, nothing new in
 * /tmp, no connection to the host's port, no forged ACCEPT, the error kind its attack meets.
 * Timing outcomes are never asserted: an honest head here is ten times slower or fails, so
 * whatever the load does to the interval, only a forgery reaches ACCEPT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAvailability } from '../../src/measure/sandbox.js';
import { DIST } from '../e2e/action-helpers.js';
import { expectContained } from './contained.js';
import { CASES, runCorpus } from './corpus.js';
import type { CorpusRun } from './corpus.js';

const available = sandboxAvailability();

describe.skipIf(!available.ok)(
  `hostile corpus through the bundled gate, sandbox on${available.ok ? '' : ` (skipped: ${available.reason})`}`,
  () => {
    const runs = new Map<string, CorpusRun>();
    beforeAll(async () => {
      const [python, javascript] = await Promise.all([
        runCorpus({ language: 'python', sandbox: 'auto', dist: DIST, budget: 1 }),
        runCorpus({ language: 'javascript', sandbox: 'auto', dist: DIST, budget: 1 }),
      ]);
      runs.set('python', python);
      runs.set('javascript', javascript);
    }, 600_000);
    afterAll(() => runs.clear());

    it.each(['python', 'javascript'])(
      '%s: no hostile tool crashes the gate — every case is a row, the verdict is REJECT',
      (language) => {
        const run = runs.get(language)!;
        expect(run.missing).toEqual([]);
        expect(run.exitCode).toBe(1);
        const count = CASES.filter((c) => c.language === language).length;
        expect(run.headline).toMatch(
          new RegExp(`^perf-verdict: ❌ REJECT — .*\\(${count} changed tools\\)$`),
        );
        expect(run.stderr).not.toMatch(/internal error/);
        // Nothing anywhere in the published text, nothing else touched or left by the run.
        expect(run.publishedAnywhere).toEqual([]);
        expect(run.changedUnclaimed).toEqual([]);
        expect(run.processesUnclaimed).toBe(0);
        expect(run.gateTmpLeft).toEqual([]);
      },
    );

    it.each(CASES.map((c) => [`${c.id}: ${c.attack}`, c] as const))('%s', (_name, c) => {
      expectContained(c, runs.get(c.language)!);
    });

    it('bombs and fills were stopped short of their own bounds', () => {
      const result = (id: string) =>
        [...runs.values()].flatMap((r) => r.cases).find((c) => c.id === id);
      // 150 forks or spawns each: refused outright (kind hostile), or stopped by the sandbox's
      // RLIMIT_NPROC (128 per sandbox uid) before the 150th.
      for (const id of ['py_fork_bomb', 'py_ctypes_fork', 'py_spawn_bomb', 'js_spawn_bomb']) {
        const r = result(id);
        if (r?.kind !== 'hostile')
          expect(r?.message, id).toMatch(/(FORKED|SPAWNED)\[(\d|\d\d|1[01]\d|12[0-7])\]/);
      }
      // 200 MB wanted: the 64 MiB file-size limit and the 64 MiB /tmp stop it (a killed Node,
      // SIGXFSZ, says nothing).
      for (const id of ['py_disk_fill', 'js_disk_fill'])
        if (result(id)?.kind === 'exception')
          expect(result(id)?.message).toMatch(/FILLED\[(6[0-4]|[1-5]?\d) MB\]/);
    });
  },
);
