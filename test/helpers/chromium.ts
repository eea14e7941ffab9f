/** Headless Chromium as the browser tests start it: Debian's binary, no network of its own. */
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';

export const CHROMIUM = process.env['PERF_VERDICT_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Launch Chromium with a fresh profile under `dir`. The flags keep it from reaching for Google's
 * hosts (background networking, component updates, sync) on a machine with a closed network.
 */
export async function launchChromium(dir: string): Promise<Browser> {
  const puppeteer = (await import('puppeteer-core')).default;
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: join(dir, 'profile'),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}
