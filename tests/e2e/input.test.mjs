// End to end: the host and address fields as Japanese users type them (issue 9 §4) — full-width
// letters, digits and the ideographic full stop from an input method, and internationalised
// names — become what a resolver knows, the page says what is checked, and the address guard
// still refuses everything it refuses in ASCII (a full-width 127.0.0.1 is loopback).
//
// Run as root, after building (`./dev test` does both), under the lab lock:
//   flock /tmp/sendcheck-lab.lock node --test --test-concurrency=1 tests/e2e/input.test.mjs

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { fullyLoaded, launchBrowser } from '../../lab/browser.mjs';
import { MAIL_SERVER_ADDRESS, MAIL_SERVER_NAME } from '../../lab/index.mjs';
import { postJson, startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e');

/** What an input method in full-width mode produces for ASCII text, with 。 for the dots. */
function fullWidth(ascii) {
  return [...ascii]
    .map((c) => (c === '.' ? '。' : c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c))
    .join('');
}

let stack;
let browser;

describe('Japanese input', () => {
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    for (const built of ['dist/index.html', 'worker/build']) {
      assert.ok(existsSync(join(REPO_ROOT, built)), `${built} is missing: build the page and the worker first`);
    }
    stack = await startStack({ kind: 'e2e', outDir: OUT, log: (l) => console.log(`# input: ${l}`) });
    try {
      browser = await launchBrowser({ runId: stack.lab.runId, dir: stack.lab.tmpDir, locale: 'ja-JP' });
    } catch (e) {
      await stack.stop().catch((c) => { e.message += `\n${c.message}`; });
      throw e;
    }
  }, { timeout: 330_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await stack?.stop();
  }, { timeout: 60_000 });

  test('a full-width host name and a full-width address are probed as their ASCII selves', { timeout: 90_000 }, async () => {
    const byName = await postJson(stack.server, { host: fullWidth(MAIL_SERVER_NAME), port: 587 });
    assert.equal(byName.status, 200, byName.text.slice(0, 400));
    assert.equal(byName.json.target.host, MAIL_SERVER_NAME);
    assert.equal(byName.json.outcome.kind, 'completed', JSON.stringify(byName.json.outcome));
    const byAddress = await postJson(stack.server, { host: fullWidth(MAIL_SERVER_ADDRESS), port: 587 });
    assert.equal(byAddress.status, 200, byAddress.text.slice(0, 400));
    assert.equal(byAddress.json.address, MAIL_SERVER_ADDRESS);
  });

  test('the guard refuses in full width what it refuses in ASCII', { timeout: 30_000 }, async () => {
    for (const host of [fullWidth('127.0.0.1'), '［::1］', fullWidth('10.0.0.1')]) {
      const res = await postJson(stack.server, { host, port: 587 });
      assert.equal(res.status, 403, `${host}: ${res.status} ${res.text.slice(0, 300)}`);
      assert.ok(res.json?.error?.code, `${host}: a named error: ${res.text.slice(0, 300)}`);
    }
    // A name that is not a host name still gets a specific answer, not a crash.
    const bad = await postJson(stack.server, { host: 'メール☆.example.jp', port: 587 });
    assert.equal(bad.status, 400, bad.text.slice(0, 300));
    assert.equal(bad.json.error.code, 'invalid_host');
  });

  test('the page says what a full-width host is checked as, and checks it', { timeout: 120_000 }, async () => {
    const page = browser.page;
    await page.goto(`${stack.server.url}/?lang=ja`, { waitUntil: 'load', timeout: 30_000 });
    await fullyLoaded(page);
    await page.locator('#probe-form').waitFor({ state: 'visible', timeout: 15_000 });
    await page.fill('#host', fullWidth(MAIL_SERVER_NAME));
    await page.selectOption('#port', '587');
    const shown = page.locator('[data-testid="host-as"]');
    await shown.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await shown.innerText(), `${MAIL_SERVER_NAME} として確認します`);
    await page.click('#submit');
    const verdict = page.locator('[data-testid="verdict"]');
    await verdict.waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await verdict.getAttribute('data-cause'), 'all_clear_outside');
    await page.screenshot({ path: join(OUT, 'input-full-width.png'), fullPage: false });
  });
});
