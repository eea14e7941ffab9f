// The build step of the release workflow (.github/workflows/release.yml), for the pushed tag
// vX.Y.Z: the tag must be package.json's version; the build (scripts/build.mjs) must leave the
// committed dist/ byte-identical (what check-dist.yml checks on every push); then it writes the
// two release assets into OUT_DIR and prints their paths:
//   perf-verdict-action-vX.Y.Z.tar.gz   the Action as a workflow runs it: action.yml and dist/
//   perf-verdict-X.Y.Z.tgz              `npm pack`: `npx --yes ./perf-verdict-X.Y.Z.tgz gate …`
//
//   node scripts/release.mjs vX.Y.Z OUT_DIR
// test/integration/release-workflow.test.ts runs every step of the workflow with this script.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** What the package must hold for the CLI and the Action to run from it. */
const NEEDED = ['action.yml', 'dist/index.js', 'dist/cli/index.js', 'package.json'];

function fail(message) {
  console.error(`release: ${message}`);
  process.exit(1);
}

const [tag, outArg] = process.argv.slice(2);
if (tag === undefined || outArg === undefined)
  fail('usage: node scripts/release.mjs vX.Y.Z OUT_DIR');
if (!/^v\d+\.\d+\.\d+$/.test(tag)) fail(`tag '${tag}' is not of the form vX.Y.Z (e.g. v1.2.3)`);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (tag !== `v${version}`)
  fail(
    `tag ${tag} is not package.json's version ${version}: set "version": "${tag.slice(1)}" in package.json, commit, and tag that commit`,
  );

const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
const stale = git('status', '--porcelain', '--', 'dist').trim();
if (stale !== '')
  fail(
    `the committed dist/ is not what this commit builds (run 'npm run build', commit dist/, tag again):\n${stale}`,
  );

const out = resolve(outArg);
mkdirSync(out, { recursive: true });
const bundle = join(out, `perf-verdict-action-${tag}.tar.gz`);
execFileSync('tar', ['-czf', bundle, '--sort=name', 'action.yml', 'dist'], { cwd: root });
const [packed] = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', out], {
    cwd: root,
    encoding: 'utf8',
  }),
);
const files = new Set(packed.files.map((f) => f.path));
const missing = NEEDED.filter((f) => !files.has(f));
if (missing.length > 0)
  fail(`the npm package lacks ${missing.join(', ')}: check "files" in package.json`);
console.log(bundle);
console.log(join(out, packed.filename));
