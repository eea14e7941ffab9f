/**
 * The smaller claims of docs/code-evolver.md, each at the
 * unit that decides it: definition types, the script an `execution.entry_point` names, `{field}`
 * arguments, and the venv key that lets base and head share one venv when their requirements
 * match.
 */
import { describe, expect, it } from 'vitest';
import { dependencyKey } from '../../src/adapters/deps.js';
import { parseConfig } from '../../src/config/config.js';
import { claimedScript, expandArgs, mapTree, resolveTool } from '../../src/tools/index.js';
import type { ToolFiles } from '../../src/tools/index.js';

const files = (yaml: string, implementation: string | null = null): ToolFiles => ({
  key: yaml.replace(/\.yaml$/, ''),
  folder: yaml.slice(0, yaml.lastIndexOf('/')),
  stem: yaml.slice(yaml.lastIndexOf('/') + 1, -'.yaml'.length),
  implementation,
  yaml,
  sidecar: null,
});

describe("docs/code-evolver.md's claims", () => {
  it.each(['llm', 'openapi', 'mcp', 'workflow', 'prompt', 'agent'])(
    'a YAML of type %s is a definition without code, even beside a script of its stem',
    async (type) => {
      const yaml = `tools/x/${type}_tool.yaml`;
      const script = `tools/x/${type}_tool.py`;
      const tree = mapTree({
        [yaml]: `name: t\ntype: ${type}\ndescription: d\n`,
        [script]: 'def f(x):\n    return x\n',
      });
      const resolved = await resolveTool(files(yaml, script), tree, parseConfig({}).defaults);
      expect(resolved).toMatchObject({ kind: 'definition', definition: { type } });
    },
  );

  it('a custom YAML that names no existing script is a definition too', async () => {
    const yaml = 'tools/custom/git_status.yaml';
    const tree = mapTree({ [yaml]: 'name: g\ntype: custom\ncustom:\n  class: src.git.Status\n' });
    const resolved = await resolveTool(files(yaml), tree, parseConfig({}).defaults);
    expect(resolved.kind).toBe('definition');
  });

  it('execution.entry_point names the script a YAML runs, when no executable block does', () => {
    const yaml = 'code_evolver/tools/data/loader.yaml';
    const text = 'name: l\ntype: executable\nexecution:\n  entry_point: ./loader_main.py\n';
    expect(
      claimedScript(yaml, text, ['code_evolver/tools/data/loader_main.py', 'other/x.py']),
    ).toBe('code_evolver/tools/data/loader_main.py');
    expect(claimedScript(yaml, text, ['other/x.py'])).toBeNull();
  });

  it('{tool_dir} is the YAML folder in the checkout; {field} takes the input field', () => {
    expect(
      expandArgs(
        ['{tool_dir}/x.py', '--query', '{query}', '--limit={limit}', '{missing}'],
        '/checkout/code_evolver/tools/sql',
        { query: 'select 1', limit: 3 },
      ),
    ).toEqual([
      '/checkout/code_evolver/tools/sql/x.py',
      '--query',
      'select 1',
      '--limit=3',
      '{missing}',
    ]);
  });

  it('base and head share a venv when their requirements match: the key is the content, not the checkout', () => {
    const base = {
      files: [{ name: 'req.txt', text: 'tinycron==1.0\n' }],
      packages: [],
    };
    const head = {
      files: [{ name: 'req.txt', text: 'tinycron==1.0\n' }],
      packages: [],
    };
    const changed = {
      files: [{ name: 'req.txt', text: 'tinycron==1.1\n' }],
      packages: [],
    };
    expect(dependencyKey(base, '/usr/bin/python3')).toBe(dependencyKey(head, '/usr/bin/python3'));
    expect(dependencyKey(changed, '/usr/bin/python3')).not.toBe(
      dependencyKey(base, '/usr/bin/python3'),
    );
    expect(
      dependencyKey(
        { ...base, packages: [{ text: 'numpy', tool: 'tools/t.py' }] },
        '/usr/bin/python3',
      ),
    ).not.toBe(dependencyKey(base, '/usr/bin/python3'));
  });
});
