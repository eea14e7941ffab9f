/**
 * Python analysis: runs the stdlib-only helper `analyze/python/analyzer.py` with python3. One
 * child analyses a whole batch, because the interpreter start dominates a small file's cost;
 * `-I -S` (isolated, no site import) because the helper needs only the standard library and
 * skipping site halves the start time.
 */
import { minimalEnv, runProcess } from '../adapters/exec.js';
import { assetPath } from '../adapters/assets.js';
import type { Analysis, Unavailable } from '../domain/types.js';
import { errorMessage } from '../domain/errors.js';

export interface PythonOptions {
  /** Interpreter to run; `python3` from PATH by default. */
  readonly python?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

type PythonResult = Omit<Analysis, 'language'>;

/** Analyse many Python sources with one python3 start. Never rejects: failures become unavailable sections. */
export async function analyzePythonBatch(
  codes: readonly string[],
  options: PythonOptions = {},
): Promise<Analysis[]> {
  if (codes.length === 0) return [];
  let reason: string;
  try {
    const result = await runProcess({
      command: options.python ?? 'python3',
      args: ['-I', '-S', '-B', assetPath('analyze/python/analyzer.py')],
      env: minimalEnv(),
      input: JSON.stringify({ files: codes }),
      timeoutMs: options.timeoutMs ?? 30_000 + 200 * codes.length,
      maxOutputBytes: 256 * 1024 * 1024,
    });
    if (result.exitCode === 0 && !result.outputTruncated) {
      const parsed = JSON.parse(result.stdout) as { results: PythonResult[] };
      if (parsed.results.length === codes.length)
        return parsed.results.map((r) => ({ language: 'python', ...r }));
      reason = 'the python analyser returned the wrong number of results';
    } else if (result.timedOut) reason = 'the python analyser timed out';
    else if (result.outputTruncated) reason = 'the python analyser wrote too much output';
    else reason = `the python analyser failed: ${lastLine(result.stderr)}`;
  } catch (error) {
    reason = `the python analyser could not run: ${errorMessage(error)}`;
  }
  return codes.map(() => unavailableAnalysis(reason));
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 300) || 'no output';
}

/** An analysis where nothing could be computed (the analyser itself failed, not the code). */
export function unavailableAnalysis(reason: string): Analysis {
  const section: Unavailable = { available: false, reason };
  return {
    language: 'python',
    complexity: section,
    security: section,
    // The code may be fine: we could not tell, so we do not claim a syntax error.
    correctness: {
      syntax_valid: true,
      not_checked: reason,
      undefined_names: [],
      diagnostics: [{ line: 0, column: 0, message: `not analysed: ${reason}` }],
    },
    code_quality: section,
    functions: [],
  };
}
