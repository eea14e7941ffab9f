// perf-verdict Node harness: loads one tool version with its mocks and answers timing requests.
//
// Usage: node node.mjs CONFIG.json SOCKET   (long-lived: JSON-line protocol on the Unix socket
//                                            SOCKET; an inherited fd would not survive sudo)
//        node node.mjs --main CONFIG.json   (executable mode: run the tool once as a script)
//
// The tool's (already transpiled) code and test input come from files named in CONFIG: data,
// never pasted into source. fd 1 and 2 belong to the tool; the parent captures and caps them.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { readFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { PassThrough } from 'node:stream';
import net from 'node:net';

const require = createRequire(import.meta.url);
const events = [];
const seen = new Set();
function record(kind, target) {
  const key = `${kind} ${String(target).slice(0, 200)}`;
  if (seen.has(key) || events.length >= 50) return;
  seen.add(key);
  events.push({ kind, target: String(target).slice(0, 200) });
}

// The harness's clocks, bound before any tool code runs: a tool that replaces process.hrtime,
// process.cpuUsage or process.resourceUsage at import changes its own view of them, not the
// harness's (the static check also names the line: benchmark-gaming).
const hrtime = process.hrtime.bigint.bind(process.hrtime);
const processCpuUsage = process.cpuUsage.bind(process);
/** The last result of a timed call (the run loop below): kept, so that no call is dead code. */
let sink;
const resourceUsage = process.resourceUsage.bind(process);
const eventLoopUtilization = performance.eventLoopUtilization.bind(performance);
// And what the channel uses, for the same reason: a tool that assigns `JSON.stringify`,
// `globalThis.Number` or a stream prototype's method changes nothing the replies go through.
// Replies that carry figures are template strings of numbers (no method is called) written with
// the `fs.writeSync` bound here to the socket's descriptor; `n` goes back as it was run, so a
// request rewritten on its way in (a patched emitter) shows. In-process guards are defence in
// depth: the gate checks every figure against what it observes from outside (protocol.ts).
const stringify = JSON.stringify;
const parseJson = JSON.parse;
const toNumber = Number;
const collectGarbage = globalThis.gc;
const memoryUsage = process.memoryUsage.bind(process);
const heapUsed = () => memoryUsage().heapUsed;

// The flags an interpreter-only child runs with (src/measure/launch.ts INTERPRETER_FLAGS) are
// taken out of what the tool can read in process.execArgv; an executable-mode script's own
// process still gets them (makeExecCall). In-process only: /proc/self/cmdline still shows them
// (docs/sandbox.md). Applying them here instead, with v8.setFlagsFromString on an instruction
// from the channel before the tool loads, would leave no trace (Node 24 honours `--no-opt` set
// at run time: a 27 µs loop ran at 150 µs, 129 µs with the flags on the command line); not built.
const startArgv = [...process.execArgv];
const INTERPRETER_ONLY = new Set(['--no-opt', '--no-sparkplug']);
const ordinaryArgv = startArgv.filter((a) => !INTERPRETER_ONLY.has(a));
if (ordinaryArgv.length !== startArgv.length) process.execArgv = ordinaryArgv;

const MOCK_TEXT = 'mock response';
const isLoopback = (host) =>
  host === undefined ||
  host === null ||
  host === '' ||
  host === 'localhost' ||
  String(host).startsWith('127.') ||
  host === '::1' ||
  host === '[::1]';

function blockedError(target) {
  const error = new Error(
    `perf-verdict: outgoing connection to ${target} blocked during a benchmark`,
  );
  error.code = 'ECONNREFUSED';
  return error;
}

