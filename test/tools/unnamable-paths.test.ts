/**
 * Issue 10, case 6: a changed path that cannot be a tool name (a newline, a control character,
 * bytes that are not UTF-8) is a REVIEW row with the reason, counted in the headline, never
 * dropped and never run. Real git repositories; paths written as raw bytes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo } from '../../src/adapters/git.js';
import { DEFAULT_TOOL_GLOBS, parseConfig } from '../../src/config/config.js';
import type { Log, Measurer } from '../../src/domain/ports.js';
import { renderHeadline } from '../../src/report/render.js';
import { createRulesJudge } from '../../src/judge/rules.js';
import { run } from '../../src/run.js';
import { changedToolsBetween } from '../../src/tools/index.js';
import { splitUnnamable, toolMatcher, unnamableReason } from '../../src/tools/discover.js';
import { analysis } from '../render/fixtures.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';

const SLEEPY = 'import time\n\ndef fast(n):\n    time.sleep(0.5)\n    return n\n';

describe('paths that cannot be tool names', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = createRepo();
    repo.commit('base', {
      'tools/t/other.py': 'def other(n):\n    return n\n',
      'tools/t/old.py': 'def old(n):\n    return n\n',
    });
    repo.git('checkout', '-q', '-b', 'pr');
    const raw = (bytes: Buffer, text: string): void => writeFileSync(bytes, text);
    raw(Buffer.from(join(repo.dir, 'tools/t/fast\ntool.py')), SLEEPY);
    raw(
      Buffer.concat([
        Buffer.from(join(repo.dir, 'tools/t/bad')),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('.py'),
      ]),
      SLEEPY,
    );
    raw(Buffer.from(join(repo.dir, 'tools/t/ta\tb.py')), SLEEPY);
    raw(Buffer.from(join(repo.dir, 'tools/t/fast\u202etool.py')), SLEEPY);
    // Not a tool file under the globs: a README with a newline is no row.
    raw(Buffer.from(join(repo.dir, 'docs\nnotes.md')), 'notes');
    // A rename of a tool to an unnamable path: the old tool is removed, the new path a row.
    repo.git('mv', 'tools/t/old.py', 'tools/t/old\u0007.py');
    repo.commit('head', {});
  });
  afterAll(() => repo.remove());

  it('names the reason for each kind of character', () => {
    expect(unnamableReason('tools/t/fast\ntool.py')).toBe('the path holds a newline');
    expect(unnamableReason('tools/\u001b[31m.py')).toContain('a control character (U+001B)');
    expect(unnamableReason('tools/a\ufffd.py')).toContain('not valid UTF-8');
    expect(unnamableReason('tools/a\u202e.py')).toContain('bidirectional');
    expect(unnamableReason('tools/plain_name-1.py')).toBeNull();
    expect(unnamableReason('tools/ünïcödé.py')).toBeNull();
  });

  it('reads git -z output into one row per unnamable tool path, and drops none', async () => {
    const git = openRepo(repo.dir);
    const head = await git.resolve('pr');
    const base = await git.resolve('main');
    const changes = await git.diff(base, head);
    // git -z keeps the newline inside the path: the raw diff has it whole.
    expect(changes.map((c) => c.path)).toContain('tools/t/fast\ntool.py');
    const split = splitUnnamable(changes, toolMatcher(DEFAULT_TOOL_GLOBS));
    expect(split.unnamable.map((t) => t.id).sort()).toEqual(
      [
        'tools/t/bad\\ufffd\\ufffd.py',
        'tools/t/fast\\ntool.py',
        'tools/t/fast\\u202etool.py',
        'tools/t/old\\x07.py',
        'tools/t/ta\\tb.py',
      ].sort(),
    );
    const { tools } = await changedToolsBetween(git, base, head, DEFAULT_TOOL_GLOBS);
    expect(tools.map((t) => [t.id, t.status, t.unnamable === undefined])).toEqual(
      expect.arrayContaining([
        ['old', 'removed', true],
        ['tools/t/fast\\ntool.py', 'new', false],
      ]),
    );
    expect(tools).toHaveLength(6);
  });

  it('the gate makes each a REVIEW row with the reason, counted in the headline, never run', async () => {
    const compared: string[] = [];
    const measurer: Measurer = {
      compare(a, b) {
        compared.push(a.code, b.code);
        return Promise.reject(new Error('nothing here may be measured'));
      },
    };
    const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };
    let t = 0;
    const report = await run(
      parseConfig({}),
      {
        mode: 'gate',
        baseRef: 'main',
        headRef: 'pr',
        repository: null,
        pullRequest: null,
      },
      {
        repo: openRepo(repo.dir),
        measurer,
        analyzer: { analyze: () => Promise.resolve(analysis(1, [])) },
        judge: createRulesJudge({ now: () => new Date('2026-01-01T00:00:00Z') }),
        clock: { now: () => new Date('2026-01-01T00:00:00Z') },
        log: quiet,
        monotonicMs: () => (t += 10),
      },
    );
    const row = report.tools.find((r) => r.id === 'tools/t/fast\\ntool.py');
    expect(row).toMatchObject({ verdict: 'REVIEW', status: 'skipped' });
    expect(row?.note).toBe(
      "changed path 'tools/t/fast\\ntool.py' cannot be a tool name (the path holds a newline): not measured; a human looks",
    );
    expect(report.tools.filter((r) => r.note?.includes('cannot be a tool name'))).toHaveLength(5);
    expect(compared).toEqual([]);
    expect(report.verdict).toBe('REVIEW');
    expect(renderHeadline(report)).toContain('6 changed tools');
  });
});
