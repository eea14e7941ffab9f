import { z } from 'zod';
import { sha256 } from '../../profile/regression.js';
import { applyBenchmark } from '../../registry/entries.js';
import { FileRegistryStore, resolveRegistryPath } from '../../registry/store.js';
import type { Command } from '../command.js';
import { parseFlags, parseJsonInput } from '../command.js';
import { FLAGS } from '../flags.js';
import { toolId } from '../../domain/input-schemas.js';

const updateRagInput = z.looseObject({
  tool_id: toolId,
  best_run: z.looseObject({
    execution_time_ms: z.number().nonnegative(),
    memory_usage_kb: z.number().nonnegative().nullable().optional(),
  }),
  all_runs: z.array(z.unknown()).optional(),
  tool_code: z.string().optional(),
  version: z
    .string()
    .regex(/^\d+\.\d+\.\d+(?:[-+].*)?$/, 'must be a semantic version like 1.2.3')
    .optional(),
});

export const updateRagCommand: Command = {
  name: 'update-rag',
  aliases: ['update_rag'],
  summary: 'Store a benchmark result in the tool registry (tools/index.json).',
  help: `perf-verdict update-rag [--registry FILE] < input.json

Store a benchmark result in the tool registry (tools/index.json). The tool's entry is created
when missing; the previous numbers stay in its versions[] history.

stdin: a JSON object {tool_id, best_run: {execution_time_ms, memory_usage_kb?}, all_runs?,
       tool_code?, version?}
Version: 'version' when given; else, when tool_code differs from the code of the current version,
the next patch version; else the current version (its numbers refreshed).
stdout: {success, tool_id, version, registry}; errors are {"success": false, "error": {"kind", "message"}}.
Registry: --registry FILE, else PERF_VERDICT_REGISTRY, else tools/index.json (from the cwd).`,
  flags: [FLAGS.registry],
  async run(args, io) {
    const { flags } = parseFlags(args, [FLAGS.registry]);
    const input = parseJsonInput(await io.readStdin(), updateRagInput, io);
    const store = new FileRegistryStore(resolveRegistryPath(flags['registry'], io.env, io.cwd));
    const now = new Date().toISOString();
    const entry = await store.updateEntry(input.tool_id, (current) =>
      applyBenchmark(current, input.tool_id, input.best_run, input.all_runs, now, {
        codeSha256: input.tool_code === undefined ? undefined : sha256(input.tool_code),
        version: input.version,
      }),
    );
    return {
      output: {
        success: true,
        tool_id: input.tool_id,
        version: entry.version,
        registry: store.path,
      },
      exitCode: 0,
    };
  },
};
