import fs from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { WAIT_GUARD_MS } from './wait.js';

/** Where the browser tests expect Chromium (Debian's package). */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, without the background traffic a fresh profile would start. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium for a browser test; fails naming what to install when it is not there. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium).`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT_GUARD_MS });
}
