/**
 * The configuration file (`.perf-verdict.yml`) as both entries read it: YAML text → plain data
 * for `resolveConfig` (src/config/config.ts), whose errors name the key. Errors here name the file.
 */
import { parse as parseYaml } from 'yaml';
import { errorFirstLine, PerfVerdictError } from '../domain/errors.js';

/**
 * The file's data. `text` null: the file does not exist, which is fine for the default name and
 * an error for a name the user gave (`given`, e.g. "input 'config'" or "--config").
 */
export function parseConfigFile(
  text: string | null,
  source: { readonly fileName: string; readonly from: string; readonly given: string | null },
): unknown {
  if (text === null) {
    if (source.given === null) return undefined;
    throw new PerfVerdictError(
      'config',
      `config file '${source.fileName}' (${source.given}) does not exist`,
      'config',
    );
  }
  try {
    return parseYaml(text);
  } catch (error) {
    throw new PerfVerdictError(
      'config',
      `${source.from} is not valid YAML: ${errorFirstLine(error)}`,
      'config',
    );
  }
}