function installMocks() {
  // Raw sockets: loopback only.
  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function connect(...args) {
    // net.connect() passes its normalised [options, callback] array; users pass options or port.
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    let host;
    let port;
    if (first !== null && typeof first === 'object') {
      host = first.host;
      port = first.port;
      if (first.path !== undefined) return originalConnect.apply(this, args);
    } else if (typeof first === 'number' || /^\d+$/.test(String(first))) {
      port = first;
      host = typeof args[1] === 'string' ? args[1] : 'localhost';
    } else return originalConnect.apply(this, args); // a unix socket path
    if (!isLoopback(host)) {
      record('blocked', `${host}:${port}`);
      const error = blockedError(`${host}:${port}`);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return originalConnect.apply(this, args);
  };

  // fetch: the real Response class, mocked body.
  globalThis.fetch = async (input, init = {}) => {
    const url = typeof input === 'string' ? input : (input?.url ?? String(input));
    record('mocked', `${(init.method ?? 'GET').toUpperCase()} ${url}`);
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  };

  // http / https: a request that answers 200 with "{}".
  for (const name of ['http', 'https']) {
    const mod = require(name);
    const request = (...args) => {
      let url = args[0];
      const callback = args.find((a) => typeof a === 'function');
      if (url !== null && typeof url === 'object' && !(url instanceof URL))
        url = `${name}://${url.hostname ?? url.host ?? 'localhost'}${url.path ?? '/'}`;
      const target = String(url);
      const method = (
        args.find((a) => a && typeof a === 'object' && a.method)?.method ?? 'GET'
      ).toUpperCase();
      record('mocked', `${method} ${target}`);
      const req = new PassThrough();
      req.setHeader = () => req;
      req.getHeader = () => undefined;
      req.setTimeout = () => req;
      req.abort = () => req.destroy();
      const originalEnd = req.end.bind(req);
      req.end = (...endArgs) => {
        originalEnd(...endArgs);
        process.nextTick(() => {
          const res = new PassThrough();
          res.statusCode = 200;
          res.statusMessage = 'OK';
          res.headers = { 'content-type': 'application/json' };
          res.setEncoding = PassThrough.prototype.setEncoding.bind(res);
          if (callback) callback(res);
          req.emit('response', res);
          res.end('{}');
        });
        return req;
      };
      req.resume();
      return req;
    };
    mod.request = request;
    mod.get = (...args) => {
      const req = request(...args);
      req.end();
      return req;
    };
  }
  syncBuiltinESMExports();
}

/** Count the tool's own output: a flood is an `output` failure, not an out-of-memory crash
 * of Node's asynchronous pipe writes. */
function capOutput(limit) {
  let written = 0;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = (chunk, ...rest) => {
      written += typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk?.length ?? 0);
      if (written > limit)
        throw failure('output', `the tool wrote more than ${limit} bytes of output`);
      return write(chunk, ...rest);
    };
  }
}

// What the tool tried that a benchmark forbids (a process, a worker): the row fails with kind
// `hostile` even when the tool swallowed the error.
const hostile = [];
const isDenied = (error) =>
  error?.code === 'ERR_ACCESS_DENIED' &&
  (error.permission === 'ChildProcess' || error.permission === 'WorkerThreads');

function hostileFailure() {
  return failure(
    'hostile',
    `the tool tried to start a process or a worker (${hostile.slice(0, 3).join(', ')}): blocked, not allowed in a benchmark`,
  );
}

function blockProcesses() {
  // A fork bomb would take the runner down before the deadline kill: tools may not spawn. Node's
  // permission model (launch.ts: no child-process, no worker grant) refuses below these names,
  // e.g. `new ChildProcess().spawn(…)`; these catch the usual entry points and record them.
  const cp = require('child_process');
  const blocker = (what) => () => {
    if (hostile.length < 20) hostile.push(what);
    throw new Error(`perf-verdict: starting processes is not allowed in a benchmark (${what})`);
  };
  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'])
    cp[name] = blocker(`child_process.${name}`);
  cp.ChildProcess.prototype.spawn = blocker('ChildProcess.spawn');
  try {
    require('cluster').fork = blocker('cluster.fork');
  } catch {
    // no cluster module
  }
  const threads = require('worker_threads');
  threads.Worker = new Proxy(threads.Worker, { construct: blocker('worker_threads.Worker') });
  syncBuiltinESMExports();
}

// code_evolver-style tool calls: answered with a string.
async function callTool(name) {
  record('mocked', `call_tool ${name}`);
  return MOCK_TEXT;
}
for (const name of ['call_tool', 'callTool', 'execute_tool', 'executeTool', 'run_tool', 'runTool'])
  if (!(name in globalThis)) globalThis[name] = callTool;

function failure(kind, message, stack) {
  return {
    kind,
    message: String(message).slice(0, 500),
    traceback: stack ? String(stack).slice(0, 2000) : undefined,
  };
}

