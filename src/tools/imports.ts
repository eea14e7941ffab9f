/**
 * The repository files a tool loads with itself (issue 23: analyse exactly the bytes that run): its
 * local imports, followed through the files they import in turn, read at the tool's commit and
 * analysed with it. Imports are read from the source, not run:
 * - Python: `import a.b`, `from a.b import c`, `from ..x import y`, and `__import__("m")` /
 *   `import_module("m")` with a literal name. `a.b.c` is looked up under the tool's folder and
 *   each folder above it up to the root (the script's folder, the working directory and the
 *   import roots code_evolver puts on sys.path are among them), with every package `__init__.py`
 *   on the way; a name imported `from` a package may be a module of it; relative imports resolve
 *   from the importing file's package.
 * - TS/JS: `… from "x"`, `import "x"`, `import("x")`, `require("x")`. Relative specifiers resolve
 *   from the importing file (with Node's and TypeScript's extensions and `index` files, `.js`
 *   also as `.ts`); bare ones under the tool's folder and each folder above (NODE_PATH).
 * A superset of what loads: a file that could be loaded is analysed. A name computed at run time
 * is not followed. Bounded: at most `MAX_FILES` files of at most `MAX_BYTES` each; past a bound
 * the set is incomplete, and says so.
 */
import { languageOfPath } from '../domain/language.js';
import type { Language, LoadedFile, LoadedFiles } from '../domain/types.js';
import type { Tree } from './tree.js';

const MAX_FILES = 64;
const MAX_BYTES = 1024 * 1024;

