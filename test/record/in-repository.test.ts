/**
 * `record` mode on a code_evolver-shaped push: tools that import the repository's own package
 * from their working directory run as the gate runs them — each version from a read-only
 * checkout of its own commit, in `code_evolver/`, with it on PYTHONPATH — not as lone files
 * (where `from src.text_utils import …` fails with "No module named 'src'").
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepo } from '../../src/adapters/git.js';
import { parseConfig } from '../../src/config/config.js';
import type { Log } from '../../src/domain/ports.js';
import { recordPush } from '../../src/record/index.js';
import type { RecordResult } from '../../src/record/index.js';
import { FileRegistryStore } from '../../src/registry/store.js';
import { engineConfig, profilePorts } from '../../src/wiring.js';
import { CODE_EVOLVER_CONFIG, FIXTURE } from '../helpers/code-evolver.js';
import { createRepo } from '../helpers/git-repo.js';
import type { TestRepo } from '../helpers/git-repo.js';

const EXECUTABLE = 'code_evolver/tools/executable';
/** A new tool that, like word_stats, imports the repository's package from the working directory. */
const TOP_WORD = [
  'import json',
  'import sys',
  '',
  "sys.path.insert(0, '.')",
  'from src.text_utils import counts, words  # noqa: E402',
  '',
  'ranked = sorted(counts(words(json.load(sys.stdin)["text"])).items(), key=lambda kv: -kv[1])',
  'print(json.dumps({"word": ranked[0][0] if ranked else None}))',
  '',
].join('\n');
const TOP_WORD_YAML = [
  'name: "Top Word"',
  'type: "executable"',
  'description: "The most common word of a text"',
  'executable:',
  '  command: "python"',
  '  args: ["{tool_dir}/top_word.py"]',
  '  stdin_mode: true',
  'examples:',
  '  - input: {text: "to be or not to be"}',
  '',
].join('\n');

describe('record mode runs tools inside their repository', () => {
  let repo: TestRepo;
  let registryDir: string;
  let report: RecordResult;
  const lines: string[] = [];
  const log: Log = {
    debug: () => undefined,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };

  beforeAll(async () => {
    repo = createRepo('pv-record-repo-');
    // The fixture's base: its package, word_stats (imports src.text_utils), requirements.
    cpSync(join(FIXTURE, 'base/code_evolver/src'), join(repo.dir, 'code_evolver/src'), {
      recursive: true,
    });
    for (const file of ['word_stats.py', 'word_stats.yaml'])
      cpSync(join(FIXTURE, 'base', EXECUTABLE, file), join(repo.dir, EXECUTABLE, file));
    const before = repo.commit('base', {
      'code_evolver/requirements.txt': '# nothing third-party\n',
    });
    cpSync(
      join(FIXTURE, 'head', EXECUTABLE, 'word_stats.py'),
      join(repo.dir, EXECUTABLE, 'word_stats.py'),
    );
    const after = repo.commit('evolve', {
      [`${EXECUTABLE}/top_word.py`]: TOP_WORD,
      [`${EXECUTABLE}/top_word.yaml`]: TOP_WORD_YAML,
    });
    registryDir = mkdtempSync(join(tmpdir(), 'pv-record-registry-'));
    const config = parseConfig({ file: { ...CODE_EVOLVER_CONFIG, 'time-budget-seconds': 4 } });
    const registry = new FileRegistryStore(join(registryDir, 'index.json'));
    report = await recordPush(
      config,
      { before, after, ref: 'refs/heads/main', repository: null, registry: 'tools/index.json' },
      {
        repo: openRepo(repo.dir),
        profile: profilePorts(engineConfig(config, {}), log, registry),
        log,
        monotonicMs: () => performance.now(),
      },
    );
  }, 300_000);

  afterAll(() => {
    repo.remove();
    rmSync(registryDir, { recursive: true, force: true });
  });

  it('records a new tool that imports the repository package, measured in its checkout', () => {
    const row = report.tools.find((t) => t.id === 'top_word')!;
    expect(row.note ?? '', JSON.stringify(row)).not.toContain('No module named');
    expect(row).toMatchObject({ change: 'new', status: 'completed', current: true });
    expect(row.time_ms).toBeGreaterThan(0);
    const registry = JSON.parse(readFileSync(join(registryDir, 'index.json'), 'utf8'));
    expect(JSON.stringify(registry)).toContain('top_word');
  });

  it('measures a modified tool base against head, each from its own commit', () => {
    const row = report.tools.find((t) => t.id === 'word_stats')!;
    // Both versions ran: the side-by-side comparison has a ratio (a failure of either side
    // would be status 'failed' with the error in the note).
    expect(row.status, row.note ?? '').not.toBe('failed');
    expect(row.time_ratio).toBeGreaterThan(0);
    expect(row.version).not.toBeNull();
  });

  it('removes its checkouts when done', () => {
    expect(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  });
});