function classify(error, ownPath) {
  if (isDenied(error) && hostile.length < 20) hostile.push(`${error.permission} denied`);
  if (hostile.length > 0) return hostileFailure();
  if (error instanceof RangeError && /call stack/i.test(error.message))
    return failure('exception', `RangeError: ${error.message}`, error.stack);
  if (error instanceof RangeError && /allocation|memory|Array buffer/i.test(error.message))
    return failure('memory', `the tool ran out of memory: ${error.message}`);
  if (error instanceof Error) {
    const stack = (error.stack ?? '')
      .split('\n')
      .filter((line, i) => i === 0 || line.includes(ownPath))
      .join('\n');
    return failure('exception', `${error.name}: ${error.message}`, stack);
  }
  return failure('exception', `the tool threw ${typeof error}: ${String(error)}`);
}

/** What the frames a traceback keeps start with: the tool's file, or its tree's folder. */
function ownPrefix(config) {
  return config.tree_root ?? config.tool_path;
}

/**
 * A syntax error named by the repository path and line of the file that has it, never our temp
 * file's: the tool, or one of the helpers of its tree (`helpers`: each one's repository path and
 * first syntax error) — the one the stack names, else, when the tool parses, the first that does
 * not (Node names no file for a syntax error in an imported module).
 */
function syntaxFailure(error, config) {
  const stack = String(error.stack);
  const helpers = Object.entries(config.helpers ?? {});
  const named = helpers.find(([file]) => stack.includes(file));
  const broken =
    config.syntax_line == null ? helpers.find(([, h]) => h.syntax_line != null) : undefined;
  const [own, helper] = named ?? broken ?? [config.tool_path, undefined];
  const shown = helper?.path ?? config.display_path ?? config.tool_path;
  const file = own.slice(own.lastIndexOf('/') + 1);
  const line =
    new RegExp(`${file.replace(/\./g, '\\.')}:(\\d+)`).exec(stack)?.[1] ??
    (helper === undefined ? config.syntax_line : helper.syntax_line) ??
    undefined;
  return failure(
    'invalid_tool',
    `syntax error in ${shown}${line === undefined ? '' : ` at line ${line}`}: ${error.message}`,
  );
}

async function loadFunction(config) {
  let mod;
  try {
    mod = await import(pathToFileURL(config.tool_path).href);
  } catch (error) {
    if (error instanceof SyntaxError) throw syntaxFailure(error, config);
    throw classify(error, ownPrefix(config));
  }
  const entry = config.entry;
  let fn;
  if (entry) fn = mod[entry] ?? mod.default?.[entry];
  else if (typeof mod.default === 'function') fn = mod.default;
  else {
    const functions = Object.values(mod).filter((v) => typeof v === 'function');
    fn = functions.length === 1 ? functions[0] : undefined;
  }
  if (typeof fn !== 'function')
    throw failure(
      'invalid_tool',
      entry
        ? `export '${entry}' is not a function`
        : 'no default export (name the function with entry)',
    );
  return fn;
}

function makeExecCall(config, configPath) {
  const cp = require('child_process');
  // The text on stdin: as the repository's runner sends it where the gate knows it (`stdin`),
  // else the input as JSON.
  const payload = typeof config.stdin === 'string' ? config.stdin : JSON.stringify(config.input);
  // The script's own process gets the harness's grants but never the child-process one.
  const execArgv = startArgv.filter((a) => a !== '--allow-child-process');
  const args = [...execArgv, new URL(import.meta.url).pathname, '--main', configPath];
  return () => {
    const done = cp.spawnSync(process.execPath, args, {
      input: payload,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 1 << 20,
    });
    if (done.status !== 0) {
      const text = String(done.stderr ?? '').slice(-2000);
      const mark = text.lastIndexOf(HOSTILE_MARK);
      if (mark !== -1) {
        hostile.push(
          text
            .slice(mark + HOSTILE_MARK.length)
            .trim()
            .slice(0, 200),
        );
        throw hostileFailure();
      }
      const kind = /heap out of memory/.test(text)
        ? 'memory'
        : /Error/.test(text)
          ? 'exception'
          : 'crashed';
      throw failure(kind, `the tool exited with status ${done.status ?? done.signal}`, text);
    }
    // Its stdout is its answer (the first 64 KiB), as a Python script's is.
    return String(done.stdout ?? '').slice(0, OUTPUT_CAP);
  };
}

/** The most of one call's output (its JSON text) sent back for comparison. */
const OUTPUT_CAP = 65536;

