import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's headless Chromium (never a browser download), quiet: no GPU, no background traffic. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's chromium package (npm test does, as root) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The workbench's build must exist (npm test makes it; a bare `jest` after a change to web/ does not). */
export function workbenchBuilt(): void {
  if (!existsSync(join(__dirname, '..', '..', 'dist', 'web', 'index.html')))
    throw new Error('The workbench is not built: run `npm run build:web` (npm test does it before jest)');
}
