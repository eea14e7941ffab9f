/**
 * Finds a non-TypeScript asset (a harness, the Python analyser) by its path relative to `src/`.
 * From source it is `src/<rel>`; in a bundle (`dist/index.js`, `dist/cli/index.js`) the build
 * copies it to `dist/assets/<rel>`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, string>();

export function assetPath(relativeToSrc: string): string {
  const cached = cache.get(relativeToSrc);
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    for (const candidate of [join(dir, relativeToSrc), join(dir, 'assets', relativeToSrc)]) {
      if (existsSync(candidate)) {
        cache.set(relativeToSrc, candidate);
        return candidate;
      }
    }
    dir = dirname(dir);
  }
  throw new Error(
    `asset not found: ${relativeToSrc} (looked near ${fileURLToPath(import.meta.url)})`,
  );
}
