/**
 * Which files are tools, and which tools a diff changed. A tool is a group of files sharing a
 * folder and a stem: the implementation (`id.py`, `id.ts`, ...), an optional code_evolver YAML
 * (`id.yaml`) and an optional sidecar (`id.perf.json` / `id.perf.yaml`). Any of them changing
 * changes the tool.
 */
import picomatch from 'picomatch';
import { languageOfPath } from '../domain/language.js';
import type { FileChange } from './tree.js';

/** Implementation extensions, in the order that wins when a folder holds two with one stem. */
const IMPLEMENTATION_EXTENSIONS = ['py', 'ts', 'mts', 'js', 'mjs'] as const;

/** The files of one tool at one commit. */
export interface ToolFiles {
  /** `folder/stem`: stable identity of the tool within one commit. */
  readonly key: string;
  readonly folder: string;
  readonly stem: string;
  readonly implementation: string | null;
  readonly yaml: string | null;
  readonly sidecar: string | null;
}

interface MutableToolFiles {
  key: string;
  folder: string;
  stem: string;
  implementation: string | null;
  yaml: string | null;
  sidecar: string | null;
}

export type Matcher = (path: string) => boolean;

/** A matcher for the configured tool globs. Sidecars beside a matched file always count. */
export function toolMatcher(globs: readonly string[]): Matcher {
  const match = picomatch([...globs], { dot: false });
  return (path) => match(path);
}

function split(path: string): { folder: string; name: string } {
  const slash = path.lastIndexOf('/');
  return slash === -1
    ? { folder: '', name: path }
    : { folder: path.slice(0, slash), name: path.slice(slash + 1) };
}

type Role = 'implementation' | 'yaml' | 'sidecar';

/** The role a path plays and the stem it belongs to, or null when it is no tool file. */
function classify(path: string): { role: Role; folder: string; stem: string } | null {
  const { folder, name } = split(path);
  const sidecar = /^(.+)\.perf\.(json|ya?ml)$/i.exec(name);
  if (sidecar !== null) return { role: 'sidecar', folder, stem: sidecar[1]! };
  const yaml = /^(.+)\.ya?ml$/i.exec(name);
  if (yaml !== null) return { role: 'yaml', folder, stem: yaml[1]! };
  const code = /^(.+)\.([A-Za-z]+)$/.exec(name);
  if (code !== null && languageOfPath(name) !== undefined) {
    const ext = code[2]!.toLowerCase();
    if ((IMPLEMENTATION_EXTENSIONS as readonly string[]).includes(ext)) {
      // Declarations and tests beside a tool are not tools.
      if (/\.(d|test|spec)$/i.test(code[1]!)) return null;
      return { role: 'implementation', folder, stem: code[1]! };
    }
  }
  return null;
}

function keyOf(folder: string, stem: string): string {
  return folder === '' ? stem : `${folder}/${stem}`;
}

/** Group a commit's files into tools. A sidecar alone makes no tool. */
export function groupTools(files: readonly string[], matches: Matcher): Map<string, ToolFiles> {
  const tools = new Map<string, MutableToolFiles>();
  const sidecars = new Map<string, string>();
  for (const path of files) {
    const role = classify(path);
    if (role === null) continue;
    const key = keyOf(role.folder, role.stem);
    if (role.role === 'sidecar') {
      sidecars.set(key, path);
      continue;
    }
    if (!matches(path)) continue;
    let tool = tools.get(key);
    if (tool === undefined) {
      tool = {
        key,
        folder: role.folder,
        stem: role.stem,
        implementation: null,
        yaml: null,
        sidecar: null,
      };
      tools.set(key, tool);
    }
    if (role.role === 'yaml') tool.yaml ??= path;
    else if (tool.implementation === null || rank(path) < rank(tool.implementation))
      tool.implementation = path;
  }
  for (const [key, tool] of tools) tool.sidecar = sidecars.get(key) ?? null;
  return tools;
}

function rank(path: string): number {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return (IMPLEMENTATION_EXTENSIONS as readonly string[]).indexOf(ext);
}

