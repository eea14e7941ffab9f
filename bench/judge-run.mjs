// Runs bench/judge.ts without a build step: Vite (already a dev dependency through vitest)
// transforms the TypeScript on the fly. Usage: node bench/judge-run.mjs
import { withTsModule } from './ts-module.mjs';

await withTsModule('/bench/judge.ts');
