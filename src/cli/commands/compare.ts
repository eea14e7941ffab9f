import { z } from 'zod';
import { detectLanguage } from '../../domain/language.js';
import type { ToolVersion } from '../../domain/types.js';
import { createMeasurer } from '../../measure/index.js';
import { measureTuning } from '../../wiring.js';
import type { Command } from '../command.js';
import { parseFlags, parseJsonInput } from '../command.js';
import { budgetMsOf, FLAGS, MEASURE_FLAGS, runConfig } from '../flags.js';
import type { Flag } from '../flags.js';
import { runFields } from '../../domain/input-schemas.js';

const compareInput = z.looseObject({
  old_code: z.string(),
  new_code: z.string(),
  ...runFields,
  confidence: z.number().gt(0.5).lt(1).optional(),
  delta: z.number().gt(0).lt(1).optional(),
});

const COMPARE_FLAGS: readonly Flag[] = [...MEASURE_FLAGS, FLAGS.delta, FLAGS.noiseZone];

export const compareCommand: Command = {
  name: 'compare',
  summary:
    'Measure two versions side by side, interleaved: the time ratio with a confidence interval.',
  help: `perf-verdict compare [options] < input.json

Measure two versions side by side, interleaved: the time ratio new/old with a confidence
interval over several fresh process pairs, stopped as soon as the interval settles it.

stdin: a JSON object {old_code, new_code, test_input, language?, entry?, mode?, budget_ms?
       (default 20000), confidence? (0.99), delta? (0.02)}
stdout: {success, time:{ratio, ci_low, ci_high, change, pairs, rounds, ...}, memory:{old_kb,
        new_kb, ratio}, steady_state, old:{...}, new:{...}, wall_ms}. change is regression,
        improvement, unchanged or inconclusive. A version that fails has old.error/new.error,
        change inconclusive, ratio 1 and the unbounded interval ci_low 0, ci_high 1.79e308.
        sandbox: {mode, kind: bwrap|none, reason?} says which OS sandbox the children ran in.

stdin's budget_ms, confidence and delta win over --budget, --confidence and --delta/--noise-zone.`,
  flags: COMPARE_FLAGS,
  async run(args, io) {
    const { flags } = parseFlags(args, COMPARE_FLAGS);
    const config = runConfig(flags, COMPARE_FLAGS);
    const input = parseJsonInput(await io.readStdin(), compareInput, io);
    const lang = input.language ?? detectLanguage(`${input.old_code}\n${input.new_code}`);
    const version = (code: string): ToolVersion => ({
      code,
      language: lang,
      entry: input.entry,
      mode: input.mode ?? 'function',
      testInput: input.test_input,
    });
    const comparison = await createMeasurer(measureTuning(io.env)).compare(
      version(input.old_code),
      version(input.new_code),
      {
        budgetMs: input.budget_ms ?? budgetMsOf(config),
        confidence: input.confidence ?? config.confidence,
        delta: input.delta ?? config.delta,
        sandbox: config.sandbox,
      },
    );
    return { output: { success: true, ...comparison }, exitCode: 0 };
  },
};
