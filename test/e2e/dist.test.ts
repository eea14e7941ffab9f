import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runBuiltCli } from '../helpers/cli.js';
import { node24 } from '../helpers/node24.js';

describe('the committed bundles', () => {
  // Cheap staleness check: the build records the hash of its inputs (src/, the build scripts,
  // package.json, the lock file, tsconfig.json). check-dist.yml does the full rebuild and byte
  // comparison on every push, so the test run does not repeat that 2-minute ncc build.
  it('were built from the current sources (dist/build-inputs.sha256 matches the tree)', () => {
    const current = execFileSync(process.execPath, [join(ROOT, 'scripts/build-inputs.mjs')], {
      encoding: 'utf8',
    }).trim();
    const recorded = readFileSync(join(ROOT, 'dist/build-inputs.sha256'), 'utf8').trim();
    expect(recorded, 'dist/ is stale: run `npm run build` and commit dist/').toBe(current);
  });

  it('CLI: the error model from the Foundation issue', () => {
    const notJson = runBuiltCli(['analyze'], 'not json');
    expect(notJson.code).toBe(1);
    expect(notJson.json).toMatchObject({ success: false, error: { kind: 'invalid_input' } });
    const unknown = runBuiltCli(['nosuch']);
    expect(unknown.code).toBe(1);
    expect(unknown.json).toMatchObject({ success: false, error: { kind: 'unknown_command' } });
    const mistyped = runBuiltCli(['analyze'], '{"code": 5}');
    expect(mistyped.code).toBe(1);
    expect(mistyped.json.error.message).toContain("'code'");
    expect(mistyped.stderr).toBe('');
  });

  it('Action under Node 24 with no event file fails with one ::error:: line', () => {
    const result = spawnSync(node24(), [join(ROOT, 'dist/index.js')], {
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'] ?? '',
        INPUT_MODE: 'full',
        'INPUT_FAIL-ON': 'reject',
        INPUT_COMMENT: 'always',
      },
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^::error::.*GITHUB_EVENT_PATH/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('Action under Node 24 reports a bad input by name', () => {
    const result = spawnSync(node24(), [join(ROOT, 'dist/index.js')], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', 'INPUT_FAIL-ON': 'sometimes' },
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout.trim()).toBe(
      "::error::'fail-on' must be one of reject, review, never but got 'sometimes'",
    );
  });
});
