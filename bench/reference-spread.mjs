#!/usr/bin/env node
// bench/reference-spread: one reference cell with many pairs (bench/reference-spread.ts).
import { withTsModule } from './ts-module.mjs';

process.exitCode = await withTsModule('/bench/reference-spread.ts', ({ main }) =>
  main(process.argv.slice(2)),
);
