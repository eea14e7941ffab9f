// Runs bench/judge.ts without a build step: Vite (already a dev dependency through vitest)
// transforms the TypeScript on the fly. Usage: node bench/judge-run.mjs
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const server = await createServer({
  root,
  configFile: false,
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false, watch: null },
  optimizeDeps: { noDiscovery: true, include: [] },
});
try {
  await server.ssrLoadModule('/bench/judge.ts');
} finally {
  await server.close();
}
