// The page as a worried non-expert uses it, end to end: real Chromium, the real worker under
// workerd (wrangler dev), the lab's real Postfix at mail.sendcheck.test and its DoH stub (the
// domain sendcheck.test publishes SRV _submission 587 and _submissions 465).
//
// Flows: address first (discovery → one click → Check → verdict), settings typed by hand, the
// optional password (skipped and said so; accepted with the lab's account; never in the address,
// the share link or storage), language (browser, ?lang=, the switch), the share button's link
// opened in a fresh browser, "copy a summary" read back from the clipboard, the whole flow by
// keyboard only, a phone in the dark scheme without sideways scrolling, the widget's preset and
// compact layout, and no layout shift while results arrive (CLS measured in the page).
//
// Run as root, after building the page and the worker, under the lab lock:
//   flock /tmp/sendcheck-lab.lock node --test --test-concurrency=1 tests/e2e/flows.test.mjs
// Screenshots go to test-output/e2e-flows/.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { fullyLoaded, launchBrowser } from '../../lab/browser.mjs';
import { MAIL_SERVER_NAME, TEST_ACCOUNT } from '../../lab/index.mjs';
import { startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e-flows');
const ADDRESS = 'taro@sendcheck.test';
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const VERDICT = '[data-testid="verdict"]';

let stack;
/** The English desktop browser most tests share; others launch their own. */
let browser;

/** Records layout shifts not caused by the person's own input (the CLS of the page). */
const RECORD_SHIFTS = () => {
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) {
        window.__shifts.push({
          value: entry.value,
          at: Math.round(entry.startTime),
          nodes: (entry.sources ?? []).map((s) => s.node?.className || s.node?.nodeName || '?'),
        });
      }
    }
  }).observe({ type: 'layout-shift', buffered: true });
};

