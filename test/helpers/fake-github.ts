/**
 * A local fake of the GitHub REST API on 127.0.0.1 for end-to-end tests of the Action. It records
 * every request, keeps comments / check runs / reviews in memory, and checks both directions
 * against the operation's schemas in @octokit/openapi with Ajv (JSON Schema 2019-09):
 *
 * - requests STRICTLY: every object schema is closed with `unevaluatedProperties: false` where
 *   GitHub's schema leaves it open, so a misspelled optional field (`conclusoin`, `titel`) is an
 *   error; `anyOf`/`oneOf` branches are checked together with their siblings' `required` and
 *   `properties` (Ajv's semantics, not a hand-written subset);
 * - its own responses against the response schema of the status it sends: the bodies are built
 *   from the spec's own examples, and a fake that drifts from GitHub fails the test.
 *
 * Failures can be injected per operation (a 502, a reset connection, a secondary rate limit with
 * `retry-after`), to test the client's retries.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import Ajv2019Module from 'ajv/dist/2019.js';
import type { ValidateFunction } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';
import { ROOT } from './cli.js';

type Schema = Record<string, any>;

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly key: string;
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
  ['GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews'],
  ['PUT', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}'],
  ['GET', '/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers'],
  ['DELETE', '/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers'],
  ['GET', '/repos/{owner}/{repo}/collaborators/{username}/permission'],
  ['GET', '/repos/{owner}/{repo}/issues/{issue_number}/events'],
].map(([method, template]) => ({
  method: method!,
  template: template!,
  key: `${method!} ${template!}`,
  pattern: new RegExp(`^${template!.replace(/\{[^}]+\}/g, '([^/]+)')}$`),
}));

export type OperationKey = string;

interface Spec {
  readonly request: Map<string, ValidateFunction | null>;
  /** `<operation> <status>` → validator of the response body. */
  readonly response: Map<string, ValidateFunction>;
  /** The spec's example response body of each operation's success status. */
  readonly examples: Map<string, any>;
}

// CommonJS modules: their `default` is the export under Node's ESM interop.
const Ajv2019 = Ajv2019Module.default;
const addFormats = addFormatsModule.default;
const standaloneCode = standaloneModule.default;

let spec: Spec | undefined;

/**
 * Close every object schema GitHub leaves open. A schema directly under anyOf/oneOf/allOf is left
 * open: its parent's `unevaluatedProperties` sees what the branches evaluated.
 */
function closeSchema(schema: unknown, inCombinator = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => closeSchema(s, false));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) {
    if (key === 'anyOf' || key === 'oneOf' || key === 'allOf')
      out[key] = (value as unknown[]).map((branch) => closeSchema(branch, true));
    else if (key === 'properties' || key === 'patternProperties')
      out[key] = Object.fromEntries(
        Object.entries(value as Schema).map(([name, s]) => [name, closeSchema(s, false)]),
      );
    else if (key === 'items' || key === 'additionalProperties' || key === 'not')
      out[key] = closeSchema(value, false);
    else out[key] = value;
  }
  const isObject =
    out['type'] === 'object' ||
    (Array.isArray(out['type']) && out['type'].includes('object')) ||
    out['properties'] !== undefined ||
    out['anyOf'] !== undefined ||
    out['oneOf'] !== undefined ||
    out['allOf'] !== undefined;
  if (isObject && !inCombinator && out['additionalProperties'] === undefined)
    out['unevaluatedProperties'] = false;
  return out;
}

/**
 * The validators, compiled once and cached in node_modules/.cache as Ajv standalone code (keyed by
 * the package's version, OPERATIONS and this file's schema closing): the spec is 73 MB (2 s to
 * parse) and compiling its schemas takes as long again, per test file.
 */
