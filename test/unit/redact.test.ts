import { describe, expect, it } from 'vitest';
import { Redactor, runSecrets, untrustedExcerpt } from '../../src/report/redact.js';

const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const RUNTIME = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.runtime-token-value';

describe('Redactor', () => {
  const redactor = new Redactor(
    runSecrets({ 'INPUT_GITHUB-TOKEN': TOKEN, ACTIONS_RUNTIME_TOKEN: RUNTIME, PATH: '/usr/bin' }),
  );

  it('replaces the run secrets, their checkout base64 form and every token shape', () => {
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    const text = [
      `token is ${TOKEN}`,
      `runtime ${RUNTIME}!`,
      `AUTHORIZATION: basic ${basic}`,
      `http.https://github.com/.extraheader=AUTHORIZATION: basic ${basic}`,
      'a pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz and ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'Authorization: Bearer abc.def.ghi',
      `bare ${basic}`,
    ].join('\n');
    const out = redactor.text(text);
    for (const secret of [TOKEN, RUNTIME, basic, 'github_pat_11ABC', 'ghp_abc', 'abc.def.ghi'])
      expect(out).not.toContain(secret);
    expect(out).toContain('token is ***');
    expect(out).toContain('Authorization: ***');
  });

  it('walks reports: every string, keys included; numbers and nulls stay', () => {
    const report = { a: [TOKEN, 1, null, { [TOKEN]: `x ${RUNTIME}` }], b: true };
    expect(redactor.deep(report)).toEqual({ a: ['***', 1, null, { '***': 'x ***' }], b: true });
  });

  it('leaves ordinary text and short values alone', () => {
    const short = new Redactor(['abc', '', undefined]);
    expect(short.text('abc def ghs_x')).toBe('abc def ghs_x');
    expect(redactor.text('ACCEPT — 1 accepted')).toBe('ACCEPT — 1 accepted');
  });

  it('makes a short, control-free excerpt of untrusted tool text', () => {
    const excerpt = untrustedExcerpt(redactor, `\u001b[31m${TOKEN}${'x'.repeat(1000)}`, 100);
    expect(excerpt.length).toBeLessThanOrEqual(100);
    expect(excerpt).not.toContain('\u001b');
    expect(excerpt.startsWith(' [31m***')).toBe(true);
  });
});