describe('the page, flow by flow', () => {
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    for (const built of ['dist/index.html', 'worker/build']) {
      assert.ok(existsSync(join(REPO_ROOT, built)), `${built} is missing: build the page and the worker first`);
    }
    stack = await startStack({ kind: 'e2e-flows', outDir: OUT, log: (l) => console.log(`# flows: ${l}`) });
    try {
      browser = await launchBrowser({ runId: stack.lab.runId, dir: stack.lab.tmpDir, locale: 'en-US' });
      await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.server.url });
      await browser.context.addInitScript(RECORD_SHIFTS);
    } catch (e) {
      await stack.stop().catch((c) => { e.message += `\n${c.message}`; });
      throw e;
    }
  }, { timeout: 330_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await stack?.stop();
  }, { timeout: 60_000 });

  test('address first: the SRV records give 587 and 465 with their source, one click fills the form, Check gives a verdict, nothing jumps', { timeout: 120_000 }, async () => {
    const page = browser.page;
    await open(page);
    // Before anything is typed: the start, the settings and Check; no result sections yet.
    assert.equal(await page.locator('[data-testid="questions"]').count(), 0, 'questions come after the verdict');
    assert.equal(await page.locator('[data-testid="local"]').count(), 0, 'the local check comes after the verdict');
    await page.fill('#q-email', ADDRESS);
    await page.locator('[data-testid="dns"][data-state="ready"]').waitFor({ timeout: 20_000 });
    const candidates = await page.locator('[data-testid="dns-candidate"]').evaluateAll((items) => items.map((li) => ({
      host: li.dataset.host, port: li.dataset.port, security: li.dataset.security, text: li.textContent,
    })));
    const found = (port, security) => candidates.find((c) => c.port === port && c.security === security);
    for (const [port, security] of [['587', 'starttls'], ['465', 'tls']]) {
      const c = found(port, security);
      assert.ok(c, `${port}/${security} discovered: ${JSON.stringify(candidates)}`);
      assert.equal(c.host, MAIL_SERVER_NAME);
      assert.match(c.text, /DNS SRV record/, `the source is named: ${c.text}`);
    }
    assert.match(await page.locator('[data-testid="dns-domain"]').innerText(), /sendcheck\.test/);
    await page.screenshot({ path: join(OUT, 'address-discovered.png'), fullPage: true });

    await page.locator('[data-testid="dns-candidate"][data-port="587"] [data-testid="dns-use"]').click();
    assert.equal(await page.inputValue('#host'), MAIL_SERVER_NAME);
    assert.equal(await page.inputValue('#port'), '587');
    assert.equal(await page.inputValue('#security'), 'starttls');
    assert.equal(await activeId(page), 'submit', 'the next step, Check, has the focus');

    await page.click('#submit');
    const verdict = await waitForVerdict(page, 'address-verdict');
    assert.equal(await verdict.getAttribute('data-cause'), 'all_clear_outside');
    assert.equal(await activeId(page), 'verdict-heading', 'focus moves to the verdict');
    // The verdict comes first: it is above both sides and the details, which are folded.
    assert.equal(await page.locator('[data-testid="more"]').getAttribute('open'), null, 'the ports are folded');
    assert.equal(await page.locator('[data-testid="side-internet"]').isVisible(), false);
    const top = async (sel) => (await page.locator(sel).boundingBox()).y;
    assert.ok(await top(VERDICT) < await top('[data-testid="more"]'));
    const cls = await layoutShift(page);
    await openMore(page);
    assert.ok(await top(VERDICT) < await top('[data-testid="side-internet"]'));
    assert.ok(await top('[data-testid="side-internet"]') < await top('[data-testid="port-results"]'));
    // Fine from outside: what sharpens the verdict is unfolded.
    assert.equal(await page.locator('[data-testid="sharpen"]').getAttribute('data-open'), 'true');
    assert.ok(await page.locator('#q-receiving').isVisible());
    assert.ok(cls < 0.1, `cumulative layout shift ${cls}`);
    await page.screenshot({ path: join(OUT, 'address-result.png'), fullPage: true });
  });

  test('settings typed by hand: the network and the internet side by side, then each port with its timeline', { timeout: 120_000 }, async () => {
    const page = browser.page;
    await open(page);
    await page.fill('#host', MAIL_SERVER_NAME);
    await page.selectOption('#port', '465');
    assert.equal(await page.inputValue('#security'), 'tls', 'the port picks its usual security');
    await page.click('#submit');
    const verdict = await waitForVerdict(page, 'manual-verdict');
    assert.ok(await verdict.isVisible());
    await openMore(page);
    const network = await page.locator('[data-testid="side-network"]').boundingBox();
    const internet = await page.locator('[data-testid="side-internet"]').boundingBox();
    assert.ok(Math.abs(network.y - internet.y) < 2 && internet.x > network.x + network.width - 1,
      `side by side on a wide screen: ${JSON.stringify({ network, internet })}`);
    const rows = await page.locator('[data-testid="side-internet"] [data-testid="port-row"]').evaluateAll((r) => r.map((e) => e.dataset.port));
    assert.deepEqual(rows, ['465', '587', '25']);
    const steps = page.locator('[data-testid="result"][data-port="465"] [data-testid="steps"] tr');
    assert.ok(await steps.count() >= 4, 'a timeline of steps');
    assert.match(await steps.first().innerText(), /\d+ ms/);
    assert.ok(await page.locator('[data-testid="result"][data-port="465"] [data-testid="tls"]').isVisible(), 'TLS in short');
    // The configured port in detail; the others folded behind their one-line outcome.
    assert.equal(await page.locator('[data-testid="result"][data-port="587"]').isVisible(), false);
    await page.locator('.port-fold[data-port="587"] > summary').click();
    assert.ok(await page.locator('[data-testid="result"][data-port="587"]').isVisible());
    const transcript = page.locator('[data-testid="result"][data-port="465"] [data-testid="transcript"]');
    assert.equal(await transcript.getAttribute('open'), null, 'the transcript is behind a toggle');
    // One time format on the page, in the person's zone, the zone named (when.rs).
    const started = await page.locator('[data-testid="result"][data-port="465"] .facts dd').nth(2).innerText();
    assert.match(started, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+/, started);
    await page.screenshot({ path: join(OUT, 'manual-result.png'), fullPage: true });
  });

  test('the password is optional: without it the login test is skipped and said so; with the lab account the login is accepted; it never leaves the form', { timeout: 180_000 }, async () => {
    const page = browser.page;
    await open(page);
    assert.match(await page.locator('[data-testid="password-explained"]').innerText(), /Without it, everything but the login test/);
    await page.fill('#host', MAIL_SERVER_NAME);
    await page.click('#submit');
    await waitForVerdict(page, 'password-none');
    await openMore(page);
    const skipped = page.locator('[data-testid="result"][data-port="587"] [data-testid="auth-skipped"]');
    assert.equal(await skipped.getAttribute('data-reason'), 'no_credentials');
    assert.ok((await skipped.innerText()).trim().length > 0, 'the skip is said in words');
    assert.equal(await page.locator('[data-testid="result"][data-port="587"]').getAttribute('data-outcome'), 'completed');

    await page.fill('#username', TEST_ACCOUNT.username);
    await page.fill('#password', TEST_ACCOUNT.password);
    await page.click('#submit');
    // The first check's verdict is still on screen until the second replaces it; wait for the
    // second's own evidence (a login result exists only when a password was given), not for a
    // running state a fast machine may pass through between two looks.
    const login = page.locator('[data-testid="result"][data-port="587"] [data-testid="auth-result"]');
    await login.waitFor({ state: 'attached', timeout: 60_000 });
    await waitForVerdict(page, 'password-right');
    await openMore(page);
    assert.equal(await login.getAttribute('data-accepted'), 'true');
    await page.screenshot({ path: join(OUT, 'password-accepted.png'), fullPage: true });

    // The password is gone from the form after the check, and was never anywhere else.
    assert.equal(await page.inputValue('#password'), '');
    assert.ok(!page.url().includes(TEST_ACCOUNT.password) && !page.url().includes(encodeURIComponent(TEST_ACCOUNT.password)), page.url());
    const stored = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie]));
    assert.ok(!stored.includes(TEST_ACCOUNT.password), stored);
    const link = await makeLink(page);
    assert.ok(!link.includes(TEST_ACCOUNT.password) && !link.includes(encodeURIComponent(TEST_ACCOUNT.password)));
    assert.ok(!decodePerson(link).includes(TEST_ACCOUNT.password), 'not in the person part');
    assert.ok(!decodePerson(link).includes(TEST_ACCOUNT.username), 'no user name without opting in');
    // Opting in puts the user name, and only it, into the link.
    await page.check('[data-testid="share-username"]');
    await page.locator('[data-testid="share-link"]').waitFor({ state: 'detached', timeout: 5_000 });
    const withName = await makeLink(page);
    const person = JSON.parse(decodePerson(withName));
    assert.equal(person.username, TEST_ACCOUNT.username);
    assert.ok(!withName.includes(TEST_ACCOUNT.password));
  });

  test('the language: the browser\'s, ?lang= over it, and the switch re-renders everything', { timeout: 120_000 }, async () => {
    const ja = await launchBrowser({ runId: stack.lab.runId, dir: stack.lab.tmpDir, locale: 'ja-JP' });
    try {
      await open(ja.page);
      assert.equal(await ja.page.evaluate(() => document.documentElement.lang), 'ja');
      assert.match(await ja.page.locator('#start-heading').innerText(), JAPANESE);
      await open(ja.page, '/?lang=en');
      assert.equal(await ja.page.evaluate(() => document.documentElement.lang), 'en');
      assert.doesNotMatch(await ja.page.locator('main').innerText(), JAPANESE);
      await ja.page.screenshot({ path: join(OUT, 'lang-query-en.png') });
    } finally {
      await ja.close();
    }
    const page = browser.page;
    await open(page);
    await page.fill('#host', MAIL_SERVER_NAME);
    await page.click('#submit');
    await waitForVerdict(page, 'lang-en');
    await openMore(page);
    const before = await page.locator('#verdict-heading').innerText();
    await page.click('#lang');
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    for (const sel of ['#start-heading', '#settings-heading', '#verdict-heading', '#side-network-heading', '#side-internet-heading', '#sharpen-heading', '#submit']) {
      assert.match(await page.locator(sel).innerText(), JAPANESE, `${sel} in Japanese`);
    }
    assert.notEqual(await page.locator('#verdict-heading').innerText(), before);
    assert.match(page.url(), /[?&]lang=ja\b/);
    // Times follow: Japanese writes 2026年12月8日 10:11:36（zone）.
    const started = await page.locator('[data-testid="result"][data-port="587"] .facts dd').nth(2).innerText();
    assert.match(started, /^\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}:\d{2}（[^）]+）$/, started);
    await page.screenshot({ path: join(OUT, 'lang-switched-ja.png'), fullPage: true });
    await page.click('#lang');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  });

  test('the share button\'s link opens the same result in a fresh browser, verified, without probing', { timeout: 120_000 }, async () => {
    const page = browser.page;
    await open(page);
    await page.fill('#host', MAIL_SERVER_NAME);
    await page.click('#submit');
    const cause = await (await waitForVerdict(page, 'share-source')).getAttribute('data-cause');
    const link = await makeLink(page);
    assert.equal(await page.locator('[data-testid="share-copied"]').getAttribute('data-copied'), 'true');
    assert.match(await page.locator('[data-testid="share-copied"]').innerText(), /Link copied/);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, 'the clipboard holds the link');
    assert.ok(link.startsWith(`${stack.server.url}/#r=1.`), link.slice(0, 80));

    const viewer = await launchBrowser({ runId: stack.lab.runId, dir: stack.lab.tmpDir, locale: 'en-US' });
    try {
      const requests = [];
      viewer.page.on('request', (r) => requests.push(new URL(r.url()).pathname));
      await viewer.page.goto(link, { waitUntil: 'load', timeout: 30_000 });
      await viewer.page.locator('[data-testid="share-verification"][data-state="verified"]').waitFor({ timeout: 20_000 });
      for (const port of ['587', '465']) {
        await viewer.page.locator(`[data-testid="result"][data-port="${port}"][data-outcome="completed"]`).waitFor({ timeout: 5_000 });
      }
      // The same verdict, diagnosed in the viewer's page from what the link holds.
      const verdict = viewer.page.locator(VERDICT);
      await verdict.waitFor({ timeout: 15_000 });
      assert.equal(await verdict.getAttribute('data-cause'), cause);
      assert.deepEqual(requests.filter((p) => p.startsWith('/api/probe')), [], 'nothing probed');
      await viewer.page.screenshot({ path: join(OUT, 'share-opened.png'), fullPage: true });
    } finally {
      await viewer.close();
    }
  });

  test('"copy a summary" puts the verdict, what to do, each port with its time and the link on the clipboard', { timeout: 60_000 }, async () => {
    const page = browser.page;
    assert.equal(await page.locator(VERDICT).count(), 1, 'continues on the checked page with its link');
    const link = await page.inputValue('[data-testid="share-link"]');
    await page.click('[data-testid="summary-button"]');
    await page.locator('[data-testid="summary-copied"][data-copied="true"]').waitFor({ timeout: 5_000 });
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(clipboard, await page.inputValue('[data-testid="summary-text"]'));
    const lines = clipboard.split('\n');
    assert.equal(lines[0], `sendcheck result for the mail server ${MAIL_SERVER_NAME}`);
    assert.ok(lines.some((l) => l.startsWith('Verdict: ')), clipboard);
    for (const port of ['587', '465', '25']) {
      assert.ok(lines.some((l) => new RegExp(`^- port ${port} \\(.+\\): .+ \\(\\d+ ms\\)$`).test(l)), `port ${port}: ${clipboard}`);
    }
    assert.equal(lines.at(-1), `Full result: ${link}`);
    await page.screenshot({ path: join(OUT, 'summary.png'), fullPage: true });
  });

  test('keyboard only: address, the discovered 587, Check, the verdict', { timeout: 120_000 }, async () => {
    const page = browser.page;
    await open(page);
    const keys = page.keyboard;
    await tabUntil(page, '#q-email');
    await keys.type(ADDRESS);
    await page.locator('[data-testid="dns"][data-state="ready"]').waitFor({ timeout: 20_000 });
    await tabUntil(page, '[data-testid="dns-candidate"][data-port="587"] [data-testid="dns-use"]');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focus is visible');
    await keys.press('Enter');
    assert.equal(await activeId(page), 'submit');
    assert.equal(await page.inputValue('#host'), MAIL_SERVER_NAME);
    await keys.press('Enter');
    await waitForVerdict(page, 'keyboard');
    assert.equal(await activeId(page), 'verdict-heading');
    await page.screenshot({ path: join(OUT, 'keyboard-verdict.png') });
  });

  test('a phone in the dark: no sideways scrolling, readable colours', { timeout: 120_000 }, async () => {
    const phone = await launchBrowser({ runId: stack.lab.runId, dir: stack.lab.tmpDir, locale: 'ja-JP', viewport: { width: 390, height: 844 } });
    try {
      const page = phone.page;
      await page.emulateMedia({ colorScheme: 'dark' });
      await open(page);
      await page.fill('#q-email', ADDRESS);
      await page.locator('[data-testid="dns"][data-state="ready"]').waitFor({ timeout: 20_000 });
      await page.locator('[data-testid="dns-candidate"][data-port="587"] [data-testid="dns-use"]').click();
      await page.click('#submit');
      await waitForVerdict(page, 'phone');
      await openMore(page);
      const width = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(width[0] <= width[1], `no horizontal scroll: ${width}`);
      const [bg, fg] = await page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
      assert.ok(luminance(bg) < 0.1 && luminance(fg) > 0.6, `dark scheme: ${bg} / ${fg}`);
      // The two sides stack on a phone.
      const network = await page.locator('[data-testid="side-network"]').boundingBox();
      const internet = await page.locator('[data-testid="side-internet"]').boundingBox();
      assert.ok(internet.y >= network.y + network.height, 'stacked');
      await page.screenshot({ path: join(OUT, 'phone-dark.png'), fullPage: true });
      await page.screenshot({ path: join(OUT, 'phone-dark-viewport.png') });
    } finally {
      await phone.close();
    }
  });

  test('the widget: preset server, port and address; the host page\'s dark theme; compact, with a link to the full page', { timeout: 120_000 }, async () => {
    const page = await browser.context.newPage();
    try {
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(`${stack.server.url}/embed?lang=en&host=${MAIL_SERVER_NAME}&port=465&address=${encodeURIComponent(ADDRESS)}&theme=dark`, { waitUntil: 'load' });
      await fullyLoaded(page);
      await page.locator('#host').waitFor({ timeout: 15_000 });
      assert.equal(await page.inputValue('#host'), MAIL_SERVER_NAME);
      assert.equal(await page.inputValue('#port'), '465');
      assert.equal(await page.inputValue('#security'), 'tls');
      assert.equal(await page.inputValue('#q-email'), ADDRESS);
      // The preset address is looked up like a typed one.
      await page.bringToFront();
      await page.locator('[data-testid="dns"][data-state="ready"]').waitFor({ timeout: 20_000 });
      assert.equal(await page.locator('[data-testid="dns-candidate"][data-port="465"]').count(), 1);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.ok(luminance(bg) < 0.1, `theme=dark wins over a light system scheme: ${bg}`);
      await page.click('#submit');
      await waitForVerdict(page, 'embed');
      assert.equal(await page.locator('[data-testid="side-internet"] [data-testid="port-row"]').count(), 3);
      for (const hidden of ['side-network', 'port-results', 'sharpen', 'share']) {
        assert.equal(await page.locator(`[data-testid="${hidden}"]`).count(), 0, `${hidden} is for the full page`);
      }
      const full = page.locator('[data-testid="full-report"]');
      assert.equal(await full.getAttribute('target'), '_blank');
      const href = new URL(await full.getAttribute('href'), stack.server.url);
      assert.equal(href.pathname, '/');
      assert.equal(href.searchParams.get('host'), MAIL_SERVER_NAME);
      assert.equal(href.searchParams.get('port'), '465');
      assert.equal(href.searchParams.get('address'), ADDRESS);
      await page.screenshot({ path: join(OUT, 'embed-dark.png'), fullPage: true });
      // The full page reads the same settings back.
      await page.goto(href.toString(), { waitUntil: 'load' });
      await fullyLoaded(page);
      await page.locator('#host').waitFor({ timeout: 15_000 });
      assert.equal(await page.inputValue('#host'), MAIL_SERVER_NAME);
      assert.equal(await page.inputValue('#port'), '465');
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('embed')), false);
    } finally {
      await page.close();
    }
  });
});