function loadSpec(): Spec {
  if (spec !== undefined) return spec;
  const openapi = `${ROOT}node_modules/@octokit/openapi/`;
  const version = String(JSON.parse(readFileSync(`${openapi}package.json`, 'utf8')).version);
  const key = createHash('sha256')
    .update(JSON.stringify([version, OPERATIONS.map((o) => o.key), closeSchema.toString()]))
    .digest('hex')
    .slice(0, 16);
  const dir = `${ROOT}node_modules/.cache/perf-verdict`;
  const code = `${dir}/openapi-${key}.cjs`;
  const meta = `${dir}/openapi-${key}.json`;
  if (!existsSync(code) || !existsSync(meta))
    compileSpec(`${openapi}generated/api.github.com.deref.json`, code, meta);
  const validators = createRequire(import.meta.url)(code) as Record<string, ValidateFunction>;
  const { requests, responses, examples } = JSON.parse(readFileSync(meta, 'utf8')) as {
    requests: Record<string, boolean>;
    responses: string[];
    examples: Record<string, any>;
  };
  const request = new Map<string, ValidateFunction | null>();
  for (const [op, hasBody] of Object.entries(requests))
    request.set(op, hasBody ? validators[`request ${op}`]! : null);
  const response = new Map(responses.map((id) => [id, validators[`response ${id}`]!]));
  spec = { request, response, examples: new Map(Object.entries(examples)) };
  return spec;
}

/** Compile OPERATIONS' schemas to standalone code and write it, with the examples, whole. */
function compileSpec(file: string, code: string, meta: string): void {
  const api = JSON.parse(readFileSync(file, 'utf8'));
  const ajv = new Ajv2019({
    strict: false,
    allErrors: true,
    validateFormats: true,
    code: { source: true },
  });
  addFormats(ajv);
  const ids: Record<string, string> = {};
  const requests: Record<string, boolean> = {};
  const responses: string[] = [];
  const examples: Record<string, any> = {};
  for (const op of OPERATIONS) {
    const operation = api.paths[op.template]?.[op.method.toLowerCase()];
    if (operation === undefined) throw new Error(`openapi has no ${op.key}`);
    const body = operation.requestBody?.content?.['application/json']?.schema;
    requests[op.key] = body !== undefined;
    if (body !== undefined) {
      ajv.addSchema(closeSchema(body) as Schema, `request ${op.key}`);
      ids[`request ${op.key}`] = `request ${op.key}`;
    }
    for (const [status, answer] of Object.entries(operation.responses as Record<string, any>)) {
      const content = answer.content?.['application/json'];
      if (content?.schema === undefined) continue;
      ajv.addSchema(content.schema, `response ${op.key} ${status}`);
      ids[`response ${op.key} ${status}`] = `response ${op.key} ${status}`;
      responses.push(`${op.key} ${status}`);
      if (/^2/.test(status) && examples[op.key] === undefined) {
        const example = content.example ?? (Object.values(content.examples ?? {})[0] as any)?.value;
        if (example !== undefined) examples[op.key] = example;
      }
    }
  }
  mkdirSync(dirname(code), { recursive: true });
  // Written whole, then renamed: test files in parallel workers never read half a file.
  const write = (path: string, text: string): void => {
    writeFileSync(`${path}.${process.pid}`, text);
    renameSync(`${path}.${process.pid}`, path);
  };
  write(meta, JSON.stringify({ requests, responses, examples }));
  write(code, standaloneCode(ajv, ids));
}

function errorsOf(validate: ValidateFunction, value: unknown, where: string): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, 8).map((e) => {
    const extra =
      e.keyword === 'unevaluatedProperties' || e.keyword === 'additionalProperties'
        ? ` '${String((e.params as Record<string, unknown>)['unevaluatedProperty'] ?? (e.params as Record<string, unknown>)['additionalProperty'])}'`
        : e.keyword === 'enum'
          ? ` ${JSON.stringify((e.params as Record<string, unknown>)['allowedValues'])}`
          : '';
    return `${where}${e.instancePath || ''}: ${e.message ?? e.keyword}${extra}`;
  });
}

