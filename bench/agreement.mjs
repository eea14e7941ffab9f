#!/usr/bin/env node
// bench/agreement: `compare` beside a plain-loop reference on issue 28's grid (bench/agreement.ts
// says what it prints). Runs the TypeScript without a build step, through bench/ts-module.mjs.
//
//   node bench/agreement.mjs [--quick] [--cli PATH] [--node PATH] [--trials N] [--maglev-ref] …
import { withTsModule } from './ts-module.mjs';

process.exitCode = await withTsModule('/bench/agreement.ts', ({ main }) =>
  main(process.argv.slice(2)),
);
