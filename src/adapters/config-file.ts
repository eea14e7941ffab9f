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
      `${source.from} is not valid YAML: ${yamlError(error, text)}`,
      'config',
    );
  }
}

/**
 * The parser's complaint without its position, then the lines it points at, whole: the line of
 * the position and, when that is a line's first column (the parser noticed only on the next
 * line, as with an unclosed `[`), the line before it too.
 */
function yamlError(error: unknown, text: string): string {
  const first = errorFirstLine(error);
  const at = (error as { linePos?: readonly { line: number; col: number }[] }).linePos?.[0];
  if (at === undefined) return first;
  const lines = text.split(/\r?\n/);
  const quote = (n: number): string => `line ${n}: '${(lines[n - 1] ?? '').slice(0, 200)}'`;
  const shown =
    at.col === 1 && at.line > 1 ? [quote(at.line - 1), quote(at.line)] : [quote(at.line)];
  const what = first.replace(/ at line \d+, column \d+:?$/, '');
  return `${what} (${shown.join('; ')}): fix it there`;
}
