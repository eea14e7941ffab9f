#!/usr/bin/env node
// bench/dashboard: the size of the registry dashboard for a generated registry of 500 tools ×
// 50 versions (the target: under 10 MB), and how long writing it takes. Not a test: the
// time depends on the machine and its load (the load average is printed beside it).
//
//   node bench/dashboard.mjs [--tools 500] [--versions 50] [--out DIR] [--keep]
//
// Runs bench/dashboard.ts without a build step (bench/ts-module.mjs).
import { withTsModule } from './ts-module.mjs';

process.exitCode = await withTsModule('/bench/dashboard.ts', ({ main }) =>
  main(process.argv.slice(2)),
);
