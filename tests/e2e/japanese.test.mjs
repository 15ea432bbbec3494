// The page in Japanese as a Japanese reader meets it (issue 10, "Japanese as a Japanese user
// reads it"): the real page in Chromium (ja-JP, the clock in Asia/Tokyo), the real worker
// under workerd, the lab's real Postfix, and the person's own network (lab/isp.mjs) whose ISP
// drops outbound port 25, where the command the page generates really runs.
//   - the whole OP25B flow: check on 25, the command's real output pasted back, the verdict;
//   - one server fault: a Postfix without STARTTLS on 587, whose administrator gets the
//     Postfix steps.
// In both, every sentence the page shows is read: no English words outside names, codes,
// host names and what is quoted (「…」, <code>, the transcript); every time is written one
// way, in the person's zone (2026年12月8日 10:11:36（日本時間）), never UTC or GMT; and the
// administrator's snippets keep their indentation as rendered (a master.cf "  -o" line).
//
// Run as root, after building (`bash scripts/build.sh`), under the lab lock:
//   flock /tmp/sendcheck-lab.lock node --test --test-concurrency=1 tests/e2e/japanese.test.mjs
// Screenshots and the wrangler logs go to test-output/e2e-japanese/. Never sends mail.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { fullyLoaded, launchBrowser } from '../../lab/browser.mjs';
import { PEERS } from '../../lab/index.mjs';
import { startIsp } from '../../lab/isp.mjs';
import { startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e-japanese');

/** Latin words a Japanese sentence may carry: names of products, companies, tools. The same
 * list as the unit test over the texts (shared/src/knowledge/texts.rs), plus the names of the
 * person's own tools that the page cites (nc, openssl). */
const NAMES = new Set([
  'Android', 'App', 'Apple', 'Becky', 'Bitdefender', 'ConoHa', 'Debian', 'Dovecot', 'Encrypt',
  'Exchange', 'Exim', 'Express', 'Gmail', 'Google', 'Internet', "Let's", 'Live', 'Mac', 'Mail',
  'Microsoft', 'My', 'OAuth', 'Online', 'Outlook', 'Plesk', 'Postfix', 'PowerShell', 'Sendmail',
  'Thunderbird', 'Ubuntu', 'Web', 'Webmin', 'Windows', 'Yahoo', 'cPanel', 'd', 'docomo', 'iCloud',
  'iOS', 'iPad', 'iPhone', 'macOS', 'sendcheck', 'nc', 'openssl', 'Linux', 'Finder',
  // Keys the person presses, as printed on the keyboard.
  'Enter', 'Ctrl', 'Alt', 'Shift', 'return',
]);

/** 2026年12月8日 10:11:36（日本時間）: the one way a moment is written on the Japanese page. */
const JAPANESE_TIME = /\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}:\d{2}（日本時間）/g;

let stack;
let browser;
let isp;
let savedTz;

