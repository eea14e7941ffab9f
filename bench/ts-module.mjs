// Loads one of the project's TypeScript modules without a build step: Vite (a dev dependency
// through vitest) transforms it on the fly. The bench launchers (judge-run, analysis-run,
// hostile) share this; `use` gets the loaded module and the server is closed afterwards.
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

/** Load `path` (from the repository root, e.g. '/bench/judge.ts') and pass it to `use`. */
export async function withTsModule(path, use = () => undefined) {
  const server = await createServer({
    root: fileURLToPath(new URL('..', import.meta.url)),
    configFile: false,
    logLevel: 'error',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false, watch: null },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  try {
    return await use(await server.ssrLoadModule(path));
  } finally {
    await server.close();
  }
}
