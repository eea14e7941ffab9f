import { z } from 'zod';
import { detectLanguage } from '../../domain/language.js';
import type { ToolVersion } from '../../domain/types.js';
import { benchmarkTool, generateScript } from '../../measure/index.js';
import { measureTuning } from '../../wiring.js';
import type { Command } from '../command.js';
import { parseFlags, parseJsonInput } from '../command.js';
import { budgetMsOf, FLAGS, runConfig } from '../flags.js';
import type { Flag } from '../flags.js';
import { runFields, toolId } from '../../domain/input-schemas.js';

export const benchmarkInput = z.looseObject({
  tool_code: z.string(),
  tool_id: toolId.optional(),
  ...runFields,
});

/** The tool version a benchmark/generate input describes; the language is detected when absent. */
export function versionOf(input: z.infer<typeof benchmarkInput>): ToolVersion {
  return {
    code: input.tool_code,
    language: input.language ?? detectLanguage(input.tool_code),
    entry: input.entry,
    mode: input.mode ?? 'function',
    testInput: input.test_input,
  };
}

const BENCHMARK_FLAGS: readonly Flag[] = [FLAGS.budget, FLAGS.sandbox];

export const benchmarkCommand: Command = {
  name: 'benchmark',
  summary: 'Benchmark a tool: three runs as in the guide, plus interval statistics.',
  help: `perf-verdict benchmark [options] < input.json

Benchmark a tool: three runs as in the guide, plus interval statistics.
Each run is a fresh process: calibrated batches after a warm-up, memory in a separate call.

stdin: a JSON object {tool_code, tool_id, test_input, language?, entry?, mode?, budget_ms?}
stdout: {success, tool_id, best_run, all_runs, test_script, statistics}; a tool that fails gives
success false with error {kind, message, traceback?} (exit 1). sandbox: {mode, kind, reason?}.
stdin's budget_ms wins over --budget.`,
  flags: BENCHMARK_FLAGS,
  async run(args, io) {
    const { flags } = parseFlags(args, BENCHMARK_FLAGS);
    const config = runConfig(flags, BENCHMARK_FLAGS);
    const input = parseJsonInput(await io.readStdin(), benchmarkInput, io);
    const version = versionOf(input);
    const toolId = input.tool_id ?? 'tool';
    const result = await benchmarkTool(version, {
      budgetMs: input.budget_ms ?? budgetMsOf(config),
      sandbox: config.sandbox,
      tuning: measureTuning(io.env),
    });
    return {
      output: {
        success: result.success,
        tool_id: toolId,
        best_run: result.best_run,
        all_runs: result.all_runs,
        test_script: await generateScript(version, toolId),
        statistics: result.statistics,
        sandbox: result.sandbox,
        ...(result.error === undefined ? {} : { error: result.error }),
      },
      exitCode: result.success ? 0 : 1,
    };
  },
};
