/** Schema pieces shared by the stdin contracts of the CLI's commands and the profile pipeline (the guide's field names). */
import { z } from 'zod';
import { LANGUAGES, CALL_STYLES } from './types.js';
import type { Json } from './types.js';

/** Any JSON value, typed as the domain's `Json`. */
export const jsonValue: z.ZodType<Json> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.string(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

export const language = z.enum(LANGUAGES);

/** How a tool is run and for how long: the fields of every measuring command's input. */
export const runFields = {
  test_input: jsonValue,
  language: language.optional(),
  entry: z.string().min(1).max(200).optional(),
  mode: z.enum(CALL_STYLES).optional(),
  budget_ms: z.number().int().positive().max(3_600_000).optional(),
};

/** The guide's tool ids are data: a safe, short identifier, never a path. */
export const toolId = z
  .string()
  .min(1)
  .max(128)
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
    'must be letters, digits, _ . - (no /, .., quotes or spaces)',
  )
  .refine((id) => !id.includes('..'), 'must not contain ..');

export const metrics = z.looseObject({
  execution_time_ms: z.number().nonnegative().optional(),
  memory_usage_kb: z.number().nonnegative().nullable().optional(),
  timestamp: z.string().optional(),
  version: z.string().optional(),
  security_issues: z.number().int().nonnegative().optional(),
});

export const requirementChange = z.looseObject({
  previous_requirement: z.string().optional(),
  new_requirement: z.string().optional(),
  change_summary: z.string().optional(),
  feature_additions: z.array(z.string()).optional(),
  feature_removals: z.array(z.string()).optional(),
  breaking_changes: z.array(z.string()).optional(),
});
