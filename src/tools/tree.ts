/**
 * A read-only view of the repository at one commit: which files exist and what they hold.
 * The git adapter implements it with `git ls-tree` / `git cat-file`; tests may use a plain map.
 */
export interface Tree {
  /** Every file path (repository-relative, `/`-separated) at this commit. */
  readonly files: readonly string[];
  /** The file's text, or null when it does not exist at this commit. */
  read(path: string): Promise<string | null>;
}

/** One entry of `git diff --name-status -M`. */
export interface FileChange {
  readonly status: 'A' | 'M' | 'D' | 'R' | 'C' | 'T';
  readonly path: string;
  /** For renames and copies: the path at the base. */
  readonly oldPath?: string | undefined;
}

/** A Tree over an in-memory map: for the `report` mode and for tests. */
export function mapTree(files: Readonly<Record<string, string>>): Tree {
  return {
    files: Object.keys(files).sort(),
    read: (path) => Promise.resolve(files[path] ?? null),
  };
}
