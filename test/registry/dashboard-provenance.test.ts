/** Record mode's stamp of where a version came from: the commit, the PR, who accepted it. */
import { describe, expect, it } from 'vitest';
import { pullRequestOf, stampProvenance } from '../../src/registry/dashboard-provenance.js';
import { validateRegistry } from '../../src/registry/schema.js';
import { dashboardRegistry } from './fixtures/dashboard.js';

describe('the pull request a commit message names', () => {
  it.each([
    [
      'Merge pull request #12 from octo/faster\n\nFaster addition',
      { number: 12, title: 'Faster addition' },
    ],
    ['Faster addition (#34)\n\n* squashed commit', { number: 34, title: 'Faster addition' }],
    ['Merge pull request #5 from octo/x', { number: 5, title: '' }],
    ['Fix typo', null],
    ['Mention (#7) in the middle of a subject', null],
    ['Merge branch main into feature', null],
  ])('%j → %j', (message, want) => {
    expect(pullRequestOf(message)).toEqual(want);
  });
});

describe('stamping the versions a record run appended', () => {
  const base = dashboardRegistry()['csvParser']!;
  const appended = {
    ...base.versions![2]!,
    version: '1.2.0',
    verdict: 'REJECT' as const,
    status: 'rejected' as const,
  };
  delete (appended as { commit?: string }).commit;
  const entry = { ...base, versions: [...base.versions!, appended] };
  const sha = 'c0ffee'.repeat(6) + 'beef';

  it('stamps commit, PR and the pusher of a REJECT, and leaves every other record as it was', () => {
    const stamped = stampProvenance(entry, '1.2.0', {
      commit: sha,
      message: 'Parse quoted fields (#77)',
      pushedBy: 'octo-merger',
    });
    expect(stamped.versions!.slice(0, 3)).toEqual(entry.versions.slice(0, 3));
    expect(stamped.versions![3]).toMatchObject({
      commit: sha,
      pull_request: { number: 77, title: 'Parse quoted fields' },
      accepted_by: 'octo-merger',
    });
    // What record mode writes passes the registry's schema.
    expect(validateRegistry({ csvParser: stamped }).problems).toEqual([]);
  });

  it('names no acceptor for an ACCEPT, and no PR for a message that names none', () => {
    const accepted = {
      ...entry,
      versions: [
        ...base.versions!,
        { ...appended, verdict: 'ACCEPT' as const, status: 'current' as const },
      ],
    };
    const stamped = stampProvenance(accepted, '1.2.0', {
      commit: sha,
      message: 'Direct push',
      pushedBy: 'octo',
    });
    expect(stamped.versions![3]!.commit).toBe(sha);
    expect(stamped.versions![3]).not.toHaveProperty('accepted_by');
    expect(stamped.versions![3]).not.toHaveProperty('pull_request');
  });

  it('refuses a registry whose provenance has the wrong shape, naming the field', () => {
    const bad = {
      ...entry,
      versions: [{ ...appended, commit: 'not a sha', pull_request: { number: -1 } }],
    };
    const fields = validateRegistry({ csvParser: bad }).problems.map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining(['versions.0.commit', 'versions.0.pull_request.number']),
    );
  });
});
