import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo, parseNameStatus } from '../../src/adapters/git.js';
import { DEFAULT_TOOL_GLOBS } from '../../src/config/config.js';
import { changedTools, groupTools, resolveSpec, toolMatcher } from '../../src/tools/index.js';
import type { ChangedTool, Tree } from '../../src/tools/index.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';

const PY = (body: string): string =>
  `import json, sys\n\ndef main():\n    data = json.load(sys.stdin)\n    ${body}\n\nif __name__ == "__main__":\n    main()\n`;

describe('changed tools in a real git history', () => {
  let repo: TestRepo;
  let tools: ChangedTool[];
  let base: Tree;
  let head: Tree;

  beforeAll(async () => {
    repo = createRepo();
    repo.commit('base', {
      'tools/text/upper.yaml':
        'name: upper\ndescription: Upper-case a text\nexamples:\n  - input: \'{"text": "abc"}\'\n',
      'tools/text/upper.py': PY('print(json.dumps({"text": data["text"].upper()}))'),
      'tools/math/sum.yaml':
        '\ufeffdescription: Sum numbers\nexamples:\n  - inputs: {"values": [1, 2]}\n',
      'tools/math/sum.py': PY('print(sum(data["values"]))'),
      'tools/math/norm.py': 'def norm(xs):\n    return [x / max(xs) for x in xs]\n',
      'tools/stats/norm.py': 'def norm(xs):\n    return xs\n',
      'tools/js/checksum.ts':
        'export default function checksum(input: { s: string }): number { return input.s.length; }\n',
      'tools/js/checksum.perf.json':
        '{"requirement": "Checksum a string", "test_input": {"s": "hello"}, "entry": "checksum"}',
      'tools/old/gone.py': 'def gone():\n    return 1\n',
      'tools/old/moved.py': 'def moved(x):\n    return x\n',
      'tools/bare/noinput.py': 'def f(x):\n    return x\n',
      'README.md': 'not a tool\n',
    });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit('head', {
      'tools/text/upper.yaml':
        'name: upper\ndescription: Upper-case a text, faster\nexamples:\n  - input: \'{"text": "abc"}\'\n',
      'tools/math/sum.py': PY('print(sum(int(v) for v in data["values"]))'),
      'tools/math/norm.py': 'def norm(xs):\n    m = max(xs)\n    return [x / m for x in xs]\n',
      'tools/js/checksum.perf.json':
        '{"requirement": "Checksum a string", "test_input": {"s": "hello world"}, "entry": "checksum"}',
      'tools/old/gone.py': null,
      'tools/old/moved.py': null,
      'tools/new/moved.py': 'def moved(x):\n    return x\n',
      'tools/new/fresh.mjs': 'export default function fresh() { return 1; }\n',
      'tools/bare/noinput.py': 'def f(x):\n    return x + 0\n',
      'README.md': 'still not a tool\n',
    });
    const git = openRepo(repo.dir);
    const headSha = await git.resolve('feature');
    const mergeBase = await git.mergeBase(await git.resolve('main'), headSha);
    base = await git.tree(mergeBase);
    head = await git.tree(headSha);
    const matches = toolMatcher(DEFAULT_TOOL_GLOBS);
    tools = changedTools(
      await git.diff(mergeBase, headSha),
      groupTools(base.files, matches),
      groupTools(head.files, matches),
    );
  });
  afterAll(() => repo.remove());

  it('finds every changed tool with its status; README is not a tool', () => {
    expect(tools.map((t) => [t.id, t.status])).toEqual([
      ['checksum', 'modified'],
      ['fresh', 'new'],
      ['gone', 'removed'],
      ['math/norm', 'modified'],
      ['moved', 'renamed'],
      ['noinput', 'modified'],
      ['sum', 'modified'],
      ['upper', 'modified'],
    ]);
  });

  it('counts a changed YAML or sidecar alone as a changed tool', () => {
    expect(tools.find((t) => t.id === 'upper')?.paths).toEqual(['tools/text/upper.yaml']);
    expect(tools.find((t) => t.id === 'checksum')?.paths).toEqual(['tools/js/checksum.perf.json']);
  });

  it('follows a rename from the old folder to the new one', () => {
    const moved = tools.find((t) => t.id === 'moved')!;
    expect(moved.base?.implementation).toBe('tools/old/moved.py');
    expect(moved.head?.implementation).toBe('tools/new/moved.py');
  });

  it('resolves the code_evolver YAML: description, JSON-string input, executable mode, BOM', async () => {
    const upper = tools.find((t) => t.id === 'upper')!;
    const spec = await resolveSpec(upper.head!, head, { testInput: undefined, mode: 'function' });
    expect(spec).toMatchObject({
      language: 'python',
      mode: 'executable',
      requirement: 'Upper-case a text, faster',
      testInput: { text: 'abc' },
      skipReason: null,
    });
    const sum = tools.find((t) => t.id === 'sum')!;
    const sumSpec = await resolveSpec(sum.base!, base, { testInput: undefined, mode: 'function' });
    expect(sumSpec).toMatchObject({
      requirement: 'Sum numbers',
      testInput: { values: [1, 2] },
      mode: 'executable',
    });
  });

  it('resolves a sidecar: requirement, test_input, entry, function mode', async () => {
    const checksum = tools.find((t) => t.id === 'checksum')!;
    const spec = await resolveSpec(checksum.head!, head, {
      testInput: undefined,
      mode: 'function',
    });
    expect(spec).toMatchObject({
      language: 'typescript',
      mode: 'function',
      entry: 'checksum',
      requirement: 'Checksum a string',
      testInput: { s: 'hello world' },
    });
  });

  it('skips with the reason when nothing gives a test input, and uses config defaults when given', async () => {
    const bare = tools.find((t) => t.id === 'noinput')!;
    const none = await resolveSpec(bare.head!, head, { testInput: undefined, mode: 'function' });
    expect(none?.testInput).toBeUndefined();
    expect(none?.skipReason).toMatch(
      /no test input: add examples\[0\]\.input \(or an input_schema\) to noinput\.yaml/,
    );
    const withDefault = await resolveSpec(bare.head!, head, {
      testInput: { x: 1 },
      mode: 'function',
    });
    expect(withDefault).toMatchObject({
      testInput: { x: 1 },
      inputSource: 'config defaults.test_input',
      skipReason: null,
    });
  });
});

