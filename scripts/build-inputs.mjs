// The hash of everything a build reads: src/ (code and assets), the build scripts, package.json,
// package-lock.json (which fixes node_modules) and tsconfig.json. scripts/build.mjs records it in
// dist/build-inputs.sha256, and test/e2e/dist.test.ts compares it with the hash of the current
// tree: a cheap staleness check. check-dist.yml still does the full rebuild and byte comparison.
//   node scripts/build-inputs.mjs    prints the hash of the current tree
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'scripts/build.mjs',
  'scripts/build-inputs.mjs',
];

/** Every file under `dir`, without __pycache__ folders. */
export function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (name === '__pycache__') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** sha256 over the sorted (path, content hash) list of the build inputs under `root`. */
export function buildInputsHash(root = ROOT) {
  const paths = [...FILES.map((f) => join(root, f)), ...walk(join(root, 'src'))]
    .map((path) => relative(root, path).split(sep).join('/'))
    .sort();
  const outer = createHash('sha256');
  for (const path of paths) {
    const inner = createHash('sha256')
      .update(readFileSync(join(root, path)))
      .digest('hex');
    outer.update(`${inner}  ${path}\n`);
  }
  return outer.digest('hex');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(buildInputsHash());
