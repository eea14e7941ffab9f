// Builds the two committed bundles with ncc and copies the non-TypeScript assets (the Python
// and Node harnesses, the Python analyser) beside them, and records the hash of the build inputs
// in dist/build-inputs.sha256 (test/e2e/dist.test.ts compares it with the tree's). Output is
// deterministic, so a rebuild of an unchanged tree leaves dist/ byte-identical: check-dist.yml
// relies on that. ncc only transpiles (--transpile-only): type errors are the job of
// `npm run lint`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildInputsHash, walk } from './build-inputs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = process.argv[2] ?? join(root, 'dist');
// Build beside the target and swap at the end, so a failed build never leaves dist/ empty.
const out = `${target}.building-${process.pid}`;
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

rmSync(out, { recursive: true, force: true });
for (const [entry, dir] of [
  ['src/action/index.ts', out],
  ['src/cli/index.ts', join(out, 'cli')],
]) {
  execFileSync(
    process.execPath,
    [
      ncc,
      'build',
      join(root, entry),
      '-o',
      dir,
      '--license',
      'licenses.txt',
      '-q',
      '--target',
      'es2022',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}

// Assets: every .py / .mjs under src keeps its path relative to src, under dist/assets.
for (const file of walk(join(root, 'src'))) {
  if (!/\.(py|mjs)$/.test(file) || file.includes('__pycache__')) continue;
  const target = join(out, 'assets', relative(join(root, 'src'), file));
  mkdirSync(dirname(target), { recursive: true });
  cpSync(file, target);
}
writeFileSync(join(out, 'build-inputs.sha256'), `${buildInputsHash(root)}\n`);
if (!existsSync(join(out, 'index.js'))) throw new Error('ncc produced no dist/index.js');
rmSync(target, { recursive: true, force: true });
renameSync(out, target);
