/**
 * The changed-tools prelude every pipeline starts with (the gate in `gate`, `full` and `measure`;
 * `record`): the trees at both commits and the tools that differ between them.
 */
import type { FileChange, Log, Repo, Tree } from '../domain/ports.js';
import { languageOfPath } from '../domain/language.js';
import {
  changedTools,
  groupTools,
  nameablePaths,
  splitUnnamable,
  toolMatcher,
} from './discover.js';
import type { ChangedTool, ToolFiles } from './discover.js';
import { loadedFiles } from './imports.js';
import { linkScripts } from './link.js';
import { resolveBoth } from './spec.js';
import type { Resolution, SpecDefaults } from './spec.js';
import { mapTree } from './tree.js';
import { unmatchedTools } from './unmatched.js';
import type { UnmatchedTools } from '../report/model.js';

export interface ChangedBetween {
  readonly trees: { readonly base: Tree; readonly head: Tree };
  readonly tools: ChangedTool[];
  /** When no changed file matched: the ones that look like tools all the same. */
  readonly unmatched: UnmatchedTools | null;
}

/**
 * The tools matching `patterns` that differ between `baseSha` and `headSha`. A null base (a root
 * commit) is the empty tree: every tool at head is new.
 */
export async function changedToolsBetween(
  repo: Repo,
  baseSha: string | null,
  headSha: string,
  patterns: readonly string[],
): Promise<ChangedBetween> {
  const head = await repo.tree(headSha);
  const base = baseSha === null ? mapTree({}) : await repo.tree(baseSha);
  const changes =
    baseSha === null
      ? head.files.map((path) => ({ status: 'A' as const, path }))
      : await repo.diff(baseSha, headSha);
  const matches = toolMatcher(patterns);
  // A path with a newline, a control character or bytes that are not UTF-8 is no tool name: it is
  // kept out of the tools and becomes a row of its own, never dropped (nor read, nor run).
  const split = splitUnnamable(changes, matches);
  const grouped = {
    base: groupTools(nameablePaths(base.files), matches),
    head: groupTools(nameablePaths(head.files), matches),
  };
  // A script that a YAML of another stem runs is that YAML's tool, not a tool of its own.
  const tools = await linkScripts(
    changedTools(split.changes, grouped.base, grouped.head),
    { base, head },
    grouped,
  );
  const loading = await toolsLoadingChanges(split.changes, { base, head }, grouped, tools);
  const all = [...tools, ...loading, ...split.unnamable].sort((a, b) => a.id.localeCompare(b.id));
  return {
    trees: { base, head },
    tools: all,
    unmatched: all.length === 0 ? await unmatchedTools(split.changes, head, matches) : null,
  };
}

/** `tree` reading each file once. */
function readingOnce(tree: Tree): Tree {
  const read = new Map<string, Promise<string | null>>();
  return {
    files: tree.files,
    read: (path) => {
      const known = read.get(path) ?? tree.read(path);
      read.set(path, known);
      return known;
    },
  };
}

/**
 * A file a tool loads is part of it (src/tools/imports.ts): the tools the diff did not touch but
 * that load, at base or at head, a code file the diff changed. Each is a modified tool whose
 * `paths` are those files. Read only when the diff changes a code file.
 */
async function toolsLoadingChanges(
  changes: readonly FileChange[],
  trees: { readonly base: Tree; readonly head: Tree },
  grouped: {
    readonly base: ReadonlyMap<string, ToolFiles>;
    readonly head: ReadonlyMap<string, ToolFiles>;
  },
  changed: readonly ChangedTool[],
): Promise<ChangedTool[]> {
  const changedCode = new Set(
    changes
      .flatMap((c) => [c.path, c.oldPath])
      .filter((p): p is string => p !== undefined && languageOfPath(p) !== undefined),
  );
  if (changedCode.size === 0) return [];
  const touched = new Set(changed.flatMap((t) => [t.base?.key, t.head?.key]));
  const reading = { base: readingOnce(trees.base), head: readingOnce(trees.head) };
  const loadsChanged = new Map<string, string[]>();
  for (const [key, files] of grouped.head) {
    const implementation = files.implementation;
    if (touched.has(key) || implementation === null || !grouped.base.has(key)) continue;
    const found = new Set<string>();
    for (const side of ['base', 'head'] as const) {
      const code = await reading[side].read(implementation);
      const language = languageOfPath(implementation);
      if (code === null || language === undefined) continue;
      const loaded = await loadedFiles(reading[side], { path: implementation, code, language });
      for (const file of loaded.files) if (changedCode.has(file.path)) found.add(file.path);
    }
    if (found.size > 0) loadsChanged.set(implementation, [...found].sort());
  }
  if (loadsChanged.size === 0) return [];
  const synthetic = [...loadsChanged.keys()].map((path) => ({ status: 'M' as const, path }));
  const tools = changedTools(synthetic, grouped.base, grouped.head).map((t) => ({
    ...t,
    paths: t.paths.flatMap((p) => loadsChanged.get(p) ?? []),
  }));
  const ids = new Set(changed.map((t) => t.id));
  return (await linkScripts(tools, trees, grouped)).filter((t) => !ids.has(t.id));
}

/** The whole prelude: its commits (head and the base the pipeline chose), what changed, resolved. */
export interface Prelude<Base extends { readonly sha: string | null }> extends ChangedBetween {
  readonly headSha: string;
  readonly base: Base;
  /** Both versions of every changed tool, resolved before anything runs. */
  readonly resolutions: ReadonlyMap<ChangedTool, Resolution>;
}

/** Where a pipeline starts: its head, its own rule for the base, how its log names that base. */
export interface PreludeRequest<Base> {
  readonly headRef: string;
  /** The gate's merge-base with the base branch; record's push `before` (or the parent). */
  readonly baseOf: (headSha: string) => Promise<Base>;
  readonly describeBase: (base: Base) => string;
}

/**
 * The prelude every pipeline starts with: the full history, the head and base commits, the tools
 * that differ between them (`changedToolsBetween`), each resolved at both commits, and one log
 * line that counts them.
 */
export async function changedToolsSince<Base extends { readonly sha: string | null }>(
  repo: Repo,
  request: PreludeRequest<Base>,
  settings: { readonly tools: readonly string[]; readonly defaults: SpecDefaults },
  log: Log,
): Promise<Prelude<Base>> {
  await repo.ensureHistory();
  const headSha = await repo.resolve(request.headRef);
  const base = await request.baseOf(headSha);
  const changed = await changedToolsBetween(repo, base.sha, headSha, settings.tools);
  const count = changed.tools.length;
  log.info(
    `${count} changed tool${count === 1 ? '' : 's'} between ${request.describeBase(base)} and ${headSha.slice(0, 12)}`,
  );
  const resolutions = new Map<ChangedTool, Resolution>();
  for (const tool of changed.tools)
    resolutions.set(tool, await resolveBoth(tool, changed.trees, settings.defaults));
  return { ...changed, headSha, base, resolutions };
}
