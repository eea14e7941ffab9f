/**
 * `registry dashboard` and `registry history --chart`: the registry drawn, as a static site
 * or in the terminal (src/registry/dashboard*.ts). Kept apart from registry.ts, which only
 * routes the subcommand here.
 */
import { isAbsolute, join } from 'node:path';
import { InputError } from '../../domain/errors.js';
import type { Registry, RegistryEntry } from '../../registry/schema.js';
import { writeDashboard } from '../../registry/dashboard.js';
import { driftAlertOf, repositoryLinks } from '../../registry/dashboard-data.js';
import { renderHistoryChart, terminalTakesUnicode } from '../../registry/dashboard-terminal.js';
import type { CliIo } from '../command.js';
import { FLAGS } from '../flags.js';
import type { Flag } from '../flags.js';

const DASHBOARD_FLAGS: readonly Flag[] = [
  FLAGS.out,
  FLAGS.driftPercent,
  FLAGS.driftVersions,
  FLAGS.repository,
  FLAGS.serverUrl,
  FLAGS.siteTitle,
];

/** Every flag of every `registry` subcommand (its --help lists them all). */
export const REGISTRY_FLAGS: readonly Flag[] = [
  FLAGS.registry,
  FLAGS.list,
  FLAGS.chart,
  ...DASHBOARD_FLAGS,
];

/**
 * The flags `registry <sub>` takes: every subcommand's `--registry` and `--json`, plus
 * `dashboard`'s and `history --chart`. The subcommand is the first argument that is neither a
 * flag nor a flag's value.
 */
export function registryFlags(args: readonly string[]): readonly Flag[] {
  const valued = REGISTRY_FLAGS.filter((f) => f.value !== null).map((f) => `--${f.name}`);
  let sub: string | undefined;
  for (let i = 0; i < args.length && sub === undefined; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) sub = arg;
    else if (valued.includes(arg)) i++;
  }
  return [
    FLAGS.registry,
    FLAGS.list,
    ...(sub === 'dashboard' ? DASHBOARD_FLAGS : []),
    ...(sub === 'history' ? [FLAGS.chart] : []),
  ];
}

type Flags = Readonly<Record<string, string>>;

function linksFrom(flags: Flags, io: CliIo): ReturnType<typeof repositoryLinks> {
  return repositoryLinks(
    flags['server-url'] ?? io.env['GITHUB_SERVER_URL'],
    flags['repository'] ?? io.env['GITHUB_REPOSITORY'],
  );
}

/** Write the site; the result names the folder, the page count and the size. */
export async function dashboardSubcommand(
  registry: Registry,
  flags: Flags,
  io: CliIo,
): Promise<{ out: string; index: string; tools: number; files: number; bytes: number }> {
  const out = flags['out'];
  if (out === undefined || out.trim() === '')
    throw new InputError(
      'registry dashboard: missing --out DIR (the folder to write the site to)',
      'out',
    );
  const dir = isAbsolute(out) ? out : join(io.cwd, out);
  const site = await writeDashboard(registry, dir, {
    alert: driftAlertOf(flags['drift-percent'], flags['drift-versions']),
    links: linksFrom(flags, io),
    title: flags['title'],
  });
  return {
    out: site.dir,
    index: join(site.dir, 'index.html'),
    tools: site.tools,
    files: site.files.length,
    bytes: site.bytes,
  };
}

/** The terminal chart of one tool's history. */
export function historyChart(entry: RegistryEntry, io: CliIo): string {
  return renderHistoryChart(entry, terminalTakesUnicode(io.env));
}
