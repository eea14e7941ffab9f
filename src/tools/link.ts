/**
 * A code_evolver YAML may run a script of another stem (`kv_store.yaml` runs
 * `{tool_dir}/kv_store_manager.py`, `filesystem.yaml` runs `filesystem_manager.py`). Such a script
 * is part of the YAML's tool, not a tool of its own: a changed script is reported under the YAML
 * that runs it, and never as a lone file without input.
 */
import { parse as parseYaml } from 'yaml';
import type { ChangedTool, ToolFiles } from './discover.js';
import type { Tree } from './tree.js';

/** The repository path a YAML's executable block (or execution.entry_point) names, if any. */
export function claimedScript(
  yamlPath: string,
  text: string,
  files: readonly string[],
): string | null {
  let doc: unknown;
  try {
    doc = parseYaml(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return null;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return null;
  const d = doc as Record<string, unknown>;
  const folder = yamlPath.includes('/') ? yamlPath.slice(0, yamlPath.lastIndexOf('/')) : '';
  const executable = d['executable'];
  const args =
    executable !== null && typeof executable === 'object' && !Array.isArray(executable)
      ? (executable as Record<string, unknown>)['args']
      : undefined;
  for (const arg of Array.isArray(args) ? args : []) {
    const m = /^\{tool_dir\}[\\/](.+\.(py|js|mjs|ts|mts))$/i.exec(String(arg).trim());
    if (m === null) continue;
    const path = `${folder === '' ? '' : `${folder}/`}${m[1]!.replace(/\\/g, '/')}`;
    return files.includes(path) ? path : null;
  }
  const execution = d['execution'];
  const entry =
    execution !== null && typeof execution === 'object' && !Array.isArray(execution)
      ? (execution as Record<string, unknown>)['entry_point']
      : undefined;
  if (typeof entry === 'string' && /\.(py|js|mjs|ts|mts)$/i.test(entry)) {
    const ep = entry.replace(/\\/g, '/').replace(/^\.\//, '');
    return files.find((f) => f === ep || f.endsWith(`/${ep}`)) ?? null;
  }
  return null;
}

/** script path → key of the YAML tool that runs it, for the YAMLs of the given folders. */
async function claims(
  tools: ReadonlyMap<string, ToolFiles>,
  tree: Tree,
  folders: ReadonlySet<string>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const tool of tools.values()) {
    if (tool.yaml === null || !folders.has(tool.folder)) continue;
    const text = await tree.read(tool.yaml);
    if (text === null) continue;
    const script = claimedScript(tool.yaml, text, tree.files);
    if (script !== null && script !== tool.implementation) out.set(script, tool.key);
  }
  return out;
}

/**
 * Fold changed scripts that a YAML of another stem runs into that YAML's tool. A script's own
 * row disappears; the YAML's tool appears (modified) when only its script changed.
 */
export async function linkScripts(
  changed: readonly ChangedTool[],
  trees: { readonly base: Tree; readonly head: Tree },
  tools: {
    readonly base: ReadonlyMap<string, ToolFiles>;
    readonly head: ReadonlyMap<string, ToolFiles>;
  },
): Promise<ChangedTool[]> {
  const orphans = changed.filter((t) => (t.head ?? t.base)?.yaml === null);
  if (orphans.length === 0) return [...changed];
  const folders = new Set(orphans.map((t) => (t.head ?? t.base)!.folder));
  const headClaims = await claims(tools.head, trees.head, folders);
  const baseClaims = await claims(tools.base, trees.base, folders);
  const byKey = new Map<string, ChangedTool>();
  for (const t of changed) byKey.set((t.head ?? t.base)!.key, t);
  const dropped = new Set<ChangedTool>();
  const added = new Map<string, ChangedTool>();
  for (const orphan of orphans) {
    const script = (orphan.head ?? orphan.base)!.implementation;
    if (script === null) continue;
    const owner = headClaims.get(script) ?? baseClaims.get(script);
    if (owner === undefined) continue;
    dropped.add(orphan);
    const existing = byKey.get(owner) ?? added.get(owner);
    if (existing !== undefined) {
      const merged: ChangedTool = {
        ...existing,
        paths: [...new Set([...existing.paths, ...orphan.paths])].sort(),
      };
      if (byKey.has(owner)) byKey.set(owner, merged);
      else added.set(owner, merged);
      continue;
    }
    const base = tools.base.get(owner) ?? null;
    const head = tools.head.get(owner) ?? null;
    const files = (head ?? base)!;
    added.set(owner, {
      id: files.stem,
      status: base === null ? 'new' : head === null ? 'removed' : 'modified',
      base,
      head,
      paths: [...orphan.paths],
    });
  }
  const kept = [...byKey.values()].filter((t) => !dropped.has(t));
  const ids = new Set(kept.map((t) => t.id));
  for (const [key, tool] of added) kept.push(ids.has(tool.id) ? { ...tool, id: key } : tool);
  return kept.sort((a, b) => a.id.localeCompare(b.id));
}
