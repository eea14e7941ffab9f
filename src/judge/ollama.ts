/**
 * The Ollama judge: asks a local model for a score inside the band. Every failure — host
 * unreachable, model missing or of the wrong digest, a pull that fails or stalls, HTTP error,
 * timeout, a reply that is not the schema, a truncated reply — falls back to the rules verdict
 * with `confidence: "low"` and a one-line reason; `evaluate` never rejects because of the model.
 *
 * Once per judge (one judge per gate), before the first judgement: find the model on the host
 * (`/api/tags`), pull it when missing and `pull` allows (`/api/pull`, progress in the log, bounded
 * by `pullTimeoutSeconds`), check its digest, read its details (`/api/show`) and load it with one
 * timed warm-up call (`keep_alive` keeps it loaded for the tools that follow, `num_ctx` equal to
 * the judgements' so Ollama does not start a second runner). When that fails, every tool of the
 * gate gets the rules verdict with the same reason, logged once. Tools are then judged one at a
 * time, each call bounded by `timeoutSeconds`, its latency and token counts recorded.
 */
import { randomBytes } from 'node:crypto';
import { Ollama } from 'ollama';
import type { ChatRequest, ModelResponse } from 'ollama';
import type { OllamaConfig, OllamaPull } from '../config/config.js';
import { clampToBand, recommend } from '../verdict/policy.js';
import type { Clock, Judge, Log } from '../domain/ports.js';
import { capLength, escapeProse, normalizeText } from './sanitize.js';
import type { Confidence, Evaluation, JudgeRun } from '../domain/types.js';
import { assess, rulesEvaluation } from './assess.js';
import type { Assessment } from './assess.js';
import { buildMessages, modelVerdict, VERDICT_SCHEMA } from './prompt.js';
import type { ModelVerdict } from './prompt.js';

/**
 * Generation settings: deterministic, bounded, sized for a CPU. The prompt is at most ~2,000
 * tokens (prompt.ts budgets it) and the reply — the schema's JSON with a reasoning of at most
 * 400 characters — about 60–170 tokens, so 4,096 tokens of context hold both with room, and
 * 256 tokens of reply at ~10 tokens/s cost at most ~26 s.
 */
export const GENERATION = {
  temperature: 0,
  seed: 20251117,
  num_ctx: 4096,
  num_predict: 256,
} as const;

/** How long Ollama keeps the model loaded after each call: longer than one tool's measurement. */
export const KEEP_ALIVE = '30m';

/** Default bound of a pull (the config's default): ~1.9 GB at ≥ 3.5 MB/s. */
const DEFAULT_PULL_TIMEOUT_SECONDS = 600;

/**
 * Node's fetch (undici) drops a response whose headers take longer than 300 s. Ollama sends a
 * non-streamed reply's headers only when generation ends, so a budget above this is only
 * reachable by streaming (headers at once, then one chunk per token).
 */
const STREAM_ABOVE_MS = 280_000;

/** The config the judge needs: a host, and the pull settings optional (defaults as the config's). */
export type OllamaJudgeConfig = Omit<OllamaConfig, 'host' | 'pull' | 'pullTimeoutSeconds'> & {
  readonly host: string;
  /** When the model is not on the host: `if-missing` pulls it (the default), `never` falls back. */
  readonly pull?: OllamaPull | undefined;
  readonly pullTimeoutSeconds?: number | undefined;
};

export interface OllamaJudgeDeps {
  readonly clock?: Clock | undefined;
  readonly log?: Log | undefined;
  readonly fetch?: typeof fetch | undefined;
  /** Per-call delimiter source (tests pin it). */
  readonly delimiter?: (() => string) | undefined;
  /** Stream when the timeout budget exceeds this, ms. */
  readonly streamAboveMs?: number | undefined;
  /** Monotonic milliseconds, for latencies. */
  readonly monotonicMs?: (() => number) | undefined;
}

/** Why the model could not judge; its message is the one-line reason shown in `judge`. */
class ModelFailure extends Error {}

class HttpFailure extends ModelFailure {}

const ORDER: readonly Confidence[] = ['low', 'medium', 'high'];
const lower = (a: Confidence, b: Confidence): Confidence =>
  ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b;

const oneLine = (text: string, max = 160): string =>
  capLength(normalizeText(text).replace(/\s+/g, ' ').trim(), max);

function errorBody(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object' && 'error' in parsed) {
      const error = parsed.error;
      if (typeof error === 'string') return error;
    }
  } catch {
    // Not JSON: a proxy's HTML or text page; show its start.
  }
  return body;
}

function isTimeout(error: unknown): boolean {
  const e = error as { name?: unknown; cause?: { name?: unknown } } | null;
  return (
    e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.cause?.name === 'TimeoutError'
  );
}

