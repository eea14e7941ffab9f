/**
 * A fake Ollama HTTP server on 127.0.0.1 speaking Ollama's formats (docs/api.md and api/types.go
 * of ollama/ollama):
 *
 * - `GET /api/tags`: `{models: [{name, model, modified_at, size, digest, details}]}`.
 * - `POST /api/show`: `{modelfile, parameters, template, details, model_info, capabilities,
 *   modified_at}`; 404 `{"error": "model 'x' not found"}` for a model not on the host.
 * - `POST /api/pull` (`model`, or the older `name` that ollama-js sends): NDJSON progress as
 *   Ollama streams it — `{"status":"pulling manifest"}`, then per layer `{"status":"pulling
 *   <12 hex>","digest":"sha256:…","total":N,"completed":M}` every tick, then `verifying sha256
 *   digest`, `writing manifest`, `success`. An unknown model or a configured failure sends
 *   `{"error": "pull model manifest: file does not exist"}` as a line after the first, with
 *   status 200, as Ollama does once it has started streaming. `stream: false` gives one
 *   `{"status":"success"}`. A stall stops the stream mid-way and keeps the connection open.
 * - `POST /api/chat` non-streamed (one JSON object) and streamed (NDJSON chunks, the last with
 *   `done: true`, `done_reason` and the metrics `total_duration`, `load_duration`,
 *   `prompt_eval_count`, `prompt_eval_duration`, `eval_count`, `eval_duration` in ns). An empty
 *   `messages` list loads the model (`done_reason: "load"`), with `keep_alive: 0` unloads it.
 *
 * CPU model (optional `cpu`): the first call for a model — or one with a different `num_ctx`,
 * which makes Ollama start a new runner — waits `loadMs` (reported as `load_duration`); the prompt
 * is evaluated at `promptTokensPerSecond` and the reply generated at `evalTokensPerSecond`, in real
 * time, so a client's timeout sees what it would on a CPU runner. Tokens are estimated as
 * `ceil(chars / CHARS_PER_TOKEN)` plus a few per message for the chat template: an estimate,
 * not Qwen's tokenizer (see CHARS_PER_TOKEN). A reply longer than `num_predict` tokens is cut there
 * with `done_reason: "length"`; a prompt over `num_ctx` with `truncate: false` is a 400 (`the input
 * length exceeds the context length`), without it Ollama keeps the last `num_ctx` tokens.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const DEFAULT_MODEL = 'qwen2.5-coder:3b';
/** The digest /api/tags reports for qwen2.5-coder:3b (its `ollama list` ID is the first 12). */
export const DEFAULT_DIGEST = 'f72c60cabf6237b07f6e632b2c48d533cef25eda2efbd34bed21c5e9c01e6225';
/** Its size in /api/tags, bytes. */
const DEFAULT_SIZE = 1_929_912_626;

/**
 * Characters per token of the fake's token estimate. BPE tokenizers such as Qwen2.5's average
 * roughly 3.5–4 characters per token on English and code; 3 over-counts, so the fake's timings
 * err on the slow side.
 */
const CHARS_PER_TOKEN = 3;
/** Chat-template tokens per message (`<|im_start|>role\n … <|im_end|>\n`). */
const TEMPLATE_TOKENS = 5;

export interface FakeModel {
  readonly name: string;
  readonly digest: string;
  readonly size?: number;
}

export interface FakeCpu {
  /** Prompt evaluation speed, tokens/s. */
  readonly promptTokensPerSecond: number;
  /** Generation speed, tokens/s. */
  readonly evalTokensPerSecond: number;
  /** Model load time on the first call (and after an unload or a num_ctx change), ms. */
  readonly loadMs: number;
}

export interface FakePull {
  /** Bytes of the model layer a pull transfers (the fake's stand-in for ~1.9 GB). */
  readonly totalBytes?: number;
  /** Transfer speed, bytes/s. */
  readonly bytesPerSecond?: number;
  /** Progress line interval, ms (Ollama ticks every 60 ms). */
  readonly tickMs?: number;
  /** Stop sending (connection left open) once this fraction of the layer is done. */
  readonly stallAt?: number;
  /** Fail with this error line after the manifest line. */
  readonly error?: string;
}

