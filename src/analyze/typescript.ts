/**
 * TS/JS analysis with ts-morph. One Project on an in-memory file system lives as long as the
 * analyser: the lib files are parsed and bound once and every later program reuses them, so each
 * file costs its own type check, never one of the libs.
 */
import { Project, ts } from 'ts-morph';
import type {
  Analysis,
  CorrectnessSection,
  Diagnostic,
  Language,
  QualitySection,
  SecuritySection,
  Severity,
} from '../domain/types.js';
import { rankOf } from './rank.js';
import { functionComplexities, isFunctionWithBody } from './ts-complexity.js';
import { scanSecurity } from './ts-security.js';
import { errorMessage } from '../domain/errors.js';

/**
 * Diagnostics about the environment rather than the code: modules, Node and DOM globals that an
 * in-memory program without node_modules, @types/node or lib.dom cannot resolve.
 */
const ENVIRONMENT_CODES = new Set([2307, 2580, 2584, 2591, 2592, 2593, 7016, 2792, 2875]);

/**
 * The runtime globals tools use, typed loosely. lib.dom would declare them too, but it is ~1 MB
 * whose global symbols every new checker merges again: these few lines cost nothing.
 */
const AMBIENT_GLOBALS = `declare var console: any; declare var process: any; declare var require: any;
declare var module: any; declare var exports: any; declare var Buffer: any; declare var global: any;
declare var __dirname: string; declare var __filename: string; declare var performance: any;
declare var crypto: any; declare var fetch: any; declare var URL: any; declare var URLSearchParams: any;
declare var TextEncoder: any; declare var TextDecoder: any; declare var AbortController: any;
declare var structuredClone: any; declare var queueMicrotask: any; declare var atob: any; declare var btoa: any;
declare function setTimeout(handler: any, ms?: number, ...args: any[]): any;
declare function setInterval(handler: any, ms?: number, ...args: any[]): any;
declare function setImmediate(handler: any, ...args: any[]): any;
declare function clearTimeout(id: any): void; declare function clearInterval(id: any): void;
declare function clearImmediate(id: any): void;`;

/**
 * Type-checking CPU time allowed per file (CPU, not wall: a busy runner must not change the
 * result). TypeScript's checker can be driven into exponential work
 * by hostile types; past the budget the check is cancelled and the file's semantic diagnostics
 * are reported as incomplete, so one tool cannot stall the analysis of the others.
 */
const SEMANTIC_BUDGET_MS = 250;

export interface ScriptInput {
  readonly code: string;
  readonly language: Extract<Language, 'javascript' | 'typescript'>;
}

export class ScriptAnalyzer {
  private readonly project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts'],
      strict: true,
      allowJs: true,
      checkJs: false,
      // Imports cannot resolve in memory anyway; do not spend time trying.
      noResolve: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
  });
  private counter = 0;

  constructor() {
    this.project.createSourceFile('/__ambient_globals.d.ts', AMBIENT_GLOBALS);
  }

  /**
   * Analyse sources one program each, all sharing the parsed and bound lib. One program for a
   * whole batch measured no faster, and it would put script-style tools (no import/export) in
   * one global scope where their top-level names clash.
   */
  analyzeBatch(inputs: readonly ScriptInput[]): Analysis[] {
    return inputs.map((input) => {
      const path = `/tool-${++this.counter}.${input.language === 'typescript' ? 'ts' : 'js'}`;
      try {
        const file = this.project.createSourceFile(path, input.code, { overwrite: true });
        try {
          const program = this.project.getProgram().compilerObject;
          const sf = program.getSourceFile(file.getFilePath()) ?? file.compilerNode;
          return analyseFile(program, sf, input.language);
        } finally {
          this.project.removeSourceFile(file);
        }
      } catch (error) {
        return failed(input.language, `analysis failed: ${errorMessage(error)}`);
      }
    });
  }
}

function analyseFile(
  program: ts.Program,
  sf: ts.SourceFile,
  language: ScriptInput['language'],
): Analysis {
  const position = (d: ts.Diagnostic): Diagnostic => {
    const at = sf.getLineAndCharacterOfPosition(d.start ?? 0);
    return {
      line: at.line + 1,
      column: at.character + 1,
      message: ts.flattenDiagnosticMessageText(d.messageText, ' ').slice(0, 500),
    };
  };
  const syntax = program.getSyntacticDiagnostics(sf);
  const firstSyntax = syntax[0];
  if (firstSyntax !== undefined) {
    const error = position(firstSyntax);
    return unanalysed(language, `code does not parse: ${error.message} (line ${error.line})`, {
      syntax_valid: false,
      syntax_error: error,
      undefined_names: [],
      diagnostics: syntax.map(position),
    });
  }
  const { diagnostics: checked, complete } =
    language === 'typescript'
      ? semanticDiagnostics(program, sf)
      : { diagnostics: [], complete: true };
  const semantic = checked.filter(
    (d) => !ENVIRONMENT_CODES.has(d.code) && d.category === ts.DiagnosticCategory.Error,
  );
  const undefinedNames = new Set<string>();
  for (const d of semantic) {
    if (d.code !== 2304 && d.code !== 2552) continue;
    const match = /Cannot find name '([^']+)'/.exec(
      ts.flattenDiagnosticMessageText(d.messageText, ' '),
    );
    if (match?.[1] !== undefined) undefinedNames.add(match[1]);
  }
  const correctness: CorrectnessSection = {
    syntax_valid: true,
    undefined_names: [...undefinedNames].sort(),
    diagnostics: [
      ...semantic.map(position).sort((a, b) => a.line - b.line || a.column - b.column),
      ...(complete
        ? []
        : [
            {
              line: 0,
              column: 0,
              message: `type check stopped after ${SEMANTIC_BUDGET_MS} ms of CPU (budget): semantic diagnostics are incomplete`,
            },
          ]),
    ],
  };
  const functions = functionComplexities(sf);
  const average =
    functions.length === 0
      ? 1
      : functions.reduce((sum, f) => sum + f.complexity, 0) / functions.length;
  const issues = scanSecurity(sf);
  const counts: Record<Severity, number> = { LOW: 0, MEDIUM: 0, HIGH: 0 };
  for (const issue of issues) counts[issue.severity]++;
  const security: SecuritySection = {
    available: true,
    total_issues: issues.length,
    severity_counts: counts,
    issues,
  };
  return {
    language,
    complexity: { available: true, average_complexity: round(average), grade: rankOf(average) },
    security,
    correctness,
    code_quality: quality(sf),
    functions,
  };
}

