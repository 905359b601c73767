/**
 * Debian's Chromium for the browser tests (/usr/bin/chromium, installed by
 * .ci/run), driven by playwright-core, which downloads no browser: why the
 * tests skip when it is missing, and one way to start it.
 */
import { existsSync } from 'node:fs';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined. */
export const noChromium = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`;

/** Headless Chromium with a fresh profile folder (--user-data-dir, which playwright takes as the persistent context's folder). */
export function launchChromium(profile: string, viewport: { width: number; height: number }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport,
    deviceScaleFactor: 1,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
