import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  exampleInputs,
  resolveTool,
  schemaFields,
  synthesiseInput,
  mapTree,
} from '../../src/tools/index.js';
import type { ToolFiles } from '../../src/tools/index.js';

const y = (text: string): Record<string, unknown> => parse(text) as Record<string, unknown>;

describe('example shapes code_evolver uses', () => {
  it('reads input, inputs and JSON strings, in order, skipping entries without input', () => {
    const doc = y(`
examples:
  - name: mapping
    input: {text: "abc", limit: 2}
  - inputs: '{"text": "from a JSON string"}'
  - '{"text": "a whole entry as a JSON string"}'
  - description: "only prose, no input here"
    output: {ok: true}
`);
    expect(exampleInputs(doc['examples'], [])).toEqual([
      { text: 'abc', limit: 2 },
      { text: 'from a JSON string' },
      { text: 'a whole entry as a JSON string' },
    ]);
  });

  it('flattens operation + params and keeps prompt / sql entries as the input fields', () => {
    const doc = y(`
examples:
  - operation: write
    params: {scope: demo, path: out/a.json, content: "{}"}
    description: write a file
  - prompt: "Generate three user names"
    expected_output: "a list"
  - sql: "SELECT 1"
    name: trivial query
`);
    expect(exampleInputs(doc['examples'], [])).toEqual([
      { operation: 'write', scope: 'demo', path: 'out/a.json', content: '{}' },
      { prompt: 'Generate three user names' },
      { sql: 'SELECT 1' },
    ]);
  });

  it('finds the JSON object in a usage block, and wraps a plain string in the one required field', () => {
    const doc = y(`
input_schema:
  prompt: {type: string, required: true}
  count: {type: integer, default: 1}
examples:
  - name: from usage
    usage: |
      # ask for a cat
      {"prompt": "x {y}", "count": 2}
  - "Describe a cat in one line"
`);
    const schema = schemaFields(doc['input_schema']);
    expect(exampleInputs(doc['examples'], schema)).toEqual([
      { prompt: 'x {y}', count: 2 },
      { prompt: 'Describe a cat in one line' },
    ]);
  });
});

describe('inputs synthesised from input_schema', () => {
  it('uses defaults, then the first enum value, then an example, then a value of the type', () => {
    const doc = y(`
input_schema:
  mode: {type: string, required: true, enum: [fast, slow]}
  size: {type: integer, required: true}
  ratio: {type: number, required: true}
  strict: {type: boolean, required: true}
  items: {type: array, required: true}
  name: {type: string, required: true, examples: ["ada"]}
  encoding: {type: string, default: utf-8}
  verbose: {type: boolean}
`);
    expect(synthesiseInput(schemaFields(doc['input_schema']))).toEqual({
      mode: 'fast',
      size: 1,
      ratio: 1.5,
      strict: true,
      items: [],
      name: 'ada',
      encoding: 'utf-8',
    });
  });

  it('reads the "str - text" shorthand, JSON schema objects and inputs lists', () => {
    expect(synthesiseInput(schemaFields(y(`config_json: "str - JSON configuration"`)))).toEqual({
      config_json: 'sample text',
    });
    expect(
      synthesiseInput(
        schemaFields(
          y(`
type: object
properties:
  query: {type: string}
  limit: {type: integer, default: 10}
  filters: {type: object, properties: {lang: {type: string}}, required: [lang]}
required: [query, filters]
`),
        ),
      ),
    ).toEqual({ query: 'sample text', limit: 10, filters: { lang: 'sample text' } });
    const list = y(`
inputs:
  - {name: operation, type: string, required: true, enum: [read, write]}
  - {name: scope, type: string, required: true, example: my_tool}
  - {name: create_parents, type: boolean, default: true}
  - {name: content, type: string, required: false}
`);
    expect(synthesiseInput(schemaFields(list['inputs']))).toEqual({
      operation: 'read',
      scope: 'my_tool',
      create_parents: true,
    });
  });

  it('declares nothing → nothing synthesised', () => {
    expect(synthesiseInput(schemaFields(undefined))).toBeUndefined();
    expect(synthesiseInput(schemaFields({}))).toBeUndefined();
  });
});

