/**
 * The Ollama judge: asks a local model for a score inside the band. Every failure — host
 * unreachable, model missing or of the wrong digest, HTTP error, timeout, a reply that is not
 * the schema, a truncated reply — falls back to the rules verdict with `confidence: "low"` and
 * a one-line reason; `evaluate` never rejects because of the model.
 */
import { randomBytes } from 'node:crypto';
import { Ollama } from 'ollama';
import type { ChatRequest } from 'ollama';
import type { OllamaConfig } from '../core/config.js';
import { clampToBand, recommend } from '../core/policy.js';
import type { Clock, Judge, Log } from '../core/ports.js';
import { capLength, escapeProse, normalizeText } from '../core/sanitize.js';
import type { Confidence, Evaluation } from '../core/types.js';
import { assess, rulesEvaluation } from './assess.js';
import type { Assessment } from './assess.js';
import { buildMessages, modelVerdict, VERDICT_SCHEMA } from './prompt.js';
import type { ModelVerdict } from './prompt.js';

/** Generation settings: deterministic, bounded. */
export const GENERATION = {
  temperature: 0,
  seed: 20251117,
  num_ctx: 8192,
  num_predict: 512,
} as const;

/**
 * Node's fetch (undici) drops a response whose headers take longer than 300 s. Ollama sends a
 * non-streamed reply's headers only when generation ends, so a budget above this is only
 * reachable by streaming (headers at once, then one chunk per token).
 */
export const STREAM_ABOVE_MS = 280_000;

export interface OllamaJudgeDeps {
  readonly clock?: Clock | undefined;
  readonly log?: Log | undefined;
  readonly fetch?: typeof fetch | undefined;
  /** Per-call delimiter source (tests pin it). */
  readonly delimiter?: (() => string) | undefined;
  /** Stream when the timeout budget exceeds this, ms. */
  readonly streamAboveMs?: number | undefined;
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

/** The one-line reason for a failure. */
function describe(error: unknown, timeoutSeconds: number, host: string): string {
  if (error instanceof ModelFailure) return oneLine(error.message);
  const e = error as { name?: unknown; message?: unknown; cause?: unknown };
  if (e.name === 'TimeoutError' || e.name === 'AbortError')
    return `timeout after ${timeoutSeconds} s`;
  const cause = e.cause as { code?: unknown; name?: unknown } | undefined;
  if (cause?.name === 'TimeoutError') return `timeout after ${timeoutSeconds} s`;
  if (typeof cause?.code === 'string') {
    if (cause.code === 'UND_ERR_HEADERS_TIMEOUT' || cause.code === 'UND_ERR_BODY_TIMEOUT')
      return `timeout (${cause.code})`;
    return `cannot reach ${host} (${cause.code})`;
  }
  if (error instanceof SyntaxError) return 'reply is not JSON';
  return oneLine(typeof e.message === 'string' ? e.message : String(error));
}

interface ModelReply {
  readonly content: string;
  readonly doneReason: string | undefined;
}

export function createOllamaJudge(
  config: OllamaConfig & { readonly host: string },
  deps: OllamaJudgeDeps = {},
): Judge {
  const clock = deps.clock ?? { now: () => new Date() };
  const log = deps.log;
  const baseFetch = deps.fetch ?? globalThis.fetch;
  const delimiter = deps.delimiter ?? (() => `DATA-${randomBytes(12).toString('hex')}`);
  const timeoutMs = config.timeoutSeconds * 1000;
  const stream = timeoutMs > (deps.streamAboveMs ?? STREAM_ABOVE_MS);

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
    return new Ollama({ host: config.host, headers: { ...config.headers }, fetch: guarded });
  }

  async function ensureModel(ollama: Ollama): Promise<void> {
    const { models } = await ollama.list();
    if (!Array.isArray(models)) throw new ModelFailure('/api/tags reply has no models list');
    const wanted = config.model.includes(':') ? config.model : `${config.model}:latest`;
    const found = models.find((m) =>
      [m.name, m.model].some((n) => n === config.model || n === wanted),
    );
    if (found === undefined)
      throw new ModelFailure(`model '${config.model}' is not on the Ollama host`);
    if (config.digest !== null) {
      const digest = String(found.digest ?? '').replace(/^sha256:/, '');
      if (!digest.startsWith(config.digest) && !config.digest.startsWith(digest || '-')) {
        throw new ModelFailure(
          `model '${config.model}' digest ${digest.slice(0, 12) || 'missing'} is not the configured ${config.digest.slice(0, 12)}`,
        );
      }
    }
  }

  async function chat(ollama: Ollama, request: ChatRequest): Promise<ModelReply> {
    if (!stream) {
      const reply = (await ollama.chat({ ...request, stream: false })) as unknown as {
        message?: { content?: unknown };
        done_reason?: unknown;
      };
      const content = reply.message?.content;
      if (typeof content !== 'string') throw new ModelFailure('reply has no message content');
      return {
        content,
        doneReason: typeof reply.done_reason === 'string' ? reply.done_reason : undefined,
      };
    }
    let content = '';
    let doneReason: string | undefined;
    for await (const part of await ollama.chat({ ...request, stream: true })) {
      content += part.message?.content ?? '';
      if (part.done) doneReason = part.done_reason;
    }
    return { content, doneReason };
  }

  async function askModel(
    assessment: Assessment,
    input: Parameters<Judge['evaluate']>[0],
  ): Promise<ModelVerdict> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const ollama = client(deadline);
    await ensureModel(ollama);
    const reply = await chat(ollama, {
      model: config.model,
      messages: buildMessages(input, assessment.band, delimiter()),
      format: VERDICT_SCHEMA,
      options: { ...GENERATION },
    });
    if (reply.doneReason === 'length')
      throw new ModelFailure('reply truncated (done_reason: length)');
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
    return checked.data;
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

  return {
    async evaluate(input) {
      const assessment = assess(input);
      try {
        return modelEvaluation(assessment, await askModel(assessment, input));
      } catch (error) {
        const reason = describe(error, config.timeoutSeconds, config.host);
        log?.warn(`ollama judge: ${reason}; the rules verdict stands`);
        return rulesEvaluation(assessment, clock.now(), `rules (ollama: ${reason})`, 'low');
      }
    },
  };
}
