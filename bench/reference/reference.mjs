// bench/reference/reference.mjs: the plain-loop reference ratio of two versions of a tool
// (issue 28). Several fresh processes per version, alternating A B A B, all pinned to one CPU;
// each prints its CPU ns per call (plain-loop.mjs / plain_loop.py); the ratio is
// median(new) / median(old). Used by bench/agreement.mjs and test/measure/reference-agreement.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((p) => existsSync(p));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function runOnce(command, args, cpu) {
  const argv = TASKSET && cpu !== null ? [TASKSET, '-c', String(cpu), command, ...args] : [command, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`reference process failed (${code}): ${err.slice(-500)}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()).ns);
    });
  });
}

/**
 * The reference for one cell: `{ old, new, ratio, olds, news }` (ns per call).
 * `tool`: { language: 'javascript'|'typescript'|'python', oldFile, newFile, inputFile }.
 * Options: processes per version (5), node binary and its flags (e.g. ['--no-maglev']),
 * python binary, cpu to pin to (0; null: unpinned), warm-up and timed ms per process.
 */
export async function referenceRatio(tool, options = {}) {
  const processes = options.processes ?? 5;
  const warmMs = options.warmMs ?? 1500;
  const timedMs = options.timedMs ?? 600;
  const cpu = options.cpu === undefined ? 0 : options.cpu;
  const command =
    tool.language === 'python'
      ? (options.python ?? 'python3')
      : (options.node ?? process.execPath);
  const script =
    tool.language === 'python' ? `${HERE}plain_loop.py` : `${HERE}plain-loop.mjs`;
  const flags = tool.language === 'python' ? [] : (options.flags ?? []);
  const times = { old: [], new: [] };
  for (let p = 0; p < processes; p++) {
    // Alternate which version goes first in each round of two.
    const order = p % 2 === 0 ? ['old', 'new'] : ['new', 'old'];
    for (const side of order) {
      const file = side === 'old' ? tool.oldFile : tool.newFile;
      const args = [...flags, script, file, tool.inputFile, String(warmMs), String(timedMs)];
      times[side].push(await runOnce(command, args, cpu));
    }
  }
  const oldNs = median(times.old);
  const newNs = median(times.new);
  return { old: oldNs, new: newNs, ratio: newNs / oldNs, olds: times.old, news: times.new };
}
