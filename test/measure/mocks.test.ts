import { describe, expect, it } from 'vitest';
import type { Json, Language } from '../../src/domain/types.js';
import { benchmarkTool, createMeasurer } from '../../src/measure/index.js';

function version(code: string, language: Language, testInput: Json = {}) {
  return { code, language, mode: 'function' as const, testInput };
}

/** Benchmark a Python tool that must run cleanly and report `event` among its network events. */
async function expectNetworkEvent(code: string, event: { kind: string; target: string }) {
  const result = await benchmarkTool(version(code, 'python'), { budgetMs: 8000 });
  expect(result.error).toBeUndefined();
  expect(result.statistics?.network).toContainEqual(event);
}

describe('mocks (Python)', () => {
  it('answers requests.get with a mocked response, even where requests is not installed, and reports it', async () => {
    const code = [
      'import requests',
      'def fetch(**kw):',
      "    r = requests.get('https://example.com/data')",
      '    r.raise_for_status()',
      "    return {'status': r.status_code, 'body': r.json(), 'mock': getattr(requests, '__perf_verdict_mock__', False)}",
    ].join('\n');
    await expectNetworkEvent(code, { kind: 'mocked', target: 'GET https://example.com/data' });
  });

  it('answers async clients (httpx.AsyncClient, aiohttp.ClientSession) inside async with', async () => {
    const code = `import aiohttp, httpx
async def fetch(**kw):
    async with httpx.AsyncClient() as client:
        a = await client.get('https://example.com/x')
        await client.aclose()
    async with aiohttp.ClientSession() as session:
        async with session.get('https://example.com/y') as r:
            b = await r.text()
        await session.close()
    return [a.status_code, len(b) >= 0]`;
    await expectNetworkEvent(code, { kind: 'mocked', target: 'GET https://example.com/y' });
  });

  it('blocks and reports a raw socket to a public address', async () => {
    const code = [
      'import socket',
      'def probe(**kw):',
      '    s = socket.socket()',
      '    try:',
      "        s.connect(('93.184.216.34', 80))",
      "        return 'connected'",
      '    except OSError as exc:',
      "        return 'blocked: %s' % exc",
      '    finally:',
      '        s.close()',
    ].join('\n');
    await expectNetworkEvent(code, { kind: 'blocked', target: '93.184.216.34:80' });
  });

  it("serves code_evolver's `from node_runtime import call_tool` with a string", async () => {
    const code = [
      'from node_runtime import call_tool',
      'def summarise(text):',
      "    out = call_tool('summarizer', text)",
      '    if not isinstance(out, str):',
      "        raise TypeError('call_tool must return a string')",
      '    return out.upper()',
    ].join('\n');
    const result = await benchmarkTool(version(code, 'python', { text: 'hello' }), {
      budgetMs: 8000,
    });
    expect(result.error).toBeUndefined();
    expect(result.statistics?.network).toContainEqual({
      kind: 'mocked',
      target: 'call_tool summarizer',
    });
  });

  it('mocks openai / anthropic / ollama clients with their real shapes', async () => {
    const code = [
      'import openai, anthropic, ollama',
      'def ask(q):',
      "    a = openai.OpenAI().chat.completions.create(model='gpt', messages=[{'role': 'user', 'content': q}])",
      "    b = anthropic.Anthropic().messages.create(model='claude', max_tokens=10, messages=[])",
      "    c = ollama.chat(model='llama', messages=[])",
      "    return [a.choices[0].message.content, b.content[0].text, c['message']['content']]",
    ].join('\n');
    const result = await benchmarkTool(version(code, 'python', { q: 'hi' }), { budgetMs: 8000 });
    expect(result.error).toBeUndefined();
    const targets = result.statistics?.network.map((e) => e.target) ?? [];
    expect(targets).toEqual(
      expect.arrayContaining([
        'openai chat.completions gpt',
        'anthropic messages claude',
        'ollama chat llama',
      ]),
    );
  });

  it('really executes helpers merely named tool_*: their time counts', async () => {
    // tool_helper sleeps 20 ms: were it mocked, the call would take microseconds.
    const code = [
      'import time',
      'def tool_helper():',
      '    time.sleep(0.02)',
      "    return 'done'",
      'def main(**kw):',
      '    return tool_helper()',
    ].join('\n');
    const result = await benchmarkTool(version(code, 'python'), { budgetMs: 10000 });
    expect(result.error).toBeUndefined();
    expect(result.best_run?.execution_time_ms).toBeGreaterThan(19);
  });
});

describe('mocks (JavaScript)', () => {
  it('answers fetch with a real Response and blocks raw sockets to public addresses', async () => {
    const code = `import net from 'node:net';
export default async function f() {
  const r = await fetch('https://example.com/api', { method: 'POST' });
  const body = await r.json();
  const blocked = await new Promise((resolve) => {
    const s = net.connect(80, '93.184.216.34');
    s.on('error', (e) => resolve(e.code));
    s.on('connect', () => { s.destroy(); resolve('connected'); });
  });
  return { status: r.status, body, blocked };
}`;
    const result = await createMeasurer().compare(
      version(code, 'javascript'),
      version(code, 'javascript'),
      {
        budgetMs: 6000,
        confidence: 0.99,
        delta: 0.02,
      },
    );
    expect(result.new.error).toBeUndefined();
    expect(result.new.network).toContainEqual({
      kind: 'mocked',
      target: 'POST https://example.com/api',
    });
    expect(result.new.network).toContainEqual({ kind: 'blocked', target: '93.184.216.34:80' });
  });

  it('runs TypeScript tools (transpiled) with a named entry', async () => {
    const code =
      'export function add({ a, b }: { a: number; b: number }): number { return a + b; }';
    const result = await benchmarkTool(
      { ...version(code, 'typescript', { a: 1, b: 2 }), entry: 'add' },
      { budgetMs: 8000 },
    );
    expect(result.error).toBeUndefined();
    expect(result.success).toBe(true);
  });
});
