/**
 * `registry dashboard` and `registry history --chart`: the registry drawn, as a static site
 * or in the terminal (src/registry/dashboard*.ts). Kept apart from registry.ts, which only
 * routes the subcommand here.
 */
import { isAbsolute, join } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { Registry, RegistryEntry } from '../../core/registry-schema.js';
import { writeDashboard } from '../../registry/dashboard.js';
import { driftAlertOf, repositoryLinks } from '../../registry/dashboard-data.js';
import { renderHistoryChart, terminalTakesUnicode } from '../../registry/dashboard-terminal.js';
import type { CliIo } from '../command.js';

/** Flags of the two subcommands, added to `registry`'s own. */
export const DASHBOARD_FLAGS = [
  'out',
  'drift-percent',
  'drift-versions',
  'repository',
  'server-url',
  'title',
] as const;

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