/** Semantic diagnostics of one file within the time budget. */
function semanticDiagnostics(
  program: ts.Program,
  sf: ts.SourceFile,
): { diagnostics: readonly ts.Diagnostic[]; complete: boolean } {
  // This thread's CPU time where Node has it (Node 24 does): in the script worker, the process's
  // would count the gate's other threads too.
  const thread = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  const cpuMs = (): number => {
    const used = thread?.call(process) ?? process.cpuUsage();
    return (used.user + used.system) / 1000;
  };
  const deadline = cpuMs() + SEMANTIC_BUDGET_MS;
  const started = performance.now();
  let lastRead = started;
  let exceeded = false;
  // The checker asks very often and reading CPU time is a syscall: read it only once the wall
  // clock alone has passed the budget (CPU time of one thread cannot run ahead of it by much),
  // and then at most once per millisecond.
  const over = (): boolean => {
    if (exceeded) return true;
    const now = performance.now();
    if (now - started < SEMANTIC_BUDGET_MS || now - lastRead < 1) return false;
    lastRead = now;
    exceeded = cpuMs() > deadline;
    return exceeded;
  };
  const token: ts.CancellationToken = {
    isCancellationRequested: over,
    throwIfCancellationRequested: () => {
      // TypeScript's program recognises only its own (non-Error) cancellation object.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      if (over()) throw new ts.OperationCanceledException();
    },
  };
  try {
    return { diagnostics: program.getSemanticDiagnostics(sf, token), complete: true };
  } catch (error) {
    // The program drops its checker on cancellation; the next file gets a fresh one.
    if (error instanceof ts.OperationCanceledException) return { diagnostics: [], complete: false };
    throw error;
  }
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function failed(language: Language, reason: string): Analysis {
  return unanalysed(language, reason, {
    syntax_valid: true,
    not_checked: reason,
    undefined_names: [],
    diagnostics: [{ line: 0, column: 0, message: `not analysed: ${reason}` }],
  });
}

/** An analysis with every section unavailable for `reason`, but for what correctness says. */
function unanalysed(
  language: Language,
  reason: string,
  correctness: Analysis['correctness'],
): Analysis {
  const unavailable = { available: false as const, reason };
  return {
    language,
    complexity: unavailable,
    security: unavailable,
    correctness,
    code_quality: unavailable,
    functions: [],
  };
}

/** Functions (with bodies) and classes, JSDoc coverage, code and comment lines. */
function quality(sf: ts.SourceFile): QualitySection {
  let functions = 0;
  let classes = 0;
  let documented = 0;
  const codeLines = new Set<number>();
  const commentLines = new Set<number>();
  const text = sf.text;
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line;
  const seenComments = new Set<number>();
  const addComments = (ranges: ts.CommentRange[] | undefined): void => {
    for (const range of ranges ?? []) {
      if (seenComments.has(range.pos)) continue;
      seenComments.add(range.pos);
      for (let line = lineOf(range.pos); line <= lineOf(range.end); line++) commentLines.add(line);
    }
  };
  const visit = (node: ts.Node): void => {
    const isFunction = isFunctionWithBody(node);
    const isClass = ts.isClassDeclaration(node) || ts.isClassExpression(node);
    if (isFunction) functions++;
    if (isClass) classes++;
    if ((isFunction || isClass) && ts.getJSDocCommentsAndTags(node).length > 0) documented++;
    if (node.kind !== ts.SyntaxKind.SourceFile && node.kind !== ts.SyntaxKind.EndOfFileToken) {
      codeLines.add(lineOf(node.getStart(sf)));
      codeLines.add(lineOf(Math.max(node.getStart(sf), node.end - 1)));
    }
    addComments(ts.getLeadingCommentRanges(text, node.pos));
    addComments(ts.getTrailingCommentRanges(text, node.end));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const onlyComments = [...commentLines].filter((line) => !codeLines.has(line)).length;
  const total = functions + classes;
  const linesWithContent = codeLines.size + onlyComments;
  return {
    available: true,
    // documented counts a subset of functions and classes, so the ratio cannot exceed 1.
    documentation_ratio: total === 0 ? 0 : round(documented / total),
    function_count: functions,
    class_count: classes,
    lines_of_code: codeLines.size,
    comment_ratio: linesWithContent === 0 ? 0 : round(commentLines.size / linesWithContent),
  };
}
