import { z } from 'zod';
import { NotImplementedError } from '../../core/errors.js';
import type { Command } from '../command.js';
import { parseJsonInput } from '../command.js';
import { jsonValue, language, toolId } from '../schemas.js';

export const benchmarkInput = z.looseObject({
  tool_code: z.string(),
  tool_id: toolId.optional(),
  test_input: jsonValue,
  language: language.optional(),
});

export const benchmarkCommand: Command = {
  name: 'benchmark',
  summary: 'Benchmark a tool: three runs as in the guide, plus interval statistics.',
  help: `perf-verdict benchmark < input.json

Benchmark a tool: three runs as in the guide, plus interval statistics.

stdin: a JSON object {tool_code, tool_id, test_input, language?}
stdout: a JSON object; errors are {"success": false, "error": {"kind", "message"}}.`,
  async run(_args, io) {
    parseJsonInput(await io.readStdin(), benchmarkInput);
    throw new NotImplementedError('benchmark');
  },
};
