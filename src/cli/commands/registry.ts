import { NotImplementedError } from '../../core/errors.js';
import type { Command } from '../command.js';

export const registryCommand: Command = {
  name: 'registry',
  summary: 'Read the tool registry: list, show <id>, history <id>, search "<requirement>".',
  help: `perf-verdict registry list | show <id> | history <id> | search "<requirement text>" [--registry FILE]

Reads tools/index.json (or --registry FILE).`,
  run() {
    return Promise.reject(new NotImplementedError('registry'));
  },
};
