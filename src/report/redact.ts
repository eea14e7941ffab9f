/**
 * Nothing secret is ever published (issue 10). Before anything leaves the process — comment,
 * review, check output and annotations, summary, report file, log lines, outputs — every known
 * secret value and every token-shaped string is replaced by `***`. Pure.
 *
 * This is defence in depth: in the sandbox the tool cannot reach the token at all. Without it
 * (`sandbox: off`, or `auto` where it is missing) it is the last line.
 */

const REDACTED = '***';

/** GitHub token shapes: ghp_/gho_/ghu_/ghs_/ghr_ and fine-grained github_pat_. */
const TOKEN_SHAPES = /\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})\b/g;
/** An `Authorization:` header's value (Bearer/token/basic and the credential after it). */
const AUTHORIZATION = /(authorization\s*[:=]\s*)(?:(?:bearer|token|basic)\s+)?[^\s"',;]+/gi;
/** actions/checkout's `http.<url>.extraheader` line: the whole value is a credential. */
const EXTRAHEADER = /(extraheader\s*=\s*)[^\n]+/gi;

/** Shorter values are not redacted by value (they would blank ordinary words); shapes still apply. */
const MIN_SECRET = 8;

/**
 * The forms a secret value may be published in: itself, and the base64 of
 * `x-access-token:<token>` that actions/checkout writes into `.git/config`.
 */
function forms(secret: string): string[] {
  const out = [secret];
  for (const prefix of ['x-access-token:', '']) {
    const encoded = Buffer.from(`${prefix}${secret}`, 'utf8').toString('base64');
    out.push(encoded, encoded.replace(/=+$/, ''));
  }
  return out;
}

export class Redactor {
  private readonly values: readonly string[];

  constructor(secrets: readonly (string | undefined | null)[]) {
    const values = new Set<string>();
    for (const secret of secrets) {
      if (typeof secret !== 'string') continue;
      const trimmed = secret.trim();
      if (trimmed.length < MIN_SECRET) continue;
      for (const form of forms(trimmed)) if (form.length >= MIN_SECRET) values.add(form);
    }
    // Longest first, so a value that contains another is replaced whole.
    this.values = [...values].sort((a, b) => b.length - a.length);
  }

  /** The known secret values (for `core.setSecret`). */
  get secrets(): readonly string[] {
    return this.values;
  }

  /** One string, redacted. */
  text(value: string): string {
    let out = value;
    for (const secret of this.values)
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out
      .replace(TOKEN_SHAPES, REDACTED)
      .replace(AUTHORIZATION, `$1${REDACTED}`)
      .replace(EXTRAHEADER, `$1${REDACTED}`);
  }

  /** Every string in a JSON-shaped value (keys too), redacted; other values unchanged. */
  deep<T>(value: T): T {
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.walk(item));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[this.text(key)] = this.walk(item);
      return out;
    }
    return value;
  }
}

/**
 * The secrets of a run: the token inputs, the runner's tokens, and the Ollama header values.
 * `env` is the process environment (INPUT_* as the runner sets them).
 */
export function runSecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    if (
      /^INPUT_.*TOKEN/i.test(key) ||
      /^(GITHUB_TOKEN|GH_TOKEN|ACTIONS_RUNTIME_TOKEN|ACTIONS_ID_TOKEN_REQUEST_TOKEN)$/.test(key)
    )
      out.push(value);
    if (key === 'INPUT_OLLAMA-HEADERS' || key === 'INPUT_OLLAMA_HEADERS') {
      for (const line of value.split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon > 0) out.push(line.slice(colon + 1).trim());
      }
    }
  }
  return out;
}

/**
 * An untrusted message (a tool's error text) for publication: redacted, controls removed,
 * cut to `max` characters with an ellipsis.
 */
export function untrustedExcerpt(redactor: Redactor, value: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const clean = redactor.text(value).replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
