/**
 * The changed-tools prelude every pipeline starts with (the gate in `gate`, `full` and `measure`;
 * `record`): the trees at both commits and the tools that differ between them.
 */
import type { Repo, Tree } from '../core/ports.js';
import {
  changedTools,
  groupTools,
  nameablePaths,
  splitUnnamable,
  toolMatcher,
} from './discover.js';
import type { ChangedTool } from './discover.js';
import { linkScripts } from './link.js';
import { mapTree } from './tree.js';

export interface ChangedBetween {
  readonly trees: { readonly base: Tree; readonly head: Tree };
  readonly tools: ChangedTool[];
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
  return {
    trees: { base, head },
    tools: [...tools, ...split.unnamable].sort((a, b) => a.id.localeCompare(b.id)),
  };
}
