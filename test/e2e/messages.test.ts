/**
 * Messages that say what to do, each asserted exactly, through the bundled CLI under Node 24 (and
 * once under a Node older than `engines`): an output path that cannot be written is refused
 * before anything is measured; a `--repo` that is no folder is the user's error, not an internal
 * one; a YAML error quotes the whole lines it points at.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_NODE } from '../../src/cli/node-check.js';
import { CLI, ROOT, runBuiltCli } from '../helpers/cli.js';
import { createRepo, type TestRepo } from '../helpers/git-repo.js';
import { node24 } from '../helpers/node24.js';

const TOOL = 'def process(data):\n    return sorted(data)\n';
let repo: TestRepo;

beforeAll(() => {
  repo = createRepo('pv-messages-');
  repo.commit('base', { 'tools/m/sort_it.py': TOOL });
  repo.git('checkout', '-q', '-b', 'pr');
  repo.commit('head', { 'tools/m/sort_it.py': `${TOOL}# changed\n` });
});
afterAll(() => repo.remove());

const gate = (args: string[], cwd = repo.dir) =>
  runBuiltCli(['gate', '--base', 'main', ...args], '', { node: node24(), cwd, timeoutMs: 60_000 });

describe('the gate CLI says what to do', () => {
  it.each([
    [
      ['--json', '/nonexistent/x.json'],
      'json',
      "option '--json': cannot write '/nonexistent/x.json': folder '/nonexistent' does not exist; create it first or write elsewhere",
    ],
    [
      ['--markdown', '.'],
      'markdown',
      `option '--markdown': cannot write '${'<repo>'}': it is a folder; give a file name`,
    ],
  ])('%j: refused before anything is measured', (args, field, message) => {
    const run = gate(args);
    expect(run.code).toBe(1);
    expect(run.json).toEqual({
      success: false,
      error: { kind: 'invalid_input', message: message.replace('<repo>', repo.dir), field },
    });
    // Nothing ran: not even the changed tools were listed.
    expect(run.stderr).toBe('');
  });

  it('a --repo that does not exist is the user’s error, named', () => {
    const run = gate(['--repo', '/nonexistent']);
    expect(run.code).toBe(1);
    expect(run.json).toEqual({
      success: false,
      error: {
        kind: 'invalid_input',
        message:
          "option '--repo': '/nonexistent' is not a folder (/nonexistent); give the folder of a git clone, or leave it out to use the current directory",
        field: 'repo',
      },
    });
  });

  it('a YAML error in the config quotes the whole lines it points at', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pv-config-'));
    const config = join(dir, 'bad.yml');
    writeFileSync(config, 'tools: [a, b\nfail-on: never\n');
    const run = gate(['--config', config]);
    expect(run.code).toBe(1);
    expect(run.json.error).toEqual({
      kind: 'config',
      message: `${config} is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] (line 1: 'tools: [a, b'; line 2: 'fail-on: never'): fix it there`,
      field: 'config',
    });
  });
});

describe('a Node older than engines', () => {
  const engines = (
    JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
      engines: { node: string };
    }
  ).engines.node;
  const old = findOldNode();

  it('MIN_NODE is package.json’s engines', () => {
    expect(engines).toBe(`>=${MIN_NODE}`);
  });

  it.skipIf(old === null)(`is refused in one line (${old?.version ?? 'no such node here'})`, () => {
    const run = spawnSync(old!.path, [CLI, '--version'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      `${JSON.stringify({
        success: false,
        error: {
          kind: 'unsupported_node',
          message: `perf-verdict needs Node ${MIN_NODE} or newer (package.json engines: node >=${MIN_NODE}), but this is Node ${old!.version}: run it with Node 24, the GitHub Actions runtime (e.g. npx -y -p node@24 node …)`,
        },
      })}\n`,
    );
  });
});

/** A node on PATH older than MIN_NODE (this machine's system node is 20), or null. */
function findOldNode(): { path: string; version: string } | null {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    const path = join(dir, 'node');
    const run = spawnSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    const version = run.stdout?.trim() ?? '';
    if (run.status === 0 && Number(version.split('.')[0]) < MIN_NODE) return { path, version };
  }
  return null;
}
