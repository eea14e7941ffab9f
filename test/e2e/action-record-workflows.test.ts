/**
 * The example workflows for record mode and for a sharded matrix use only inputs and outputs the
 * Action declares, and have the permissions and steps the README says they need.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_INPUTS } from '../../src/action/inputs.js';
import { ROOT } from '../helpers/cli.js';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, any>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[]; strategy?: { matrix: Record<string, unknown[]> } }>;
}

const action = parse(readFileSync(`${ROOT}action.yml`, 'utf8')) as {
  outputs: Record<string, unknown>;
};
const load = (name: string): Workflow =>
  parse(readFileSync(`${ROOT}examples/workflows/${name}`, 'utf8')) as Workflow;
const steps = (w: Workflow): Step[] => Object.values(w.jobs).flatMap((j) => j.steps);
const perfStep = (w: Workflow): Step => steps(w).find((s) => s.uses?.startsWith('perf-verdict/'))!;

describe.each([
  'perf-verdict-record.yml',
  'perf-verdict-sharded-measure.yml',
  'perf-verdict-sharded-report.yml',
])('%s', (name) => {
  const workflow = load(name);
  it('passes only declared inputs and reads only declared outputs', () => {
    for (const key of Object.keys(perfStep(workflow).with ?? {}))
      expect(ACTION_INPUTS).toContain(key);
    const text = readFileSync(`${ROOT}examples/workflows/${name}`, 'utf8');
    for (const [, output] of text.matchAll(/steps\.perf\.outputs\.([\w-]+)/g))
      expect(Object.keys(action.outputs)).toContain(output);
  });
});

describe('the record workflow', () => {
  const workflow = load('perf-verdict-record.yml');
  it('runs record mode on push with write access and commits the registry back', () => {
    expect(Object.keys(workflow.on)).toEqual(['push']);
    expect(workflow.permissions).toEqual({ contents: 'write' });
    expect(perfStep(workflow).with?.['mode']).toBe('record');
    const commit = steps(workflow).find((s) => s.run?.includes('git commit'))!;
    expect(commit.env?.['REGISTRY']).toBe('${{ steps.perf.outputs.registry }}');
    expect(commit.run).toMatch(/git add "\$REGISTRY"/);
    expect(commit.run).toMatch(/git push/);
  });
});

describe('the sharded workflows', () => {
  it('measure a matrix of shards and merge every shard artifact', () => {
    const measure = load('perf-verdict-sharded-measure.yml');
    expect(measure.permissions).toEqual({ contents: 'read' });
    expect(measure.jobs['measure']!.strategy!.matrix['shard']).toEqual([1, 2, 3, 4]);
    expect(perfStep(measure).with).toMatchObject({
      mode: 'measure',
      shard: '${{ matrix.shard }}/4',
    });
    const report = load('perf-verdict-sharded-report.yml');
    const download = steps(report).find((s) => s.uses?.startsWith('actions/download-artifact'))!;
    expect(download.with).toMatchObject({
      pattern: 'perf-verdict-report-*',
      path: 'perf-verdict-reports',
    });
    expect(perfStep(report).with).toMatchObject({
      mode: 'report',
      artifact: 'perf-verdict-reports',
    });
  });
});
