import { generateScript } from '../../measure/index.js';
import type { Command } from '../command.js';
import { parseFlags, parseJsonInput } from '../command.js';
import { benchmarkInput, versionOf } from './benchmark.js';

const generateInput = benchmarkInput;

export const generateCommand: Command = {
  name: 'generate',
  summary:
    'Write a standalone script that runs the tool with plain python3 or node and prints its metrics.',
  help: `perf-verdict generate < input.json

Write a standalone script that runs the tool with plain python3 or node and prints its metrics.
The tool id, code and input are embedded as JSON string literals (data, never pasted code).

stdin: a JSON object {tool_code, tool_id, test_input, language?, entry?}
stdout: {success, tool_id, language, test_script}; errors are {"success": false, "error": {"kind", "message"}}.`,
  flags: [],
  async run(args, io) {
    parseFlags(args, []);
    const input = parseJsonInput(await io.readStdin(), generateInput, io);
    const version = versionOf(input);
    const toolId = input.tool_id ?? 'tool';
    return {
      output: {
        success: true,
        tool_id: toolId,
        language: version.language,
        test_script: await generateScript(version, toolId),
      },
      exitCode: 0,
    };
  },
};
