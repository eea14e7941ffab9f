import { z } from 'zod';
import { NotImplementedError } from '../../core/errors.js';
import type { Command } from '../command.js';
import { parseJsonInput } from '../command.js';
import { language } from '../schemas.js';

export const analyzeInput = z.looseObject({ code: z.string(), language: language.optional() });

export const analyzeCommand: Command = {
  name: 'analyze',
  summary:
    'Static analysis: complexity, security, correctness and quality of Python or TS/JS code.',
  help: `perf-verdict analyze < input.json

Static analysis: complexity, security, correctness and quality of Python or TS/JS code.

stdin: a JSON object {code, language?}
stdout: a JSON object; errors are {"success": false, "error": {"kind", "message"}}.`,
  async run(_args, io) {
    parseJsonInput(await io.readStdin(), analyzeInput);
    throw new NotImplementedError('analyze');
  },
};