/** Strict request-body check of one operation, e.g. `POST /repos/{owner}/{repo}/check-runs`. */
export function validateRequest(operation: OperationKey, body: unknown): string[] {
  const validate = loadSpec().request.get(operation);
  if (validate === undefined) return [`no such operation: ${operation}`];
  if (validate === null) return body === undefined ? [] : [`${operation} takes no body`];
  return errorsOf(validate, body ?? {}, '$');
}

/** Check a response body against the spec's schema for that status (none declared: unchecked). */
export function validateResponse(operation: OperationKey, status: number, body: unknown): string[] {
  const validate = loadSpec().response.get(`${operation} ${status}`);
  return validate === undefined ? [] : errorsOf(validate, body, `response ${status}`);
}

function example(operation: OperationKey): any {
  const value = loadSpec().examples.get(operation);
  if (value === undefined) throw new Error(`openapi has no example response for ${operation}`);
  return structuredClone(value);
}

interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly operation: string;
  readonly body: any;
  readonly errors: readonly string[];
  /** Date.now() when the request arrived. */
  readonly at: number;
  /** The status answered (0: the connection was reset). */
  status: number;
}

interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  /** When it was written (GitHub's format, to the second); the spec example's date when unset. */
  created_at?: string;
}

/** A label added to the pull request (the issue events API's `labeled` event). */
interface FakeLabelEvent {
  label: string;
  login: string;
  created_at: string;
}

