/**
 * Imported first by both bundles. ts-morph (CommonJS) reads `__filename`/`__dirname`, which do
 * not exist in an ES module bundle: define them from this module's URL before it loads.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const globals = globalThis as { __filename?: string; __dirname?: string };
globals.__filename ??= fileURLToPath(import.meta.url);
globals.__dirname ??= dirname(globals.__filename);
