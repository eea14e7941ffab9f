import { z } from 'zod';
import { detectLanguage } from '../../core/language.js';
import { RUN_MODES } from '../../core/types.js';
import type { ToolVersion } from '../../core/types.js';
import { createMeasurer } from '../../measure/index.js';
import type { Command } from '../command.js';
import { parseFlags, parseJsonInput, sandboxFlag } from '../command.js';
import { jsonValue, language } from '../schemas.js';

export const compareInput = z.looseObject({
  old_code: z.string(),
  new_code: z.string(),
  test_input: jsonValue,
  language: language.optional(),
  entry: z.string().min(1).max(200).optional(),
  mode: z.enum(RUN_MODES).optional(),
  budget_ms: z.number().int().positive().max(3_600_000).optional(),
  confidence: z.number().gt(0.5).lt(1).optional(),
  delta: z.number().gt(0).lt(1).optional(),
});

export const compareCommand: Command = {
  name: 'compare',
  summary:
    'Measure two versions side by side, interleaved: the time ratio with a confidence interval.',
  help: `perf-verdict compare [--sandbox auto|required|off] < input.json

Measure two versions side by side, interleaved: the time ratio new/old with a confidence
interval over several fresh process pairs, stopped as soon as the interval settles it.

stdin: a JSON object {old_code, new_code, test_input, language?, entry?, mode?, budget_ms?
       (default 20000), confidence? (0.99), delta? (0.02)}
stdout: {success, time:{ratio, ci_low, ci_high, change, pairs, rounds, ...}, memory:{old_kb,
        new_kb, ratio}, steady_state, old:{...}, new:{...}, wall_ms}. change is regression,
        improvement, unchanged or inconclusive. A version that fails has old.error/new.error,
        change inconclusive, ratio 1 and the unbounded interval ci_low 0, ci_high 1.79e308.
        sandbox: {mode, kind: bwrap|none, reason?} says which OS sandbox the children ran in.

--sandbox  auto (default): the OS sandbox where it can be had, else unsandboxed and said so;
           required: a version fails with error kind 'sandbox' without it; off: never.`,
  async run(args, io) {
    const { flags } = parseFlags(args, ['sandbox']);
    const sandbox = sandboxFlag(flags['sandbox']);
    const input = parseJsonInput(await io.readStdin(), compareInput, io);
    const lang = input.language ?? detectLanguage(`${input.old_code}\n${input.new_code}`);
    const version = (code: string): ToolVersion => ({
      code,
      language: lang,
      entry: input.entry,
      mode: input.mode ?? 'function',
      testInput: input.test_input,
    });
    const comparison = await createMeasurer().compare(
      version(input.old_code),
      version(input.new_code),
      {
        budgetMs: input.budget_ms ?? 20_000,
        confidence: input.confidence ?? 0.99,
        delta: input.delta ?? 0.02,
        sandbox,
      },
    );
    return { output: { success: true, ...comparison }, exitCode: 0 };
  },
};
