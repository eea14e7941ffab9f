/** Trees (the `Tree` port, src/domain/ports.ts) that need no git. */
import type { Tree } from '../domain/ports.js';

export type { FileChange, Tree } from '../domain/ports.js';

/** A Tree over an in-memory map: for the `report` mode and for tests. */
export function mapTree(files: Readonly<Record<string, string>>): Tree {
  return {
    files: Object.keys(files).sort(),
    read: (path) => Promise.resolve(files[path] ?? null),
  };
}
