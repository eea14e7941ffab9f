// Runs bench/first-calls.ts without a build step (Vite transforms the TypeScript on the fly).
// Usage: node bench/first-calls-run.mjs [--runs 3] [--n 2000] [--budget 10]
import { withTsModule } from './ts-module.mjs';

await withTsModule('/bench/first-calls.ts');
