/**
 * The static analyser (the `Analyzer` port): Python through a python3 helper, TS/JS through
 * one long-lived ts-morph Project. `analyze` never throws; `analyzeMany` shares one python3
 * start across a batch and one ts-morph Project (lib parsed once) for all TS/JS.
 */
import type { Analyzer } from '../domain/ports.js';
import type { Analysis, Language } from '../domain/types.js';
import type { PythonOptions } from './python.js';
import { analyzePythonBatch, unavailableAnalysis } from './python.js';
import { ScriptAnalyzer } from './typescript.js';
import { errorMessage } from '../domain/errors.js';

export interface AnalysisInput {
  readonly code: string;
  readonly language: Language;
}

export interface BatchAnalyzer extends Analyzer {
  /** Analyse many sources: one python3 start for all Python ones; results in input order. */
  analyzeMany(inputs: readonly AnalysisInput[]): Promise<Analysis[]>;
}

export function createAnalyzer(options: PythonOptions = {}): BatchAnalyzer {
  let scripts: ScriptAnalyzer | undefined;

  const analyzeMany = async (inputs: readonly AnalysisInput[]): Promise<Analysis[]> => {
    const results: Analysis[] = new Array<Analysis>(inputs.length);
    const python: number[] = [];
    const script: number[] = [];
    inputs.forEach((input, i) => (input.language === 'python' ? python : script).push(i));
    if (script.length > 0) {
      try {
        scripts ??= new ScriptAnalyzer();
        const analysed = scripts.analyzeBatch(
          script.map((i) => ({
            code: inputs[i]!.code,
            language: inputs[i]!.language as 'javascript' | 'typescript',
          })),
        );
        script.forEach((index, j) => (results[index] = analysed[j]!));
      } catch (error) {
        const reason = `the TS/JS analyser failed: ${errorMessage(error)}`;
        for (const index of script)
          results[index] = { ...unavailableAnalysis(reason), language: inputs[index]!.language };
      }
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
