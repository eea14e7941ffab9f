/** Action inputs as declared in action.yml, read from the environment the runner sets. */
export const ACTION_INPUTS = [
  'github-token',
  'mode',
  'config',
  'tools',
  'base-ref',
  'ollama-host',
  'ollama-model',
  'ollama-headers',
  'ollama-timeout-seconds',
  'time-budget-seconds',
  'fail-on',
  'reviewers',
  'comment',
  'accept-label',
  'registry',
  'shard',
  'artifact',
] as const;
export type ActionInput = (typeof ACTION_INPUTS)[number];

/** Read inputs the way @actions/core does (INPUT_<NAME upper-cased, spaces as _>), untrimmed of meaning. */
export function readInputs(
  env: Readonly<Record<string, string | undefined>>,
): Record<ActionInput, string> {
  const out = {} as Record<ActionInput, string>;
  for (const name of ACTION_INPUTS) {
    out[name] = (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
  }
  return out;
}
