import { describe, expect, it } from 'vitest';
import { mergeReports } from '../../src/report/merge.js';
import type { ReportPart } from '../../src/report/merge.js';
import { parseUntrustedReport, ReportValidationError } from '../../src/report/artifact.js';
import type { UntrustedReport } from '../../src/report/artifact.js';
import type { ReportShard } from '../../src/report/model.js';
import { HEAD, measureReportData } from '../helpers/measure-report.js';

/** A report as a measure job writes it, read back through the untrusted-data validation. */
const report = (
  shard: ReportShard | null,
  ids: string[],
  patch: Record<string, unknown> = {},
): UntrustedReport => parseUntrustedReport(measureReportData(shard, ids, patch));

const part = (file: string, r: UntrustedReport): ReportPart => ({ file, report: r });
const s = (index: number, total: number): ReportShard => ({ index, total });

describe('mergeReports', () => {
  it('returns a single unsharded report as it is', () => {
    const only = report(null, ['a', 'b']);
    expect(mergeReports([part('r.json', only)])).toBe(only);
  });

  it.each([
    ['one shard of one', [[s(1, 1), ['a']]], ['a'], 100],
    [
      'two shards, given in any order',
      [
        [s(2, 2), ['b', 'd']],
        [s(1, 2), ['a', 'c']],
      ],
      ['a', 'b', 'c', 'd'],
      200,
    ],
    [
      'three shards, one of them empty',
      [
        [s(1, 3), ['a']],
        [s(2, 3), []],
        [s(3, 3), ['z', 'm']],
      ],
      ['a', 'm', 'z'],
      300,
    ],
  ] as const)('merges %s', (_, shards, ids, ms) => {
    const merged = mergeReports(
      shards.map(([shard, tools], i) => part(`r${i}.json`, report(shard, [...tools]))),
    );
    expect(merged.tools.map((t) => t.id)).toEqual(ids);
    expect(merged.shard).toBeNull();
    expect(merged.measure_ms).toBe(ms);
    expect(merged).toMatchObject({ head_sha: HEAD, pull_request: 7, repository: 'octo/tools' });
  });

  it.each([
    ['nothing', [], 'no report artifact to merge'],
    ['a lone shard of two', [['r1.json', s(1, 2), ['a']]], 'shard 2/2 is missing'],
    [
      'two of four shards',
      [
        ['r1.json', s(1, 4), ['a']],
        ['r3.json', s(3, 4), ['b']],
      ],
      'shards 2/4, 4/4 are missing',
    ],
    [
      'the same shard twice',
      [
        ['x.json', s(1, 2), ['a']],
        ['y.json', s(1, 2), ['b']],
      ],
      "'x.json' and 'y.json' are both shard 1/2",
    ],
    [
      'shards of different n',
      [
        ['x.json', s(1, 2), ['a']],
        ['y.json', s(2, 3), ['b']],
      ],
      "'y.json' is shard 2/3 but 'x.json' is shard 1/2",
    ],
    [
      'an unsharded report among shards',
      [
        ['x.json', s(1, 2), ['a']],
        ['y.json', null, ['b']],
      ],
      "'y.json' is an unsharded report",
    ],
    [
      'one tool in two shards',
      [
        ['x.json', s(1, 2), ['a']],
        ['y.json', s(2, 2), ['a']],
      ],
      "tool 'a' is in both 'x.json' and 'y.json'",
    ],
  ] as const)('refuses %s', (_, parts, message) => {
    const build = parts.map(([file, shard, ids]) => part(file, report(shard, [...ids])));
    expect(() => mergeReports(build)).toThrow(ReportValidationError);
    expect(() => mergeReports(build)).toThrow(message);
  });

  it.each([
    ['head_sha', { head_sha: 'c'.repeat(40) }],
    ['pull_request', { pull_request: 8 }],
    ['repository', { repository: 'evil/tools' }],
    ['base_sha', { base_sha: 'd'.repeat(40) }],
  ])('refuses shards that disagree on %s', (field, patch) => {
    const parts = [
      part('x.json', report(s(1, 2), ['a'])),
      part('y.json', report(s(2, 2), ['b'], patch)),
    ];
    expect(() => mergeReports(parts)).toThrow(`'y.json' and 'x.json' disagree on ${field}`);
  });

  it.each([
    [{ index: 3, total: 2 }, "'shard.index' must be between 1 and 2"],
    [{ index: 0, total: 2 }, "'shard.index' must be between 1 and 2"],
    [{ index: 1.5, total: 2 }, "'shard' must have whole-number index and total"],
    ['1/2', "'shard' must be an object"],
  ])('validates the shard of an untrusted report: %j', (shard, message) => {
    expect(() => report(null, ['a'], { shard })).toThrow(message);
  });
});
