import { z } from 'zod';
import { createAnalyzer } from '../../analyze/index.js';
import { detectLanguage } from '../../domain/language.js';
import type { Command } from '../command.js';
import { parseFlags, parseJsonInput } from '../command.js';
import { language } from '../../domain/input-schemas.js';

const analyzeInput = z.looseObject({ code: z.string(), language: language.optional() });

export const analyzeCommand: Command = {
  name: 'analyze',
  summary:
    'Static analysis: complexity, security, correctness and quality of Python or TS/JS code.',
  help: `perf-verdict analyze < input.json

Static analysis: complexity, security, correctness and quality of Python or TS/JS code.
Python complexity and findings follow radon and bandit; TS/JS complexity follows ESLint's
\`complexity\` rule. The language is detected from the code when not given.

stdin: a JSON object {code, language?}
stdout: {"success": true, "analysis": {complexity, security, correctness, code_quality, functions}}
errors are {"success": false, "error": {"kind", "message"}}.`,
  flags: [],
  async run(args, io) {
    parseFlags(args, []);
    const input = parseJsonInput(await io.readStdin(), analyzeInput, io);
    const analysis = await createAnalyzer().analyze(
      input.code,
      input.language ?? detectLanguage(input.code),
    );
    return { output: { success: true, analysis }, exitCode: 0 };
  },
};
