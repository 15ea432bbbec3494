// Accessibility audit (issue 10): axe-core (npm) run inside the real page in Chromium, on the
// start page and on a result page (a real check of the lab's Postfix through the worker, every
// fold opened so nothing escapes the audit), in English and Japanese, in the light and the dark
// colour scheme. Any violation fails, with the rule, the elements and axe's explanation.
//
// Run as root, after building (`bash scripts/build.sh`), under the lab lock:
//   flock /tmp/sendcheck-lab.lock node --test --test-concurrency=1 tests/e2e/a11y.test.mjs
// Screenshots go to test-output/e2e-a11y/.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { fullyLoaded, launchBrowser } from '../../lab/browser.mjs';
import { PEERS } from '../../lab/index.mjs';
import { startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e-a11y');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SCHEMES = ['light', 'dark'];
/** WCAG 2.2 A and AA, and axe's best practices. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

let stack;
let browser;

describe('accessibility (axe-core): start page and result page, both languages, both colour schemes', () => {
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    for (const built of ['dist/index.html', 'worker/build']) {
      assert.ok(existsSync(join(REPO_ROOT, built)), `${built} is missing: build the page and the worker first`);
    }
    stack = await startStack({ kind: 'e2e-a11y', outDir: OUT, log: (l) => console.log(`# a11y: ${l}`) });
    try {
      browser = await launchBrowser({ runId: stack.lab.runId, dir: stack.lab.tmpDir, locale: 'en-US' });
    } catch (e) {
      await stack.stop().catch((c) => { e.message += `\n${c.message}`; });
      throw e;
    }
  }, { timeout: 330_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await stack?.stop();
  }, { timeout: 60_000 });

  for (const lang of ['en', 'ja']) {
    test(`the start page in ${lang}`, { timeout: 90_000 }, async () => {
      const page = browser.page;
      await open(page, lang);
      for (const scheme of SCHEMES) {
        await assertNoViolations(page, `start-${lang}-${scheme}`, scheme);
      }
    });

    test(`a result page in ${lang}`, { timeout: 150_000 }, async () => {
      const page = browser.page;
      await open(page, lang);
      await page.fill('#host', PEERS.mail.name);
      await page.click('#submit');
      await page.locator('[data-testid="verdict"]').waitFor({ state: 'visible', timeout: 60_000 });
      // The browser's own reachability checks and the knowledge files settle first.
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 30_000 });
      // Every fold opened: the ports, each port's details, the transcripts, the questions.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      for (const scheme of SCHEMES) {
        await assertNoViolations(page, `result-${lang}-${scheme}`, scheme);
      }
    });
  }
});

async function open(page, lang) {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${stack.server.url}/?lang=${lang}`, { waitUntil: 'load', timeout: 30_000 });
  await fullyLoaded(page);
  await page.locator('#host').waitFor({ state: 'visible', timeout: 15_000 });
  assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
}

/** Runs axe on the whole document in `scheme`; fails listing every violation. */
async function assertNoViolations(page, name, scheme) {
  await page.emulateMedia({ colorScheme: scheme });
  // Transitions of colours finish before contrast is measured.
  await page.waitForTimeout(300);
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: AXE });
  }
  const result = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  }), TAGS);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  const violations = result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
  }));
  console.log(`# a11y: ${name}: ${result.passes?.length ?? 0} rules passed, ${violations.length} violated`);
  assert.deepEqual(violations, [], `${name}:\n${JSON.stringify(violations, null, 2)}`);
}
