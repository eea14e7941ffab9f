import { z } from 'zod';
import { NotImplementedError } from '../../core/errors.js';
import type { Command } from '../command.js';
import { parseJsonInput } from '../command.js';
import { jsonValue, language, toolId } from '../schemas.js';

export const generateInput = z.looseObject({
  tool_code: z.string(),
  tool_id: toolId.optional(),
  test_input: jsonValue,
  language: language.optional(),
});

export const generateCommand: Command = {
  name: 'generate',
  summary:
    'Write a standalone script that runs the tool with plain python3 or node and prints its metrics.',
  help: `perf-verdict generate < input.json

Write a standalone script that runs the tool with plain python3 or node and prints its metrics.

stdin: a JSON object {tool_code, tool_id, test_input, language?}
stdout: a JSON object; errors are {"success": false, "error": {"kind", "message"}}.`,
  async run(_args, io) {
    parseJsonInput(await io.readStdin(), generateInput);
    throw new NotImplementedError('generate');
  },
};
