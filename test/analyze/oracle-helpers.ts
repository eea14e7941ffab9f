/**
 * Shared pieces of the oracle tests: finding the Python oracles (radon, bandit) and the
 * real-code corpora (CPython's standard library, JS/TS from node_modules).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';

/**
 * An oracle from the project's .venv, which `npm test` creates (scripts/setup-venv.mjs); never
 * from PATH, so the versions are the pinned ones. A missing oracle fails the test.
 */
export function oracle(name: string): string {
  const local = join(ROOT, '.venv', 'bin', name);
  if (existsSync(local)) return local;
  throw new Error(
    `${name} not found in .venv/bin: run the tests with \`npm test\` (its pretest creates .venv from requirements-dev.txt), or \`node scripts/setup-venv.mjs\``,
  );
}

/**
 * CPython standard-library modules present in 3.9–3.13 as single files: real code nobody here
 * wrote. The list is fixed so the corpus does not drift between runs.
 */
const STDLIB_MODULES = `argparse ast base64 bdb bisect calendar cmd code codecs colorsys compileall
configparser contextlib copy csv dataclasses datetime difflib dis doctest enum filecmp fileinput
fnmatch fractions ftplib functools getopt gettext glob gzip heapq hmac inspect ipaddress linecache
locale mailbox mimetypes netrc ntpath operator optparse os pdb pickle platform plistlib poplib
posixpath pprint pstats queue random shlex shutil smtplib socket statistics string subprocess
tarfile tempfile textwrap threading tokenize trace traceback uuid warnings webbrowser`
  .split(/\s+/)
  .filter(Boolean);

/** Paths of the stdlib corpus files that exist on this machine. */
export function stdlibFiles(): string[] {
  const dir = execFileSync(
    'python3',
    ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
    { encoding: 'utf8' },
  ).trim();
  return STDLIB_MODULES.map((m) => join(dir, `${m}.py`)).filter((f) => existsSync(f));
}

/** Sorted source files of a directory, without declarations and tests. */
export function sourcesIn(dir: string, extension: '.js' | '.ts'): string[] {
  const full = join(ROOT, dir);
  return readdirSync(full)
    .filter((f) => f.endsWith(extension) && !f.endsWith('.d.ts') && !f.includes('.test.'))
    .sort()
    .map((f) => join(full, f));
}

/** How many items of `expected` are matched by `actual`, as multisets of keys. */
export function multisetMatches(expected: readonly string[], actual: readonly string[]): number {
  const left = new Map<string, number>();
  for (const key of actual) left.set(key, (left.get(key) ?? 0) + 1);
  let matched = 0;
  for (const key of expected) {
    const n = left.get(key) ?? 0;
    if (n > 0) {
      matched++;
      left.set(key, n - 1);
    }
  }
  return matched;
}
