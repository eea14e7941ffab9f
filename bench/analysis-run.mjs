// Runs bench/analysis.ts without a build step (Vite transforms the TypeScript on the fly, as
// for bench/judge). Usage: node bench/analysis-run.mjs
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const server = await createServer({
  root,
  configFile: false,
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, watch: null },
  optimizeDeps: { noDiscovery: true, include: [] },
});
try {
  await server.ssrLoadModule('/bench/analysis.ts');
} finally {
  await server.close();
}
