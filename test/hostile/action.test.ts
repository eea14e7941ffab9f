/**
 * Hostile corpus, publishing cases in one Action run: dist/index.js (a copy of it) under Node 24,
 * the runner's workspace made as actions/checkout makes it, the fake GitHub. Head tools steal
 * from the Action's environment and memory and from the workspace's .git/config, and forge: they
 * append an "ACCEPT" to the job summary and the step outputs, the workspace's config and the
 * Action's own bundle, now and from a daemon that outlives the step. With the sandbox on, nothing
 * planted is published, nothing is forged, no file changes and no process stays.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAvailability } from '../../src/measure/sandbox.js';
import { startFakeGitHub } from '../helpers/fake-github.js';
import type { FakeGitHub } from '../helpers/fake-github.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';
import {
  DIST,
  publishedTexts,
  pullRequestPayload,
  pullRequestState,
  runAction,
} from '../e2e/action-helpers.js';
import type { RunnerRun } from '../e2e/action-helpers.js';
import { alnum, benignSource, hashFile, hostileSource, leftovers, plantSecrets } from './corpus.js';

const available = sandboxAvailability();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const TOOLS = [
  { id: 'thief_env', language: 'python', file: 'environ_ppid' },
  { id: 'thief_mem', language: 'python', file: 'proc_mem' },
  { id: 'thief_git', language: 'python', file: 'git_config' },
  { id: 'thief_all', language: 'javascript', file: 'environ_all' },
  { id: 'forger', language: 'python', file: 'runner_files' },
] as const;

describe.skipIf(!available.ok)(
  `hostile tools in one Action run (dist/index.js under Node 24), sandbox on${available.ok ? '' : ` (skipped: ${available.reason})`}`,
  () => {
    const tag = alnum(6).toLowerCase();
    const marker = `pvh${tag}`;
    const secrets = plantSecrets(marker);
    let repo: TestRepo;
    let github: FakeGitHub;
    let dist: string;
    let run: RunnerRun;
    let before = new Map<string, string>();
    let afterSettle = new Map<string, string>();
    let left = 0;

    beforeAll(async () => {
      dist = join(mkdtempSync(join(tmpdir(), 'pv-hostile-action-')), 'dist');
      cpSync(DIST, dist, { recursive: true });
      github = await startFakeGitHub();
      repo = createRepo();
      // Python names its entry; a JavaScript tool's is its default export.
      const side = (t: (typeof TOOLS)[number]): string =>
        JSON.stringify({
          test_input: { n: 2000 },
          ...(t.language === 'python' ? { entry: 'tool' } : {}),
        });
      const path = (t: (typeof TOOLS)[number]): string =>
        `tools/hostile/${t.id}.${t.language === 'python' ? 'py' : 'mjs'}`;
      const base: Record<string, string> = { '.perf-verdict.yml': 'fail-on: reject\n' };
      for (const t of TOOLS) {
        base[path(t)] = benignSource(t.language);
        base[`tools/hostile/${t.id}.perf.json`] = side(t);
      }
      repo.commit('base', base);
      repo.git('checkout', '-q', '-b', 'pr');
      const head: Record<string, string> = {};
      for (const [i, t] of TOOLS.entries())
        head[path(t)] = hostileSource(t.language, t.file, {
          marker,
          dist,
          repo: dist,
          mark: `pv${tag}${String(i).padStart(2, '0')}`,
        });
      const sha = repo.commit('hostile heads', head);
      github.pr = pullRequestState(1, sha, repo.git('rev-parse', 'main'));
      let workspace = '';
      run = await runAction({
        repo: repo.dir,
        event: 'pull_request',
        dist,
        // What actions/checkout leaves behind with persist-credentials (its default), v4 and v6.
        checkoutCredentials: {
          v4: secrets['checkout extraheader']!,
          v6: secrets['checkout v6 credential']!,
        },
        afterCheckout: (dir) => {
          workspace = dir;
          before = hashes(dir, dist);
        },
        payload: pullRequestPayload(1, sha, repo.git('rev-parse', 'main'), 'synchronize'),
        inputs: {
          'github-token': secrets['INPUT_GITHUB-TOKEN']!,
          'time-budget-seconds': '1',
          comment: 'always',
          sandbox: 'auto',
        },
        env: {
          GITHUB_TOKEN: secrets['GITHUB_TOKEN']!,
          ACTIONS_RUNTIME_TOKEN: secrets['ACTIONS_RUNTIME_TOKEN']!,
        },
        apiUrl: github.url,
      });
      // A daemon that outlived the step gets its chance to forge the summary and the outputs.
      await sleep(3000);
      afterSettle = hashes(workspace, dist);
      left = leftovers({ dist, tag }).length;
    }, 300_000);

    afterAll(async () => {
      for (const p of leftovers({ dist, tag })) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      await github.close();
      repo.remove();
      rmSync(join(dist, '..'), { recursive: true, force: true });
    });

    function hashes(workspace: string, bundle: string): Map<string, string> {
      const files = [
        '.perf-verdict.yml',
        '.git/config',
        '.git/hooks/post-checkout',
        ...TOOLS.map((t) => `tools/hostile/${t.id}.${t.language === 'python' ? 'py' : 'mjs'}`),
      ].map((f) => join(workspace, f));
      files.push(join(bundle, 'index.js'), join(bundle, 'cli/index.js'));
      return new Map(files.map((f) => [f, hashFile(f)]));
    }

    it('publishes no planted secret: request bodies, summary, report, log, outputs', () => {
      const bodies = github.requests.map((r) => r.body as unknown);
      const published = publishedTexts(run, bodies);
      for (const [name, value] of Object.entries(secrets))
        for (const text of published) expect(text, name).not.toContain(value);
      // Something was published, so the search searched something.
      expect(JSON.stringify(bodies)).toContain('perf-verdict');
      expect(github.violations()).toEqual([]);
    });

    it('forges nothing: no ACCEPT, no line in the summary or the outputs, every theft found nothing', () => {
      expect(run.outputs['verdict']).toBe('REJECT');
      expect(run.summary).not.toContain('FORGED');
      expect(JSON.stringify(run.outputs)).not.toContain('FORGED');
      const report = JSON.parse(readFileSync(run.outputs['report'] ?? '', 'utf8')) as {
        tools: {
          id: string;
          verdict: string;
          comparison: {
            sandbox?: { kind: string };
            new: { error?: { kind: string; message: string } };
          };
        }[];
      };
      expect(report.tools.map((t) => t.id).sort()).toEqual(TOOLS.map((t) => t.id).sort());
      for (const row of report.tools) {
        const why = JSON.stringify({
          note: (row as { note?: unknown }).note,
          error: row.comparison.new.error,
        });
        expect(row.verdict, `${row.id}: ${why}`).toBe('REJECT');
        expect(row.comparison.sandbox?.kind, row.id).toBe('bwrap');
        // The forger's daemon is refused below `os` (kind hostile) where the harness can.
        const error = row.comparison.new.error;
        expect(['exception', 'hostile'], row.id).toContain(error?.kind);
        if (error?.kind === 'exception')
          expect(error.message, row.id).toMatch(/NOTHING\[0\]|WROTE\[0\]/);
      }
    });

    it('changes no file of the workspace or the Action, and leaves no process', () => {
      expect(before.size).toBeGreaterThan(0);
      expect(afterSettle).toEqual(before);
      expect(left).toBe(0);
    });
  },
);
