/**
 * examples/workflows/ can be copied at once: distinct names, each report workflow listening to
 * its own measure workflow, the label events, a concurrency group per PR, only declared inputs;
 * and docs/workflows.md shows the same files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUT_NAMES } from '../../src/config/config.js';
import { ROOT } from '../helpers/cli.js';

const DIR = `${ROOT}examples/workflows/`;
const files = readdirSync(DIR).filter((f) => f.endsWith('.yml'));
const text = (f: string): string => readFileSync(DIR + f, 'utf8');
const load = (f: string): any => parse(text(f));
const TYPES = ['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled'];

describe('examples/workflows', () => {
  it('have distinct names', () => {
    const names = files.map((f) => load(f).name as string);
    expect(new Set(names).size).toBe(files.length);
  });

  it.each(files)('%s: events, concurrency and inputs', (file) => {
    const workflow = load(file);
    const on = workflow.on as Record<string, any>;
    expect(workflow.concurrency?.group, 'a concurrency group').toBeTruthy();
    if (on['pull_request'] !== undefined) {
      expect(on['pull_request'].types).toEqual(TYPES);
      // In a merge queue (merge_group) there is no pull request: each group keys on its ref.
      expect(workflow.concurrency.group).toMatch(
        on['merge_group'] === undefined
          ? /^perf-verdict-[\w-]*\$\{\{ github\.event\.pull_request\.number \}\}$/
          : /^perf-verdict-[\w-]*\$\{\{ github\.event\.pull_request\.number \|\| github\.ref \}\}$/,
      );
      expect(workflow.concurrency['cancel-in-progress']).toBe(true);
    }
    if (on['workflow_run'] !== undefined) {
      const [listened] = on['workflow_run'].workflows as string[];
      const source = files.find((f) => load(f).name === listened);
      expect(source, `${listened} is one of the examples`).toBeDefined();
      // Its own measure workflow: the sharded report listens only to the sharded measure.
      expect(file.includes('sharded')).toBe(source!.includes('sharded'));
      expect(workflow.concurrency.group).toContain('github.event.workflow_run.head_branch');
      expect(workflow.concurrency['cancel-in-progress']).toBe(true);
    }
    if (on['issue_comment'] !== undefined) {
      expect(workflow.concurrency.group).toBe('perf-verdict-${{ github.event.issue.number }}');
      expect(Object.values(workflow.jobs as Record<string, any>)[0].if).toContain(
        "startsWith(github.event.comment.body, '/perf-verdict accept')",
      );
    }
    for (const job of Object.values(workflow.jobs as Record<string, any>))
      for (const step of job.steps as any[])
        if (String(step.uses ?? '').startsWith('perf-verdict/'))
          for (const key of Object.keys(step.with ?? {})) expect(INPUT_NAMES).toContain(key);
  });

  it('docs/workflows.md shows the same full, measure and report workflows', () => {
    const readme = readFileSync(`${ROOT}docs/workflows.md`, 'utf8');
    for (const file of [
      'perf-verdict.yml',
      'perf-verdict-measure.yml',
      'perf-verdict-report.yml',
    ]) {
      const body = text(file)
        .split('\n')
        .filter(
          (line, i, all) =>
            !(line.startsWith('#') && all.slice(0, i).every((l) => l.startsWith('#'))),
        )
        .join('\n')
        .trim();
      expect(readme, file).toContain(body);
    }
  });
});
