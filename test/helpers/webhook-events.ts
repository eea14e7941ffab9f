/**
 * Real webhook payloads from @octokit/webhooks-examples, typed by its event types
 * (@octokit/webhooks-types), for the events the Action runs on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { ROOT } from './cli.js';

type EventName =
  | 'pull_request'
  | 'pull_request_target'
  | 'issue_comment'
  | 'workflow_run'
  | 'push'
  | 'merge_group';
/** The payload type of event `N` (pull_request_target carries pull_request's). */
export type WebhookPayload<N extends EventName> = WebhookDefinition<
  N extends 'pull_request_target' ? 'pull_request' : N
>['examples'][number];

const definitions = JSON.parse(
  readFileSync(
    join(ROOT, 'node_modules/@octokit/webhooks-examples/api.github.com/index.json'),
    'utf8',
  ),
) as WebhookDefinition[];

/** Every example payload of `name` (pull_request_target: pull_request's). */
export function webhookExamples<N extends EventName>(name: N): WebhookPayload<N>[] {
  const source = name === 'pull_request_target' ? 'pull_request' : name;
  const examples = definitions.find((d) => d.name === source)?.examples;
  if (examples === undefined) throw new Error(`no ${name} examples`);
  return examples as WebhookPayload<N>[];
}

/**
 * A copy of the example of `name` with `action` (or the first, for events without actions), with
 * `patch` applied.
 */
export function webhookExample<N extends EventName>(
  name: N,
  action: string | null,
  patch: (payload: WebhookPayload<N>) => void = () => {},
): WebhookPayload<N> {
  const example = webhookExamples(name).find(
    (x) => action === null || (x as { action?: string }).action === action,
  );
  if (example === undefined) throw new Error(`no ${name}.${action} example`);
  const copy = structuredClone(example);
  patch(copy);
  return copy;
}
