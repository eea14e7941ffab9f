/**
 * bench/dashboard (run through bench/dashboard.mjs): generate a registry of N tools × M
 * versions shaped like record mode writes it (every version with its commit, PR and interval,
 * some REVIEW and REJECT, a few accepted by a maintainer), write the dashboard, print its size.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRegistryStore } from '../src/registry/store.js';
import { writeDashboard } from '../src/registry/dashboard.js';

function flags(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--'))
      out[arg.slice(2)] = argv[i + 1]?.startsWith('--') === false ? argv[i + 1]! : '';
  }
  return out;
}

/** A small deterministic generator (mulberry32), so every run measures the same registry. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  'parse format normalise validate merge split count sort filter encode decode hash render score rank match'.split(
    ' ',
  );
const NOUNS =
  'csv json text date email url path record token table matrix list graph tree string number'.split(
    ' ',
  );

function generate(tools: number, versions: number): Record<string, unknown> {
  const rnd = random(27);
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
  const registry: Record<string, unknown> = {};
  let pr = 100;
  for (let t = 0; t < tools; t++) {
    const verb = WORDS[t % WORDS.length]!;
    const noun = NOUNS[Math.floor(t / WORDS.length) % NOUNS.length]!;
    const id = `${verb}_${noun}_${t}`;
    let time = 0.0005 + rnd() * 5;
    let current = '1.0.0';
    const records = [];
    for (let v = 0; v < versions; v++) {
      const version = `1.${Math.floor(v / 10)}.${v % 10}`;
      const roll = rnd();
      // Every seventh tool creeps: its last six versions each 3 % slower, each within noise.
      const creeping = t % 7 === 0 && v >= versions - 6;
      const status =
        v === 0 || creeping || roll < 0.8 ? 'current' : roll < 0.9 ? 'review_required' : 'rejected';
      const ratio =
        v === 0 ? null : creeping ? 1.03 : status === 'rejected' ? 1.3 + rnd() : 0.9 + rnd() * 0.2;
      const newTime = ratio === null ? time : time * ratio;
      if (status === 'current') {
        time = newTime;
        current = version;
      }
      records.push({
        version,
        code_sha256: hex(64),
        timestamp: new Date(Date.UTC(2026, 0, 1) + (t * versions + v) * 60_000).toISOString(),
        origin: 'profile',
        status,
        verdict:
          v === 0
            ? null
            : status === 'current'
              ? 'ACCEPT'
              : status === 'rejected'
                ? 'REJECT'
                : 'REVIEW',
        score: v === 0 ? null : Math.round(rnd() * 100),
        metrics: {
          execution_time_ms: newTime,
          memory_usage_kb: 10 + rnd() * 500,
          time_ratio: ratio,
          ci_low: ratio === null ? null : ratio * (0.95 - rnd() * 0.03),
          ci_high: ratio === null ? null : ratio * (1.05 + rnd() * 0.03),
        },
        analysis: {
          grade: 'AB'[Math.floor(rnd() * 2)],
          average_complexity: 1 + rnd() * 6,
          security_issues: 0,
          syntax_valid: true,
        },
        commit: hex(40),
        pull_request: { number: pr++, title: `${verb} ${noun}: step ${v}` },
        ...(status !== 'current' && rnd() < 0.3 ? { accepted_by: 'maintainer' } : {}),
      });
    }
    registry[id] = {
      tool_id: id,
      version: current,
      metadata: {
        performance: { execution_time_ms: time },
        requirement: `${verb[0]!.toUpperCase()}${verb.slice(1)} a ${noun} the way the pipeline's step ${t} expects it`,
        language: t % 3 === 0 ? 'javascript' : 'python',
        tags: [verb, noun],
      },
      versions: records,
    };
  }
  return registry;
}

function sizeOf(dir: string): { bytes: number; files: number; largest: number } {
  let bytes = 0;
  let files = 0;
  let largest = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const stat = statSync(join(dir, name));
    if (!stat.isFile()) continue;
    bytes += stat.size;
    files += 1;
    largest = Math.max(largest, stat.size);
  }
  return { bytes, files, largest };
}

export async function main(argv: readonly string[]): Promise<number> {
  const f = flags(argv);
  const tools = Number(f['tools'] ?? 500);
  const versions = Number(f['versions'] ?? 50);
  const work = mkdtempSync(join(tmpdir(), 'pv-bench-dashboard-'));
  const out = f['out'] ?? join(work, 'site');
  try {
    const file = join(work, 'index.json');
    writeFileSync(file, JSON.stringify(generate(tools, versions)));
    // Read through the store: the generated registry passes the schema every command applies.
    const registry = await new FileRegistryStore(file).read();
    const started = performance.now();
    await writeDashboard(registry, out, {
      alert: { percent: 10, versions: 5 },
      links: { serverUrl: 'https://github.com', repository: 'octo/tools' },
    });
    const ms = performance.now() - started;
    const site = sizeOf(out);
    const index = statSync(join(out, 'index.html')).size + statSync(join(out, 'index.json')).size;
    console.log(
      `registry: ${tools} tools × ${versions} versions, ${(statSync(file).size / 1e6).toFixed(2)} MB of JSON`,
    );
    console.log(
      `site: ${(site.bytes / 1e6).toFixed(2)} MB in ${site.files} files (target < 10 MB): index ${(index / 1e3).toFixed(0)} kB, largest file ${(site.largest / 1e3).toFixed(1)} kB, per tool ${((site.bytes - index) / tools / 1e3).toFixed(1)} kB`,
    );
    console.log(
      `written in ${(ms / 1000).toFixed(2)} s; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    return site.bytes < 10e6 ? 0 : 1;
  } finally {
    if (!('keep' in f)) rmSync(work, { recursive: true, force: true });
  }
}
