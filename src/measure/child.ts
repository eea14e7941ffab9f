/**
 * One harness child: a long-lived python3 or node process holding one tool version, driven over
 * a JSON-line protocol on fd 3 (requests in, replies out). The tool owns fd 1 and 2: we drain
 * and cap them and never forward them (a tool printing `::set-output` must not reach the
 * runner). Every request has a deadline; past it, or past the output cap, the whole process
 * group dies and the request fails with a ToolError.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { killGroup, minimalEnv } from '../adapters/exec.js';
import type { ToolError } from '../core/types.js';

export interface Reply {
  readonly ok: boolean;
  readonly ns?: number;
  readonly kb?: number;
  readonly timer_ns?: number;
  readonly preview?: string;
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
  readonly args: readonly string[];
  /** Per stream, bytes of tool output allowed before the child is killed. */
  readonly maxOutputBytes: number;
}

const STDERR_KEPT = 8192;

export class HarnessChild {
  private readonly child: ChildProcess;
  private readonly channel: Duplex;
  private buffer = '';
  private readonly replies: string[] = [];
  private waiter: (() => void) | undefined;
  private exited = false;
  private exitCode: number | null = null;
  private exitSignal: NodeJS.Signals | null = null;
  private outputExceeded = false;
  private stderrText = '';

  constructor(spec: ChildSpec) {
    this.child = spawn(spec.command, [...spec.args], {
      env: minimalEnv(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    this.channel = this.child.stdio[3] as Duplex;
    let outBytes = 0;
    let errBytes = 0;
    const overCap = (): void => {
      this.outputExceeded = true;
      killGroup(this.child);
    };
    this.child.stdout?.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > spec.maxOutputBytes) overCap();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      errBytes += chunk.length;
      if (this.stderrText.length < STDERR_KEPT)
        this.stderrText += chunk.toString('utf8').slice(0, STDERR_KEPT - this.stderrText.length);
      if (errBytes > spec.maxOutputBytes) overCap();
    });
    this.channel.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let at: number;
      while ((at = this.buffer.indexOf('\n')) !== -1) {
        this.replies.push(this.buffer.slice(0, at));
        this.buffer = this.buffer.slice(at + 1);
      }
      this.waiter?.();
    });
    this.channel.on('error', () => {
      // The child died: its exit tells the story.
    });
    this.child.on('error', () => {
      this.exited = true;
      this.waiter?.();
    });
    this.child.on('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
      // Let the pipes drain so a final reply or stderr line is not lost.
      setTimeout(() => {
        this.exited = true;
        this.waiter?.();
      }, 20);
    });
  }

  /** Send a request (or none, to read the greeting) and wait for one reply line. */
  async request(message: object | undefined, timeoutMs: number): Promise<Reply> {
    if (message !== undefined && !this.exited) {
      try {
        this.channel.write(`${JSON.stringify(message)}\n`);
      } catch {
        // a closed channel shows up as the child's exit below
      }
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

  /** Kill the child and its process group. Safe to call twice. */
  close(): void {
    this.channel.destroy();
    killGroup(this.child);
  }
}