describe('the page in Japanese', () => {
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    for (const built of ['dist/index.html', 'worker/build']) {
      assert.ok(existsSync(join(REPO_ROOT, built)), `${built} is missing: build the page and the worker first`);
    }
    stack = await startStack({ kind: 'e2e-japanese', outDir: OUT, log: (l) => console.log(`# japanese: ${l}`) });
    try {
      // Chromium takes its zone from TZ (launchBrowser passes the environment on).
      savedTz = process.env.TZ;
      process.env.TZ = 'Asia/Tokyo';
      browser = await launchBrowser({ runId: stack.lab.runId, dir: stack.lab.tmpDir, locale: 'ja-JP' });
    } catch (e) {
      await stack.stop().catch((c) => { e.message += `\n${c.message}`; });
      throw e;
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
  }, { timeout: 330_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await isp?.stop().catch(() => {});
    await stack?.stop();
  }, { timeout: 90_000 });

  test('the browser is Japanese and in Japan\'s zone', async () => {
    const { zone, lang } = await browser.page.evaluate(() => ({
      zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      lang: navigator.language,
    }));
    assert.equal(zone, 'Asia/Tokyo');
    assert.equal(lang, 'ja-JP');
  });

  test('OP25B from the check to the verdict, all in Japanese, one time zone', { timeout: 240_000 }, async () => {
    await freshIsp();
    const page = browser.page;
    await checkInPage(page, { host: PEERS.mail.name, port: 25, security: 'starttls', name: 'op25b' });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
    await page.selectOption('#q-receiving', 'yes');
    await page.selectOption('#q-web', 'yes');
    await page.selectOption('#q-client', 'outlook');

    const script = await generatedCommand(page, 'linux');
    const run = await isp.exec(script, { timeoutMs: 120_000 });
    const output = run.stdout + run.stderr;
    assert.match(output, /port 25 \(tcp\) timed out/, output);
    await page.fill('#local-output', output);
    await page.click('#local-read');
    await page.locator('[data-testid="local-check"][data-port="25"][data-result="timed_out"]').first()
      .waitFor({ state: 'attached', timeout: 15_000 });
    const verdict = page.locator('[data-testid="verdict"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="verdict"]')?.getAttribute('data-cause') === 'op25b',
      null, { timeout: 30_000 },
    );
    await unfold(page);
    await page.screenshot({ path: join(OUT, 'op25b-verdict.png'), fullPage: true });

    const sentences = await sentencesIn(page, '[data-testid="verdict"]');
    assert.ok(sentences.some((s) => /25番ポート/.test(s)), `the verdict speaks of 25番ポート: ${sentences.join('\n')}`);
    assertJapanese(sentences);
    // The evidence from outside is dated, in Japan's time, the Japanese way.
    const outside = await verdict.locator('[data-testid="evidence-for"] li[data-source="outside_probe"], [data-testid="evidence-against"] li[data-source="outside_probe"]').allTextContents();
    const dated = new RegExp(JAPANESE_TIME.source);
    assert.ok(outside.some((t) => dated.test(t)), `outside evidence dated 〜（日本時間）: ${JSON.stringify(outside)}`);
    await assertOneZone(page);
    await isp.stop();
  });

  test('a server without STARTTLS on 587: the administrator\'s steps in Japanese, snippets indented as Postfix needs', { timeout: 240_000 }, async () => {
    const page = browser.page;
    await checkInPage(page, { host: PEERS.noStartTls.name, port: 587, security: 'starttls', name: 'nostarttls' });
    const cause = await page.locator('[data-testid="verdict"]').getAttribute('data-cause');
    assert.equal(cause, 'starttls_broken');
    await unfold(page);
    await page.screenshot({ path: join(OUT, 'nostarttls-verdict.png'), fullPage: true });

    const sentences = await sentencesIn(page, '[data-testid="verdict"]');
    assertJapanese(sentences);
    assert.ok(sentences.some((s) => /メールサーバーソフト/.test(s)), 'Postfix and friends are mail server software');

    // The Postfix step as the page renders it: innerText follows CSS white-space, so a
    // collapsed indentation would show here exactly as it would in the person's clipboard.
    const steps = await page.locator('[data-testid="verdict"] .guide-step').evaluateAll(
      (els) => els.map((el) => ({ text: el.innerText, whiteSpace: getComputedStyle(el).whiteSpace })),
    );
    const postfix = steps.find((s) => s.text.startsWith('Postfix'));
    assert.ok(postfix, `a Postfix step among ${steps.length}`);
    assert.equal(postfix.whiteSpace, 'pre-wrap');
    assert.match(postfix.text, /\nsubmission inet n - y - - smtpd\n {2}-o syslog_name=postfix\/submission\n/, postfix.text);
    assert.equal(postfix.text.split('\n').filter((l) => l.startsWith('  -o ')).length, 8, postfix.text);
    assert.ok(steps.every((s) => !s.text.includes('`sudo')), 'no literal backticks around commands');
    await assertOneZone(page);
  });
});

/** The person's network for one test: the previous one's (if a failure left it) goes first. */
async function freshIsp(opts) {
  await isp?.stop();
  isp = await startIsp(stack.lab, opts);
}

