import { z } from 'zod';
import { NotImplementedError } from '../../core/errors.js';
import type { Command } from '../command.js';
import { parseJsonInput } from '../command.js';
import { metrics, requirementChange } from '../schemas.js';

export const evaluateInput = z.looseObject({
  old_metrics: metrics,
  new_metrics: metrics,
  requirement_change: requirementChange.optional(),
  old_code: z.string().optional(),
  new_code: z.string().optional(),
});

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'Judge a change: a 0-100 score and ACCEPT / REVIEW / REJECT from measured evidence.',
  help: `perf-verdict evaluate < input.json

Judge a change: a 0-100 score and ACCEPT / REVIEW / REJECT from measured evidence.

stdin: a JSON object {old_metrics, new_metrics, requirement_change, old_code, new_code}
stdout: a JSON object; errors are {"success": false, "error": {"kind", "message"}}.`,
  async run(_args, io) {
    parseJsonInput(await io.readStdin(), evaluateInput);
    throw new NotImplementedError('evaluate');
  },
};
