import '../shim.js';
import { serveIfScriptWorker } from '../analyze/script-worker.js';
import { main } from './main.js';

// The same bundle is the script worker's thread (src/analyze/script-worker.ts).
if (!serveIfScriptWorker()) await main(process.env, process.cwd());
