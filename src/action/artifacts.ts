/**
 * The `report` mode's `artifact` input: one report file, or the partial reports of a sharded
 * matrix — newline-separated paths, folders (every `.json` file under them) or globs. Each file
 * is validated as untrusted data, then the parts are merged (src/report/merge.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { PerfVerdictError } from '../domain/errors.js';
import type { UntrustedReport } from '../report/artifact.js';
import { parseUntrustedReport, ReportValidationError } from '../report/artifact.js';
import { mergeReports } from '../report/merge.js';
import type { ReportPart } from '../report/merge.js';

const DEFAULT_ARTIFACT = 'perf-verdict-report/report.json';
/** More reports than any matrix has shards: a bound on what an input can make us read. */
const MAX_FILES = 256;
const MAX_WALK = 20_000;

function artifactError(message: string): PerfVerdictError {
  return new PerfVerdictError('invalid_input', message, 'artifact');
}

/** Every file under `dir` (no symlinks followed), sorted; bounded. */
function walk(dir: string): string[] {
  const out: string[] = [];
  const pending = [dir];
  let seen = 0;
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (++seen > MAX_WALK)
        throw artifactError(`'${dir}' holds more than ${MAX_WALK} entries: name the report files`);
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) out.push(path);
    }
  }
  return out.sort();
}

/** The report files the input names, in a stable order. Throws naming the line that found none. */
export function artifactFiles(input: string, cwd: string): string[] {
  const lines = (input.trim() === '' ? DEFAULT_ARTIFACT : input)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const files: string[] = [];
  for (const line of lines) {
    const path = isAbsolute(line) ? line : join(cwd, line);
    let found: string[];
    if (picomatch.scan(line).isGlob) {
      const base = picomatch.scan(path).base;
      const matches = picomatch(path.split(sep).join('/'));
      found = existsSync(base)
        ? walk(base).filter((file) => matches(file.split(sep).join('/')))
        : [];
    } else if (existsSync(path) && statSync(path).isDirectory()) {
      found = walk(path).filter((file) => file.endsWith('.json'));
    } else {
      found = existsSync(path) ? [path] : [];
    }
    if (found.length === 0) {
      throw new PerfVerdictError(
        'github',
        `report artifact '${line}' (input 'artifact') does not exist: download the measure job's artifact first (actions/download-artifact)`,
        'artifact',
      );
    }
    for (const file of found) if (!files.includes(file)) files.push(file);
  }
  if (files.length > MAX_FILES)
    throw artifactError(`input 'artifact' names ${files.length} files, at most ${MAX_FILES}`);
  return files;
}

/** Read, validate and merge the report artifacts the input names. */
export function loadArtifacts(input: string, cwd: string): UntrustedReport {
  const files = artifactFiles(input, cwd);
  const parts: ReportPart[] = files.map((file) => {
    const name = file.startsWith(cwd) ? relative(cwd, file) : file;
    try {
      return { file: name, report: parseUntrustedReport(JSON.parse(readFileSync(file, 'utf8'))) };
    } catch (error) {
      const why =
        error instanceof ReportValidationError || error instanceof SyntaxError
          ? error.message
          : String(error);
      throw artifactError(
        `the report artifact${files.length === 1 ? '' : ` '${name}'`} is not a valid measure report, refusing to publish it: ${why}`,
      );
    }
  });
  try {
    return mergeReports(parts);
  } catch (error) {
    if (!(error instanceof ReportValidationError)) throw error;
    throw artifactError(
      `the report artifacts cannot be merged, refusing to publish: ${error.message}`,
    );
  }
}
