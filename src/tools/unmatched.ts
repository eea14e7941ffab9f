/**
 * Tools the configured globs miss. Asked only when the globs matched no changed file, so that a
 * pull request that gates nothing says why instead of a bare NONE: a changed code file (Python,
 * TS/JS) in a folder whose YAML at head has a top-level `executable:` or `type:` key (a tool
 * spec) looks like a tool. The glob to add is the folder up to its `tools` segment, or the
 * folder itself. Paths are the PR's: renderers escape them.
 */
import type { FileChange, Tree } from '../domain/ports.js';
import type { UnmatchedTools } from '../report/model.js';
import { unnamableReason } from './discover.js';
import type { Matcher } from './discover.js';

const CODE = /\.(py|ts|mts|js|mjs)$/;
const SPEC = /\.ya?ml$/;
const TOOL_KEY = /^(executable|type)\s*:/m;
/** Bounds on what a PR can make this read. */
const MAX_PATHS = 20;
const MAX_SPECS = 50;
const MAX_SPEC_CHARS = 64 * 1024;

const folderOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('/')));

/** The changed files that look like tools no glob matches, and the glob to add; or null. */
export async function unmatchedTools(
  changes: readonly FileChange[],
  head: Tree,
  matches: Matcher,
): Promise<UnmatchedTools | null> {
  const code = changes.filter(
    (c) =>
      c.status !== 'D' && CODE.test(c.path) && !matches(c.path) && unnamableReason(c.path) === null,
  );
  const specFolders = new Map<string, boolean>();
  let read = 0;
  const isToolFolder = async (folder: string): Promise<boolean> => {
    const known = specFolders.get(folder);
    if (known !== undefined) return known;
    let found = false;
    for (const spec of head.files.filter((f) => SPEC.test(f) && folderOf(f) === folder)) {
      if (read++ >= MAX_SPECS) break;
      const text = await head.read(spec);
      if (text !== null && TOOL_KEY.test(text.slice(0, MAX_SPEC_CHARS))) {
        found = true;
        break;
      }
    }
    specFolders.set(folder, found);
    return found;
  };
  const paths: string[] = [];
  for (const change of code) {
    if (paths.length >= MAX_PATHS) break;
    if (await isToolFolder(folderOf(change.path))) paths.push(change.path);
  }
  if (paths.length === 0) return null;
  return { paths, glob: globFor(folderOf(paths[0]!)) };
}

/** `a/tools/x/y` → `a/tools/**`; a folder without a `tools` segment → `folder/**`. */
function globFor(folder: string): string {
  if (folder === '') return '*';
  const parts = folder.split('/');
  const at = parts.lastIndexOf('tools');
  return `${(at === -1 ? parts : parts.slice(0, at + 1)).join('/')}/**`;
}
