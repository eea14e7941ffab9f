import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe("README's first screen", () => {
  const firstScreen = readme.slice(0, 3000);
  const workflow = /To gate your pull requests[^\n]*\n\n```yaml\n([\s\S]*?)```/.exec(
    firstScreen,
  )?.[1];

  it('opens with the two commands, then the workflow to paste', () => {
    const demo = firstScreen.indexOf('npm ci && npm run demo');
    const test = firstScreen.indexOf('npm test');
    expect(demo).toBeGreaterThan(-1);
    expect(test).toBeGreaterThan(demo);
    expect(workflow).toBeDefined();
    expect(firstScreen.indexOf('```yaml')).toBeGreaterThan(test);
  });

  it('the workflow is at most 15 lines, pinned, with permissions, and valid', () => {
    const lines = workflow!.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(15);
    const parsed = parse(workflow!) as {
      permissions: Record<string, string>;
      on: { pull_request: { types: string[] } };
      jobs: { gate: { steps: { uses: string }[] } };
    };
    expect(parsed.permissions).toEqual({
      contents: 'read',
      'pull-requests': 'write',
      checks: 'write',
    });
    // The accept label must start a run.
    expect(parsed.on.pull_request.types).toContain('labeled');
    const action = parsed.jobs.gate.steps
      .map((s) => s.uses)
      .find((u) => u.includes('perf-verdict'));
    // The major tag the release workflow moves (package.json's major), as README explains.
    const major = (
      JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version.split('.')[0];
    expect(action).toBe(`perf-verdict/perf-verdict@v${major}`);
    expect(firstScreen).toContain(`@v${major}\` is the major tag`);
  });
});
