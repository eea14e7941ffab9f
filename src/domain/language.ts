/**
 * Guessing a tool's language when the input does not say. Cheap, line-based signals; a file
 * name, when known, decides first.
 */
import type { Language } from './types.js';

const BY_EXTENSION: Readonly<Record<string, Language>> = {
  py: 'python',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescript',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
};

/** Language of a file by its extension, or undefined. */
export function languageOfPath(path: string): Language | undefined {
  const match = /\.([A-Za-z]+)$/.exec(path);
  return match === null ? undefined : BY_EXTENSION[match[1]!.toLowerCase()];
}

/** Detect the language of a code snippet: Python unless JS/TS syntax is clearly present. */
export function detectLanguage(code: string, path?: string): Language {
  if (path !== undefined) {
    const byPath = languageOfPath(path);
    if (byPath !== undefined) return byPath;
  }
  let python = 0;
  let script = 0;
  let typed = 0;
  for (const raw of code.split(/\r?\n/)) {
    const line = raw.trim();
    if (/^(async\s+)?def\s+\w+\s*\(.*\)\s*(->.*)?:/.test(line) || /^class\s+\w+.*:\s*$/.test(line))
      python += 3;
    if (/^(from\s+\S+\s+)?import\s+[\w., ]+$/.test(line) && !line.endsWith(';')) python += 1;
    if (/^(elif|except|finally|with)\b.*:$/.test(line) || /^if\s.*:$/.test(line)) python += 1;
    if (/^(export\s+)?(default\s+)?(async\s+)?function\b/.test(line)) script += 3;
    if (/^(const|let|var)\s+\w+/.test(line) || /=>/.test(line) || /;\s*$/.test(line)) script += 1;
    if (
      /^import\s.*\sfrom\s+['"]/.test(line) ||
      /^export\s/.test(line) ||
      /require\(['"]/.test(line)
    )
      script += 2;
    if (
      /^(interface|type)\s+\w+/.test(line) ||
      /\)\s*:\s*[A-Za-z][\w<>[\]|, ]*\s*(=>|\{)/.test(line)
    )
      typed += 2;
    if (/\b\w+\s*:\s*(string|number|boolean|unknown|any|Record<)/.test(line) && !/^\s*#/.test(raw))
      typed += 1;
  }
  if (script + typed > python) return typed > 0 ? 'typescript' : 'javascript';
  return 'python';
}
