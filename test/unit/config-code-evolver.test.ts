import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/domain/errors.js';

describe('config for a code_evolver repository', () => {
  it('defaults: definitions listed, security-fail-on high, nothing else set', () => {
    expect(parseConfig({})).toMatchObject({
      definitions: 'list',
      securityFailOn: 'high',
      workingDirectory: [],
      pythonPath: [],
      requirements: [],
    });
  });

  it('reads working directory and python path as plain values or per tools glob', () => {
    const config = parseConfig({
      file: {
        tools: ['code_evolver/tools/**'],
        definitions: 'review',
        'security-fail-on': 'MEDIUM',
        'working-directory': { 'code_evolver/tools/**': 'code_evolver', 'scripts/**': '.' },
        'python-path': 'code_evolver:code_evolver/src',
        requirements: ['code_evolver/requirements.txt'],
      },
    });
    expect(config).toMatchObject({
      definitions: 'review',
      securityFailOn: 'medium',
      workingDirectory: [
        { glob: 'code_evolver/tools/**', value: 'code_evolver' },
        { glob: 'scripts/**', value: '.' },
      ],
      pythonPath: [{ glob: '**', value: ['code_evolver', 'code_evolver/src'] }],
      requirements: ['code_evolver/requirements.txt'],
    });
  });

  it.each([
    [
      { definitions: 'hide' },
      "'.perf-verdict.yml: definitions' must be one of ignore, list, review",
    ],
    [
      { 'security-fail-on': 'critical' },
      "'.perf-verdict.yml: security-fail-on' must be one of high, medium, low",
    ],
    [
      { 'working-directory': '../outside' },
      "'.perf-verdict.yml: working-directory' must be a relative path",
    ],
    [
      { 'python-path': { 'tools/**': ['/abs'] } },
      "'.perf-verdict.yml: python-path.tools/**' must be a relative path",
    ],
    [{ requirements: ['../r.txt'] }, "'.perf-verdict.yml: requirements' must be a relative path"],
  ])('rejects %j naming the field', (file, message) => {
    expect(() => parseConfig({ file })).toThrow(ConfigError);
    expect(() => parseConfig({ file })).toThrow(message);
  });
});