/** What `/api/chat` does for one request. */
export type FakeReply =
  /** 200 with `message.content` = content (streamed in chunks when the request asks). */
  | {
      readonly kind: 'content';
      readonly content: string;
      readonly doneReason?: string;
      readonly delayMs?: number;
    }
  /** Any status with a raw body (e.g. 500 `{"error": "..."}`). */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly body: string;
      readonly contentType?: string;
    }
  /** 200 whose HTTP body itself is not JSON. */
  | { readonly kind: 'garbage'; readonly body: string };

export interface ChatBody {
  readonly model: string;
  readonly stream?: boolean;
  readonly messages: ReadonlyArray<{ role: string; content: string }>;
  readonly format?: unknown;
  readonly options?: Record<string, unknown>;
  readonly keep_alive?: string | number;
  readonly truncate?: boolean;
}

interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: any;
}

export interface FakeOllama {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Models on the host now (a successful pull adds one). */
  readonly models: FakeModel[];
  /** How many times a model was loaded into memory. */
  readonly loads: number;
  /** Replace the reply function. */
  reply(fn: (body: ChatBody) => FakeReply): void;
  /** Change how pulls behave (merged over the current settings). */
  pull(settings: FakePull): void;
  /** Set or clear the CPU timing model. */
  cpu(settings: FakeCpu | null): void;
  /** Unload every model (as after keep_alive expires). */
  unloadAll(): void;
  close(): Promise<void>;
}

/** A verdict object as the model would write it. */
export function verdictJson(
  score: number,
  recommendation = 'ACCEPT',
  reasoning = 'Looks fine.',
  confidence = 'high',
): string {
  return JSON.stringify({ score, reasoning, recommendation, confidence });
}

/** The fake's token estimate for a text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'application/json; charset=utf-8',
): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const sleep = (ms: number): Promise<void> =>
  ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));

const ns = (ms: number): number => Math.round(ms * 1e6);

interface Metrics {
  readonly loadMs: number;
  readonly promptTokens: number;
  readonly promptMs: number;
  readonly evalTokens: number;
  readonly evalMs: number;
  readonly totalMs: number;
}

function chatChunk(
  model: string,
  content: string,
  done: boolean,
  doneReason?: string,
  metrics?: Metrics,
): Record<string, unknown> {
  const chunk: Record<string, unknown> = {
    model,
    created_at: new Date().toISOString(),
    message: { role: 'assistant', content },
    done,
  };
  if (done) {
    chunk['done_reason'] = doneReason ?? 'stop';
    if (metrics !== undefined) {
      Object.assign(chunk, {
        total_duration: ns(metrics.totalMs),
        load_duration: ns(metrics.loadMs),
        prompt_eval_count: metrics.promptTokens,
        prompt_eval_duration: ns(metrics.promptMs),
        eval_count: metrics.evalTokens,
        eval_duration: ns(metrics.evalMs),
      });
    }
  }
  return chunk;
}

function details(): Record<string, unknown> {
  return {
    parent_model: '',
    format: 'gguf',
    family: 'qwen2',
    families: ['qwen2'],
    parameter_size: '3.1B',
    quantization_level: 'Q4_K_M',
  };
}

/** The `/api/show` reply for a qwen2-family model, trimmed to the fields a client reads. */
function showReply(model: FakeModel): Record<string, unknown> {
  return {
    modelfile: `# Modelfile generated by "ollama show"\nFROM /root/.ollama/models/blobs/sha256-${model.digest}\n`,
    parameters: 'stop                           "<|endoftext|>"',
    template:
      '{{- if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}<|im_start|>user\n{{ .Prompt }}<|im_end|>\n<|im_start|>assistant\n',
    details: details(),
    model_info: {
      'general.architecture': 'qwen2',
      'general.file_type': 15,
      'general.parameter_count': 3_085_938_688,
      'general.quantization_version': 2,
      'qwen2.block_count': 36,
      'qwen2.context_length': 32_768,
      'qwen2.embedding_length': 2048,
      'tokenizer.ggml.model': 'gpt2',
    },
    capabilities: ['completion', 'tools', 'insert'],
    modified_at: '2026-05-12T01:56:09.283131995-05:00',
  };
}

