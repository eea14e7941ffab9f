import { z } from 'zod';
import { NotImplementedError } from '../../core/errors.js';
import type { Command } from '../command.js';
import { parseJsonInput } from '../command.js';
import { toolId } from '../schemas.js';

export const updateRagInput = z.looseObject({
  tool_id: toolId,
  best_run: z.looseObject({
    execution_time_ms: z.number().nonnegative(),
    memory_usage_kb: z.number().nonnegative().nullable().optional(),
  }),
  all_runs: z.array(z.unknown()).optional(),
});

export const updateRagCommand: Command = {
  name: 'update-rag',
  aliases: ['update_rag'],
  summary: 'Store a benchmark result in the tool registry (tools/index.json).',
  help: `perf-verdict update-rag < input.json

Store a benchmark result in the tool registry (tools/index.json).

stdin: a JSON object {tool_id, best_run, all_runs?}
stdout: a JSON object; errors are {"success": false, "error": {"kind", "message"}}.`,
  async run(_args, io) {
    parseJsonInput(await io.readStdin(), updateRagInput);
    throw new NotImplementedError('update-rag');
  },
};