/** Runs a check in the Japanese page and waits until the page is done with it. */
async function checkInPage(page, { host, port, security, name }) {
  await page.goto(`${stack.server.url}/?lang=ja`, { waitUntil: 'load', timeout: 30_000 });
  await fullyLoaded(page);
  await page.locator('#host').waitFor({ state: 'visible', timeout: 15_000 });
  await page.fill('#host', host);
  await page.selectOption('#port', String(port));
  await page.selectOption('#security', security);
  await page.click('#submit');
  try {
    const done = () => Boolean(document.querySelector('[data-testid="check"][data-state="done"]')
      && !document.querySelector('[data-testid="repeat-note"]')
      && document.querySelector('[data-testid="verdict"]'));
    await page.waitForFunction(done, null, { timeout: 150_000 });
    await page.waitForTimeout(1_000);
    await page.waitForFunction(done, null, { timeout: 150_000 });
  } catch (e) {
    await page.screenshot({ path: join(OUT, `${name}.failed.png`), fullPage: true }).catch(() => {});
    throw e;
  }
}

/** The script the page shows for `os`, exactly as the person would copy it. */
async function generatedCommand(page, os) {
  await page.selectOption('#os', os);
  const command = page.locator('[data-testid="local-command"]');
  await command.waitFor({ state: 'visible', timeout: 10_000 });
  return (await command.textContent()) ?? '';
}

/** Opens everything folded, so every sentence is laid out and read. */
async function unfold(page) {
  await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
}

/** The sentences under `selector` as the person sees them: block by block, with what is quoted
 * or copied (code, pre, the transcript, 「…」) taken out. */
async function sentencesIn(page, selector) {
  const blocks = await page.locator(selector).evaluate((root) => {
    const copy = root.cloneNode(true);
    for (const el of copy.querySelectorAll('code, pre, kbd, samp, [data-testid="transcript"], script, style')) el.remove();
    const out = [];
    for (const el of copy.querySelectorAll('p, li, h2, h3, h4, summary, th, td, caption, dt, dd')) {
      if (el.querySelector('p, li')) continue;
      out.push(el.textContent ?? '');
    }
    return out;
  });
  return blocks
    .flatMap((b) => b.split('\n'))
    .filter((line) => !/^\s/.test(line)) // an indented line is a snippet to copy as it is
    .map((line) => line.replace(/「[^」]*」/g, '「」').replace(/"[^"]*"/g, '""').trim())
    .filter((line) => line.length > 0);
}

/** Every Latin word in a Japanese line is a name, a code, a host name or a path. */
function assertJapanese(sentences) {
  const stray = [];
  for (const line of sentences) {
    if (!/[\u3040-\u30ff\u4e00-\u9fff]/.test(line)) {
      // A whole line without Japanese is copied text (a command, a config line) or a name.
      continue;
    }
    for (const raw of line.split(/[^\x21-\x7e]+/)) {
      const token = raw.replace(/^[()[\],;!?'"]+|[()[\],;!?'"]+$/g, '');
      if (!/[A-Za-z]/.test(token)) continue;
      const code = /[0-9/._=@~#$:+-]/.test(token) || token === token.toUpperCase();
      if (!code && !NAMES.has(token)) stray.push(`${token} in ${JSON.stringify(line)}`);
    }
  }
  assert.deepEqual(stray, [], `English inside Japanese sentences:\n${stray.join('\n')}`);
}

/** One zone on the whole page: Japan's, written the Japanese way; no UTC, GMT, JST or ISO times. */
async function assertOneZone(page) {
  const text = await page.locator('main').evaluate((main) => {
    const copy = main.cloneNode(true);
    // Server replies and the transcript are the server's words, quoted as sent.
    for (const el of copy.querySelectorAll('[data-testid="transcript"], pre')) el.remove();
    return copy.textContent ?? '';
  });
  for (const other of [/\bUTC\b/, /\bGMT\b/, /\bJST\b/, /協定世界時/, /\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/, /\d{4}\/\d{1,2}\/\d{1,2} \d{1,2}:\d{2}/]) {
    assert.doesNotMatch(text, other, `a time written another way: ${text.match(other)?.[0]}`);
  }
  const times = text.match(JAPANESE_TIME) ?? [];
  assert.ok(times.length >= 1, 'the page dates what it saw');
}
