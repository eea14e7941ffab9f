import { InputError, PerfVerdictError } from '../../domain/errors.js';
import { rankBm25, searchableText } from '../../registry/schema.js';
import { renderHistory, renderList, renderSearch, renderShow } from '../../registry/render.js';
import { FileRegistryStore, checkToolId, resolveRegistryPath } from '../../registry/store.js';
import type { Command } from '../command.js';
import {
  dashboardSubcommand,
  historyChart,
  REGISTRY_FLAGS,
  registryFlags,
} from './registry-dashboard.js';
import { parseFlags } from '../command.js';

const USAGE =
  'perf-verdict registry list | show <id> | history <id> [--chart] | search "<requirement text>" | dashboard --out DIR [--registry FILE] [--json]';

export const registryCommand: Command = {
  name: 'registry',
  summary:
    'Read the tool registry: list, show <id>, history <id> [--chart], search "<requirement>", dashboard --out DIR.',
  help: `${USAGE}

Reads tools/index.json (or --registry FILE, or PERF_VERDICT_REGISTRY). Text tables by default,
JSON with --json.

  list             every tool with its current version, time, memory, grade, security count
  show <id>        one tool's current entry
  history <id>     every recorded version: time, interval vs the previous version, memory,
                   grade, security count, verdict and status, then a trend line
  search "<text>"  tools ranked by BM25 relevance of their requirement, documentation and
                   identifiers (snake_case / camelCase split), with their performance
  history <id> --chart
                   time per call across versions as a terminal chart, the interval as a band
  dashboard --out DIR [--drift-percent 10] [--drift-versions 5] [--repository owner/name]
            [--server-url https://github.com] [--title TEXT]
                   a static site (docs/registry.md, "The dashboard"): index.html with every
                   tool, one page per tool with its charts, the JSON each page draws`,
  flags: REGISTRY_FLAGS,
  async run(args, io) {
    const parsed = parseFlags(args, registryFlags(args), 2);
    const json = parsed.switches['json'] === true;
    const registryFlag = parsed.flags['registry'];
    const positional = parsed.positional;
    const [sub, argument] = positional;
    const store = new FileRegistryStore(resolveRegistryPath(registryFlag, io.env, io.cwd));
    const needArgument = (what: string): string => {
      if (argument === undefined || argument.trim() === '')
        throw new InputError(`registry ${sub}: missing ${what}. Usage: ${USAGE}`, what);
      return argument;
    };
    const entryOf = async (): Promise<
      NonNullable<Awaited<ReturnType<typeof store.read>>[string]>
    > => {
      const id = needArgument('tool id');
      checkToolId(id);
      const registry = await store.read();
      const entry = registry[id];
      if (entry === undefined)
        throw new PerfVerdictError(
          'registry',
          `tool '${id}' is not in registry ${store.path}`,
          'tool_id',
        );
      return entry;
    };
    switch (sub) {
      case 'list': {
        const registry = await store.read();
        return { output: json ? registry : renderList(registry), exitCode: 0 };
      }
      case 'show': {
        const entry = await entryOf();
        return { output: json ? entry : renderShow(entry), exitCode: 0 };
      }
      case 'history': {
        const entry = await entryOf();
        if (parsed.switches['chart'] === true && !json)
          return { output: historyChart(entry, io), exitCode: 0 };
        return {
          output: json
            ? { tool_id: entry.tool_id, version: entry.version, versions: entry.versions ?? [] }
            : renderHistory(entry),
          exitCode: 0,
        };
      }
      case 'search': {
        const query = needArgument('search text');
        const registry = await store.read();
        const hits = rankBm25(
          Object.values(registry).map((entry) => ({
            id: entry.tool_id,
            text: searchableText(entry),
          })),
          query,
        );
        return {
          output: json
            ? hits.map((hit) => ({
                tool_id: hit.tool_id,
                score: hit.score,
                version: registry[hit.tool_id]!.version,
                requirement: registry[hit.tool_id]!.metadata.requirement ?? null,
                performance: registry[hit.tool_id]!.metadata.performance,
              }))
            : renderSearch(registry, hits, query),
          exitCode: 0,
        };
      }
      case 'dashboard': {
        const site = await dashboardSubcommand(await store.read(), parsed.flags, io);
        return {
          output: json
            ? site
            : `wrote ${site.tools} tool pages (${site.files} files, ${(site.bytes / 1e6).toFixed(2)} MB) to ${site.out}\nopen ${site.index}\n`,
          exitCode: 0,
        };
      }
      case undefined:
      default:
        throw new InputError(
          sub === undefined
            ? `missing subcommand. Usage: ${USAGE}`
            : `unknown subcommand '${sub}'. Usage: ${USAGE}`,
          'subcommand',
        );
    }
  },
};