function files(over: Partial<ToolFiles> & Pick<ToolFiles, 'key'>): ToolFiles {
  const slash = over.key.lastIndexOf('/');
  return {
    folder: over.key.slice(0, slash),
    stem: over.key.slice(slash + 1),
    implementation: null,
    yaml: null,
    sidecar: null,
    ...over,
  };
}

const defaults = { testInput: undefined, mode: 'function' as const };

describe('resolveTool: definitions, executables, several examples, synthesis', () => {
  it.each([['llm'], ['openapi'], ['mcp'], ['workflow'], ['custom']])(
    'a YAML of type %s with no code is a definition',
    async (type) => {
      const tree = mapTree({
        [`ce/tools/${type}/t.yaml`]: `name: t\ntype: ${type}\ndescription: a ${type} tool\n`,
      });
      const resolved = await resolveTool(
        files({ key: `ce/tools/${type}/t`, yaml: `ce/tools/${type}/t.yaml` }),
        tree,
        defaults,
      );
      expect(resolved).toEqual({
        kind: 'definition',
        definition: { path: `ce/tools/${type}/t.yaml`, type, requirement: `a ${type} tool` },
      });
    },
  );

  it('a YAML of type llm is a definition even beside a file of its stem', async () => {
    const tree = mapTree({
      'tools/llm/writer.yaml': 'type: llm\nllm: {model_key: writer}\n',
      'tools/llm/writer.py': 'def helper():\n    return 1\n',
    });
    const resolved = await resolveTool(
      files({
        key: 'tools/llm/writer',
        yaml: 'tools/llm/writer.yaml',
        implementation: 'tools/llm/writer.py',
      }),
      tree,
      defaults,
    );
    expect(resolved.kind).toBe('definition');
  });

  it('finds the implementation an executable block names, with every example rotated', async () => {
    const tree = mapTree({
      'ce/tools/executable/store.yaml': `
name: store
type: executable
description: Keeps documents
executable:
  command: python
  args: ["{tool_dir}/store_manager.py"]
  stdin_mode: true
dependencies: [tinydep]
examples:
  - input: {operation: put, key: a}
  - operation: get
    params: {key: a}
`,
      'ce/tools/executable/store_manager.py': 'import json, sys\nprint(json.load(sys.stdin))\n',
    });
    const resolved = await resolveTool(
      files({ key: 'ce/tools/executable/store', yaml: 'ce/tools/executable/store.yaml' }),
      tree,
      defaults,
    );
    expect(resolved.kind).toBe('code');
    if (resolved.kind !== 'code') return;
    expect(resolved.spec).toMatchObject({
      path: 'ce/tools/executable/store_manager.py',
      language: 'python',
      mode: 'executable',
      testInput: { operation: 'put', key: 'a' },
      testInputs: [
        { operation: 'put', key: 'a' },
        { operation: 'get', key: 'a' },
      ],
      synthesised: false,
      executable: { command: 'python', args: ['{tool_dir}/store_manager.py'] },
      dependencies: ['tinydep'],
    });
    expect(resolved.spec.inputSource).toBe(
      'ce/tools/executable/store.yaml examples (2 inputs, each run)',
    );
  });

  it('an executable whose script is missing is a definition without code', async () => {
    const tree = mapTree({
      'tools/x/gone.yaml':
        'type: executable\nexecutable: {command: python, args: ["{tool_dir}/nowhere.py"]}\n',
    });
    const resolved = await resolveTool(
      files({ key: 'tools/x/gone', yaml: 'tools/x/gone.yaml' }),
      tree,
      defaults,
    );
    expect(resolved).toMatchObject({ kind: 'definition', definition: { type: 'executable' } });
  });

  it('synthesises from input_schema when there is no example, and says so', async () => {
    const tree = mapTree({
      'tools/s/faker.yaml':
        'type: executable\ninput_schema:\n  prompt: {type: string, required: true}\n  count: {type: integer, default: 2}\n',
      'tools/s/faker.py': 'import sys\n',
    });
    const resolved = await resolveTool(
      files({
        key: 'tools/s/faker',
        yaml: 'tools/s/faker.yaml',
        implementation: 'tools/s/faker.py',
      }),
      tree,
      defaults,
    );
    if (resolved.kind !== 'code') throw new Error('expected code');
    expect(resolved.spec).toMatchObject({
      testInput: { prompt: 'sample text', count: 2 },
      synthesised: true,
      inputSource: 'input synthesised from input_schema',
      skipReason: null,
    });
  });
});
