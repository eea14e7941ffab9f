import '../shim.js';
import { main } from './main.js';

await main(process.env, process.cwd());
