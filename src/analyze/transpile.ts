/**
 * A TS/JS tool as the Node harness runs it: TypeScript turned into ESM JavaScript (Node 20 has no
 * type stripping), and the line of the first syntax error (Node's module loader names neither
 * file nor line for one, so the harness reports this line beside Node's own message). Both come
 * from TypeScript's parser, which a few hundred bytes can drive into exponential work: the gate
 * calls this through the script worker (script-worker.ts), never on its own thread.
 *
 * A tool that loads repository files (its helpers, src/tools/imports.ts) runs with them: each is
 * made runnable the same way and given a name under the tool's own layout, its repository path
 * with the extension Node loads its format by (`lib/helper.ts` → `lib/helper.ts.mjs`), and every
 * relative specifier that names one of them (`./lib/helper`, `./helper.js` for `helper.ts`) is
 * rewritten to that name, the only bytes changed. A file the analyser did not follow is not there.
 */
import { posix } from 'node:path';
import { ts } from 'ts-morph';
import { languageOfPath } from '../domain/language.js';
import type { LoadedFile } from '../domain/types.js';
import { resolveRelativeScript } from '../tools/imports.js';
import type { ScriptInput } from './typescript.js';

/** One file of a tool's runnable tree. */
export interface RunnableFile {
  /** Its path under the tree's root. */
  readonly path: string;
  readonly code: string;
  /** Its repository path (what an error names). */
  readonly source: string;
  /** The line of its first syntax error (null: none). */
  readonly syntaxLine: number | null;
}

/** The code the harness loads and the line of its first syntax error (null: none). */
export interface RunnableScript {
  readonly code: string;
  readonly syntaxLine: number | null;
  /**
   * With the repository files it loads: every file of the tree (the tool's among them, its code
   * `code`), and which is the tool's. Absent: it loads none and runs alone.
   */
  readonly tree?: { readonly tool: string; readonly files: readonly RunnableFile[] };
}

/** A tool to transpile: its code, and where it has helpers its repository path and theirs. */
export interface TranspileInput extends ScriptInput {
  readonly path?: string | undefined;
  readonly loads?: readonly LoadedFile[] | undefined;
}

/** CommonJS tools (module.exports) load as .cjs; everything else as an ES module. */
export function isCommonJs(code: string): boolean {
  // `[ \t]*`, not `\s*`: under /m, `\s*` crosses lines, and a megabyte of blank lines took
  // quadratic time to search.
  return /\bmodule\.exports\b|\bexports\.\w+\s*=/.test(code) && !/^[ \t]*export\s/m.test(code);
}

function transpiled(input: ScriptInput): RunnableScript {
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

/** The string literal naming the module of an import, export, `import()` or `require()`. */
function specifierOf(node: ts.Node): ts.StringLiteralLike | undefined {
  const literal = (n: ts.Node | undefined): ts.StringLiteralLike | undefined =>
    n !== undefined && ts.isStringLiteralLike(n) ? n : undefined;
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node))
    return literal(node.moduleSpecifier);
  if (!ts.isCallExpression(node)) return undefined;
  const callee = node.expression;
  const loads =
    callee.kind === ts.SyntaxKind.ImportKeyword ||
    (ts.isIdentifier(callee) && callee.text === 'require');
  return loads ? literal(node.arguments[0]) : undefined;
}

/** `code` (runnable JS) with each specifier `rename` maps replaced by its new name. */
function respecified(code: string, rename: (specifier: string) => string | null): string {
  const source = ts.createSourceFile('x.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    const literal = specifierOf(node);
    const renamed = literal === undefined ? null : rename(literal.text);
    if (literal !== undefined && renamed !== null)
      edits.push({
        start: literal.getStart(source),
        end: literal.end,
        text: JSON.stringify(renamed),
      });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edits
    .sort((a, b) => b.start - a.start)
    .reduce((text, e) => text.slice(0, e.start) + e.text + text.slice(e.end), code);
}

/** `path` under a name whose extension Node loads `code`'s format by, unique among `taken`. */
function treeName(path: string, code: string, taken: ReadonlySet<string>): string {
  const ext = isCommonJs(code) ? '.cjs' : '.mjs';
  const first = path.endsWith(ext) ? path : `${path}${ext}`;
  let name = first;
  for (let n = 2; taken.has(name); n++) name = `${path}.${n}${ext}`;
  return name;
}

/** The tool and the script files it loads, runnable side by side (see the file's comment). */
function runnableTree(input: TranspileInput & { readonly path: string }): RunnableScript {
  const sources = [
    { path: input.path, code: input.code, language: input.language },
    ...(input.loads ?? []).flatMap((f) => {
      const language = languageOfPath(f.path);
      return language === 'javascript' || language === 'typescript'
        ? [{ path: f.path, code: f.code, language }]
        : [];
    }),
  ];
  const scripts = sources.map((s) => transpiled(s));
  const names = new Map<string, string>();
  const taken = new Set<string>();
  sources.forEach((s, i) => {
    const name = treeName(s.path, scripts[i]!.code, taken);
    names.set(s.path, name);
    taken.add(name);
  });
  const present = new Set(names.keys());
  const files = sources.map((s, i) => {
    const name = names.get(s.path)!;
    const rename = (specifier: string): string | null => {
      const target = resolveRelativeScript(s.path, specifier, present);
      if (target === null) return null;
      const relative = posix.relative(posix.dirname(name), names.get(target)!);
      return relative.startsWith('.') ? relative : `./${relative}`;
    };
    const { code, syntaxLine } = scripts[i]!;
    return { path: name, code: respecified(code, rename), source: s.path, syntaxLine };
  });
  return {
    code: files[0]!.code,
    syntaxLine: files[0]!.syntaxLine,
    tree: { tool: files[0]!.path, files },
  };
}

export function runnableScript(input: TranspileInput): RunnableScript {
  const path = input.path;
  const helpers = (input.loads ?? []).filter((f) => languageOfPath(f.path) !== 'python');
  return path === undefined || helpers.length === 0
    ? transpiled(input)
    : runnableTree({ ...input, path, loads: helpers });
}
