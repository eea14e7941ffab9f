/**
 * A TS/JS tool as the Node harness runs it: TypeScript turned into ESM JavaScript (Node 20 has no
 * type stripping), and the line of the first syntax error (Node's module loader names neither
 * file nor line for one, so the harness reports this line beside Node's own message). Both come
 * from TypeScript's parser, which a few hundred bytes can drive into exponential work: the gate
 * calls this through the script worker (script-worker.ts), never on its own thread.
 */
import { ts } from 'ts-morph';
import type { ScriptInput } from './typescript.js';

/** The code the harness loads and the line of its first syntax error (null: none). */
export interface RunnableScript {
  readonly code: string;
  readonly syntaxLine: number | null;
}

export function runnableScript(input: ScriptInput): RunnableScript {
  const typescript = input.language === 'typescript';
  const out = ts.transpileModule(input.code, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
    fileName: typescript ? 'tool.ts' : 'tool.js',
    reportDiagnostics: true,
  });
  const first = out.diagnostics?.find((d) => d.start !== undefined)?.start;
  return {
    code: typescript ? out.outputText : input.code,
    syntaxLine: first === undefined ? null : input.code.slice(0, first).split('\n').length,
  };
}
