/**
 * A fake Ollama HTTP server on 127.0.0.1 speaking Ollama's formats: `GET /api/tags`
 * (`{models: [{name, model, modified_at, size, digest, details}]}`), `POST /api/chat` non-streamed
 * (one JSON object) and streamed (NDJSON chunks, the last with `done: true` and `done_reason`),
 * and error bodies as Ollama sends them (`{"error": "model 'x' not found"}` with 404).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const DEFAULT_MODEL = 'qwen2.5-coder:3b';
export const DEFAULT_DIGEST = 'e7149271c9e8a3c1f0f0e2d5b9c6a4f3d2e1c0b9a8f7e6d5c4b3a2918f7e6d5c';

export interface FakeModel {
  readonly name: string;
  readonly digest: string;
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
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: any;
}

export interface FakeOllama {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Replace the reply function. */
  reply(fn: (body: ChatBody) => FakeReply): void;
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

function send(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'application/json; charset=utf-8',
): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function chatChunk(
  model: string,
  content: string,
  done: boolean,
  doneReason?: string,
): Record<string, unknown> {
  const chunk: Record<string, unknown> = {
    model,
    created_at: new Date().toISOString(),
    message: { role: 'assistant', content },
    done,
  };
  if (done) {
    Object.assign(chunk, {
      done_reason: doneReason ?? 'stop',
      total_duration: 123_456_789,
      load_duration: 1_234_567,
      prompt_eval_count: 420,
      prompt_eval_duration: 12_345_678,
      eval_count: 42,
      eval_duration: 98_765_432,
    });
  }
  return chunk;
}

/** Start a fake Ollama on an ephemeral port of 127.0.0.1. */
export async function startFakeOllama(
  options: { models?: readonly FakeModel[]; reply?: (body: ChatBody) => FakeReply } = {},
): Promise<FakeOllama> {
  const models = options.models ?? [{ name: DEFAULT_MODEL, digest: DEFAULT_DIGEST }];
  const defaultReply = (): FakeReply => ({ kind: 'content', content: verdictJson(85) });
  let replyFn = options.reply ?? defaultReply;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

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
                modified_at: '2025-10-03T23:34:03.409490317-07:00',
                size: 1_929_912_432,
                digest: m.digest,
                details: {
                  parent_model: '',
                  format: 'gguf',
                  family: 'qwen2',
                  families: ['qwen2'],
                  parameter_size: '3.1B',
                  quantization_level: 'Q4_K_M',
                },
              })),
            }),
          );
          return;
        }
        if (req.method === 'POST' && path === '/api/chat') {
          const chat = body as ChatBody;
          if (!models.some((m) => m.name === chat.model)) {
            send(res, 404, JSON.stringify({ error: `model '${chat.model}' not found` }));
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
          if (reply.delayMs !== undefined) await sleep(reply.delayMs);
          if (res.destroyed) return;
          if (chat.stream === false) {
            send(
              res,
              200,
              JSON.stringify(chatChunk(chat.model, reply.content, true, reply.doneReason)),
            );
            return;
          }
          // Streamed (Ollama's default): NDJSON, a few characters a chunk.
          res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
          for (let i = 0; i < reply.content.length; i += 16) {
            res.write(
              `${JSON.stringify(chatChunk(chat.model, reply.content.slice(i, i + 16), false))}\n`,
            );
          }
          res.end(`${JSON.stringify(chatChunk(chat.model, '', true, reply.doneReason))}\n`);
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
    reply(fn) {
      replyFn = fn;
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
