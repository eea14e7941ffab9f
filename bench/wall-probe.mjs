#!/usr/bin/env node
// bench/wall-probe: where a compare's wall time goes (issue 28). Runs the 1 µs checksum of
// bench/reference/grid.ts (loop1us; A/A, or a planted +x %) through one or more bundled CLIs,
// alternating between them, and prints one JSON line per compare: wall_ms, pairs, rounds,
// rounds per pair, the pilot-sized sample (`diagnostics.sample_ms`) beside calls per sample ×
// ns per call, the interpreter-only pairs' cost, the load. Not a test: figures depend on the
// machine (state its load when quoting them).
//
//   node bench/wall-probe.mjs --cli A/cli/index.js[,B/cli/index.js] [--runs 5] [--variant aa|5]
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : args[at + 1];
};
const clis = option('cli', 'dist/cli/index.js').split(',');
const runs = Number(option('runs', '5'));
const variant = option('variant', 'aa');
const N = 300;
const code = (n) =>
  `export default function checksum({ text }) {\n  let a = 1;\n  let b = 0;\n  for (let i = 0; i < ${n}; i++) {\n    a = (a + text.charCodeAt(i % text.length)) % 65521;\n    b = (b + a) % 65521;\n  }\n  return ((b << 16) | a) >>> 0;\n}\n`;
const head =
  variant === 'aa' ? `// head\n${code(N)}` : code(Math.round(N * (1 + Number(variant) / 100)));
const input = JSON.stringify({
  old_code: code(N),
  new_code: head,
  test_input: { text: 'The quick brown fox jumps over the lazy dog 0123456789' },
  language: 'javascript',
  budget_ms: 20000,
});

for (let r = 0; r < runs; r++)
  for (const cli of clis) {
    const run = spawnSync(process.execPath, [cli, 'compare'], {
      input,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const c = JSON.parse(run.stdout);
    const d = c.diagnostics ?? {};
    console.log(
      JSON.stringify({
        cli,
        wall_ms: c.wall_ms,
        ratio: c.time?.ratio,
        change: c.time?.change,
        pairs: c.time?.pairs,
        rounds: c.time?.rounds,
        rounds_per_pair: d.rounds_per_pair,
        sample_ms: d.sample_ms,
        batch_ms: [c.old, c.new].map((s) => (s.calls_per_sample * s.ns_per_call) / 1e6),
        interpreted_ms: c.cold?.interpreted?.cost_ms,
        load: Number(loadavg()[0].toFixed(2)),
      }),
    );
  }
