// Debian's Chromium, headless, driven by playwright-core, with a fresh profile every launch.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { RUN_MARKER } from './processes.mjs';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Chromium with a new profile and returns `{context, page, close()}`; `page` is the
 * context's first tab. Profile and Playwright's artifacts go to a new directory under `dir`
 * (give the lab's temp dir, so a crashed run's leftovers go with it; the system temp dir by
 * default), removed on close. `runId` marks its processes for the lab's stale-run cleanup.
 *
 * Playwright's own SIGINT handler would close the browser and exit the process at once, cutting
 * short the caller's cleanup of everything else; it is off. Chromium still exits with us: it
 * dies when its pipe to this process closes.
 */
export async function launchBrowser({ locale = 'en-US', dir, runId, headless = true, viewport } = {}) {
  const base = mkdtempSync(join(dir ?? tmpdir(), 'sendcheck-chromium-'));
  const profile = join(base, 'profile');
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      artifactsDir: join(base, 'artifacts'),
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      executablePath: CHROMIUM,
      headless,
      locale,
      args: ARGS,
      timeout: 60_000,
      viewport: viewport ?? { width: 1100, height: 900 },
      env: { ...process.env, ...(runId ? { [RUN_MARKER]: runId } : {}) },
    });
  } catch (e) {
    rmSync(base, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      let timer;
      try {
        await Promise.race([
          context.close(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('Chromium did not close in 15 s')), 15_000);
          }),
        ]);
      } finally {
        clearTimeout(timer);
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Waits until the page's full module has taken over from its start module (index.html sets
 * `<html data-app="full">` after the swap). Tests of what the full page does start from there;
 * `tests/e2e/takeover.test.mjs` tests the time before it.
 */
export async function fullyLoaded(page, timeout = 30_000) {
  await page.locator('html[data-app="full"]').waitFor({ state: 'attached', timeout });
}