async function open(page, path = '/') {
  await page.goto(`${stack.server.url}${path}`, { waitUntil: 'load', timeout: 30_000 });
  await fullyLoaded(page);
  await page.locator('#probe-form').waitFor({ state: 'visible', timeout: 15_000 });
}

/** Unfolds "each port in detail" below the verdict, as the person would. */
async function openMore(page) {
  const more = page.locator('[data-testid="more"]');
  if ((await more.getAttribute('open')) === null) await more.locator('> summary').click();
}

/** The layout shift the page made by itself (no input) over the next second: CLS's sum. */
async function layoutShift(page) {
  await page.waitForTimeout(1_000);
  const shifts = await page.evaluate(() => window.__shifts);
  const cls = shifts.reduce((sum, s) => sum + s.value, 0);
  console.log(`# flows: CLS ${cls.toFixed(4)} ${JSON.stringify(shifts)}`);
  return cls;
}

async function waitForVerdict(page, name) {
  const verdict = page.locator(VERDICT);
  try {
    await verdict.waitFor({ state: 'visible', timeout: 60_000 });
  } catch (e) {
    await page.screenshot({ path: join(OUT, `${name}.failed.png`), fullPage: true }).catch(() => {});
    throw e;
  }
  return verdict;
}

async function activeId(page) {
  return page.evaluate(() => document.activeElement?.id);
}

/** Presses Tab until the focused element matches `selector`, or fails after 40 presses. */
async function tabUntil(page, selector) {
  const path = [];
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const [hit, what] = await page.evaluate((sel) => {
      const el = document.activeElement;
      return [Boolean(el?.matches(sel)), `${el?.tagName}#${el?.id}`];
    }, selector);
    path.push(what);
    if (hit) return;
  }
  throw new Error(`Tab never reached ${selector}: ${path.join(' ')}`);
}

/** Clicks the share button and returns the link the page made. */
async function makeLink(page) {
  const shown = page.locator('[data-testid="share-link"]');
  await page.click('[data-testid="share-button"]');
  await shown.waitFor({ timeout: 5_000 });
  return shown.inputValue();
}

/** The person's part of a share link, as JSON text. */
function decodePerson(link) {
  const segments = link.split('#r=')[1].split('.');
  return Buffer.from(segments[5] ?? '', 'base64url').toString('utf8');
}

/** Relative luminance of a CSS rgb() colour, 0 (black) to 1 (white). */
function luminance(rgb) {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
