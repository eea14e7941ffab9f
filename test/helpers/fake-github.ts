/**
 * A local fake of the GitHub REST API on 127.0.0.1 for end-to-end tests of the Action. It records
 * every request, keeps comments / check runs / reviews in memory, and validates every request
 * body against the operation's schema in @octokit/openapi (required properties, types, enums,
 * no unknown properties where the schema forbids them).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROOT } from './cli.js';

type Schema = Record<string, any>;

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
}

const OPERATIONS: readonly Operation[] = [
  ['GET', '/repos/{owner}/{repo}/pulls/{pull_number}'],
  ['GET', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['PATCH', '/repos/{owner}/{repo}/issues/comments/{comment_id}'],
  ['POST', '/repos/{owner}/{repo}/check-runs'],
  ['PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}'],
  ['POST', '/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers'],
  ['POST', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews'],
  ['GET', '/repos/{owner}/{repo}/collaborators/{username}/permission'],
].map(([method, template]) => ({
  method: method!,
  template: template!,
  pattern: new RegExp(`^${template!.replace(/\{[^}]+\}/g, '([^/]+)')}$`),
}));

let schemas: Map<string, Schema | null> | undefined;

/** Request body schemas of the operations the fake serves, read once from @octokit/openapi. */
function requestSchemas(): Map<string, Schema | null> {
  if (schemas !== undefined) return schemas;
  const api = JSON.parse(
    readFileSync(
      `${ROOT}node_modules/@octokit/openapi/generated/api.github.com.deref.json`,
      'utf8',
    ),
  );
  schemas = new Map();
  for (const op of OPERATIONS) {
    const operation = api.paths[op.template]?.[op.method.toLowerCase()];
    if (operation === undefined) throw new Error(`openapi has no ${op.method} ${op.template}`);
    schemas.set(
      `${op.method} ${op.template}`,
      operation.requestBody?.content?.['application/json']?.schema ?? null,
    );
  }
  return schemas;
}

/** The request body schema of one operation, e.g. `POST /repos/{owner}/{repo}/check-runs`. */
export function requestSchemaOf(operation: string): Schema | null {
  return requestSchemas().get(operation) ?? null;
}

