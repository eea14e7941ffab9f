// Runs bench/analysis.ts without a build step (Vite transforms the TypeScript on the fly, as
// for bench/judge). Usage: node bench/analysis-run.mjs
import { withTsModule } from './ts-module.mjs';

await withTsModule('/bench/analysis.ts');
