#!/usr/bin/env node
import './node-check.js';
import '../shim.js';
import { serveIfScriptWorker } from '../analyze/script-worker.js';
import { runCli } from './router.js';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// The same bundle is the script worker's thread (src/analyze/script-worker.ts).
if (!serveIfScriptWorker()) {
  const code = await runCli(process.argv.slice(2), {
    readStdin,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    stderrIsTTY: process.stderr.isTTY === true,
  });
  process.exitCode = code;
}
