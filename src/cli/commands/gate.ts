import { NotImplementedError } from '../../core/errors.js';
import type { Command } from '../command.js';
import { parseFlags } from '../command.js';

export const GATE_FLAGS = ['base', 'head', 'repo', 'json', 'markdown', 'config', 'budget'] as const;

export const gateCommand: Command = {
  name: 'gate',
  summary: 'Run the pull-request gate in any git repository and print the table.',
  help: `perf-verdict gate --base REF [--head REF] [--repo DIR] [--json FILE] [--markdown FILE] [--config FILE]

Finds the tools changed between merge-base(BASE, HEAD) and HEAD, measures each base/head pair
side by side, analyses and judges them, and prints the PR table.
exit: 0 ACCEPT or no tool changed, 2 REVIEW, 1 REJECT or error.`,
  run(args) {
    parseFlags(args, GATE_FLAGS);
    return Promise.reject(new NotImplementedError('gate'));
  },
};