/** Now, as GitHub writes times: ISO 8601 to the second. */
export function githubTime(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A failure answered instead of the operation's result, once. */
type Injected =
  | {
      readonly status: number;
      readonly message?: string;
      readonly headers?: Record<string, string>;
    }
  | { readonly reset: true };

export interface FakeGitHub {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly comments: FakeComment[];
  readonly checkRuns: any[];
  readonly reviews: any[];
  readonly reviewerRequests: any[];
  /** Who is requested now and has not reviewed: logins and team slugs. */
  readonly requested: { users: Set<string>; teams: Set<string> };
  pr: { number: number; head: string; base: string; baseRef: string; labels: string[] };
  permissions: Record<string, string>;
  /** Labels added to the PR, oldest first: what the issue events API lists as `labeled`. */
  readonly labelEvents: FakeLabelEvent[];
  /** Operations (e.g. `POST /repos/{owner}/{repo}/issues/{issue_number}/comments`) answered with 403. */
  forbidden: Set<string>;
  /** Queue failures for an operation: each request takes the next one until the queue is empty. */
  inject(operation: OperationKey, ...failures: Injected[]): void;
  /** Every schema violation seen so far, requests and the fake's own responses. */
  violations(): string[];
  close(): Promise<void>;
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  loadSpec();
  let nextId = 1000;
  const injected = new Map<string, Injected[]>();
  const responseErrors: string[] = [];
  const state: Omit<FakeGitHub, 'url' | 'close' | 'violations' | 'inject'> = {
    requests: [],
    comments: [],
    checkRuns: [],
    reviews: [],
    reviewerRequests: [],
    requested: { users: new Set(), teams: new Set() },
    pr: { number: 1, head: '', base: '', baseRef: 'main', labels: [] },
    permissions: {},
    labelEvents: [],
    forbidden: new Set(),
  };

  // The spec's own pull-request example lists a team without its required `type`: leave teams out.
  const pullExample = (): any => ({
    ...example('GET /repos/{owner}/{repo}/pulls/{pull_number}'),
    requested_teams: [],
  });

  const commentOf = (comment: FakeComment, owner: string, repo: string): any => ({
    ...example('GET /repos/{owner}/{repo}/issues/{issue_number}/comments')[0],
    id: comment.id,
    node_id: `IC_${comment.id}`,
    body: comment.body,
    ...(comment.created_at === undefined
      ? {}
      : { created_at: comment.created_at, updated_at: comment.created_at }),
    url: `https://api.github.com/repos/${owner}/${repo}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${state.pr.number}#issuecomment-${comment.id}`,
    issue_url: `https://api.github.com/repos/${owner}/${repo}/issues/${state.pr.number}`,
    user: {
      ...example('GET /repos/{owner}/{repo}/issues/{issue_number}/comments')[0].user,
      login: comment.user.login,
      type: comment.user.type,
    },
  });

  const handle = (
    req: IncomingMessage,
    res: ServerResponse,
    text: string,
    recorded: RecordedRequest[],
  ): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const op = OPERATIONS.find((o) => o.method === method && o.pattern.test(url.pathname));
    let body: any = undefined;
    const errors: string[] = [];
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        errors.push('body is not JSON');
      }
    }
    const entry: RecordedRequest = {
      method,
      path: url.pathname,
      operation: op?.key ?? 'unknown',
      body,
      errors,
      at: Date.now(),
      status: 0,
    };
    recorded.push(entry);
    const send = (status: number, data: unknown, headers: Record<string, string> = {}): void => {
      entry.status = status;
      if (op !== undefined)
        responseErrors.push(
          ...validateResponse(op.key, status, data).map((e) => `${op.key}: ${e}`),
        );
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(data));
    };
    if (op === undefined) {
      errors.push(`no such operation: ${method} ${url.pathname}`);
      send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    errors.push(...validateRequest(op.key, body));
    if (req.headers.authorization !== 'token test-token') {
      send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const failure = injected.get(op.key)?.shift();
    if (failure !== undefined) {
      if ('reset' in failure) {
        res.socket?.destroy();
        return;
      }
      send(
        failure.status,
        {
          message: failure.message ?? 'Server Error',
          documentation_url: 'https://docs.github.com/rest',
        },
        failure.headers,
      );
      return;
    }
    if (state.forbidden.has(op.key)) {
      send(403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest',
      });
      return;
    }
    const params = op.pattern.exec(url.pathname)!.slice(1);
    const [owner, repo] = [params[0]!, params[1]!];
    switch (op.key) {
      case 'GET /repos/{owner}/{repo}/pulls/{pull_number}': {
        const pr = pullExample();
        pr.number = state.pr.number;
        pr.head = {
          ...pr.head,
          sha: state.pr.head,
          repo: { ...pr.head.repo, full_name: `${owner}/${repo}` },
        };
        pr.base = { ...pr.base, sha: state.pr.base, ref: state.pr.baseRef };
        const label = pr.labels[0];
        pr.labels = state.pr.labels.map((name, i): unknown => ({ ...label, id: 100 + i, name }));
        send(200, pr);
        return;
      }
      case 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments':
        send(
          200,
          state.comments.map((c): unknown => commentOf(c, owner, repo)),
        );
        return;
      case 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': {
        const comment = {
          id: nextId++,
          body: String(body?.body ?? ''),
          user: { login: 'github-actions[bot]', type: 'Bot' },
          created_at: githubTime(),
        };
        state.comments.push(comment);
        send(201, commentOf(comment, owner, repo));
        return;
      }
      case 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': {
        const comment = state.comments.find((c) => c.id === Number(params[2]));
        if (comment === undefined)
          return send(404, {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest',
          });
        comment.body = String(body?.body ?? '');
        send(200, commentOf(comment, owner, repo));
        return;
      }
      case 'POST /repos/{owner}/{repo}/check-runs': {
        const run = { id: nextId++, ...body, updates: [] as any[] };
        state.checkRuns.push(run);
        send(201, { ...example(op.key), id: run.id, head_sha: body?.head_sha, name: body?.name });
        return;
      }
      case 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}': {
        const run = state.checkRuns.find((r) => r.id === Number(params[2]));
        if (run === undefined)
          return send(404, {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest',
          });
        run.updates.push(body);
        send(200, { ...example(op.key), id: run.id, head_sha: run.head_sha, name: run.name });
        return;
      }
      case 'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers':
        state.reviewerRequests.push(body);
        for (const u of body?.reviewers ?? []) state.requested.users.add(String(u));
        for (const t of body?.team_reviewers ?? []) state.requested.teams.add(String(t));
        send(201, {
          ...pullExample(),
          number: state.pr.number,
        });
        return;
      case 'DELETE /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers':
        for (const u of body?.reviewers ?? []) state.requested.users.delete(String(u));
        for (const t of body?.team_reviewers ?? []) state.requested.teams.delete(String(t));
        send(200, { ...pullExample(), number: state.pr.number });
        return;
      case 'GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers': {
        const answer = example(op.key);
        const user = answer.users[0];
        const team = answer.teams[0];
        send(200, {
          users: [...state.requested.users].map((login, i): unknown => ({
            ...user,
            id: 500 + i,
            login,
          })),
          teams: [...state.requested.teams].map((slug, i): unknown => ({
            ...team,
            id: 600 + i,
            slug,
            name: slug,
            // The spec's example team lacks its required `type`.
            type: 'organization',
          })),
        });
        return;
      }
      case 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews': {
        // A human's review can be pushed into state.reviews by a test (with user and state).
        const review = {
          id: nextId++,
          user: { login: 'github-actions[bot]', type: 'Bot' },
          state: 'COMMENTED',
          ...body,
        };
        state.reviews.push(review);
        send(200, {
          ...example(op.key),
          id: review.id,
          body: String(body?.body ?? ''),
          commit_id: body?.commit_id,
        });
        return;
      }
      case 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews': {
        const base = example(op.key)[0];
        send(
          200,
          state.reviews.map((r): unknown => ({
            ...base,
            id: r.id,
            body: String(r.body ?? ''),
            commit_id: r.commit_id ?? base.commit_id,
            state: r.state ?? 'COMMENTED',
            user: { ...base.user, login: r.user?.login ?? 'x', type: r.user?.type ?? 'User' },
          })),
        );
        return;
      }
      case 'PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}': {
        const review = state.reviews.find((r) => r.id === Number(params[3]));
        if (review === undefined)
          return send(404, {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest',
          });
        review.body = String(body?.body ?? '');
        review.updates = (review.updates ?? 0) + 1;
        send(200, { ...example(op.key), id: review.id, body: review.body });
        return;
      }
      case 'GET /repos/{owner}/{repo}/issues/{issue_number}/events': {
        const user = example('GET /repos/{owner}/{repo}/issues/{issue_number}/comments')[0].user;
        send(
          200,
          state.labelEvents.map((e, i): unknown => ({
            id: 700 + i,
            node_id: `LE_${700 + i}`,
            url: `https://api.github.com/repos/${owner}/${repo}/issues/events/${700 + i}`,
            actor: { ...user, login: e.login, type: 'User' },
            event: 'labeled',
            commit_id: null,
            commit_url: null,
            created_at: e.created_at,
            performed_via_github_app: null,
            label: { name: e.label, color: 'ededed' },
          })),
        );
        return;
      }
      case 'GET /repos/{owner}/{repo}/collaborators/{username}/permission': {
        const permission = state.permissions[params[2]!] ?? 'read';
        const answer = example(op.key);
        answer.permission = permission === 'maintain' ? 'write' : permission;
        answer.role_name = permission;
        answer.user = { ...answer.user, login: params[2], role_name: permission };
        send(200, answer);
        return;
      }
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8'), state.requests));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    inject: (operation: OperationKey, ...failures: Injected[]) => {
      if (!OPERATIONS.some((o) => o.key === operation))
        throw new Error(`no operation ${operation}`);
      injected.set(operation, [...(injected.get(operation) ?? []), ...failures]);
    },
    violations: () => [
      ...state.requests.flatMap((r) => r.errors.map((e) => `${r.operation}: ${e}`)),
      ...responseErrors,
    ],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
