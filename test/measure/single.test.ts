import { describe, expect, it } from 'vitest';
import { profileVersion } from '../../src/measure/index.js';
import type { ToolVersion } from '../../src/domain/types.js';

const py = (code: string, mode: ToolVersion['mode'] = 'function'): ToolVersion => ({
  code,
  language: 'python',
  mode,
  testInput: null,
});

describe('profileVersion: a new tool measured alone', () => {
  it('gives warm and cold time per call and memory, rotating its inputs through fresh processes', async () => {
    const p = await profileVersion(
      py('def work(n):\n    return sum(range(n))\n'),
      [{ n: 1000 }, { n: 20000 }],
      { budgetMs: 4000 },
    );
    expect(p.error).toBeUndefined();
    expect(p.inputs).toBe(2);
    expect(p.runs).toBeGreaterThanOrEqual(2);
    expect(p.ns_per_call).toBeGreaterThan(0);
    expect(p.cold_ns).toBeGreaterThan(0);
    expect(p.memory_kb).not.toBeNull();
    expect(p.samples).toBeGreaterThan(0);
  });

  it('runs an executable tool on stdin', async () => {
    const p = await profileVersion(
      py(
        'import json, sys\nprint(json.dumps(json.load(sys.stdin)["text"].upper()))\n',
        'executable',
      ),
      [{ text: 'abc' }],
      { budgetMs: 4000 },
    );
    expect(p.error).toBeUndefined();
    expect(p.ns_per_call).toBeGreaterThan(0);
  });

  it('a tool that fails on its input is an error, not a throw', async () => {
    const p = await profileVersion(py('def work(d):\n    return d["missing"]\n'), [{ n: 1 }], {
      budgetMs: 3000,
    });
    expect(p.error?.kind).toBe('exception');
    expect(p.error?.message).toMatch(/KeyError/);
  });
});
