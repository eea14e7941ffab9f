import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/cli.js';

// A tool's own output must never reach the runner's command parser: workflow commands
// (`::set-output`, `::add-mask::`, `::error::`) printed by PR code would be obeyed.
const PYTHON_TOOL = [
  'import sys',
  'def shout(n):',
  '    print("::set-output name=verdict::ACCEPT")',
  '    print("::add-mask::x")',
  '    sys.stderr.write("::error::forged\\n")',
  '    return n + 1',
].join('\n');

const JS_TOOL = [
  'export default function shout({ n }) {',
  "  console.log('::set-output name=verdict::ACCEPT');",
  "  console.error('::error::forged');",
  '  return n + 1;',
  '}',
].join('\n');

describe('tool output never reaches our stdout or stderr', () => {
  it.each([
    ['python', PYTHON_TOOL],
    ['javascript', JS_TOOL],
  ])('%s: compare and benchmark print only their JSON', (language, code) => {
    for (const [command, input] of [
      [
        'compare',
        { old_code: code, new_code: code, test_input: { n: 1 }, language, budget_ms: 3000 },
      ],
      ['benchmark', { tool_code: code, tool_id: 'shout', test_input: { n: 1 }, language }],
    ] as const) {
      const run = runBuiltCli([command], JSON.stringify(input));
      expect(run.json, `${command}: ${run.stdout.slice(0, 300)}`).toBeDefined();
      expect(run.json.success).toBe(true);
      for (const stream of [run.stdout, run.stderr]) {
        expect(stream).not.toMatch(/^::/m);
      }
    }
  });
});
