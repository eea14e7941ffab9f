/** Trees (the `Tree` port, src/core/ports.ts) that need no git. */
import type { Tree } from '../core/ports.js';

export type { FileChange, Tree } from '../core/ports.js';

/** A Tree over an in-memory map: for the `report` mode and for tests. */
export function mapTree(files: Readonly<Record<string, string>>): Tree {
  return {
    files: Object.keys(files).sort(),
    read: (path) => Promise.resolve(files[path] ?? null),
  };
}
