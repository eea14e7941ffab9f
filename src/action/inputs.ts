/**
 * Action inputs, read from the environment the runner sets. The list is derived from the config's
 * key table (src/config/config.ts), so action.yml, README and the parser cannot drift apart
 * (test/unit/config-surface.test.ts keeps action.yml and README in step with it).
 */
import { INPUT_NAMES } from '../config/config.js';

export const ACTION_INPUTS = INPUT_NAMES;

/** The environment variable the runner sets for an input: INPUT_<NAME upper-cased, spaces as _>. */
function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Read inputs the way @actions/core does; '' = not given (the file or the built-in default applies). */
export function readInputs(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ACTION_INPUTS) out[name] = (env[inputVariable(name)] ?? '').trim();
  return out;
}
