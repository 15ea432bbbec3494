// The page in two parts (index.html, web/src/entry.rs): the start module shows the address
// and the form at once; the full module arrives after the first paint and takes over. These
// tests hold the full module back (Playwright routes) to act in the time before it: what the
// person typed, chose and asked for survives the swap (the address is looked up after it),
// focus and caret stay where they were, nothing moves, an input method's composition is never
// cut off, a check asked for early runs once it can, a full module that cannot load is said
// in words, and a share link skips the start module.
//
// Run as root, after building the page and the worker, under the lab lock:
//   flock /tmp/sendcheck-lab.lock node --test tests/e2e/takeover.test.mjs
// Screenshots go to test-output/e2e-takeover/.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchBrowser } from '../../lab/browser.mjs';
import { MAIL_SERVER_NAME, TEST_ACCOUNT } from '../../lab/index.mjs';
import { startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e-takeover');
const ADDRESS = 'taro@sendcheck.test';
const FULL_WASM = '**/pkg/sendcheck_web_bg.wasm';
const START_WASM = /\/pkg\/sendcheck_start_bg\.wasm$/;

let stack;
let browser;

/** A new page whose full module is held back until `release()` (or refused by `refuse()`). */
async function pageWithHeldModule() {
  const page = await browser.context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  let release;
  let refuse;
  const decided = new Promise((resolve) => {
    release = () => resolve('continue');
    refuse = () => resolve('abort');
  });
  await page.route(FULL_WASM, async (route) => {
    if ((await decided) === 'abort') await route.abort('failed');
    else await route.continue();
  });
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (!entry.hadRecentInput) window.__shifts.push(entry.value);
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  return { page, requests, release, refuse };
}

async function openStart(page, path = '/?lang=en') {
  await page.goto(`${stack.server.url}${path}`, { waitUntil: 'load', timeout: 30_000 });
  await page.locator('#probe-form').waitFor({ state: 'visible', timeout: 15_000 });
  assert.equal(await dataApp(page), undefined, 'still the start module');
}

const dataApp = (page) => page.evaluate(() => document.documentElement.dataset.app);
const tookOver = (page) => page.locator('html[data-app="full"]').waitFor({ state: 'attached', timeout: 30_000 });

describe('the page in two parts: the start module, then the full one', () => {
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    stack = await startStack({ kind: 'e2e-takeover', outDir: OUT, log: (l) => console.log(`# takeover: ${l}`) });
    browser = await launchBrowser({ runId: stack.lab.runId, dir: stack.lab.tmpDir, locale: 'en-US' });
  }, { timeout: 330_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await stack?.stop();
  }, { timeout: 60_000 });

  test('what was typed before the full module arrived survives the swap: language, address, form, focus and caret; nothing moves; the address is looked up after', { timeout: 120_000 }, async () => {
    const { page, requests, release } = await pageWithHeldModule();
    try {
      await openStart(page);
      // The start module alone: language switch, the address, the form by hand.
      await page.click('#lang');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
      await page.fill('#q-email', ADDRESS);
      await page.fill('#host', MAIL_SERVER_NAME);
      await page.selectOption('#port', '465');
      await page.fill('#username', TEST_ACCOUNT.username);
      await page.fill('#password', TEST_ACCOUNT.password);
      await page.focus('#username');
      await page.evaluate(() => document.getElementById('username').setSelectionRange(2, 4));
      // The start module leaves the lookup to the full one (it has no JSON reader).
      await page.waitForTimeout(1_000);
      assert.equal(requests.filter((u) => u.includes('/api/discover')).length, 0, 'not looked up by the start module');
      const before = await page.locator('#app').innerText();
      await page.screenshot({ path: join(OUT, 'before-takeover.png'), fullPage: true });
      // The page as the swap left it, read in the page at that moment (the lookup that
      // follows would change it a moment later).
      await page.evaluate(() => {
        new MutationObserver((_, observer) => {
          if (document.documentElement.dataset.app !== 'full') return;
          window.__atSwap = document.getElementById('app').innerText;
          observer.disconnect();
        }).observe(document.documentElement, { attributes: true, attributeFilter: ['data-app'] });
      });

      release();
      await tookOver(page);
      assert.equal(await page.evaluate(() => window.__atSwap), before, 'the same page, word for word');
      assert.equal(await page.locator('#app').count(), 1, 'one app root');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja', 'the language chosen in the start module');
      assert.equal(await page.inputValue('#q-email'), ADDRESS);
      assert.equal(await page.inputValue('#host'), MAIL_SERVER_NAME);
      assert.equal(await page.inputValue('#port'), '465');
      assert.equal(await page.inputValue('#security'), 'tls', 'the port picked its usual security');
      assert.equal(await page.inputValue('#username'), TEST_ACCOUNT.username);
      assert.equal(await page.inputValue('#password'), TEST_ACCOUNT.password, 'the password too, in memory only');
      assert.deepEqual(
        await page.evaluate(() => [document.activeElement.id, document.activeElement.selectionStart, document.activeElement.selectionEnd]),
        ['username', 2, 4],
        'focus and caret where they were',
      );
      const cls = (await page.evaluate(() => window.__shifts)).reduce((a, b) => a + b, 0);
      assert.ok(cls < 0.01, `nothing moved at the swap: CLS ${cls}`);
      // The full module looks the address up, once.
      await page.locator('[data-testid="dns"][data-state="ready"]').waitFor({ timeout: 20_000 });
      assert.ok(await page.locator('[data-testid="dns-candidate"][data-port="465"]').count() >= 1);
      assert.equal(requests.filter((u) => u.includes('/api/discover')).length, 1, 'looked up once');
      // The password never reached the address or storage on the way.
      const stored = await page.evaluate(() => JSON.stringify([location.href, { ...localStorage }, { ...sessionStorage }, document.cookie]));
      assert.ok(!stored.includes(TEST_ACCOUNT.password), stored);
      await page.screenshot({ path: join(OUT, 'after-takeover.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  test('a Japanese input method\'s composition is never cut off: the takeover waits for it to be committed', { timeout: 60_000 }, async () => {
    const { page, release } = await pageWithHeldModule();
    try {
      await openStart(page, '/?lang=ja');
      await page.focus('#username');
      // What an IME does (through the DevTools protocol): text under composition, not committed.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Input.imeSetComposition', { text: 'たろう', selectionStart: 3, selectionEnd: 3 });
      const arrived = page.waitForResponse((r) => r.url().endsWith('/pkg/sendcheck_web_bg.wasm'));
      release();
      await arrived;
      await page.waitForTimeout(1_000);
      assert.equal(await dataApp(page), undefined, 'no takeover in the middle of a composition');
      await cdp.send('Input.insertText', { text: '太郎' });
      await tookOver(page);
      assert.equal(await page.inputValue('#username'), '太郎', 'the committed text is handed over');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'username');
    } finally {
      await page.close();
    }
  });

  test('Check pressed before the full module arrived: the page says it will start, then the check runs once', { timeout: 120_000 }, async () => {
    const { page, requests, release } = await pageWithHeldModule();
    try {
      await openStart(page);
      await page.fill('#host', MAIL_SERVER_NAME);
      await page.click('#submit');
      const starting = page.locator('[data-testid="starting"]');
      await starting.waitFor({ timeout: 5_000 });
      assert.match(await starting.innerText(), /as soon as the rest of the page has loaded/);
      assert.equal(await page.locator('#submit').isDisabled(), true, 'not pressed twice');
      assert.equal(requests.filter((u) => u.endsWith('/api/probe')).length, 0, 'nothing asked yet');
      release();
      await tookOver(page);
      await page.locator('[data-testid="verdict"]').waitFor({ timeout: 60_000 });
      assert.equal(requests.filter((u) => u.endsWith('/api/probe')).length, 1, 'one check');
      assert.equal(await page.locator('[data-testid="result"][data-port="587"]').getAttribute('data-outcome'), 'completed');
      await page.screenshot({ path: join(OUT, 'early-check.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  test('a full module that cannot load is said in words; what was typed stays on screen', { timeout: 60_000 }, async () => {
    const { page, refuse } = await pageWithHeldModule();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await openStart(page);
      await page.fill('#host', MAIL_SERVER_NAME);
      await page.click('#submit');
      refuse();
      const alert = page.locator('[data-testid="rest-unavailable"]');
      await alert.waitFor({ timeout: 15_000 });
      assert.equal(await alert.getAttribute('role'), 'alert');
      assert.match(await alert.innerText(), /could not be loaded.*reload/s);
      assert.equal(await page.inputValue('#host'), MAIL_SERVER_NAME);
      assert.equal(await dataApp(page), undefined);
      await page.screenshot({ path: join(OUT, 'full-module-missing.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  test('a share link opens with the full module alone', { timeout: 60_000 }, async () => {
    const page = await browser.context.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    try {
      await page.goto(`${stack.server.url}/?lang=en#r=1.not-a-link`, { waitUntil: 'load', timeout: 30_000 });
      await tookOver(page);
      await page.locator('[data-testid="share-error"]').waitFor({ timeout: 15_000 });
      assert.equal(requests.filter((u) => START_WASM.test(u)).length, 0, 'the start module is not fetched');
    } finally {
      await page.close();
    }
  });
});
