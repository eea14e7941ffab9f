import { z } from 'zod';
import { InputError, NotImplementedError } from '../../core/errors.js';
import type { Command } from '../command.js';
import { parseJsonInput } from '../command.js';
import { jsonValue, language, toolId } from '../schemas.js';

export const profileInput = z.looseObject({
  tool_code: z.string(),
  test_input: jsonValue,
  requirement: z.string().optional(),
  language: language.optional(),
  change_type: z.enum(['patch', 'minor', 'major']).optional(),
  old_version_data: z
    .looseObject({
      code: z.string().optional(),
      version: z.string().optional(),
      requirement: z.string().optional(),
      metadata: z.looseObject({}).optional(),
    })
    .optional(),
});

export const profileCommand: Command = {
  name: 'profile',
  summary:
    'Benchmark, analyse, judge against the old version (measured side by side) and record the tool.',
  help: `perf-verdict profile <tool_id> < input.json

Benchmark, analyse, judge against the old version and record the tool in the registry.

stdin: {tool_code, test_input, requirement, old_version_data?: {code, version, requirement, metadata}}
stdout: {tool_id, status, workflow_steps, metadata}
exit: 0 completed, 2 review_required, 1 rejected or failed.`,
  async run(args, io) {
    const id = args[0];
    if (id === undefined)
      throw new InputError("missing argument 'tool_id': perf-verdict profile <tool_id>", 'tool_id');
    const parsed = toolId.safeParse(id);
    if (!parsed.success)
      throw new InputError(
        `argument 'tool_id' ${parsed.error.issues[0]?.message ?? 'is invalid'}`,
        'tool_id',
      );
    parseJsonInput(await io.readStdin(), profileInput);
    throw new NotImplementedError('profile');
  },
};
