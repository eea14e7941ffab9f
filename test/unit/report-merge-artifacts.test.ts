import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactFiles, loadArtifacts } from '../../src/action/artifacts.js';
import type { ReportShard } from '../../src/report/model.js';
import { measureReportData } from '../helpers/measure-report.js';

/** A measure job's report file, as text. */
const report = (shard: ReportShard | null, ids: string[]): string =>
  JSON.stringify(measureReportData(shard, ids));

describe('the artifact input', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pv-artifacts-'));
    for (const [folder, text] of [
      ['reports/perf-verdict-report-1', report({ index: 1, total: 2 }, ['a'])],
      ['reports/perf-verdict-report-2', report({ index: 2, total: 2 }, ['b'])],
      ['single', report(null, ['c'])],
    ] as const) {
      mkdirSync(join(dir, folder), { recursive: true });
      writeFileSync(join(dir, folder, 'report.json'), text);
    }
    writeFileSync(join(dir, 'reports', 'notes.txt'), 'not a report');
    writeFileSync(join(dir, 'broken.json'), '{"schema": ');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['one path', 'single/report.json', ['single/report.json']],
    [
      'a folder: every .json under it',
      'reports',
      ['reports/perf-verdict-report-1/report.json', 'reports/perf-verdict-report-2/report.json'],
    ],
    ['a glob', 'reports/*-2/*.json', ['reports/perf-verdict-report-2/report.json']],
    [
      'several lines, duplicates once, comments and blanks ignored',
      '# shards\nreports/perf-verdict-report-2/report.json\n\nreports/**/report.json',
      ['reports/perf-verdict-report-2/report.json', 'reports/perf-verdict-report-1/report.json'],
    ],
  ])('%s', (_, input, files) => {
    expect(artifactFiles(input, dir)).toEqual(files.map((f) => join(dir, f)));
  });

  it.each([
    [
      'a missing file',
      'nope/report.json',
      "report artifact 'nope/report.json' (input 'artifact') does not exist",
    ],
    [
      'a glob matching nothing',
      'reports/*.yaml',
      "report artifact 'reports/*.yaml' (input 'artifact') does not exist",
    ],
  ])('refuses %s', (_, input, message) => {
    expect(() => artifactFiles(input, dir)).toThrow(message);
  });

  it('merges the shards of a folder', () => {
    const merged = loadArtifacts('reports', dir);
    expect(merged.tools.map((t) => t.id)).toEqual(['a', 'b']);
    expect(merged.shard).toBeNull();
  });

  it('names the file that is not a report, and a missing shard', () => {
    expect(() => loadArtifacts('broken.json\nsingle/report.json', dir)).toThrow(
      "the report artifact 'broken.json' is not a valid measure report, refusing to publish it",
    );
    expect(() => loadArtifacts('reports/perf-verdict-report-1/report.json', dir)).toThrow(
      'the report artifacts cannot be merged, refusing to publish: shard 2/2 is missing',
    );
    expect(() => loadArtifacts('reports\nsingle', dir)).toThrow(
      "'single/report.json' is an unsharded report",
    );
  });
});