/**
 * How an answer is written for the comparison (src/measure/outputs.ts): a Set as
 * `{"\u0000set": [items]}`, a Map as `{"\u0000map": [[key, value], …]}` (JSON.stringify writes
 * both as `{}`), and a key of the tool's own that starts with NUL with one more, so that only a
 * Set or a Map reads as one.
 */
function answerReplacer(_key, value) {
  if (value instanceof Set) return { '\u0000set': [...value] };
  if (value instanceof Map) return { '\u0000map': [...value] };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (!keys.some((k) => k.startsWith('\u0000'))) return value;
  return Object.fromEntries(keys.map((k) => [k.startsWith('\u0000') ? `\u0000${k}` : k, value[k]]));
}

function timerCost() {
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const start = hrtime();
    for (let i = 0; i < 1000; i++) hrtime();
    best = Math.min(best, Number(hrtime() - start) / 1000);
  }
  return best;
}

async function serve(configPath, channelPath) {
  // The parent's socket, before any mock or tool code.
  const channel = net.connect(channelPath);
  channel.on('error', () => process.exit(0));
  await new Promise((resolve) => channel.once('connect', resolve));
  const fd = channel._handle.fd;
  const sendLine = (line) => {
    const bytes = Buffer.from(line, 'utf8');
    for (let at = 0; at < bytes.length;) {
      try {
        at += writeSync(fd, bytes, at);
      } catch (error) {
        if (error?.code !== 'EAGAIN') throw error;
      }
    }
  };
  const send = (message) => sendLine(`${stringify(message)}\n`);
  const config = JSON.parse(readFileSync(configPath, 'utf8'));
  const lines = [];
  let wake = null;
  let buffer = '';
  let closed = false;
  channel.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    let at;
    while ((at = buffer.indexOf('\n')) !== -1) {
      lines.push(parseJson(buffer.slice(0, at)));
      buffer = buffer.slice(at + 1);
    }
    wake?.();
  });
  channel.on('end', () => {
    closed = true;
    wake?.();
  });
  const next = async () => {
    while (lines.length === 0 && !closed) await new Promise((resolve) => (wake = resolve));
    return lines.shift();
  };

  installMocks();
  capOutput(config.max_output_bytes ?? 4 * 1024 * 1024);
  let call;
  try {
    if (config.mode === 'executable') call = makeExecCall(config, configPath);
    else {
      blockProcesses();
      const fn = await loadFunction(config);
      if (hostile.length > 0) throw hostileFailure();
      // The input as a value the optimising compiler cannot know (a binding assigned twice). A
      // binding assigned once is a constant to Turbofan once the run loop below is optimised
      // with the tool inlined into it: the tool is then compiled for this one input, and its
      // result, unused, is dead code. In a replica of this loop (bench/harness-dce.mjs) the 1 µs
      // checksum's per-call time fell to 0.44 µs by sample 50 and 0.27–0.33 µs by sample 700, at
      // a moment that differs between processes (issue 28; docs/measurement.md).
      let input = null;
      input = config.input;
      call = fn.constructor.name === 'AsyncFunction' ? () => fn(input) : () => fn(input);
    }
  } catch (error) {
    send({ ok: false, error: error?.kind ? error : classify(error, ownPrefix(config)) });
    channel.end();
    return;
  }
  // How the collector meets a timed sample (config.gc). align (default): a minor collection
  // before each sample empties the young generation, so every sample starts at the same GC phase
  // and the tool's own scavenges stay inside its time. pyperf: a full gc() before each sample
  // (the issue's "gc() between samples"). none: V8's default.
  const gcMode = config.gc ?? 'align';
  const collect =
    typeof collectGarbage !== 'function' || gcMode === 'none'
      ? () => {}
      : gcMode === 'pyperf'
        ? () => collectGarbage()
        : () => collectGarbage({ type: 'minor' });
  // The whole process's CPU time (all threads: work a tool moves to a worker still counts).
  const cpuUsage = (previous) => processCpuUsage(previous);
  // Tools may return promises: a sample awaits each call only when the first call did.
  let isAsync = false;
  sendLine(
    `{"ok":true,"ready":true,"timer_ns":${timerCost()},"runtime":"Node ${process.version}"}\n`,
  );
  for (;;) {
    const request = await next();
    if (request === undefined) break;
    try {
      if (request.op === 'run') {
        const n = request.n;
        collect();
        const waitsStart = resourceUsage().voluntaryContextSwitches;
        const loopStart = eventLoopUtilization();
        const cpuStart = cpuUsage();
        const start = hrtime();
        let i = 0;
        if (!isAsync) {
          // A fresh child learns from its first call whether the tool returns promises.
          const first = call();
          i = 1;
          if (first && typeof first.then === 'function') {
            isAsync = true;
            await first;
          }
        }
        // Every result is kept in `sink`, as a caller keeps what it asked for: no call is dead.
        if (isAsync) for (; i < n; i++) sink = await call();
        else for (; i < n; i++) sink = call();
        const elapsed = hrtime() - start;
        const cpu = cpuUsage(cpuStart);
        // The times the tool waited: the process's voluntary context switches, counted only when
        // the event loop sat idle during the sample (a timer, I/O). V8's own threads (the GC's
        // helpers, the compiler) block and switch in every sample of an allocating tool: counted
        // alone, they made a busy machine's preemption look like waiting, and the pilot chose the
        // wall clock (issue 28: a string builder's pairs read 0.4–2.1 at load 38).
        const idle = eventLoopUtilization(loopStart).idle > 0;
        const waits = idle ? resourceUsage().voluntaryContextSwitches - waitsStart : 0;
        if (hostile.length > 0) throw hostileFailure();
        // Wall time, and CPU time (time the scheduler gave to other processes is not in it).
        // Executable mode: the work is in another process.
        const cpuNs = config.mode === 'executable' ? null : (cpu.user + cpu.system) * 1000;
        sendLine(
          `{"ok":true,"n":${n},"ns":${toNumber(elapsed)},"cpu_ns":${cpuNs},"waits":${waits}}\n`,
        );
      } else if (request.op === 'check') {
        const start = hrtime();
        let result = call();
        if (result && typeof result.then === 'function') {
          isAsync = true;
          result = await result;
        }
        const elapsed = toNumber(hrtime() - start);
        if (hostile.length > 0) throw hostileFailure();
        let text;
        try {
          text = JSON.stringify(result, answerReplacer);
        } catch (error) {
          throw failure('output', `the tool's result is not JSON-serialisable: ${error.message}`);
        }
        if (
          typeof result === 'function' ||
          typeof result === 'symbol' ||
          typeof result === 'bigint'
        )
          throw failure('output', `the tool's result is not JSON-serialisable: a ${typeof result}`);
        // The preview and the output itself (capped, for the comparison of the two versions'
        // answers) first: a key the tool's text smuggled in cannot override `ns`.
        sendLine(
          `{"ok":true,"preview":${stringify(String(text).slice(0, 200))},"output":${stringify(String(text).slice(0, OUTPUT_CAP))},"ns":${elapsed}}\n`,
        );
      } else if (request.op === 'mem') {
        if (typeof collectGarbage === 'function') collectGarbage();
        const before = heapUsed();
        const result = call();
        const during = heapUsed();
        if (result && typeof result.then === 'function') await result;
        const after = heapUsed();
        const peak = during > after ? during : after;
        sendLine(`{"ok":true,"kb":${peak > before ? (peak - before) / 1024 : 0}}\n`);
      } else if (request.op === 'events') send({ ok: true, network: events });
      else send({ ok: false, error: failure('unsupported', `op ${request.op}`) });
    } catch (error) {
      send({ ok: false, error: error?.kind ? error : classify(error, ownPrefix(config)) });
    }
  }
  channel.end();
}

/** The line an executable-mode child prints when its script tried to start a process. */
const HOSTILE_MARK = 'perf-verdict: hostile:';

async function mainOnce(configPath) {
  const config = JSON.parse(readFileSync(configPath, 'utf8'));
  installMocks();
  blockProcesses();
  process.on('exit', () => {
    if (hostile.length === 0) return;
    process.stderr.write(`\n${HOSTILE_MARK} ${hostile.slice(0, 3).join(', ')}\n`);
    process.exitCode = 1;
  });
  // The script sees the argv its YAML gives it (`{input_json}` and the rest expanded).
  process.argv = [process.argv[0], config.tool_path, ...(config.argv ?? []).map(String)];
  try {
    await import(pathToFileURL(config.tool_path).href);
  } catch (error) {
    if (isDenied(error) && hostile.length < 20) hostile.push(`${error.permission} denied`);
    throw error;
  }
}

if (process.argv[2] === '--main') await mainOnce(process.argv[3]);
else await serve(process.argv[2], process.argv[3]);
