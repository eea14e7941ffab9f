/**
 * Every parse of a TS/JS tool's code runs here (issue 23): TypeScript's parser can be driven into
 * exponential work by a few hundred bytes (`async(async(…))` nested 32 deep) and cannot be
 * interrupted, so it runs in a worker thread the gate can end. The worker is the running bundle
 * itself, started with `workerData.role` (both entries call `serveIfScriptWorker` first); it
 * analyses (typescript.ts) and transpiles (transpile.ts) one source at a time. A job that does not
 * finish in the deadline ends the worker — the next job starts a fresh one — and its source is
 * remembered as unparsable: nothing parses it again in this gate. Run from source (no bundle:
 * the unit tests), the jobs run on this thread, without a deadline.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { errorMessage, UnparsableCode } from '../domain/errors.js';
import type { Analysis } from '../domain/types.js';
import { unavailableAnalysis } from './python.js';
import { runnableScript } from './transpile.js';
import type { RunnableScript, TranspileInput } from './transpile.js';
import { ScriptAnalyzer } from './typescript.js';
import type { ScriptInput } from './typescript.js';

/** Wall time one source may take to parse and analyse (or transpile), the worker's start apart. */
export const PARSE_DEADLINE_MS = 15_000;
/** Wall time the worker may take to load the bundle and parse TypeScript's lib once. */
const START_DEADLINE_MS = 120_000;
/** Heap the worker may grow to: a hostile source fails its job, never the gate. */
const WORKER_HEAP_MB = 1536;
const ROLE = 'perf-verdict script worker';
/** Transpiled sources kept (growth and profiles start many sides of one version). */
const KEPT = 64;

type Job =
  | { readonly kind: 'analyse'; readonly input: ScriptInput }
  | { readonly kind: 'transpile'; readonly input: TranspileInput };
/** An analysis (`analyse`) or a runnable script (`transpile`). */
type JobResult = Analysis | RunnableScript;
type Reply = { readonly ready: true } | { readonly result: JobResult } | { readonly error: string };

/** The bundle this code runs from (dist/index.js, dist/cli/index.js), or null from source. */
function runningBundle(): string | null {
  const self = fileURLToPath(import.meta.url);
  return self.endsWith('.js') ? self : null;
}

/** A source's key: its language and code, and for a tool with helpers its path and theirs. */
function keyOf(input: TranspileInput): string {
  const hash = createHash('sha256').update(input.code);
  if (input.loads !== undefined && input.loads.length > 0)
    hash.update(JSON.stringify([input.path ?? null, input.loads.map((f) => [f.path, f.code])]));
  return `${input.language}:${hash.digest('hex')}`;
}

function runJob(analyzer: () => ScriptAnalyzer, job: Job): JobResult {
  return job.kind === 'analyse'
    ? analyzer().analyzeBatch([job.input])[0]!
    : runnableScript(job.input);
}

export class ScriptWorker {
  private worker: Promise<Worker> | null = null;
  private inProcess: ScriptAnalyzer | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Sources that could not be parsed, with why: never parsed again. */
  private readonly unparsable = new Map<string, string>();
  private readonly scripts = new Map<string, RunnableScript>();
  private readonly entry: string | null;
  private readonly deadlineMs: number;

  constructor(options: { entry?: string | null; deadlineMs?: number } = {}) {
    this.entry = options.entry === undefined ? runningBundle() : options.entry;
    this.deadlineMs = options.deadlineMs ?? PARSE_DEADLINE_MS;
  }

  /** The analysis of one source; never rejects (a source that does not parse in time: unavailable). */
  async analyse(input: ScriptInput): Promise<Analysis> {
    try {
      return (await this.run({ kind: 'analyse', input })) as Analysis;
    } catch (error) {
      return { ...unavailableAnalysis(errorMessage(error)), language: input.language };
    }
  }

  /** The code the harness runs; rejects with `UnparsableCode` when it cannot be had in time. */
  async transpile(input: TranspileInput): Promise<RunnableScript> {
    const key = keyOf(input);
    const kept = this.scripts.get(key);
    if (kept !== undefined) return kept;
    let script: RunnableScript;
    try {
      script = (await this.run({ kind: 'transpile', input })) as RunnableScript;
    } catch (error) {
      throw error instanceof UnparsableCode ? error : new UnparsableCode(errorMessage(error));
    }
    if (this.scripts.size >= KEPT) this.scripts.delete(this.scripts.keys().next().value!);
    this.scripts.set(key, script);
    return script;
  }

