/**
 * The Ollama workflows of examples/workflows pass actionlint (the binary requirements-dev.txt
 * installs into .venv) and wire what README promises: (a) a hosted runner with an ollama/ollama
 * service, the model cached by name and digest, the Action pointed at it; its fork variant runs
 * the model in the trusted report job only; (b) a self-hosted runner with its local Ollama.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUT_NAMES } from '../../src/config/config.js';
import { ROOT } from '../helpers/cli.js';

const DIR = `${ROOT}examples/workflows/`;
const HOSTED = 'perf-verdict-ollama.yml';
const FORK_REPORT = 'perf-verdict-report-ollama.yml';
const SELF_HOSTED = 'perf-verdict-ollama-self-hosted.yml';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}
interface Job {
  if?: string;
  'runs-on': string | string[];
  services?: Record<string, { image: string; ports?: string[]; options?: string }>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const load = (name: string): Workflow => parse(readFileSync(`${DIR}${name}`, 'utf8')) as Workflow;
const only = (w: Workflow): Job => Object.values(w.jobs)[0]!;
const action = (job: Job): Step =>
  job.steps.find((s) => s.uses === 'perf-verdict/perf-verdict@v1')!;

describe('the Ollama workflows', () => {
  it('pass actionlint', () => {
    const result = spawnSync(
      `${ROOT}.venv/bin/actionlint`,
      ['-no-color', `${DIR}${HOSTED}`, `${DIR}${FORK_REPORT}`, `${DIR}${SELF_HOSTED}`],
      { encoding: 'utf8' },
    );
    expect(result.error).toBeUndefined();
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });

  it.each([HOSTED, FORK_REPORT])(
    '%s: an ollama/ollama service, the model cached by name and digest, the Action on localhost',
    (name) => {
      const workflow = load(name);
      expect(workflow.env?.['OLLAMA_MODEL']).toBe('qwen2.5-coder:3b');
      expect(workflow.env?.['OLLAMA_DIGEST']).toMatch(/^[0-9a-f]{64}$/);
      const job = only(workflow);
      expect(job['runs-on']).toBe('ubuntu-latest');
      expect(job.services?.['ollama']?.image).toMatch(/^ollama\/ollama:\d+\.\d+\.\d+$/);
      expect(job.services?.['ollama']?.ports).toEqual(['11434:11434']);
      const key = 'ollama-${{ env.OLLAMA_MODEL }}-${{ env.OLLAMA_DIGEST }}';
      const restore = job.steps.find((s) => s.uses?.startsWith('actions/cache/restore@'));
      const save = job.steps.find((s) => s.uses?.startsWith('actions/cache/save@'));
      expect(restore?.with).toEqual({ path: '~/.ollama-models', key });
      expect(save?.with).toEqual({ path: '~/.ollama-models', key });
      const steps = job.steps.map((s) => s.uses ?? s.run ?? '');
      const at = (match: (s: string) => boolean): number => steps.findIndex(match);
      const copyIn = at((s) => s.startsWith('docker cp ~/.ollama-models/.'));
      const perf = job.steps.indexOf(action(job));
      const copyOut = at((s) => s.includes(':/root/.ollama/models/." ~/.ollama-models/'));
      expect(at((s) => s.startsWith('actions/cache/restore@'))).toBeLessThan(copyIn);
      expect(copyIn).toBeLessThan(perf);
      expect(perf).toBeLessThan(copyOut);
      expect(copyOut).toBeLessThan(at((s) => s.startsWith('actions/cache/save@')));
      expect(action(job).with).toMatchObject({
        'ollama-host': 'http://localhost:11434',
        'ollama-model': '${{ env.OLLAMA_MODEL }}',
        'ollama-digest': '${{ env.OLLAMA_DIGEST }}',
      });
    },
  );

  it('(a) runs same-repository PRs only; the fork variant is the workflow_run report job', () => {
    expect(only(load(HOSTED)).if).toBe(
      'github.event.pull_request.head.repo.full_name == github.repository',
    );
    const report = load(FORK_REPORT);
    expect(Object.keys(report.on)).toEqual(['workflow_run']);
    expect(action(only(report)).with?.['mode']).toBe('report');
    // The measure job, which runs the fork's code, never gets a model.
    const measure = only(load('perf-verdict-measure.yml'));
    expect(measure.services).toBeUndefined();
    expect(action(measure).with?.['ollama-host']).toBeUndefined();
  });

  it('(b) a self-hosted runner with its local Ollama, same-repository PRs only', () => {
    const job = only(load(SELF_HOSTED));
    expect(job['runs-on']).toEqual(['self-hosted', 'linux']);
    expect(job.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
    expect(job.services).toBeUndefined();
    expect(action(job).with).toMatchObject({
      'ollama-host': 'http://127.0.0.1:11434',
      'ollama-pull': 'if-missing',
    });
  });

  it.each([HOSTED, FORK_REPORT, SELF_HOSTED])('%s: every Action input it sets exists', (name) => {
    for (const key of Object.keys(action(only(load(name))).with ?? {}))
      expect(INPUT_NAMES, key).toContain(key);
  });
});
