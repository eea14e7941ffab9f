/**
 * The script worker (src/analyze/script-worker.ts) as the gate runs it: the bundled CLI started as
 * a worker thread. A source TypeScript's parser cannot finish in the deadline is unavailable,
 * "could not be analysed in N s", never a hang; nothing parses it again; the next source gets a
 * fresh thread.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScriptWorker } from '../../src/analyze/script-worker.js';
import { UnparsableCode } from '../../src/domain/errors.js';
import { DIST } from '../e2e/action-helpers.js';

const entry = join(DIST, 'cli/index.js');
/** `async(async(…(1)…))`: ~2^depth work in TypeScript's parser (depth 22 took ~10 s). */
const ASYNC_32 = `export const x = ${'async('.repeat(32)}1${')'.repeat(32)};\n`;
const PLAIN = 'export function double(n: number): number {\n  return eval("n * 2");\n}\n';

describe('the script worker (the bundle as its thread)', () => {
  const worker = new ScriptWorker({ entry, deadlineMs: 1000 });
  afterAll(() => worker.close());

  it('analyses and transpiles in its thread', async () => {
    const roomy = new ScriptWorker({ entry });
    try {
      const analysis = await roomy.analyse({ code: PLAIN, language: 'typescript' });
      expect(analysis.functions.map((f) => f.name)).toEqual(['double']);
      expect(analysis.security.available && analysis.security.issues.map((i) => i.rule)).toEqual([
        'JS-EVAL',
      ]);
      const script = await roomy.transpile({ code: PLAIN, language: 'typescript' });
      expect(script.code).toMatch(/export function double\(n\) \{/);
      expect(script.syntaxLine).toBeNull();
    } finally {
      roomy.close();
    }
  });

  it('a parse past the deadline: unavailable, never parsed again, the next source analysed afresh', async () => {
    const input = { code: ASYNC_32, language: 'typescript' } as const;
    const analysis = await worker.analyse(input);
    expect(analysis.security).toEqual({
      available: false,
      reason: 'could not be analysed in 1 s',
    });
    expect(analysis.correctness.not_checked).toBe('could not be analysed in 1 s');
    // The measurer's transpile of the same source is refused with the same reason, not retried.
    await expect(worker.transpile(input)).rejects.toThrow(UnparsableCode);
    await expect(worker.transpile(input)).rejects.toThrow('could not be analysed in 1 s');
    const next = await worker.transpile({ code: 'export const a = 1;\n', language: 'javascript' });
    expect(next.code).toBe('export const a = 1;\n');
  });

  it("a source past the parser's own limits is refused, not a crash", async () => {
    const deep = `export const h = ${'['.repeat(300_000)}1${']'.repeat(300_000)};\n`;
    await expect(worker.transpile({ code: deep, language: 'typescript' })).rejects.toThrow(
      /could not be analysed/,
    );
  });
});
