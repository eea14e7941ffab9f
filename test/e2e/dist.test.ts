import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runBuiltCli } from '../helpers/cli.js';
import { node24 } from '../helpers/node24.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('the committed bundles', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'pv-dist-'));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('are what a rebuild of src/ produces (dist/ is not stale)', () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), fresh], {
      cwd: ROOT,
      stdio: 'pipe',
      timeout: 300_000,
    });
    const built = files(fresh)
      .map((f) => relative(fresh, f))
      .sort();
    const committed = files(join(ROOT, 'dist'))
      .map((f) => relative(join(ROOT, 'dist'), f))
      .sort();
    expect(committed).toEqual(built);
    const stale = built.filter(
      (f) => !readFileSync(join(fresh, f)).equals(readFileSync(join(ROOT, 'dist', f))),
    );
    expect(stale, 'dist/ is stale: run `npm run build` and commit dist/').toEqual([]);
  }, 300_000);

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