describe('git adapter', () => {
  it('parses -z name-status with renames', () => {
    expect(parseNameStatus('M\0a.py\0R087\0old/b.py\0new/b.py\0A\0c.ts\0D\0d.js\0')).toEqual([
      { status: 'M', path: 'a.py' },
      { status: 'R', path: 'new/b.py', oldPath: 'old/b.py' },
      { status: 'A', path: 'c.ts' },
      { status: 'D', path: 'd.js' },
    ]);
  });

  it('uses the merge-base, not the base branch tip', async () => {
    const repo = createRepo();
    try {
      repo.commit('root', { 'tools/a.py': 'def a():\n    return 1\n' });
      repo.git('checkout', '-q', '-b', 'feature');
      const headSha = repo.commit('pr', { 'tools/b.py': 'def b():\n    return 2\n' });
      repo.git('checkout', '-q', 'main');
      const mainTip = repo.commit('main moves on', { 'tools/a.py': 'def a():\n    return 3\n' });
      const git = openRepo(repo.dir);
      const mergeBase = await git.mergeBase(mainTip, headSha);
      expect(mergeBase).not.toBe(mainTip);
      expect((await git.diff(mergeBase, headSha)).map((c) => c.path)).toEqual(['tools/b.py']);
      expect(await (await git.tree(mergeBase)).read('tools/a.py')).toContain('return 1');
    } finally {
      repo.remove();
    }
  });

  it('names an unknown ref and a non-repository', async () => {
    const repo = createRepo();
    try {
      repo.commit('root', { 'x.txt': 'x' });
      await expect(openRepo(repo.dir).resolve('no-such-branch')).rejects.toThrow(
        /cannot resolve 'no-such-branch'/,
      );
      await expect(openRepo(repo.dir).resolve('--upload-pack=evil')).rejects.toThrow(
        /not a valid git ref/,
      );
    } finally {
      repo.remove();
    }
  });

  it('deepens a shallow clone it can reach, and names fetch-depth: 0 when it cannot', async () => {
    const origin = createRepo();
    const clone = createRepo('pv-clone-');
    try {
      origin.commit('one', { 'a.txt': '1' });
      origin.commit('two', { 'a.txt': '2' });
      origin.commit('three', { 'a.txt': '3' });
      clone.git('remote', 'add', 'origin', `file://${origin.dir}`);
      clone.git('fetch', '-q', '--depth=1', 'origin', 'main:refs/remotes/origin/main');
      expect(clone.git('rev-parse', '--is-shallow-repository')).toBe('true');
      await openRepo(clone.dir).ensureHistory();
      expect(clone.git('rev-parse', '--is-shallow-repository')).toBe('false');

      const orphan = createRepo('pv-orphan-');
      orphan.git('remote', 'add', 'origin', `file://${origin.dir}`);
      orphan.git('fetch', '-q', '--depth=1', 'origin', 'main:refs/remotes/origin/main');
      origin.remove();
      await expect(openRepo(orphan.dir).ensureHistory()).rejects.toThrow(/fetch-depth: 0/);
      orphan.remove();
    } finally {
      origin.remove();
      clone.remove();
    }
  });
});