const PY_FROM =
  /(?:^|;)[ \t]*from[ \t]+(\.*)[ \t]*(\w*(?:\.\w+)*)[ \t]+import[ \t]*(\([^)]*\)|[^\n;#]*)/gm;
const PY_IMPORT = /(?:^|;)[ \t]*import[ \t]+([^\n;#]+)/gm;
const PY_DYNAMIC = /\b(?:__import__|import_module)\(\s*[rRuU]?(['"])(\.*[\w.]+)\1/g;
const JS_SPECIFIERS = [
  /\bfrom\s*(['"])([^'"\n]{1,500})\1/g,
  /\bimport\s*(['"])([^'"\n]{1,500})\1/g,
  /\b(?:require|import)\s*\(\s*(['"`])([^'"`\n]{1,500})\1\s*\)/g,
];
const SCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

function joinPath(folder: string, rest: string): string {
  return folder === '' ? rest : rest === '' ? folder : `${folder}/${rest}`;
}

/** `folder` and every folder above it, the root (``) last. */
function foldersUp(folder: string): string[] {
  const out: string[] = [];
  for (let f = folder; ; f = folderOf(f)) {
    out.push(f);
    if (f === '') return out;
  }
}

/** `a/./b/../c` → `a/c`; null when it climbs out of the repository. */
function normalise(path: string): string | null {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') parts.push(part);
    else if (parts.pop() === undefined) return null;
  }
  return parts.join('/');
}

/** A Python module `a.b.c` under `root`: its file or package, and the packages on the way. */
function pythonModule(root: string, dotted: string): string[] {
  const parts = dotted.split('.').filter((p) => p !== '');
  const out: string[] = [];
  for (let i = 1; i <= parts.length; i++) {
    const base = joinPath(root, parts.slice(0, i).join('/'));
    out.push(`${base}/__init__.py`);
    if (i === parts.length) out.push(`${base}.py`);
  }
  if (parts.length === 0 && root !== '') out.push(`${root}/__init__.py`);
  return out;
}

/** The paths a Python file's imports may load (existing or not). */
function pythonCandidates(file: string, code: string, roots: readonly string[]): string[] {
  const out: string[] = [];
  const absolute = (dotted: string): void => {
    for (const root of roots) out.push(...pythonModule(root, dotted));
  };
  const relative = (dots: number, dotted: string): void => {
    let base: string | null = folderOf(file);
    for (let i = 1; i < dots && base !== null; i++) base = base === '' ? null : folderOf(base);
    if (base !== null) out.push(...pythonModule(base, dotted));
  };
  const from = (dots: string, module: string, names: string[]): void => {
    const load = dots === '' ? absolute : (m: string) => relative(dots.length, m);
    load(module);
    for (const name of names) load(module === '' ? name : `${module}.${name}`);
  };
  for (const m of code.matchAll(PY_FROM)) {
    const names = m[3]!
      .replace(/[()\\]/g, ' ')
      .split(',')
      .map((n) => /^\s*(\w+)/.exec(n)?.[1])
      .filter((n): n is string => n !== undefined);
    from(m[1]!, m[2]!, names);
  }
  for (const m of code.matchAll(PY_IMPORT))
    for (const item of m[1]!.split(',')) {
      const dotted = /^\s*(\w+(?:\.\w+)*)/.exec(item)?.[1];
      if (dotted !== undefined) absolute(dotted);
    }
  for (const m of code.matchAll(PY_DYNAMIC)) {
    const dots = /^\.*/.exec(m[2]!)![0];
    from(dots, m[2]!.slice(dots.length), []);
  }
  return out;
}

/**
 * The files a TS/JS specifier's `base` path may name, in the order they are tried: the path
 * itself, with Node's and TypeScript's extensions, its `index` files, a `.js` path as `.ts`.
 */
function scriptPaths(base: string): string[] {
  const js = /\.(m|c)?jsx?$/.exec(base);
  return [
    base,
    ...SCRIPT_EXTENSIONS.map((ext) => `${base}${ext}`),
    ...SCRIPT_EXTENSIONS.map((ext) => `${base}/index${ext}`),
    ...(js === null ? [] : [`${base.slice(0, -js[0].length)}.${js[1] ?? ''}ts`]),
  ];
}

/**
 * The repository file a relative specifier (`./helper`, `../lib/x.js`) of `file` loads: the first
 * of its `scriptPaths` in `present`; null for a bare or absolute specifier, or none present.
 */
export function resolveRelativeScript(
  file: string,
  specifier: string,
  present: ReadonlySet<string>,
): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = normalise(joinPath(folderOf(file), specifier));
  return base === null ? null : (scriptPaths(base).find((path) => present.has(path)) ?? null);
}

/** The paths a TS/JS file's imports may load (existing or not). */
function scriptCandidates(file: string, code: string, roots: readonly string[]): string[] {
  const out: string[] = [];
  const add = (base: string): void => {
    out.push(...scriptPaths(base));
  };
  for (const pattern of JS_SPECIFIERS)
    for (const m of code.matchAll(pattern)) {
      const specifier = m[2]!;
      if (specifier.startsWith('/') || /^[a-z]+:/i.test(specifier)) continue;
      if (specifier.startsWith('.')) {
        const base = normalise(joinPath(folderOf(file), specifier));
        if (base !== null) add(base);
      } else for (const root of roots) add(joinPath(root, specifier));
    }
  return out;
}

/**
 * The repository files `tool` loads (its own file not among them), breadth first from its imports.
 * `tree` is the tool's commit.
 */
export async function loadedFiles(
  tree: Tree,
  tool: { readonly path: string; readonly code: string; readonly language: Language },
): Promise<LoadedFiles> {
  const present = new Set(tree.files);
  const python = tool.language === 'python';
  const roots = foldersUp(folderOf(tool.path));
  const seen = new Set([tool.path]);
  const files: LoadedFile[] = [];
  const queue: LoadedFile[] = [tool];
  let incomplete: string | null = null;
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const candidates = python
      ? pythonCandidates(next.path, next.code, roots)
      : scriptCandidates(next.path, next.code, roots);
    for (const path of candidates) {
      if (seen.has(path) || !present.has(path)) continue;
      seen.add(path);
      const language = languageOfPath(path);
      if (language === undefined || (language === 'python') !== python) continue;
      if (files.length >= MAX_FILES) {
        incomplete ??= `it loads more than ${MAX_FILES} repository files: the rest are not analysed`;
        continue;
      }
      const code = await tree.read(path);
      if (code === null || code.length > MAX_BYTES) {
        incomplete ??= `${path}, which it loads, is ${code === null ? 'unreadable' : `larger than ${MAX_BYTES} bytes`}: not analysed`;
        continue;
      }
      const file = { path, code };
      files.push(file);
      queue.push(file);
    }
  }
  return { files, incomplete };
}
