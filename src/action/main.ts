/**
 * The Action entry's logic: read inputs and the event, build the config, and hand over to the
 * pipeline. Every failure ends as one `::error::` line via setFailed, never a stack trace.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../core/config.js';
import type { Config } from '../core/config.js';
import { PerfVerdictError } from '../core/errors.js';
import { readInputs } from './inputs.js';

export function loadConfig(env: Readonly<Record<string, string | undefined>>, cwd: string): Config {
  const inputs = readInputs(env);
  const fileName = inputs.config === '' ? '.perf-verdict.yml' : inputs.config;
  const path = `${cwd}/${fileName}`;
  let file: unknown;
  if (existsSync(path)) {
    try {
      file = parseYaml(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new PerfVerdictError(
        'config',
        `${fileName} is not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`,
        fileName,
      );
    }
  } else if (inputs.config !== '' && inputs.config !== '.perf-verdict.yml') {
    throw new PerfVerdictError(
      'config',
      `config file '${fileName}' (input 'config') does not exist`,
      'config',
    );
  }
  return parseConfig({ file, fileName, inputs });
}

export async function main(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<void> {
  try {
    loadConfig(env, cwd);
    const eventPath = env['GITHUB_EVENT_PATH'];
    if (eventPath === undefined || eventPath === '' || !existsSync(eventPath)) {
      throw new PerfVerdictError(
        'github',
        `no GitHub event payload: GITHUB_EVENT_PATH is ${eventPath === undefined || eventPath === '' ? 'not set' : `'${eventPath}', which does not exist`}; run perf-verdict as a step of a workflow, or use 'perf-verdict gate' locally`,
      );
    }
    await Promise.reject(
      new PerfVerdictError('not_implemented', 'the gate pipeline is not implemented yet'),
    );
  } catch (error) {
    const message =
      error instanceof PerfVerdictError
        ? error.message
        : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    core.setFailed(message.replace(/\r?\n/g, ' '));
  }
}
