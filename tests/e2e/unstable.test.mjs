// Scenario 002 in the browser: the hosting server accepts connections and then answers
// "421 busy" on 587 and nothing at all on 25 (lab/hostile.mjs at hostile.sendcheck.test). The
// page runs the same check again by itself (at most three runs, saying so), and the verdict is
// the server's fault, with every failed run cited at its time, so the vendor cannot wave it
// away.
//
// Run as root, after building the page and the worker, under the lab lock:
//   flock /tmp/sendcheck-lab.lock node --test tests/e2e/unstable.test.mjs
// Screenshots go to test-output/e2e-unstable/.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { fullyLoaded, launchBrowser } from '../../lab/browser.mjs';
import { PEERS } from '../../lab/index.mjs';
import { startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e-unstable');
const MAX_RUNS = 3; // shared/src/diagnosis/mod.rs

let stack;
let browser;

describe('a server that fails now and then (scenario 002)', () => {
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    stack = await startStack({ kind: 'e2e-unstable', outDir: OUT, log: (l) => console.log(`# unstable: ${l}`) });
    browser = await launchBrowser({ runId: stack.lab.runId, dir: stack.lab.tmpDir, locale: 'en-US' });
  }, { timeout: 330_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await stack?.stop();
  }, { timeout: 60_000 });

  test('the page repeats the check by itself and blames the server, citing each run', { timeout: 240_000 }, async () => {
    const { page } = browser;
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const checks = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/probe')) checks.push(JSON.parse(r.postData() ?? '{}'));
    });
    await page.goto(`${stack.server.url}/?lang=en`);
    await fullyLoaded(page);
    await page.fill('#host', PEERS.hostile.name);
    await page.selectOption('#port', '587');
    // What the page announced, recorded as it happened: a run against a server that answers
    // 421 at once may be over before a test's next look.
    await page.evaluate(() => {
      window.__runs = [];
      new MutationObserver(() => {
        const note = document.querySelector('[data-testid="repeat-note"]');
        if (note && window.__runs.at(-1) !== note.dataset.run) window.__runs.push(note.dataset.run);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.click('#submit');

    // The end: the last run announced, then the verdict in the progress's place.
    await page.waitForFunction(
      (n) => window.__runs.length >= n && !document.querySelector('[data-testid="repeat-note"]') && document.querySelector('[data-testid="verdict"]'),
      MAX_RUNS - 1,
      { timeout: 180_000 },
    );
    // Runs 2 and 3 announced themselves while they ran.
    assert.deepEqual(await page.evaluate(() => window.__runs), ['2', '3']);
    assert.equal(checks.length, MAX_RUNS, 'one request per run, no more');
    for (const body of checks) {
      assert.equal(body.host, PEERS.hostile.name);
      assert.equal(body.credentials, undefined, 'no login test in any run without a password');
    }
    assert.equal(await page.getAttribute('[data-testid="verdict"]', 'data-cause'), 'server_unstable');
    const cited = await page.$$eval('[data-testid="verdict"] [data-testid="evidence-for"] li', (items) =>
      items.map((li) => ({ source: li.dataset.source, text: li.textContent })));
    const outside = cited.filter((e) => e.source === 'outside_probe' || e.source === 'outside_runs');
    assert.ok(outside.length >= 2, `the failed runs are cited: ${JSON.stringify(cited)}`);
    assert.ok(outside.some((e) => /421|busy/i.test(e.text) || /587/.test(e.text)), JSON.stringify(outside));
    await page.screenshot({ path: join(OUT, 'unstable-verdict.png'), fullPage: true });
    assert.deepEqual(errors, []);
  });
});
