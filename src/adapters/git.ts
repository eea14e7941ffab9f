/**
 * Git through simple-git: refs, merge-base, the name-status diff and file contents at a commit.
 * Base files are read with `git cat-file`, never by checking anything out over the workspace.
 */
import { isAbsolute, posix } from 'node:path';
import { simpleGit } from 'simple-git';
import type { SimpleGit } from 'simple-git';
import { errorFirstLine, PerfVerdictError } from '../domain/errors.js';
import type { FileChange, Repo } from '../domain/ports.js';
import { checkoutCommit } from './checkout.js';

const SHALLOW_FIX =
  'the repository is a shallow clone and could not be deepened: set `fetch-depth: 0` on actions/checkout (with: fetch-depth: 0)';

function gitError(message: string): PerfVerdictError {
  return new PerfVerdictError('git', message);
}

function firstLine(error: unknown): string {
  return errorFirstLine(error).slice(0, 300);
}

/** The `Repo` port over the git repository in `dir`. */
export function openRepo(dir: string): Repo {
  const git: SimpleGit = simpleGit({ baseDir: dir, maxConcurrentProcesses: 4 });

  const isShallow = async (): Promise<boolean> =>
    (await git.raw(['rev-parse', '--is-shallow-repository'])).trim() === 'true';

  return {
    async ensureHistory() {
      try {
        await git.raw(['rev-parse', '--git-dir']);
      } catch {
        throw gitError(`'${dir}' is not a git repository`);
      }
      if (!(await isShallow())) return;
      try {
        await git.raw(['fetch', '--unshallow', '--quiet']);
      } catch {
        try {
          await git.raw(['fetch', '--deepen=1000', '--quiet']);
        } catch {
          throw gitError(SHALLOW_FIX);
        }
      }
    },

    async resolve(ref) {
      if (!/^[\w./@^~{}-]+$/.test(ref) || ref.startsWith('-'))
        throw gitError(`'${ref}' is not a valid git ref`);
      for (const candidate of [ref, `origin/${ref}`, `refs/remotes/origin/${ref}`]) {
        try {
          return (await git.raw(['rev-parse', '--verify', `${candidate}^{commit}`])).trim();
        } catch {
          // try the next spelling
        }
      }
      const shallow = await isShallow().catch(() => false);
      throw gitError(
        `cannot resolve '${ref}' to a commit${shallow ? ` (${SHALLOW_FIX})` : ': fetch it first (actions/checkout with fetch-depth: 0 fetches every branch)'}`,
      );
    },

    async mergeBase(a, b) {
      try {
        return (await git.raw(['merge-base', a, b])).trim();
      } catch (error) {
        const shallow = await isShallow().catch(() => false);
        throw gitError(
          shallow
            ? `no merge-base of ${a.slice(0, 12)} and ${b.slice(0, 12)}: ${SHALLOW_FIX}`
            : `no merge-base of ${a.slice(0, 12)} and ${b.slice(0, 12)}: ${firstLine(error)}`,
        );
      }
    },

    async diff(base, head) {
      const out = await git.raw(['diff', '--name-status', '-M', '-z', '--no-color', base, head]);
      return parseNameStatus(out);
    },

    async messages(base, head, paths) {
      if (paths.length === 0) return [];
      const out = await git.raw([
        'log',
        '--no-color',
        '--format=%B%x00',
        '-n',
        '50',
        `${base}..${head}`,
        '--',
        ...paths,
      ]);
      return out
        .split('\0')
        .map((m) => m.trim())
        .filter((m) => m !== '');
    },

    checkout(sha) {
      // Base and head alike: the side is not in any path the tool sees.
      return checkoutCommit(dir, sha);
    },

    async tree(sha) {
      const listing = await git.raw(['ls-tree', '-r', '-z', sha]);
      // `<mode> <type> <object>\t<path>`: blobs only (a submodule is no file of this tree).
      const modes = new Map<string, string>();
      for (const entry of listing.split('\0')) {
        const match = /^(\d+) blob \S+\t([\s\S]+)$/.exec(entry);
        if (match !== null) modes.set(match[2]!, match[1]!);
      }
      const blob = (path: string): Promise<string> =>
        git.raw(['cat-file', 'blob', `${sha}:${path}`]);
      return {
        files: [...modes.keys()],
        async read(path) {
          // What is analysed is what runs: a symbolic link reads as the file it resolves to
          // inside this tree, and as nothing (unreadable) when it leaves the tree or dangles.
          let at = path;
          for (let hops = 0; hops < 8; hops++) {
            const mode = modes.get(at);
            if (mode === undefined) return null;
            if (mode !== '120000') return blob(at);
            const target = await blob(at);
            if (isAbsolute(target)) return null;
            const next = posix.normalize(posix.join(posix.dirname(at), target));
            if (next.startsWith('../') || next === '..') return null;
            at = next;
          }
          return null;
        },
      };
    },
  };
}

/** Parse `git diff --name-status -M -z`: `S\0path\0` or `R100\0old\0new\0`. */
export function parseNameStatus(out: string): FileChange[] {
  const parts = out.split('\0');
  const changes: FileChange[] = [];
  for (let i = 0; i < parts.length;) {
    const code = parts[i++] ?? '';
    if (code === '') continue;
    const status = code[0];
    if (status === 'R' || status === 'C') {
      const oldPath = parts[i++] ?? '';
      const path = parts[i++] ?? '';
      changes.push({ status, path, oldPath });
    } else if (status === 'A' || status === 'M' || status === 'D' || status === 'T') {
      changes.push({ status, path: parts[i++] ?? '' });
    } else {
      i++; // U (unmerged), X: not a change between two commits
    }
  }
  return changes;
}
