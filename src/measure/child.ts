/**
 * One harness child: a long-lived python3 or node process holding one tool version, driven over
 * a JSON-line protocol (requests in, replies out) on a Unix socket the harness connects to at
 * start (its path is the harness's last argument, in a neutral temporary directory: no variable
 * or path of the child's names the benchmark): an inherited fd would not survive `sudo`, which
 * closes every fd above 2. The socket lives in a 0700 directory of ours; the sandbox sees that
 * one socket only, and we accept one connection, the harness's, made before any tool code runs;
 * then the listener is gone. The tool owns fd 1 and 2: we drain and cap them and never forward
 * them (a tool printing `::set-output` must not reach the runner). Every request has a deadline;
 * past it, or past the output cap, the whole process group dies and the request fails with a
 * ToolError.
 */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killGroup, neutralTempDir } from '../adapters/exec.js';
import type { SandboxInfo, SandboxMode, ToolError } from '../domain/types.js';
import { harnessPid, residentKb } from './observe.js';
import { SandboxError, spawnSandboxed } from './sandbox.js';
import type { SandboxLimits } from './sandbox.js';

export interface Reply {
  readonly ok: boolean;
  /** A run reply: the calls the harness ran (the request's `n`, unless it was rewritten). */
  readonly n?: number;
  readonly ns?: number;
  /** CPU time of the sample (the harness process), ns; null for a process per call (JS/TS executable mode). */
  readonly cpu_ns?: number | null;
  /** Voluntary context switches of the harness process during the sample (it waited). */
  readonly waits?: number | null;
  readonly kb?: number;
  readonly timer_ns?: number;
  /** The greeting's runtime: `Python 3.11.7`, `Node v24.11.1`. */
  readonly runtime?: string;
  readonly preview?: string;
  /** A `check` call's output as JSON text (the result, or a script's stdout), capped. */
  readonly output?: string;
  readonly network?: readonly { kind: 'blocked' | 'mocked'; target: string }[];
  readonly error?: ToolError;
}

export class ToolFailure extends Error {
  constructor(readonly toolError: ToolError) {
    super(toolError.message);
  }
}

export interface ChildSpec {
  readonly command: string;
  /** The harness's arguments; the channel socket's path is appended as the last one. */
  readonly args: readonly string[];
  /** Per stream, bytes of tool output allowed before the child is killed. */
  readonly maxOutputBytes: number;
  /** The OS sandbox (src/measure/sandbox.ts); default `auto`. */
  readonly sandbox?: SandboxMode | undefined;
  /** Host paths visible read-only inside the sandbox (the version's directory, the harness). */
  readonly readOnly?: readonly string[] | undefined;
  /** Working directory (inside the sandbox: `/tmp` by default, or inside `readOnly`). */
  readonly cwd?: string | undefined;
  /** Extra environment, allow-listed by `minimalEnv`. */
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly limits?: Partial<SandboxLimits> | undefined;
  /** Commands that start the child (placement: src/measure/placement.ts). */
  readonly prefix?: readonly string[] | undefined;
}

const STDERR_KEPT = 8192;

export class HarnessChild {
  private readonly child: ChildProcess | undefined;
  /** The harness's connection, once it has connected; lines written before wait in `pending`. */
  private channel: Socket | undefined;
  private pending: string[] = [];
  private server: Server | undefined;
  private channelDir: string | undefined;
  /** Which sandbox this child runs in. */
  readonly sandbox: SandboxInfo;
  /** The unprivileged uid of a sandboxed child. */
  readonly uid: number | undefined;
  /** Why the child could not be started (`sandbox: required` without a sandbox). */
  private readonly startError: ToolError | undefined;
  private buffer = '';
  private readonly replies: string[] = [];
  private waiter: (() => void) | undefined;
  private exited = false;
  private exitCode: number | null = null;
  private exitSignal: NodeJS.Signals | null = null;
  private outputExceeded = false;
  private stderrText = '';
  /** The harness's pid as the gate sees it, once it greeted (`observe`); null: unknown. */
  harnessPid: number | null = null;
  /** Its resident set when it greeted, KiB. */
  greetedRssKb: number | null = null;