/** A tiny JSON-schema check: type, required, enum, additionalProperties: false, items, anyOf/oneOf. */
export function validate(value: unknown, schema: Schema, path = '$'): string[] {
  const alternatives = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(alternatives)) {
    const results = alternatives.map((s: Schema) => validate(value, s, path));
    return results.some((r) => r.length === 0)
      ? []
      : [`${path}: matches none of anyOf/oneOf (${results.flat().slice(0, 3).join('; ')})`];
  }
  if (value === null)
    return schema['nullable'] === true ||
      (Array.isArray(schema['type']) && schema['type'].includes('null'))
      ? []
      : [`${path}: null not allowed`];
  const errors: string[] = [];
  const types: string[] = Array.isArray(schema['type'])
    ? schema['type']
    : schema['type'] === undefined
      ? []
      : [schema['type']];
  const actual = Array.isArray(value)
    ? 'array'
    : Number.isInteger(value)
      ? 'integer'
      : typeof value;
  if (
    types.length > 0 &&
    !types.includes(actual) &&
    !(actual === 'integer' && types.includes('number'))
  ) {
    return [`${path}: expected ${types.join('|')}, got ${actual}`];
  }
  if (Array.isArray(schema['enum']) && !schema['enum'].includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} not in enum ${JSON.stringify(schema['enum'])}`);
  if (
    actual === 'string' &&
    typeof schema['maxLength'] === 'number' &&
    (value as string).length > schema['maxLength']
  )
    errors.push(`${path}: longer than ${schema['maxLength']}`);
  if (actual === 'array' && schema['items'] !== undefined) {
    if (typeof schema['maxItems'] === 'number' && (value as unknown[]).length > schema['maxItems'])
      errors.push(`${path}: more than ${schema['maxItems']} items`);
    (value as unknown[]).forEach((item, i) =>
      errors.push(...validate(item, schema['items'], `${path}[${i}]`)),
    );
  }
  if (actual === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema['required'] ?? [])
      if (!(key in record)) errors.push(`${path}.${key}: required`);
    const properties: Record<string, Schema> = schema['properties'] ?? {};
    for (const [key, child] of Object.entries(record)) {
      const childSchema = properties[key];
      if (childSchema !== undefined) errors.push(...validate(child, childSchema, `${path}.${key}`));
      else if (schema['additionalProperties'] === false) errors.push(`${path}.${key}: not allowed`);
    }
  }
  return errors;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly operation: string;
  readonly body: any;
  readonly errors: readonly string[];
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

export interface FakeGitHub {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly comments: FakeComment[];
  readonly checkRuns: any[];
  readonly reviews: any[];
  readonly reviewerRequests: any[];
  pr: { number: number; head: string; base: string; baseRef: string; labels: string[] };
  permissions: Record<string, string>;
  /** Operations (e.g. `POST /repos/{owner}/{repo}/issues/{issue_number}/comments`) answered with 403. */
  forbidden: Set<string>;
  /** Every schema violation seen so far. */
  violations(): string[];
  close(): Promise<void>;
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const bodies = requestSchemas();
  let nextId = 1000;
  const state: Omit<FakeGitHub, 'url' | 'close' | 'violations'> = {
    requests: [],
    comments: [],
    checkRuns: [],
    reviews: [],
    reviewerRequests: [],
    pr: { number: 1, head: '', base: '', baseRef: 'main', labels: [] },
    permissions: {},
    forbidden: new Set(),
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const op = OPERATIONS.find((o) => o.method === method && o.pattern.test(url.pathname));
      const send = (status: number, data: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(data));
      };
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any = undefined;
      const errors: string[] = [];
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          errors.push('body is not JSON');
        }
      }
      if (op === undefined) {
        state.requests.push({
          method,
          path: url.pathname,
          operation: 'unknown',
          body,
          errors: [`no such operation: ${method} ${url.pathname}`],
        });
        send(404, { message: 'Not Found' });
        return;
      }
      const key = `${op.method} ${op.template}`;
      const schema = bodies.get(key);
      if (schema !== null && schema !== undefined) errors.push(...validate(body ?? {}, schema));
      else if (body !== undefined && method !== 'GET') errors.push('unexpected body');
      state.requests.push({ method, path: url.pathname, operation: key, body, errors });
      if (req.headers.authorization !== 'token test-token') {
        send(401, { message: 'Bad credentials' });
        return;
      }
      if (state.forbidden.has(key)) {
        send(403, { message: 'Resource not accessible by integration' });
        return;
      }
      const params = op.pattern.exec(url.pathname)!.slice(1);
      switch (key) {
        case 'GET /repos/{owner}/{repo}/pulls/{pull_number}':
          send(200, {
            number: state.pr.number,
            head: { sha: state.pr.head, repo: { full_name: `${params[0]}/${params[1]}` } },
            base: { sha: state.pr.base, ref: state.pr.baseRef },
            labels: state.pr.labels.map((name) => ({ name })),
          });
          return;
        case 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments':
          send(200, state.comments);
          return;
        case 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': {
          const comment = {
            id: nextId++,
            body: String(body?.body ?? ''),
            user: { login: 'github-actions[bot]', type: 'Bot' },
          };
          state.comments.push(comment);
          send(201, comment);
          return;
        }
        case 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': {
          const comment = state.comments.find((c) => c.id === Number(params[2]));
          if (comment === undefined) return send(404, { message: 'Not Found' });
          comment.body = String(body?.body ?? '');
          send(200, comment);
          return;
        }
        case 'POST /repos/{owner}/{repo}/check-runs': {
          const run = { id: nextId++, ...body, updates: [] as any[] };
          state.checkRuns.push(run);
          send(201, { id: run.id });
          return;
        }
        case 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}': {
          const run = state.checkRuns.find((r) => r.id === Number(params[2]));
          if (run === undefined) return send(404, { message: 'Not Found' });
          run.updates.push(body);
          send(200, { id: run.id });
          return;
        }
        case 'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers':
          state.reviewerRequests.push(body);
          send(201, {});
          return;
        case 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews':
          state.reviews.push(body);
          send(200, { id: nextId++ });
          return;
        case 'GET /repos/{owner}/{repo}/collaborators/{username}/permission': {
          const permission = state.permissions[params[2]!] ?? 'read';
          send(200, { permission, role_name: permission, user: { login: params[2] } });
          return;
        }
        default:
          send(404, { message: 'Not Found' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    violations: () => state.requests.flatMap((r) => r.errors.map((e) => `${r.operation}: ${e}`)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