/** Start a fake Ollama on an ephemeral port of 127.0.0.1. */
export async function startFakeOllama(
  options: {
    models?: readonly FakeModel[];
    /** Models the fake's registry can pull; default: qwen2.5-coder:3b and every installed model. */
    pullable?: readonly FakeModel[];
    pull?: FakePull;
    cpu?: FakeCpu;
    reply?: (body: ChatBody) => FakeReply;
  } = {},
): Promise<FakeOllama> {
  const models: FakeModel[] = [
    ...(options.models ?? [{ name: DEFAULT_MODEL, digest: DEFAULT_DIGEST, size: DEFAULT_SIZE }]),
  ];
  const pullable: readonly FakeModel[] = options.pullable ?? [
    { name: DEFAULT_MODEL, digest: DEFAULT_DIGEST, size: DEFAULT_SIZE },
    ...models,
  ];
  let pullSettings: FakePull = { ...options.pull };
  let cpu: FakeCpu | null = options.cpu ?? null;
  const defaultReply = (): FakeReply => ({ kind: 'content', content: verdictJson(85) });
  let replyFn = options.reply ?? defaultReply;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  /** model name → the num_ctx its runner was started with. */
  const loaded = new Map<string, unknown>();
  let loads = 0;

  const find = (name: unknown): FakeModel | undefined => {
    if (typeof name !== 'string') return undefined;
    const full = name.includes(':') ? name : `${name}:latest`;
    return models.find((m) => m.name === name || m.name === full);
  };

  /** Load the model when its runner is not up with these options; returns the load time, ms. */
  async function ensureLoaded(name: string, numCtx: unknown): Promise<number> {
    if (loaded.has(name) && loaded.get(name) === numCtx) return 0;
    loads++;
    const ms = cpu?.loadMs ?? 0;
    await sleep(ms);
    loaded.set(name, numCtx);
    return ms;
  }

  async function handlePull(body: any, res: ServerResponse): Promise<void> {
    const name = typeof body?.model === 'string' ? body.model : body?.name;
    if (typeof name !== 'string' || name === '') {
      send(res, 400, JSON.stringify({ error: 'missing request body' }));
      return;
    }
    const full = name.includes(':') ? name : `${name}:latest`;
    const target = pullable.find((m) => m.name === name || m.name === full);
    const settings = pullSettings;
    const total = settings.totalBytes ?? 8_000_000;
    const bytesPerSecond = settings.bytesPerSecond ?? 400_000_000;
    const tickMs = settings.tickMs ?? 60;
    const streamed = body?.stream !== false;
    const lines: Array<Record<string, unknown>> = [];
    const emit = (line: Record<string, unknown>): boolean => {
      if (res.destroyed) return false;
      if (streamed) {
        if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        res.write(`${JSON.stringify(line)}\n`);
      } else lines.push(line);
      return true;
    };
    const fail = (error: string): void => {
      if (streamed) {
        emit({ error });
        res.end();
      } else send(res, 500, JSON.stringify({ error }));
    };
    emit({ status: 'pulling manifest' });
    if (settings.error !== undefined || target === undefined) {
      fail(settings.error ?? 'pull model manifest: file does not exist');
      return;
    }
    const layers = [
      { digest: `sha256:${target.digest}`, total },
      // The small layers (template, license, params) as one.
      { digest: `sha256:${'2'.repeat(8)}${target.digest.slice(8)}`, total: 1_300 },
    ];
    for (const layer of layers) {
      let completed = 0;
      const step = Math.max(1, Math.round((bytesPerSecond * tickMs) / 1000));
      for (;;) {
        const stalled =
          settings.stallAt !== undefined && completed >= layer.total * settings.stallAt;
        if (stalled) return; // the connection stays open until the client gives up
        const line: Record<string, unknown> = {
          status: `pulling ${layer.digest.slice(7, 19)}`,
          digest: layer.digest,
          total: layer.total,
        };
        if (completed > 0) line['completed'] = completed;
        if (!emit(line)) return;
        if (completed >= layer.total) break;
        await sleep(tickMs);
        completed = Math.min(layer.total, completed + step);
      }
    }
    emit({ status: 'verifying sha256 digest' });
    emit({ status: 'writing manifest' });
    if (!models.some((m) => m.name === target.name)) models.push(target);
    emit({ status: 'success' });
    if (streamed) res.end();
    else send(res, 200, JSON.stringify(lines[lines.length - 1]));
  }

  async function handleChat(chat: ChatBody, res: ServerResponse): Promise<void> {
    const model = find(chat.model);
    if (model === undefined) {
      send(res, 404, JSON.stringify({ error: `model '${chat.model}' not found` }));
      return;
    }
    const numCtx = chat.options?.['num_ctx'] ?? 4096;
    const started = Date.now();
    if (!Array.isArray(chat.messages) || chat.messages.length === 0) {
      if (chat.keep_alive === 0 || chat.keep_alive === '0') {
        loaded.delete(chat.model);
        send(res, 200, JSON.stringify(chatChunk(chat.model, '', true, 'unload')));
        return;
      }
      await ensureLoaded(chat.model, numCtx);
      send(res, 200, JSON.stringify(chatChunk(chat.model, '', true, 'load')));
      return;
    }
    const reply = replyFn(chat);
    if (reply.kind === 'status') {
      send(res, reply.status, reply.body, reply.contentType);
      return;
    }
    if (reply.kind === 'garbage') {
      send(res, 200, reply.body);
      return;
    }
    let promptTokens = 0;
    for (const m of chat.messages)
      promptTokens += estimateTokens(String(m.content)) + TEMPLATE_TOKENS;
    const ctx = typeof numCtx === 'number' ? numCtx : 4096;
    if (promptTokens > ctx) {
      if (chat.truncate === false) {
        send(res, 400, JSON.stringify({ error: 'the input length exceeds the context length' }));
        return;
      }
      promptTokens = ctx;
    }
    const loadMs = await ensureLoaded(chat.model, numCtx);
    const promptMs = cpu === null ? 0 : (promptTokens / cpu.promptTokensPerSecond) * 1000;
    await sleep(promptMs);
    if (reply.delayMs !== undefined) await sleep(reply.delayMs);
    let content = reply.content;
    let doneReason = reply.doneReason;
    const numPredict = chat.options?.['num_predict'];
    if (typeof numPredict === 'number' && numPredict > 0) {
      const room = Math.min(numPredict, ctx - promptTokens);
      if (estimateTokens(content) > room) {
        content = content.slice(0, Math.max(0, room) * CHARS_PER_TOKEN);
        doneReason = 'length';
      }
    }
    const evalTokens = estimateTokens(content);
    const perTokenMs = cpu === null ? 0 : 1000 / cpu.evalTokensPerSecond;
    const metrics = (): Metrics => ({
      loadMs,
      promptTokens,
      promptMs,
      evalTokens,
      evalMs: evalTokens * perTokenMs,
      totalMs: Date.now() - started,
    });
    if (res.destroyed) return;
    if (chat.stream === false) {
      await sleep(evalTokens * perTokenMs);
      if (res.destroyed) return;
      send(res, 200, JSON.stringify(chatChunk(chat.model, content, true, doneReason, metrics())));
      return;
    }
    // Streamed (Ollama's default): NDJSON, one chunk per token as generated.
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    for (let i = 0; i < content.length; i += CHARS_PER_TOKEN) {
      await sleep(perTokenMs);
      if (res.destroyed) return;
      res.write(
        `${JSON.stringify(chatChunk(chat.model, content.slice(i, i + CHARS_PER_TOKEN), false))}\n`,
      );
    }
    res.end(`${JSON.stringify(chatChunk(chat.model, '', true, doneReason, metrics()))}\n`);
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: any;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          body = text;
        }
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
        if (req.method === 'GET' && path === '/api/tags') {
          send(
            res,
            200,
            JSON.stringify({
              models: models.map((m) => ({
                name: m.name,
                model: m.name,
                modified_at: '2026-05-12T01:56:09.283131995-05:00',
                size: m.size ?? DEFAULT_SIZE,
                digest: m.digest,
                details: details(),
              })),
            }),
          );
          return;
        }
        if (req.method === 'POST' && path === '/api/show') {
          const model = find(body?.model ?? body?.name);
          if (model === undefined) {
            send(
              res,
              404,
              JSON.stringify({ error: `model '${String(body?.model ?? body?.name)}' not found` }),
            );
            return;
          }
          send(res, 200, JSON.stringify(showReply(model)));
          return;
        }
        if (req.method === 'POST' && path === '/api/pull') {
          await handlePull(body, res);
          return;
        }
        if (req.method === 'POST' && path === '/api/chat') {
          await handleChat(body as ChatBody, res);
          return;
        }
        send(res, 404, '404 page not found', 'text/plain; charset=utf-8');
      })();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    models,
    get loads() {
      return loads;
    },
    reply(fn) {
      replyFn = fn;
    },
    pull(settings) {
      pullSettings = { ...pullSettings, ...settings };
    },
    cpu(settings) {
      cpu = settings;
    },
    unloadAll() {
      loaded.clear();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens (connection refused). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