  constructor(spec: ChildSpec) {
    const mode = spec.sandbox ?? 'auto';
    let started: ReturnType<typeof spawnSandboxed>;
    const listening = listen();
    try {
      started = spawnSandboxed(
        {
          command: spec.command,
          args: [...spec.args, listening.path],
          readOnly: spec.readOnly,
          cwd: spec.cwd,
          env: spec.env,
          limits: spec.limits,
          prefix: spec.prefix,
          channel: listening.path,
        },
        mode,
        ['ignore', 'pipe', 'pipe'],
      );
    } catch (error) {
      closeListener(listening.server, listening.dir);
      if (!(error instanceof SandboxError)) throw error;
      this.child = undefined;
      this.uid = undefined;
      this.sandbox = error.sandbox;
      this.startError = error.toolError;
      this.exited = true;
      return;
    }
    this.server = listening.server;
    this.channelDir = listening.dir;
    this.startError = undefined;
    this.sandbox = started.sandbox;
    this.uid = started.uid;
    const child = started.child;
    this.child = child;
    listening.server.on('connection', (socket) => this.connected(socket));
    let outBytes = 0;
    let errBytes = 0;
    const overCap = (): void => {
      this.outputExceeded = true;
      killGroup(child);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > spec.maxOutputBytes) overCap();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errBytes += chunk.length;
      if (this.stderrText.length < STDERR_KEPT)
        this.stderrText += chunk.toString('utf8').slice(0, STDERR_KEPT - this.stderrText.length);
      if (errBytes > spec.maxOutputBytes) overCap();
    });
    child.on('error', () => {
      this.exited = true;
      this.waiter?.();
    });
    child.on('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
      // Let the pipes drain so a final reply or stderr line is not lost.
      setTimeout(() => {
        this.closeListener();
        this.exited = true;
        this.waiter?.();
      }, 20);
    });
  }

  /** The harness connected: the one connection we take. */
  private connected(socket: Socket): void {
    this.closeListener();
    if (this.channel !== undefined || this.exited) {
      socket.destroy();
      return;
    }
    this.channel = socket;
    socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let at: number;
      while ((at = this.buffer.indexOf('\n')) !== -1) {
        this.replies.push(this.buffer.slice(0, at));
        this.buffer = this.buffer.slice(at + 1);
      }
      this.waiter?.();
    });
    socket.on('error', () => {
      // The child died: its exit tells the story.
    });
    for (const line of this.pending.splice(0)) socket.write(line);
  }

  private closeListener(): void {
    if (this.server === undefined) return;
    closeListener(this.server, this.channelDir);
    this.server = undefined;
    this.channelDir = undefined;
  }

  /** Send a request (or none, to read the greeting) and wait for one reply line. */
  async request(message: object | undefined, timeoutMs: number): Promise<Reply> {
    if (message !== undefined && !this.exited) {
      const line = `${JSON.stringify(message)}\n`;
      if (this.channel === undefined) this.pending.push(line);
      else if (!this.channel.destroyed) this.channel.write(line);
    }
    const deadline = Date.now() + Math.max(0, timeoutMs);
    let timedOut = false;
    while (this.replies.length === 0 && !this.exited) {
      const left = deadline - Date.now();
      if (left <= 0) {
        timedOut = true;
        break;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    const line = this.replies.shift();
    if (line !== undefined) {
      let reply: Reply;
      try {
        reply = JSON.parse(line) as Reply;
      } catch {
        this.close();
        throw new ToolFailure({ kind: 'crashed', message: 'the harness reply was garbled' });
      }
      if (!reply.ok && reply.error !== undefined) throw new ToolFailure(reply.error);
      return reply;
    }
    if (timedOut) {
      this.close();
      throw new ToolFailure({
        kind: 'timeout',
        message: `the tool did not answer within ${Math.round(timeoutMs)} ms`,
      });
    }
    throw new ToolFailure(this.exitError());
  }

  private exitError(): ToolError {
    if (this.startError !== undefined) return this.startError;
    const tail = this.stderrText.slice(-2000);
    if (this.outputExceeded)
      return { kind: 'output', message: 'the tool wrote more output than allowed and was killed' };
    if (/heap out of memory|MemoryError|Cannot allocate memory|std::bad_alloc/i.test(tail))
      return { kind: 'memory', message: 'the tool ran out of memory', traceback: tail };
    const how =
      this.exitSignal !== null ? `signal ${this.exitSignal}` : `status ${String(this.exitCode)}`;
    return {
      kind: 'crashed',
      message: `the tool's process exited (${how})`,
      ...(tail === '' ? {} : { traceback: tail }),
    };
  }

  /**
   * Find the harness's process from outside (src/measure/observe.ts) and note its resident set:
   * called once it greeted, before any request runs the tool.
   */
  observe(): void {
    this.harnessPid = harnessPid(this.child?.pid);
    this.greetedRssKb = residentKb(this.harnessPid)?.rss ?? null;
  }

  /** Kill the child and its process group. Safe to call twice. */
  close(): void {
    this.channel?.destroy();
    this.closeListener();
    if (this.child !== undefined) killGroup(this.child);
  }
}

/**
 * A listening Unix socket in a fresh 0700 directory of ours (short path: a socket path has
 * ~107 bytes). The socket itself is 0666 so that the sandbox's unprivileged uid may connect where
 * it is bound inside; on the host nobody else can reach it through the directory.
 */
function listen(): { server: Server; dir: string; path: string } {
  const base = tmpdir().length > 60 ? '/tmp' : tmpdir();
  const dir = neutralTempDir(base);
  const path = join(dir, 's');
  const server = createServer();
  server.on('error', () => {
    // nothing connects but the harness; a failure shows as its missing greeting
  });
  server.listen(path);
  chmodSync(path, 0o666);
  server.unref();
  return { server, dir, path };
}

function closeListener(server: Server, dir: string | undefined): void {
  server.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}
