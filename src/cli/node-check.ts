/**
 * Imported first by the CLI bundle, before any module that may need a newer Node: below the
 * oldest Node of package.json's `engines` the CLI stops with one line in its error model (JS
 * measurements on an older Node drift from run to run, and dependencies need Node 22).
 * test/e2e/node-check.test.ts keeps MIN_NODE equal to `engines`.
 */
export const MIN_NODE = 22;

const running = process.versions.node;
if (Number(running.split('.')[0]) < MIN_NODE) {
  const message = `perf-verdict needs Node ${MIN_NODE} or newer (package.json engines: node >=${MIN_NODE}), but this is Node ${running}: run it with Node 24, the GitHub Actions runtime (e.g. npx -y -p node@24 node …)`;
  process.stdout.write(
    `${JSON.stringify({ success: false, error: { kind: 'unsupported_node', message } })}\n`,
  );
  process.exit(1);
}
