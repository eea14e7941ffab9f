/**
 * The event is parsed once, by one schema per event name: every real payload of the events the
 * Action runs on (all of @octokit/webhooks-examples') parses, and a payload that is not what
 * GitHub sends is an error naming the field.
 */
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../src/action/event.js';
import { webhookExample, webhookExamples } from '../helpers/webhook-events.js';

describe('the event', () => {
  it.each(['pull_request', 'issue_comment', 'workflow_run', 'push'] as const)(
    'every %s example of @octokit/webhooks-examples parses',
    (name) => {
      const examples = webhookExamples(name);
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) expect(parseEvent(name, example).kind).toBe(name);
    },
  );

  it('keeps what the modes use of a pull_request, typed', () => {
    const payload = webhookExample('pull_request', 'labeled', (p) => {
      p.pull_request.body = '';
    });
    expect(parseEvent('pull_request_target', payload)).toEqual({
      kind: 'pull_request',
      name: 'pull_request_target',
      action: 'labeled',
      pullRequest: {
        number: payload.pull_request.number,
        headSha: payload.pull_request.head.sha,
        baseSha: payload.pull_request.base.sha,
        baseRef: payload.pull_request.base.ref,
        labels: payload.pull_request.labels.map((l) => l.name),
        title: payload.pull_request.title,
        body: undefined,
      },
      label: 'label' in payload ? payload.label?.name : undefined,
      sender: payload.sender.login,
      repository: payload.repository.full_name,
    });
  });

  it('a push that deletes the branch says so', () => {
    const payload = webhookExample('push', null, (p) => {
      p.after = '0'.repeat(40);
    });
    expect(parseEvent('push', payload)).toMatchObject({ kind: 'push', deleted: true });
  });

  it('names the field of a payload that is not what GitHub sends', () => {
    const bad = webhookExample('pull_request', 'opened', (p) => {
      p.pull_request.head.sha = '$(reboot)';
    });
    expect(() => parseEvent('pull_request', bad)).toThrow(
      "the pull_request event payload is not what GitHub sends: 'pull_request.head.sha': expected a commit sha",
    );
    expect(() => parseEvent('push', { after: 'a'.repeat(40) })).toThrow(/'before'/);
  });

  it('an event no mode runs on is kept by name only', () => {
    expect(parseEvent('schedule', { repository: { full_name: 'o/r' } })).toEqual({
      kind: 'other',
      name: 'schedule',
      repository: 'o/r',
    });
  });
});