  /** End the worker (an idle worker never keeps the gate alive; this frees it sooner). */
  close(): void {
    this.stop();
  }

  /** One job at a time, so each job's deadline starts when the worker starts it. */
  private run(job: Job): Promise<JobResult> {
    const next = this.queue.then(() => this.runNow(job));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(job: Job): Promise<JobResult> {
    const key = keyOf(job.input);
    const known = this.unparsable.get(key);
    if (known !== undefined) throw new UnparsableCode(known);
    if (this.entry === null) return runJob(() => (this.inProcess ??= new ScriptAnalyzer()), job);
    const worker = await this.started(this.entry);
    try {
      return await this.ask(worker, job);
    } catch (error) {
      this.stop();
      if (error instanceof UnparsableCode) this.unparsable.set(key, error.message);
      throw error;
    }
  }

  private ask(worker: Worker, job: Job): Promise<JobResult> {
    return new Promise((resolve, reject) => {
      const seconds = Math.round(this.deadlineMs / 1000);
      const settle = (): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (reply: Reply): void => {
        if ('ready' in reply) return;
        settle();
        if ('result' in reply) resolve(reply.result);
        else reject(new UnparsableCode(`could not be analysed: ${reply.error}`));
      };
      const onError = (error: Error): void => {
        settle();
        reject(
          new UnparsableCode(`could not be analysed: the parser's thread failed: ${error.message}`),
        );
      };
      const onExit = (code: number): void => {
        settle();
        reject(
          new UnparsableCode(`could not be analysed: the parser's thread stopped (exit ${code})`),
        );
      };
      const timer = setTimeout(() => {
        settle();
        reject(new UnparsableCode(`could not be analysed in ${seconds} s`));
      }, this.deadlineMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(job);
    });
  }

  /** The worker, started and warmed (TypeScript's lib parsed) before any deadline runs. */
  private started(entry: string): Promise<Worker> {
    if (this.worker !== null) return this.worker;
    const starting = new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(entry, {
        workerData: { role: ROLE },
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
        stdout: true,
        stderr: true,
      });
      // An idle worker never keeps the gate alive; a job's timer does while it runs.
      worker.unref();
      // Whenever it ends (a job's deadline, a crash while idle), the next job starts a fresh one.
      worker.on('error', () => undefined);
      worker.on('exit', () => {
        if (this.worker === starting) this.worker = null;
      });
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`the TS/JS analyser did not start in ${START_DEADLINE_MS / 1000} s`));
      }, START_DEADLINE_MS);
      worker.once('message', () => {
        clearTimeout(timer);
        resolve(worker);
      });
      worker.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the TS/JS analyser did not start (exit ${code})`));
      });
    });
    this.worker = starting;
    return starting;
  }

  private stop(): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.then((w) => w.terminate()).catch(() => undefined);
  }
}

let shared: ScriptWorker | null = null;

/** The gate's one script worker, shared by the analyser and the measurer. */
export function scriptWorker(): ScriptWorker {
  return (shared ??= new ScriptWorker());
}

/**
 * In the script worker's thread: answer the host's jobs and return true (the entry then does
 * nothing else); anywhere else return false.
 */
export function serveIfScriptWorker(): boolean {
  const role = (workerData as { role?: unknown } | null)?.role;
  if (isMainThread || role !== ROLE || parentPort === null) return false;
  const port = parentPort;
  const analyzer = new ScriptAnalyzer();
  // Parse and bind TypeScript's lib now, so no job's deadline pays for it.
  analyzer.analyzeBatch([{ code: 'export {};\n', language: 'typescript' }]);
  port.on('message', (job: Job) => {
    let reply: Reply;
    try {
      reply = { result: runJob(() => analyzer, job) };
    } catch (error) {
      // The parser's own limits (its stack, a megabyte of nesting): this source, not the thread.
      reply = { error: errorMessage(error) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
  return true;
}
