import { z } from 'zod';
import { NotImplementedError } from '../../core/errors.js';
import type { Command } from '../command.js';
import { parseJsonInput } from '../command.js';
import { jsonValue, language } from '../schemas.js';

export const compareInput = z.looseObject({
  old_code: z.string(),
  new_code: z.string(),
  test_input: jsonValue,
  language: language.optional(),
  budget_ms: z.number().int().positive().max(3_600_000).optional(),
});

export const compareCommand: Command = {
  name: 'compare',
  summary:
    'Measure two versions side by side, interleaved: the time ratio with a confidence interval.',
  help: `perf-verdict compare < input.json

Measure two versions side by side, interleaved: the time ratio with a confidence interval.

stdin: a JSON object {old_code, new_code, test_input, language?, budget_ms?}
stdout: a JSON object; errors are {"success": false, "error": {"kind", "message"}}.`,
  async run(_args, io) {
    parseJsonInput(await io.readStdin(), compareInput);
    throw new NotImplementedError('compare');
  },
};
