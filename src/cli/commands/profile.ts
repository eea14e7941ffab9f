import { policyOf } from '../../assess.js';
import { InputError } from '../../domain/errors.js';
import { PROFILE_EXIT, profileInput, profileTool } from '../../profile/index.js';
import { FileRegistryStore, resolveRegistryPath } from '../../registry/store.js';
import { engineConfig, profilePorts } from '../../wiring.js';
import type { Command } from '../command.js';
import { parseFlags, parseJsonInput } from '../command.js';
import { budgetMsOf, FLAGS, JUDGE_FLAGS, MEASURE_FLAGS, runConfig } from '../flags.js';
import type { Flag } from '../flags.js';
import { ollamaFallbacks } from './evaluate.js';
import { toolId } from '../../domain/input-schemas.js';

const PROFILE_FLAGS: readonly Flag[] = [
  FLAGS.registry,
  ...MEASURE_FLAGS,
  FLAGS.budgetMs,
  ...JUDGE_FLAGS,
];

export const profileCommand: Command = {
  name: 'profile',
  summary:
    'Benchmark, analyse, judge against the old version (measured side by side) and record the tool.',
  help: `perf-verdict profile <tool_id> [options] < input.json

Benchmark, analyse, judge against the old version and record the tool in the registry.

stdin: {tool_code, test_input, requirement, language?, entry?, change_type?: patch|minor|major,
        requirement_change?, budget_ms?, old_version_data?: {code, version, requirement, metadata}}
stdout: {tool_id, status, version, workflow_steps, metadata, registry}

With old_version_data.code the old and the new version are measured now, side by side; the
stored old numbers (old_version_data.metadata) are shown as history, never used as the baseline.
Only a completed (ACCEPT or first) version becomes current; review_required and rejected
versions are recorded in the tool's versions[] history.

The budget: stdin's budget_ms, else --budget SECONDS (or the old --budget-ms MS), else 20 s.
Judge: PERF_VERDICT_OLLAMA_HOST / PERF_VERDICT_OLLAMA_MODEL (flags win); rules judge otherwise.
exit: 0 completed, 2 review_required, 1 rejected or failed.`,
  flags: PROFILE_FLAGS,
  async run(args, io) {
    const { flags, positional } = parseFlags(args, PROFILE_FLAGS, 1);
    const id = positional[0];
    if (id === undefined)
      throw new InputError("missing argument 'tool_id': perf-verdict profile <tool_id>", 'tool_id');
    const parsed = toolId.safeParse(id);
    if (!parsed.success)
      throw new InputError(
        `argument 'tool_id' ${parsed.error.issues[0]?.message ?? 'is invalid'}`,
        'tool_id',
      );
    const input = parseJsonInput(await io.readStdin(), profileInput, io);
    const config = runConfig(flags, PROFILE_FLAGS, { fallbacks: ollamaFallbacks(io.env) });
    const budgetFlag = flags['budget-ms'];
    if (budgetFlag !== undefined && flags['budget'] !== undefined)
      throw new InputError(
        "options '--budget' and '--budget-ms' are the same option: give one",
        'budget',
      );
    const budgetMs =
      input.budget_ms ?? (budgetFlag === undefined ? budgetMsOf(config) : Number(budgetFlag));
    if (!Number.isInteger(budgetMs) || budgetMs <= 0)
      throw new InputError(
        `option '--budget-ms' must be a positive integer but got '${budgetFlag}'`,
        'budget-ms',
      );
    const registry = new FileRegistryStore(resolveRegistryPath(flags['registry'], io.env, io.cwd));
    const log = (message: string): void => io.stderr(`${message}\n`);
    const result = await profileTool(
      { ...input, tool_id: parsed.data },
      profilePorts(
        engineConfig(config, io.env),
        { debug: () => undefined, info: () => undefined, warn: log, error: log },
        registry,
      ),
      {
        budgetMs,
        confidence: config.confidence,
        delta: config.delta,
        sandbox: config.sandbox,
        policy: policyOf(config),
      },
    );
    return { output: result, exitCode: PROFILE_EXIT[result.status] };
  },
};
