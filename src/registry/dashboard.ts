/**
 * `perf-verdict registry dashboard`: the registry as a static site in a folder — index.html and
 * index.json, per tool `tools/<hash>.html` with its data in `tools/<hash>.json`, and the site's
 * script and style files (dashboard-client.ts). Only these files are written; a page of a tool no longer in the registry is removed, nothing else in the
 * folder is touched (it may be a gh-pages checkout with the project's own pages).
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Registry } from './schema.js';
import type { DriftAlert, RepositoryLinks } from './dashboard-data.js';
import { dashboardData, pageName } from './dashboard-data.js';
import { ASSET_FILES } from './dashboard-client.js';
import { renderIndexPage, renderToolPage } from './dashboard-html.js';

export interface DashboardOptions {
  readonly alert: DriftAlert;
  readonly links: RepositoryLinks | null;
  readonly title?: string | undefined;
}

export interface DashboardSite {
  readonly dir: string;
  readonly tools: number;
  /** Paths relative to `dir`, every file written. */
  readonly files: string[];
  readonly bytes: number;
}

/** A page or its JSON that this writer made (a name in tools/): only those are ever removed. */
export const OUR_PAGE = /^[0-9a-f]{16}\.(html|json)$/;

/** The site's files, path relative to the site's folder → content. Pure. */
export function dashboardFiles(registry: Registry, options: DashboardOptions): Map<string, string> {
  const { index, tools } = dashboardData(registry, options.alert, options.links);
  const files = new Map<string, string>(ASSET_FILES);
  for (const tool of tools) {
    const name = pageName(tool.tool_id);
    files.set(`tools/${name}.json`, `${JSON.stringify(tool)}\n`);
    files.set(`tools/${name}.html`, renderToolPage(tool, `${name}.json`));
  }
  files.set('index.json', `${JSON.stringify(index)}\n`);
  files.set('index.html', renderIndexPage(index, options.title));
  return files;
}

/** Write the site into `dir` (created when missing); index.html last, once its links exist. */
export async function writeDashboard(
  registry: Registry,
  dir: string,
  options: DashboardOptions,
): Promise<DashboardSite> {
  const files = dashboardFiles(registry, options);
  await mkdir(join(dir, 'tools'), { recursive: true });
  for (const stale of await readdir(join(dir, 'tools'))) {
    if (OUR_PAGE.test(stale) && !files.has(`tools/${stale}`)) await rm(join(dir, 'tools', stale));
  }
  let bytes = 0;
  for (const [path, content] of files) {
    await writeFile(join(dir, path), content);
    bytes += Buffer.byteLength(content);
  }
  return { dir, tools: Object.keys(registry).length, files: [...files.keys()], bytes };
}
