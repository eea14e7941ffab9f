#!/usr/bin/env node
// bench/hostile: the hostile corpus (test/hostile/corpus.ts) with the sandbox on and with
// `sandbox: off`, a table per case (contained on / off), the totals, and the sandbox's
// cost on bench/precision cells. Not a test: timings depend on the machine and its load (the
// load average is printed beside them).
//
//   node scripts/build.mjs /tmp/pv-dist
//   PERF_VERDICT_DIST=/tmp/pv-dist node bench/hostile.mjs [--modes auto,off]
//        [--languages python,javascript] [--budget 2] [--only id,id] [--cost 0|1]
//        [--cost-trials 3] [--cost-budget 8000] [--out results.json]   (--modes none: the cost only)
//        [--repository 0|1] [--repository-budget 5]   (the repository cases, test/hostile/repository-cases.ts;
//        `--only repository:shadows` picks one)
//
// Runs bench/hostile.ts without a build step: Vite (a dev dependency through vitest) transforms
// the TypeScript on the fly, through bench/ts-module.mjs.
import { withTsModule } from './ts-module.mjs';

process.exitCode = await withTsModule('/bench/hostile.ts', ({ main }) =>
  main(process.argv.slice(2)),
);