export type ChangeStatus = 'modified' | 'new' | 'removed' | 'renamed';

/** A tool the diff touched, with its files on both sides. */
export interface ChangedTool {
  readonly id: string;
  readonly status: ChangeStatus;
  readonly base: ToolFiles | null;
  readonly head: ToolFiles | null;
  /** The changed paths that made this tool count as changed. */
  readonly paths: readonly string[];
  /**
   * Set when the changed path cannot be a tool name (a newline, a control character, not UTF-8):
   * why. Such a tool has no files on either side; it is a REVIEW row, never measured or dropped.
   */
  readonly unnamable?: string;
}

/**
 * The tools a diff changed. A rename of the implementation (or YAML) carries the tool from its
 * old key to its new one; ids are stems, qualified by folder where stems collide.
 */
export function changedTools(
  changes: readonly FileChange[],
  base: ReadonlyMap<string, ToolFiles>,
  head: ReadonlyMap<string, ToolFiles>,
): ChangedTool[] {
  const renamedFrom = new Map<string, string>();
  for (const change of changes) {
    if ((change.status !== 'R' && change.status !== 'C') || change.oldPath === undefined) continue;
    const from = classify(change.oldPath);
    const to = classify(change.path);
    if (from === null || to === null || from.role === 'sidecar' || from.role !== to.role) continue;
    const oldKey = keyOf(from.folder, from.stem);
    const newKey = keyOf(to.folder, to.stem);
    // A copy keeps the old tool alive: the new one is new, not renamed.
    if (change.status === 'R' && oldKey !== newKey && !head.has(oldKey))
      renamedFrom.set(newKey, oldKey);
  }
  const renamedAway = new Set(renamedFrom.values());

  const touched = new Map<string, Set<string>>();
  const touch = (path: string): void => {
    const role = classify(path);
    if (role === null) return;
    const key = keyOf(role.folder, role.stem);
    if (!base.has(key) && !head.has(key)) return;
    const paths = touched.get(key) ?? new Set<string>();
    paths.add(path);
    touched.set(key, paths);
  };
  for (const change of changes) {
    touch(change.path);
    if (change.oldPath !== undefined) touch(change.oldPath);
  }

  const found: {
    key: string;
    status: ChangeStatus;
    base: ToolFiles | null;
    head: ToolFiles | null;
    paths: string[];
  }[] = [];
  for (const [key, paths] of touched) {
    if (renamedAway.has(key) && !head.has(key)) continue; // reported under its new key
    const headFiles = head.get(key) ?? null;
    const fromKey = renamedFrom.get(key);
    const baseFiles = base.get(fromKey ?? key) ?? null;
    if (fromKey !== undefined) for (const path of touched.get(fromKey) ?? []) paths.add(path);
    let status: ChangeStatus;
    if (baseFiles === null) status = 'new';
    else if (headFiles === null) status = 'removed';
    else if (fromKey !== undefined) status = 'renamed';
    else status = 'modified';
    found.push({ key, status, base: baseFiles, head: headFiles, paths: [...paths].sort() });
  }

  // A renamed tool is one tool: its old key must not make its stem look like a collision.
  const ids = toolIds([
    ...[...base.values()].filter((t) => !renamedAway.has(t.key) || head.has(t.key)),
    ...head.values(),
  ]);
  return found
    .map((tool) => ({
      id: ids.get(tool.key) ?? tool.key,
      status: tool.status,
      base: tool.base,
      head: tool.head,
      paths: tool.paths,
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Stem as id; where two folders hold the same stem, qualify by as many folders as it takes. */
function toolIds(tools: readonly ToolFiles[]): Map<string, string> {
  const byStem = new Map<string, Set<string>>();
  for (const tool of tools) {
    const keys = byStem.get(tool.stem) ?? new Set<string>();
    keys.add(tool.key);
    byStem.set(tool.stem, keys);
  }
  const ids = new Map<string, string>();
  for (const [stem, keys] of byStem) {
    if (keys.size === 1) {
      ids.set([...keys][0]!, stem);
      continue;
    }
    const all = [...keys];
    for (let depth = 1; ; depth++) {
      const names = all.map((key) =>
        key
          .split('/')
          .slice(-1 - depth)
          .join('/'),
      );
      if (new Set(names).size === all.length || depth > 32) {
        all.forEach((key, i) => ids.set(key, names[i]!));
        break;
      }
    }
  }
  return ids;
}

/**
 * Characters no tool name may hold: C0/C1 controls (newline, tab, escape, …), the bidirectional
 * and zero-width format characters that make a name read as another, and U+FFFD, which is what
 * a path that is not valid UTF-8 decodes to.
 */
const UNNAMABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufffd]/gu;

function describeCharacter(c: string): string {
  if (c === '\n') return 'a newline';
  if (c === '\r') return 'a carriage return';
  if (c === '\t') return 'a tab';
  if (c === '\ufffd') return 'bytes that are not valid UTF-8';
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u.test(c)
    ? `an invisible or bidirectional format character (${code})`
    : `a control character (${code})`;
}

/** Why `path` cannot be a tool name, or null when it can. */
export function unnamableReason(path: string): string | null {
  const found = [...new Set(path.match(UNNAMABLE) ?? [])];
  if (found.length === 0) return null;
  return `the path holds ${found.map(describeCharacter).join(', ')}`;
}

/** `path` printable on one line: every character `unnamableReason` objects to as an escape. */
function visiblePath(path: string): string {
  return path.replace(UNNAMABLE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/**
 * Split a diff into the changes to nameable paths and the tools of unnamable ones. An unnamable
 * path counts when, with its odd characters read as `_`, it would be a tool file the globs
 * match; each such path is one tool row (a rename to one is a removal plus that row).
 */
export function splitUnnamable(
  changes: readonly FileChange[],
  matches: Matcher,
): { changes: FileChange[]; unnamable: ChangedTool[] } {
  const kept: FileChange[] = [];
  const unnamable = new Map<string, ChangedTool>();
  const wouldBeTool = (path: string): boolean => {
    const plain = path.replace(UNNAMABLE, '_');
    const role = classify(plain);
    if (role === null) return false;
    if (role.role !== 'sidecar') return matches(plain);
    return IMPLEMENTATION_EXTENSIONS.some((ext) =>
      matches(`${keyOf(role.folder, role.stem)}.${ext}`),
    );
  };
  const mark = (path: string, status: ChangeStatus): void => {
    const why = unnamableReason(path);
    if (why === null || !wouldBeTool(path) || unnamable.has(path)) return;
    const shown = visiblePath(path);
    unnamable.set(path, {
      id: shown,
      status,
      base: null,
      head: null,
      paths: [path],
      unnamable: `changed path '${shown}' cannot be a tool name (${why}): not measured; a human looks`,
    });
  };
  for (const change of changes) {
    const badPath = unnamableReason(change.path) !== null;
    const badOld = change.oldPath !== undefined && unnamableReason(change.oldPath) !== null;
    if (!badPath && !badOld) {
      kept.push(change);
      continue;
    }
    const status: ChangeStatus =
      change.status === 'A' || change.status === 'C'
        ? 'new'
        : change.status === 'D'
          ? 'removed'
          : 'modified';
    if (change.status === 'R' || change.status === 'C') {
      // Each side on its own: a nameable side stays a plain add or delete.
      if (badPath) mark(change.path, 'new');
      else kept.push({ status: 'A', path: change.path });
      const oldPath = change.oldPath ?? change.path;
      if (badOld) mark(oldPath, 'removed');
      else if (change.status === 'R') kept.push({ status: 'D', path: oldPath });
      continue;
    }
    mark(change.path, status);
  }
  return { changes: kept, unnamable: [...unnamable.values()] };
}

/** The files of a tree that can be tool files at all (see `unnamableReason`). */
export function nameablePaths(files: readonly string[]): string[] {
  return files.filter((path) => unnamableReason(path) === null);
}
