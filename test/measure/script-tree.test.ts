/**
 * A TS/JS tool that runs with the repository files it loads (src/analyze/transpile.ts), started as
 * the measurement protocol starts it: its files are read-only to it (the OS sandbox's bind and
 * Node's permission model where there is none), and a helper's syntax error is named by the
 * helper's repository path.
 */
import { describe, expect, it } from 'vitest';
import type { SandboxMode, ToolVersion } from '../../src/domain/types.js';
import type { HarnessChild } from '../../src/measure/child.js';
import { cleanup, startChild } from '../../src/measure/launch.js';
import { newSides } from '../../src/measure/protocol.js';
import type { Side } from '../../src/measure/protocol.js';
import { sandboxAvailability } from '../../src/measure/sandbox.js';

/** The reply to one `check` call of `version`, started under `sandbox`. */
async function check(version: ToolVersion, sandbox: SandboxMode) {
  let side: Side | undefined;
  let child: HarnessChild | undefined;
  try {
    side = (await newSides([['new', version]], { sandbox }))[0]!;
    child = startChild(side.prepared);
    await child.request(undefined, 20_000);
    return await child.request({ op: 'check' }, 20_000);
  } finally {
    child?.close();
    if (side !== undefined) cleanup(side.prepared);
  }
}

/** Tries to overwrite its helper; answers what happened. */
const WRITER = [
  "import { writeFileSync } from 'node:fs';",
  "import { answer } from './helper.js';",
  'export default function tool() {',
  '  try {',
  "    writeFileSync(new URL('./helper.js.mjs', import.meta.url), 'export const answer = 0;');",
  "    return 'written';",
  '  } catch (error) {',
  '    return `refused ${answer}`;',
  '  }',
  '}',
].join('\n');

const sandboxed = sandboxAvailability().ok;
const modes: SandboxMode[] = sandboxed ? ['required', 'off'] : ['off'];

describe('a TS/JS tool with its helpers', () => {
  it.each(modes)('sandbox %s: the helper it loads is read-only to it', async (sandbox) => {
    const reply = await check(
      {
        code: WRITER,
        language: 'javascript',
        mode: 'function',
        testInput: 1,
        path: 'tools/w/tool.js',
        loads: [{ path: 'tools/w/helper.js', code: 'export const answer = 42;\n' }],
      },
      sandbox,
    );
    // Without the sandbox Node's permission model refuses the write and the harness fails the
    // call as hostile; inside it the read-only bind refuses it and the tool answers.
    if (reply.ok) expect(reply.output).toBe('"refused 42"');
    else expect(reply.error?.kind).toBe('hostile');
  });

  it('a syntax error in a helper names the helper and its line', async () => {
    const broken: ToolVersion = {
      code: "import { f } from './lib/broken';\nexport default (n: number): number => f(n);\n",
      language: 'typescript',
      mode: 'function',
      testInput: 1,
      path: 'tools/s/tool.ts',
      loads: [{ path: 'tools/s/lib/broken.ts', code: '\nexport const f = (n: number) => n +;\n' }],
    };
    // The child fails to load: its first reply is the failure.
    await expect(check(broken, 'off')).rejects.toThrow(
      /^syntax error in tools\/s\/lib\/broken\.ts at line 2: /,
    );
  });
});
