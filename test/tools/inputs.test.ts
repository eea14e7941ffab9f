/**
 * Inputs that work (issue 24), shaped like the code_evolver cases that went wrong: examples that
 * are descriptions, not inputs, for an object schema; `{input_json}` and the runner's other
 * keyword placeholders in `executable.args`; `stdin_mode`; expected outputs kept beside inputs.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import {
  expandArgs,
  mapTree,
  resolveTool,
  schemaFields,
  stdinText,
} from '../../src/tools/index.js';
import type { ToolFiles } from '../../src/tools/index.js';
import { exampleCases, misfitOf } from '../../src/tools/examples.js';

const defaults = parseConfig({}).defaults;

const files = (stem: string): ToolFiles => ({
  key: `code_evolver/tools/executable/${stem}`,
  folder: 'code_evolver/tools/executable',
  stem,
  implementation: `code_evolver/tools/executable/${stem}.py`,
  yaml: `code_evolver/tools/executable/${stem}.yaml`,
  sidecar: null,
});

async function specOf(stem: string, yaml: string) {
  const f = files(stem);
  const tree = mapTree({ [f.yaml!]: yaml, [f.implementation!]: 'import sys\n' });
  const resolved = await resolveTool(f, tree, defaults);
  if (resolved.kind !== 'code') throw new Error('expected code');
  return resolved.spec;
}

describe('an example is an input only when it fits the input schema', () => {
  it('a description string for an object schema is not an input: the input is synthesised, and the row says why', async () => {
    // behave_test_generator's shape: only optional fields, two prose examples.
    const spec = await specOf(
      'behave_test_generator',
      `type: executable
executable:
  command: python
  args: ["{tool_dir}/behave_test_generator.py"]
  stdin_mode: true
input_schema:
  feature_content: {type: string, required: false}
  mode: {type: string, required: false, default: both}
examples:
  - "Generate BDD tests from tool specification"
  - "Create step definitions from Gherkin features"
`,
    );
    expect(spec.testInputs).toEqual([{ mode: 'both' }]);
    expect(spec.synthesised).toBe(true);
    expect(spec.inputSource).toBe(
      'input synthesised from input_schema (no example fits it: examples[0]: a string where the input schema declares fields (feature_content, mode); examples[1]: a string where the input schema declares fields (feature_content, mode))',
    );
  });

  it.each([
    ['a string', 'plain words', 'a string where the input schema declares fields (n, items)'],
    ['a missing required field', { items: [1] }, 'required field n missing'],
    [
      'a field of the wrong type',
      { n: 'three', items: [] },
      'field n is a string, the schema declares integer',
    ],
    ['no declared field at all', { other: 1, n: 2 }, null],
  ])('%s: %j → %s', (_what, input, misfit) => {
    const schema = schemaFields({
      n: { type: 'integer', required: true },
      items: { type: 'array' },
    });
    expect(misfitOf(input, schema)).toBe(misfit);
  });

  it('an object naming none of the declared fields does not fit', () => {
    const schema = schemaFields({ text: { type: 'string' } });
    expect(misfitOf({ operation: 'x' }, schema)).toBe(
      'none of its fields (operation) is declared by the input schema',
    );
    expect(misfitOf({}, schema)).toBeNull();
  });

  it('keeps each fitting example with its expected output, in order, and says which example', async () => {
    const spec = await specOf(
      'adder',
      `type: executable
executable: {command: python, args: ["{tool_dir}/adder.py"]}
input_schema:
  a: {type: number, required: true}
  b: {type: number, required: true}
examples:
  - "adds two numbers"
  - input: {a: 1, b: 2}
    expected_output: {result: 3}
  - input: {a: 2, b: 2}
`,
    );
    expect(spec.testInputs).toEqual([
      { a: 1, b: 2 },
      { a: 2, b: 2 },
    ]);
    expect(spec.cases).toEqual([
      { input: { a: 1, b: 2 }, expected: { value: { result: 3 } } },
      { input: { a: 2, b: 2 } },
    ]);
    expect(spec.inputSource).toBe(
      'code_evolver/tools/executable/adder.yaml examples (2 inputs, each run)',
    );
  });

  it('names the one example used by its position', async () => {
    const spec = await specOf(
      'one',
      `type: executable
executable: {command: python, args: ["{tool_dir}/one.py"]}
input_schema: {q: {type: string, required: true}}
examples:
  - {q: 3}
  - {q: "ok", output: "OK"}
`,
    );
    expect(spec.inputSource).toBe('code_evolver/tools/executable/one.yaml examples[1]');
    expect(spec.cases).toEqual([{ input: { q: 'ok' }, expected: { value: 'OK' } }]);
  });

  it('a YAML whose keys have the wrong types is read as far as it can be, never thrown on', async () => {
    const spec = await specOf(
      'odd',
      `type: 7
description: [not, a, string]
executable: {command: python, args: "not a list"}
input_schema: {x: {type: string, required: true, enum: "no", examples: 4, properties: 5}}
examples: {input: {x: "y"}}
dependencies: 12
`,
    );
    expect(spec).toMatchObject({ testInputs: [{ x: 'y' }], requirement: null, dependencies: [] });
    expect(exampleCases([null, 3, 'x'], []).cases.map((c) => c.input)).toEqual([3, 'x']);
  });
});

describe("executable.args as code_evolver's runner expands them", () => {
  const input = { workflow_id: 'wf-1', tools_root: 'code_evolver/tools', limit: 3 };

  it('{input_json} is the whole input as JSON (workflow_runner reads json.loads(sys.argv[1]))', () => {
    const [arg] = expandArgs(['{input_json}'], '/co/tools/executable', input);
    expect(JSON.parse(arg!)).toEqual(input);
  });

  it('{prompt} is the input (a string as is), {source_file} and {evolved_file} are empty, {field} each field, {tool_dir} the folder', () => {
    expect(
      expandArgs(
        [
          '{tool_dir}/w.py',
          '--id={workflow_id}',
          '{limit}',
          '{source_file}',
          '{evolved_file}',
          '{prompt}',
          '{unknown}',
        ],
        '/co/tools/executable',
        input,
      ),
    ).toEqual([
      '/co/tools/executable/w.py',
      '--id=wf-1',
      '3',
      '',
      '',
      JSON.stringify(input),
      '{unknown}',
    ]);
    expect(expandArgs(['{prompt}'], '.', 'write a haiku')).toEqual(['write a haiku']);
  });

  it("substitutes in the runner's order with str.replace: a value holding a later {key} is expanded by it", () => {
    // source_file, tool_dir, evolved_file, then the caller's keywords (prompt, input_json, the
    // fields in order): `{limit}` inside the query's value is replaced when `limit`'s turn comes.
    expect(
      expandArgs(['{query}', '{tool_dir}'], '/co/tools/executable', {
        query: 'top {limit}',
        limit: 3,
      }),
    ).toEqual(['top 3', '/co/tools/executable']);
    // A field named like a keyword replaces its value, as a caller's keyword does.
    expect(
      expandArgs(['{source_file}', '{prompt}'], '.', { source_file: 'a.py', prompt: '{tool_dir}' }),
    ).toEqual(['a.py', '{tool_dir}']);
  });

  it("writes a value as Python's str() does: True, False, None, digits; a list or mapping as JSON", () => {
    expect(
      expandArgs(['{a}', '{b}', '{c}', '{d}', '{e}'], '.', {
        a: true,
        b: false,
        c: null,
        d: 2.5,
        e: { k: [1] },
      }),
    ).toEqual(['True', 'False', 'None', '2.5', '{"k":[1]}']);
  });

  it('stdin gets a text input as it is, as the runner sends its prompt (stdin_mode is not read by it)', () => {
    expect(stdinText('Generate BDD tests from tool specification')).toBe(
      'Generate BDD tests from tool specification',
    );
    // A list or mapping: the harness writes it with the interpreter's json.dumps, as the runner.
    expect(stdinText({ a: 1 })).toBeUndefined();
    expect(stdinText([1, 2])).toBeUndefined();
  });
});