/**
 * The one-line reason for a failure, naming the host and the cause (the socket's error code, a
 * timeout, a model that is missing), as the headline and the log both print it.
 */
function describe(error: unknown, timeoutSeconds: number, host: string): string {
  if (error instanceof ModelFailure) return oneLine(error.message);
  if (isTimeout(error)) return `${host} did not answer within ${timeoutSeconds} s (timeout)`;
  const code = socketCode(error);
  if (code !== undefined) {
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
      return `${host} did not answer (timeout, ${code})`;
    return `cannot reach ${host} (${code})`;
  }
  if (error instanceof SyntaxError) return 'reply is not JSON';
  const e = error as { message?: unknown };
  return `${host}: ${oneLine(typeof e.message === 'string' ? e.message : String(error))}`;
}

/**
 * The error code under a failed fetch: its cause's (`ECONNREFUSED`), or where every address of
 * the name failed (localhost as ::1 and 127.0.0.1), the first of the aggregated errors'.
 */
function socketCode(error: unknown): string | undefined {
  let e = error as { code?: unknown; cause?: unknown; errors?: unknown } | null | undefined;
  for (let depth = 0; depth < 4 && e !== null && e !== undefined; depth++) {
    if (depth > 0 && typeof e.code === 'string') return e.code;
    const first = Array.isArray(e.errors)
      ? (e.errors[0] as { code?: unknown } | undefined)
      : undefined;
    if (typeof first?.code === 'string') return first.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

interface ModelReply {
  readonly content: string;
  readonly doneReason: string | undefined;
  readonly promptTokens: number | undefined;
  readonly replyTokens: number | undefined;
}

const GB = 1e9;
const MB = 1e6;

export interface OllamaJudge extends Judge {
  run(): JudgeRun;
}

export function createOllamaJudge(
  config: OllamaJudgeConfig,
  deps: OllamaJudgeDeps = {},
): OllamaJudge {
  const clock = deps.clock ?? { now: () => new Date() };
  const log = deps.log;
  const baseFetch = deps.fetch ?? globalThis.fetch;
  const monotonicMs = deps.monotonicMs ?? (() => performance.now());
  const delimiter = deps.delimiter ?? (() => `DATA-${randomBytes(12).toString('hex')}`);
  const timeoutMs = config.timeoutSeconds * 1000;
  const pullPolicy: OllamaPull = config.pull ?? 'if-missing';
  const pullTimeoutSeconds = config.pullTimeoutSeconds ?? DEFAULT_PULL_TIMEOUT_SECONDS;
  const stream = timeoutMs > (deps.streamAboveMs ?? STREAM_ABOVE_MS);
  const state: { -readonly [K in keyof JudgeRun]: JudgeRun[K] } = {
    kind: 'ollama',
    model: config.model,
    digest: null,
    details: null,
    pull_ms: null,
    load_ms: null,
    unavailable: null,
  };
  let prepared: Promise<void> | null = null;

  function client(deadline: AbortSignal): Ollama {
    // ollama-js has no timeout for non-streamed calls: every request carries the call's deadline.
    const guarded: typeof fetch = async (url, init) => {
      const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
      const response = await baseFetch(url, { ...init, signal });
      if (!response.ok) {
        // Read error bodies here: ollama-js would console.log a text body onto the CLI's stdout.
        const body = await response.text().catch(() => '');
        throw new HttpFailure(
          `HTTP ${response.status}: ${oneLine(errorBody(body), 120) || response.statusText}`,
        );
      }
      return response;
    };
    // The host always comes from the config: ollama-js would otherwise read OLLAMA_HOST.
    return new Ollama({ host: config.host, headers: { ...config.headers }, fetch: guarded });
  }

  /** One call under its own deadline. */
  function bounded<T>(ms: number, call: (ollama: Ollama) => Promise<T>): Promise<T> {
    return call(client(AbortSignal.timeout(ms)));
  }

  async function findModel(): Promise<ModelResponse | undefined> {
    const { models } = await bounded(timeoutMs, (o) => o.list());
    if (!Array.isArray(models)) throw new ModelFailure('/api/tags reply has no models list');
    const wanted = config.model.includes(':') ? config.model : `${config.model}:latest`;
    return models.find((m) => [m.name, m.model].some((n) => n === config.model || n === wanted));
  }

  /** Pull the model with progress in the log; bounded by the pull timeout. */
  async function pullModel(): Promise<void> {
    const started = monotonicMs();
    const layers = new Map<string, { total: number; completed: number }>();
    let lastTenth = -1;
    let lastStatus = '';
    const progress = (): { done: number; total: number } => {
      let done = 0;
      let total = 0;
      for (const layer of layers.values()) {
        done += layer.completed;
        total += layer.total;
      }
      return { done, total };
    };
    const rate = (bytes: number): string => {
      const seconds = (monotonicMs() - started) / 1000;
      return seconds > 0 ? `${(bytes / MB / seconds).toFixed(1)} MB/s` : '– MB/s';
    };
    log?.info(
      `ollama: '${config.model}' is not on ${config.host}: pulling it (ollama-pull: if-missing, at most ${pullTimeoutSeconds} s)`,
    );
    try {
      await bounded(pullTimeoutSeconds * 1000, async (ollama) => {
        for await (const part of await ollama.pull({ model: config.model, stream: true })) {
          const total = count(part.total);
          if (typeof part.digest === 'string' && part.digest !== '' && total !== undefined) {
            layers.set(part.digest, { total, completed: count(part.completed) ?? 0 });
            const { done, total: all } = progress();
            const tenth = all > 0 ? Math.floor((done / all) * 10) : 0;
            if (tenth > lastTenth) {
              lastTenth = tenth;
              log?.info(
                `ollama: pulling ${config.model}: ${tenth * 10} % of ${(all / GB).toFixed(2)} GB, ${rate(done)}`,
              );
            }
          } else if (typeof part.status === 'string' && part.status !== lastStatus) {
            lastStatus = part.status;
            log?.info(`ollama: pull ${config.model}: ${oneLine(part.status, 80)}`);
          }
        }
      });
    } catch (error) {
      const { done, total } = progress();
      const where =
        total > 0
          ? ` at ${Math.floor((done / total) * 100)} % of ${(total / GB).toFixed(2)} GB`
          : '';
      const missing = `model '${config.model}' is not on ${config.host}`;
      if (isTimeout(error))
        throw new ModelFailure(
          `${missing}; its pull timed out after ${pullTimeoutSeconds} s${where}`,
        );
      throw new ModelFailure(
        `${missing}; its pull failed${where}: ${describe(error, pullTimeoutSeconds, config.host).replace(`${config.host}: `, '')}`,
      );
    }
    state.pull_ms = Math.round(monotonicMs() - started);
    const { done } = progress();
    log?.info(
      `ollama: pulled ${config.model} (${(done / GB).toFixed(2)} GB) in ${(state.pull_ms / 1000).toFixed(1)} s, ${rate(done)}`,
    );
  }

  /** Find (or pull), check, describe and load the model: once per judge. Records, never throws. */
  async function prepare(): Promise<void> {
    try {
      let found = await findModel();
      if (found === undefined) {
        if (pullPolicy === 'never')
          throw new ModelFailure(
            `model '${config.model}' is not on ${config.host} (ollama-pull: never): run 'ollama pull ${config.model}' there, or set ollama-pull: if-missing`,
          );
        await pullModel();
        found = await findModel();
        if (found === undefined)
          throw new ModelFailure(`model '${config.model}' is not on ${config.host} after its pull`);
      }
      const digest = String(found.digest ?? '').replace(/^sha256:/, '');
      state.digest = /^[0-9a-f]{12,64}$/.test(digest) ? digest : null;
      if (config.digest !== null) {
        if (!digest.startsWith(config.digest) && !config.digest.startsWith(digest || '-')) {
          throw new ModelFailure(
            `model '${config.model}' digest ${digest.slice(0, 12) || 'missing'} is not the configured ${config.digest.slice(0, 12)}`,
          );
        }
      }
      const shown = await bounded(timeoutMs, (o) => o.show({ model: config.model }));
      const size = shown.details?.parameter_size;
      const quantization = shown.details?.quantization_level;
      state.details =
        [size, quantization].filter((v) => typeof v === 'string' && v !== '').join(' ') || null;
      // The warm-up: an empty chat loads the model; the same num_ctx as the judgements, or
      // Ollama would load it a second time for the first of them.
      const started = monotonicMs();
      await bounded(timeoutMs, (o) =>
        o.chat({
          model: config.model,
          messages: [],
          keep_alive: KEEP_ALIVE,
          options: { num_ctx: GENERATION.num_ctx },
          stream: false,
        }),
      );
      state.load_ms = Math.round(monotonicMs() - started);
      log?.info(
        `ollama: ${config.model}@${state.digest?.slice(0, 12) ?? '?'}${state.details === null ? '' : ` (${state.details})`} loaded in ${(state.load_ms / 1000).toFixed(1)} s (warm-up; kept loaded ${KEEP_ALIVE})`,
      );
    } catch (error) {
      state.unavailable = describe(error, config.timeoutSeconds, config.host);
      log?.warn(`ollama judge: ${state.unavailable}; the rules verdict stands for every tool`);
    }
  }

  async function chat(ollama: Ollama, request: ChatRequest): Promise<ModelReply> {
    if (!stream) {
      const reply = (await ollama.chat({ ...request, stream: false })) as unknown as {
        message?: { content?: unknown };
        done_reason?: unknown;
        prompt_eval_count?: unknown;
        eval_count?: unknown;
      };
      const content = reply.message?.content;
      if (typeof content !== 'string') throw new ModelFailure('reply has no message content');
      return {
        content,
        doneReason: typeof reply.done_reason === 'string' ? reply.done_reason : undefined,
        promptTokens: count(reply.prompt_eval_count),
        replyTokens: count(reply.eval_count),
      };
    }
    let content = '';
    let doneReason: string | undefined;
    let promptTokens: number | undefined;
    let replyTokens: number | undefined;
    for await (const part of await ollama.chat({ ...request, stream: true })) {
      content += part.message?.content ?? '';
      if (part.done) {
        doneReason = part.done_reason;
        promptTokens = count(part.prompt_eval_count);
        replyTokens = count(part.eval_count);
      }
    }
    return { content, doneReason, promptTokens, replyTokens };
  }

  interface Asked {
    readonly verdict: ModelVerdict;
    readonly promptTokens: number | undefined;
    readonly replyTokens: number | undefined;
  }

  async function askModel(
    assessment: Assessment,
    input: Parameters<Judge['evaluate']>[0],
  ): Promise<Asked> {
    const request = {
      model: config.model,
      messages: buildMessages(input, assessment.band, delimiter()),
      format: VERDICT_SCHEMA,
      options: { ...GENERATION },
      keep_alive: KEEP_ALIVE,
      // Ollama ≥ 0.12 refuses a prompt longer than num_ctx instead of silently dropping its start.
      truncate: false,
    } as ChatRequest;
    const reply = await bounded(timeoutMs, (o) => chat(o, request));
    if (reply.doneReason === 'length')
      throw new ModelFailure('reply truncated (done_reason: length)');
    if (reply.promptTokens !== undefined && reply.promptTokens >= GENERATION.num_ctx)
      throw new ModelFailure(
        `the prompt filled the context (${reply.promptTokens} tokens, num_ctx ${GENERATION.num_ctx})`,
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(reply.content);
    } catch {
      throw new ModelFailure('reply is not JSON');
    }
    const checked = modelVerdict.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const field = issue?.path.map(String).join('.') || 'reply';
      throw new ModelFailure(
        `reply does not match the schema (${field}: ${issue?.message ?? 'invalid'})`,
      );
    }
    return {
      verdict: checked.data,
      promptTokens: reply.promptTokens,
      replyTokens: reply.replyTokens,
    };
  }

  function modelEvaluation(assessment: Assessment, verdict: ModelVerdict): Evaluation {
    const { band } = assessment;
    const score = clampToBand(verdict.score, band);
    const recommendation = recommend(score);
    const notes: string[] = [];
    if (score !== verdict.score)
      notes.push(`model proposed ${verdict.score}, clamped to band [${band.lo}, ${band.hi}]`);
    if (verdict.recommendation !== recommendation)
      notes.push(`model advised ${verdict.recommendation}`);
    if (assessment.injection.length > 0)
      notes.push(`injection suspected: ${assessment.injection.join('; ')}`);
    const tail = notes.length > 0 ? ` (${notes.join('; ')})` : '';
    return {
      score,
      reasoning: `${escapeProse(verdict.reasoning, 1000)} Evidence: ${band.reasons.join('; ')}.${tail}`,
      recommendation,
      // A model whose advice contradicts its own score is less sure than it says.
      confidence: lower(
        lower(verdict.confidence, assessment.confidence),
        verdict.recommendation === recommend(verdict.score) ? 'high' : 'medium',
      ),
      llm_model: config.model,
      judge: 'ollama',
      band,
      injection: assessment.injection,
      timestamp: clock.now().toISOString(),
    };
  }

  const fallback = (assessment: Assessment, reason: string): Evaluation =>
    rulesEvaluation(assessment, clock.now(), `rules (ollama: ${reason})`, 'low');

  return {
    async evaluate(input) {
      const assessment = assess(input);
      prepared ??= prepare();
      await prepared;
      if (state.unavailable !== null) return fallback(assessment, state.unavailable);
      const started = monotonicMs();
      try {
        const asked = await askModel(assessment, input);
        const latency = Math.round(monotonicMs() - started);
        log?.info(
          `ollama: judged in ${(latency / 1000).toFixed(1)} s (${asked.promptTokens ?? '?'} prompt + ${asked.replyTokens ?? '?'} reply tokens)`,
        );
        return {
          ...modelEvaluation(assessment, asked.verdict),
          latency_ms: latency,
          prompt_tokens: asked.promptTokens,
          reply_tokens: asked.replyTokens,
        };
      } catch (error) {
        const reason = describe(error, config.timeoutSeconds, config.host);
        log?.warn(`ollama judge: ${reason}; the rules verdict stands`);
        return { ...fallback(assessment, reason), latency_ms: Math.round(monotonicMs() - started) };
      }
    },
    run() {
      return { ...state };
    },
  };
}
