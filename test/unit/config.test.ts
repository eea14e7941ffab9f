import { describe, expect, it } from 'vitest';
import { DEFAULT_TOOL_GLOBS, parseConfig, resolveConfig } from '../../src/config/config.js';
import { PerfVerdictError } from '../../src/domain/errors.js';

describe('parseConfig', () => {
  it('gives the documented defaults with no sources', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      mode: 'full',
      tools: DEFAULT_TOOL_GLOBS,
      baseRef: null,
      ollama: {
        host: null,
        model: 'qwen2.5-coder:3b',
        headers: {},
        timeoutSeconds: 60,
        digest: null,
      },
      timeBudgetSeconds: 20,
      confidence: 0.99,
      delta: 0.02,
      failOn: 'reject',
      reviewers: [],
      comment: 'always',
      acceptLabel: 'perf-verdict:accept',
      registry: 'tools/index.json',
      shard: null,
      sandbox: 'auto',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads sandbox from the file or the input, and names the field when it is bad', () => {
    expect(parseConfig({ file: { sandbox: 'required' } }).sandbox).toBe('required');
    expect(parseConfig({ file: { sandbox: 'required' }, inputs: { sandbox: 'off' } }).sandbox).toBe(
      'off',
    );
    expect(() => parseConfig({ inputs: { sandbox: 'maybe' } })).toThrow(/sandbox/);
  });

  it('lets non-empty inputs override the file, and ignores empty inputs', () => {
    const config = parseConfig({
      file: { 'fail-on': 'review', tools: ['a/**/*.py'], 'time-budget-seconds': 5 },
      inputs: { 'fail-on': 'never', tools: '', 'time-budget-seconds': '  ' },
    });
    expect(config.failOn).toBe('never');
    expect(config.tools).toEqual(['a/**/*.py']);
    expect(config.timeBudgetSeconds).toBe(5);
  });

  it('precedence: explicit input > file > built-in default, for every kind of key', () => {
    const { config, sources } = resolveConfig({
      file: {
        'fail-on': 'review',
        comment: 'on-change',
        'accept-label': 'ok-slow',
        'time-budget-seconds': 3,
        mode: 'measure',
        registry: 'reg/index.json',
        'ollama-model': 'm:1',
        'ollama-timeout-seconds': 9,
        confidence: 0.95,
        artifact: ['a/*.json', 'b'],
      },
      inputs: { comment: 'never', 'fail-on': '', confidence: '0.9' },
    });
    expect(config).toMatchObject({
      failOn: 'review',
      comment: 'never',
      acceptLabel: 'ok-slow',
      timeBudgetSeconds: 3,
      mode: 'measure',
      registry: 'reg/index.json',
      ollama: { model: 'm:1', timeoutSeconds: 9 },
      confidence: 0.9,
      delta: 0.02,
      artifact: 'a/*.json\nb',
    });
    expect(sources).toMatchObject({
      'fail-on': 'file',
      comment: 'input',
      confidence: 'input',
      delta: 'default',
    });
  });

  it.each(['full', 'measure', 'report', 'record'])('accepts mode %s', (mode) => {
    expect(parseConfig({ inputs: { mode } }).mode).toBe(mode);
  });

  it('parses list, header, shard and host inputs', () => {
    const config = parseConfig({
      inputs: {
        tools: 'tools/**/*.py\n# comment\n\nlib/*.ts',
        reviewers: '@alice, org/perf-team',
        'ollama-headers': 'Authorization: Bearer abc:def\nX-Extra: 1',
        'ollama-host': 'http://127.0.0.1:11434/',
        shard: '2/3',
      },
    });
    expect(config.tools).toEqual(['tools/**/*.py', 'lib/*.ts']);
    expect(config.reviewers).toEqual(['alice', 'org/perf-team']);
    expect(config.ollama.headers).toEqual({ Authorization: 'Bearer abc:def', 'X-Extra': '1' });
    expect(config.ollama.host).toBe('http://127.0.0.1:11434');
    expect(config.shard).toEqual({ index: 2, total: 3 });
  });

  it.each([
    [
      { inputs: { 'fail-on': 'maybe' } },
      "'fail-on' must be one of reject, review, never but got 'maybe'",
    ],
    [
      { inputs: { mode: 'fast' } },
      "'mode' must be one of full, measure, report, record but got 'fast'",
    ],
    [
      { inputs: { 'time-budget-seconds': '2x' } },
      "'time-budget-seconds' must be a number but got '2x'",
    ],
    [
      { inputs: { 'time-budget-seconds': '0' } },
      "'time-budget-seconds' must be a number from 1 to 3600 but got '0'",
    ],
    [{ inputs: { shard: '4/3' } }, "'shard' must be 'i/n' with 1 <= i <= n but got '4/3'"],
    [
      { inputs: { 'ollama-host': 'localhost:11434' } },
      "'ollama-host' must be an http(s) URL but got 'localhost:11434'",
    ],
    [
      { inputs: { registry: '../outside.json' } },
      "'registry' must be a relative path inside the repository but got '../outside.json'",
    ],
    [
      { inputs: { reviewers: 'not a name!' } },
      "'reviewers' must be GitHub user names or org/team slugs but got 'not a name!'",
    ],
    [
      { file: { 'fail-on': 3 } },
      "'.perf-verdict.yml: fail-on' must be one of reject, review, never but got 3",
    ],
    [{ file: ['a'] }, '\'.perf-verdict.yml\' must be a mapping of settings but got ["a"]'],
    [
      { file: { coment: 'never' } },
      "'.perf-verdict.yml: coment' is not a setting; did you mean 'comment'?",
    ],
    [{ file: { time_budget: 3 } }, "did you mean 'time-budget-seconds'?"],
    [
      { file: { colour: 'red' } },
      "'.perf-verdict.yml: colour' is not a setting (settings: mode, name, tools,",
    ],
    [
      { file: { 'github-token': 'x' } },
      "'.perf-verdict.yml: github-token' is an action input only",
    ],
    [
      { file: { defaults: { mode: 'shell' } } },
      "'.perf-verdict.yml: defaults.mode' must be one of function, executable but got 'shell'",
    ],
  ])('rejects %j naming the field', (sources, message) => {
    expect(() => parseConfig(sources)).toThrow(PerfVerdictError);
    expect(() => parseConfig(sources)).toThrow(message);
  });

  it.each([
    [
      { file: { 'working-directory': { 'code_evolver/tools/**': '../x' } } },
      "'.perf-verdict.yml: working-directory.code_evolver/tools/**' must be a relative path inside the repository but got '../x'",
    ],
    [
      { file: { 'working-directory': '/abs' } },
      "'.perf-verdict.yml: working-directory' must be a relative path inside the repository but got '/abs'",
    ],
    [
      { file: { 'python-path': ['lib', '/abs'] } },
      "'.perf-verdict.yml: python-path' must be a relative path inside the repository but got '/abs'",
    ],
    [
      { file: { 'install-sources': ['sdist', 'ftp'] } },
      "'.perf-verdict.yml: install-sources' must be one of sdist, local, url, vcs but got 'ftp'",
    ],
    [
      { file: { requirements: 'requirements.txt\n../secrets.txt' } },
      "'.perf-verdict.yml: requirements' must be a relative path inside the repository but got '../secrets.txt'",
    ],
    [
      { file: { tools: ['a/*.py', 1] } },
      "'.perf-verdict.yml: tools' must be a list of strings but got 1",
    ],
    [
      { file: { tools: 3 } },
      "'.perf-verdict.yml: tools' must be a list of globs (one per line) but got 3",
    ],
    [
      { file: { defaults: { mode: 'function', bogus: 1 } } },
      "'.perf-verdict.yml: defaults.bogus' must be one of test_input, mode but got 'bogus'",
    ],
    [
      { inputs: { 'noise-zone': '60%' } },
      "'noise-zone' must be a percentage such as 25% (or a fraction such as 0.25), from 0.1% to 50% but got '60%'",
    ],
    [
      { inputs: { 'dashboard-branch': 'a..b' } },
      "'dashboard-branch' must be a branch name like gh-pages but got 'a..b'",
    ],
    [
      { inputs: { 'trust-fork-measurements': 'yes' } },
      "'trust-fork-measurements' must be one of false, true but got 'yes'",
    ],
    [
      { inputs: { artifact: '# only a comment' } },
      "'artifact' must be one or more paths, folders or globs",
    ],
  ])('names the key at fault inside a mapping or list: %j', (sources, message) => {
    expect(() => parseConfig(sources)).toThrow(PerfVerdictError);
    expect(() => parseConfig(sources)).toThrow(message);
  });

  it('reads YAML values of every kind: booleans, numbers, mappings per glob, lists', () => {
    const config = parseConfig({
      file: {
        'trust-fork-measurements': true,
        'time-budget-seconds': 7,
        'max-slowdown': '25%',
        'working-directory': { 'code_evolver/tools/**': 'code_evolver/' },
        'python-path': 'lib:src',
        'security-fail-on': ' MEDIUM ',
        defaults: { test_input: { n: 3 }, mode: 'executable' },
      },
    });
    expect(config).toMatchObject({
      trustForkMeasurements: true,
      timeBudgetSeconds: 7,
      maxSlowdown: 0.25,
      workingDirectory: [{ glob: 'code_evolver/tools/**', value: 'code_evolver' }],
      pythonPath: [{ glob: '**', value: ['lib', 'src'] }],
      securityFailOn: 'medium',
      defaults: { testInput: { n: 3 }, mode: 'executable' },
    });
  });

  it('never echoes an ollama header value given as a YAML mapping', () => {
    const sources = { file: { 'ollama-headers': { Authorization: 12345678 } } };
    expect(() => parseConfig(sources)).toThrow(
      "'.perf-verdict.yml: ollama-headers.Authorization' must be a string but got '<redacted>'",
    );
  });

  it('never echoes an ollama header value in an error', () => {
    expect(() => parseConfig({ inputs: { 'ollama-headers': 'Bad Name: s3cret-token' } })).toThrow(
      /ollama-headers/,
    );
    try {
      parseConfig({ inputs: { 'ollama-headers': 'Bad Name: s3cret-token' } });
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cret');
    }
  });
});
