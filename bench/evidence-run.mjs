// Runs bench/evidence.ts without a build step (Vite transforms the TypeScript on the fly).
// Usage: node bench/evidence-run.mjs [--runs 20] [--skip-outputs] [--skip-growth] [--language python|javascript]
import { withTsModule } from './ts-module.mjs';

await withTsModule('/bench/evidence.ts');
