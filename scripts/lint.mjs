// `npm run lint`: the type check, ESLint (type-aware), Prettier and knip (unused files, exports
// and dependencies; knip.json), all at once — ESLint alone takes most of the time, the others fit
// beside it on a second core. Each one's output is printed whole, in this order, once all have ended;
// the exit code is 1 when any of them failed.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const checks = [
  ['tsc', ['-p', '.']],
  ['eslint', ['.']],
  ['prettier', ['--check', '.']],
  ['knip', []],
];

const results = await Promise.all(
  checks.map(
    ([name, args]) =>
      new Promise((resolve) => {
        const child = spawn(bin(name), args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        child.on('error', (error) => resolve({ name, args, code: 1, output: String(error) }));
        child.on('close', (code) => resolve({ name, args, code, output }));
      }),
  ),
);

let failed = 0;
for (const { name, args, code, output } of results) {
  console.log(`> ${[name, ...args].join(' ')}${code === 0 ? '' : ` (failed, exit ${code})`}`);
  if (output.trim() !== '') console.log(output.trimEnd());
  if (code !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
