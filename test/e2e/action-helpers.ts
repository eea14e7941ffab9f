import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { node24 } from '../helpers/node24.js';

/** The bundle under test: the committed dist/, or PERF_VERDICT_DIST for a local build. */
export const DIST = process.env['PERF_VERDICT_DIST'] ?? join(ROOT, 'dist');

const examples = JSON.parse(
  readFileSync(
    join(ROOT, 'node_modules/@octokit/webhooks-examples/api.github.com/index.json'),
    'utf8',
  ),
) as {
  name: string;
  examples: any[];
}[];

/** A real webhook payload from @octokit/webhooks-examples, pointed at the test repository's commits. */
export function payload(event: string, action: string, patch: (p: any) => void): any {
  const example = examples.find((e) => e.name === event)?.examples.find((x) => x.action === action);
  if (example === undefined) throw new Error(`no ${event}.${action} example`);
  const copy = structuredClone(example);
  patch(copy);
  return copy;
}

export interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/** Parse the GITHUB_OUTPUT file format `name<<DELIM\nvalue\nDELIM`. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (m === null) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}

/** Run dist/index.js under Node 24 the way the runner does: inputs and context in the environment. */
export function runAction(options: {
  cwd: string;
  event: string;
  payload: unknown;
  inputs: Record<string, string>;
  apiUrl: string;
  repository?: string;
}): Promise<ActionRun> {
  const temp = mkdtempSync(join(tmpdir(), 'pv-runner-'));
  const eventPath = join(temp, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.payload));
  const outputPath = join(temp, 'output');
  const summaryPath = join(temp, 'summary.md');
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '/tmp',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: options.repository ?? 'Codertocat/Hello-World',
    GITHUB_RUN_ID: '42',
    GITHUB_WORKSPACE: options.cwd,
    RUNNER_TEMP: temp,
    'INPUT_GITHUB-TOKEN': 'test-token',
  };
  for (const [name, value] of Object.entries(options.inputs))
    env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(node24(), [join(DIST, 'index.js')], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        outputs: parseOutputs(readFileSync(outputPath, 'utf8')),
        summary: readFileSync(summaryPath, 'utf8'),
      }),
    );
  });
}
