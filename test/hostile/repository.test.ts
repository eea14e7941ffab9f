/**
 * Repository cases of the hostile corpus (test/hostile/repository.ts), through the bundled gate
 * under Node 24 with the sandbox on: what the PR puts around a tool — files shadowing what the
 * gate starts, dependency strings, build backends, symbolic links — runs nowhere outside a
 * sandbox, publishes no planted secret, and forges no ACCEPT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAvailability } from '../../src/measure/sandbox.js';
import { DIST } from '../e2e/action-helpers.js';
import { node24 } from '../helpers/node24.js';
import { runRepositoryCase, rowText } from './repository.js';
import type { RepositoryRun } from './repository.js';
import { REPOSITORY_CASES } from './repository-cases.js';

const available = sandboxAvailability();

describe.skipIf(!available.ok)('repository cases through the bundled gate, sandbox on', () => {
  const runs = new Map<string, RepositoryRun>();
  beforeAll(async () => {
    const entries = await Promise.all(
      Object.entries(REPOSITORY_CASES).map(
        async ([name, c]) =>
          [
            name,
            await runRepositoryCase(c, {
              dist: DIST,
              budget: 5,
              sandbox: 'auto',
              node: node24(),
            }),
          ] as const,
      ),
    );
    for (const [name, run] of entries) runs.set(name, run);
  }, 600_000);
  afterAll(() => runs.clear());

  it.each(Object.keys(REPOSITORY_CASES))(
    '%s: no payload ran outside a sandbox, no secret published, no process left',
    (name) => {
      const run = runs.get(name)!;
      expect(run.report.tools?.length, run.stderr).toBeGreaterThan(0);
      expect(run.pwned, run.stderr).toEqual([]);
      expect(run.published).toEqual([]);
      expect(run.processes).toBe(0);
      expect(run.report.verdict, run.stderr).not.toBe('ACCEPT');
    },
  );

  it('shadows: the head installed its requirements (in the install sandbox) and the row was measured', () => {
    const run = runs.get('shadows')!;
    expect(run.stderr).toMatch(/head: dependencies installed into venv/);
    expect(run.stderr).toMatch(/in the install sandbox/);
    expect(rowText(run, 't')).toMatch(/^(REVIEW|REJECT)/);
  });

  it.each([
    ['option', /code\/tools\/t\.py: dependencies: "-r.*" is an option, not a package requirement/],
    [
      'backend_yaml',
      /"\.\/vendor\/fastmath" is a local path: the base config's install-sources does not list `local`/,
    ],
    [
      'backend_requirements',
      /code\/requirements\.txt line 1: "\.\/vendor\/fastmath" is a local path/,
    ],
  ])('%s: refused before pip starts, naming where it is listed', (name, why) => {
    expect(runs.get(name)!.stderr).toMatch(why);
  });

  it('deep_concat: analysed in full, the new HIGH finding listed (security is not "unavailable")', () => {
    const run = runs.get('deep_concat')!;
    // REJECT when the head runs; a loaded machine may time both versions out (REVIEW): the
    // finding is what analysis proves, at any load.
    expect(rowText(run, 'deep')).toMatch(/^(REJECT|REVIEW)/);
    expect(run.markdown).toMatch(/\*\*deep\*\*.*B605/);
  });

  it('symlink: the link is analysed as the file it runs (its new HIGH finding listed); one leaving the tree is unreadable', () => {
    const run = runs.get('symlink')!;
    expect(rowText(run, 'work')).toMatch(/^(REJECT|REVIEW)/);
    expect(run.markdown).toMatch(/\*\*work\*\*.*B605/);
    expect(rowText(run, 'out')).toMatch(/symbolic link that leaves the repository/);
  });
});
