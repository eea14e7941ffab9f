/**
 * The static analyser (the `Analyzer` port): Python through a python3 helper, TS/JS in the script
 * worker (one long-lived ts-morph Project in a thread of its own, each source under a deadline:
 * script-worker.ts). `analyze` never throws; `analyzeMany` shares one python3 start across a
 * batch.
 */
import type { Analyzer } from '../domain/ports.js';
import type { Analysis, Language } from '../domain/types.js';
import type { PythonOptions } from './python.js';
import { analyzePythonBatch } from './python.js';
import { scriptWorker } from './script-worker.js';

export interface AnalysisInput {
  readonly code: string;
  readonly language: Language;
}

export interface BatchAnalyzer extends Analyzer {
  /** Analyse many sources: one python3 start for all Python ones; results in input order. */
  analyzeMany(inputs: readonly AnalysisInput[]): Promise<Analysis[]>;
}

export function createAnalyzer(options: PythonOptions = {}): BatchAnalyzer {
  const analyzeMany = async (inputs: readonly AnalysisInput[]): Promise<Analysis[]> => {
    const results: Analysis[] = new Array<Analysis>(inputs.length);
    const python: number[] = [];
    for (const [index, input] of inputs.entries()) {
      if (input.language === 'python') python.push(index);
      else
        results[index] = await scriptWorker().analyse({
          code: input.code,
          language: input.language,
        });
    }
    if (python.length > 0) {
      const analysed = await analyzePythonBatch(
        python.map((i) => inputs[i]!.code),
        options,
      );
      python.forEach((index, j) => (results[index] = analysed[j]!));
    }
    return results;
  };

  return {
    analyzeMany,
    async analyze(code, language) {
      const [result] = await analyzeMany([{ code, language }]);
      return result!;
    },
  };
}
