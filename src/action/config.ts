/**
 * The Action's configuration: inputs over the file over built-in defaults, the file read from
 * where the PR author cannot rewrite it.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { parseConfigFile } from '../adapters/config-file.js';
import { resolveConfig } from '../config/config.js';
import type { Config } from '../config/config.js';
import { errorFirstLine, PerfVerdictError } from '../domain/errors.js';
import { openRepo } from '../wiring.js';
import type { ActionEvent } from './event.js';

/**
 * The configuration file's text. On a pull-request event the workspace holds the PR head (or its
 * merge commit): a PR that edits `.perf-verdict.yml` (say `fail-on: never`, or `tools:` matching
 * nothing) must not configure its own gate, so the file is read from the PR's base commit.
 * actions/checkout's default is a depth-1 clone of the merge commit, which lacks the base: the
 * history is deepened FIRST, and a base that is still unreadable is an error — a gate that
 * silently changes its own policy is worse than a red one. A merge queue's group (merge_group)
 * holds the queued PRs' changes the same way: its file is read from the group's base. Other
 * events (push, workflow_run, issue_comment) check out a trusted branch.
 */
async function configText(
  event: ActionEvent | null,
  cwd: string,
  fileName: string,
): Promise<{ text: string | null; from: string }> {
  const baseSha =
    event?.kind === 'pull_request'
      ? event.pullRequest.baseSha
      : event?.kind === 'merge_group'
        ? event.baseSha
        : null;
  if (baseSha === null) {
    const path = `${cwd}/${fileName}`;
    return { text: existsSync(path) ? readFileSync(path, 'utf8') : null, from: fileName };
  }
  const where = event?.kind === 'merge_group' ? 'merge queue base' : 'PR base';
  const repo = openRepo(cwd);
  await repo.ensureHistory();
  let tree;
  try {
    tree = await repo.tree(await repo.resolve(baseSha));
  } catch (error) {
    throw new PerfVerdictError(
      'config',
      `cannot read ${fileName} at the ${where} ${baseSha.slice(0, 12)}: the commit is not in the clone even after deepening it (${errorFirstLine(error)}); set \`fetch-depth: 0\` on actions/checkout`,
      fileName,
    );
  }
  return {
    text: await tree.read(fileName),
    from: `${fileName} at the ${where} ${baseSha.slice(0, 12)}`,
  };
}

export async function loadConfig(
  inputs: Readonly<Record<string, string>>,
  event: ActionEvent | null,
  cwd: string,
): Promise<Config> {
  const given = inputs['config'] ?? '';
  const fileName = given === '' ? '.perf-verdict.yml' : given;
  if (fileName.startsWith('/') || fileName.split(/[\\/]/).includes('..')) {
    throw new PerfVerdictError(
      'config',
      `input 'config' must be a path inside the repository but got '${fileName}'`,
      'config',
    );
  }
  const { text: source, from } = await configText(event, cwd, fileName);
  const file = parseConfigFile(source, {
    fileName,
    from,
    given: given !== '' && given !== '.perf-verdict.yml' ? "input 'config'" : null,
  });
  const { config, sources } = resolveConfig({ file, fileName, inputs });
  const keysFrom = (origin: string): string =>
    Object.entries(sources)
      .filter(([, s]) => s === origin)
      .map(([k]) => k)
      .join(', ') || 'nothing';
  // Which keys the file set: on a runner, the only way to see that precedence did what was meant.
  if (event !== null)
    core.info(
      `config: ${source === null ? `no ${from}` : from}; from the file: ${keysFrom('file')}; from inputs: ${keysFrom('input')}; the rest built-in defaults`,
    );
  return config;
}
