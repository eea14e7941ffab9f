// Runs bench/observe-cost.ts without a build step (Vite transforms the TypeScript on the fly).
// Usage: node bench/observe-cost.mjs [--iterations 500] [--languages python,javascript]
import { withTsModule } from './ts-module.mjs';

await withTsModule('/bench/observe-cost.ts', ({ main }) => main());
