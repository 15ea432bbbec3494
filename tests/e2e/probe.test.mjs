// End to end: the real page in headless Chromium, the real worker under workerd (wrangler dev),
// probing a real Postfix in a network namespace at 198.51.100.25 (mail.sendcheck.test, named by
// the lab's DoH stub).
//
// One check of the page probes the configured port and the usual ones (587 STARTTLS, 465 TLS,
// 25) in one streamed request; the page shows each port's progress as it arrives, the person's
// network, what the browser reaches of the server, and a verdict computed in the page.
//
// Run as root, after building the page and the worker (`./dev test` does both), under the lab
// lock: flock /tmp/sendcheck-lab.lock node --test --test-concurrency=1 tests/e2e/probe.test.mjs
// Screenshots, the recorded progress and the wrangler log go to test-output/e2e/.
// Never sends mail: the last test checks Postfix's own log for MAIL, RCPT and DATA.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { fullyLoaded, launchBrowser } from '../../lab/browser.mjs';
import { BANNER_TEXT, MAIL_SERVER_ADDRESS, MAIL_SERVER_NAME } from '../../lab/index.mjs';
import { startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e');
const RESULT = '[data-testid="result"][data-outcome]';
const SMTP_COMMANDS_THAT_SEND = /^\s*(MAIL|RCPT|DATA|BDAT)\b/i;
const STANDARD_PORTS = ['587', '465', '25'];
/** The check's deadline as the page shows it: shared/src/wire/check.rs CHECK_DEADLINE_MS, in seconds. */
const DEADLINE_SECONDS = 12;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

let stack;
let browser;

describe('probe, end to end', () => {
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    for (const built of ['dist/index.html', 'worker/build']) {
      assert.ok(existsSync(join(REPO_ROOT, built)), `${built} is missing: build the page and the worker first`);
    }
    // The lab's worker settings: its network and port 25 may be probed, its CA is the trust
    // anchor, its DoH stub resolves *.sendcheck.test.
    stack = await startStack({ kind: 'e2e', outDir: OUT, log: (l) => console.log(`# probe: ${l}`) });
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

  describe('the page', () => {
    test('a full check of mail.sendcheck.test: every port advances live, then network, reachability and a verdict', { timeout: 120_000 }, async () => {
      const page = browser.page;
      await openPage(page);
      await page.fill('#host', MAIL_SERVER_NAME);
      await page.selectOption('#port', '587');
      await recordProgress(page);
      await page.click('#submit');

      // The final rows are folded below the verdict ("each port in detail"): there, not shown.
      await page.locator('[data-testid="check"][data-state="done"]').waitFor({ state: 'attached', timeout: 60_000 });
      const snapshots = await page.evaluate(() => window.__progress);
      writeFileSync(join(OUT, 'page-progress.json'), JSON.stringify(snapshots, null, 1));
      // While it ran (read from what the page showed then: on a fast machine the whole check
      // can end before a test's next look): a row per port, a visible deadline, a polite live region.
      const first = snapshots.find((s) => s.check === 'running');
      assert.ok(first, `the check was seen running: ${JSON.stringify(snapshots)}`);
      assert.deepEqual(first.order, STANDARD_PORTS, 'the configured port first, then the usual ones, once each');
      assert.match(first.deadline, new RegExp(`\\b${DEADLINE_SECONDS} seconds\\b`));
      assert.equal(first.live, 'polite');
      // Progress arrived before the end: each port was seen advancing (steps done, one more at
      // a time) while the check still ran; the last events may land with the result itself.
      const running = snapshots.filter((s) => s.check === 'running');
      for (const port of STANDARD_PORTS) {
        const steps = running.map((s) => s.rows[port]?.steps ?? 0);
        assert.ok(steps.some((n) => n > 0), `port ${port} showed steps before the end: ${JSON.stringify(snapshots)}`);
        assert.ok(new Set(steps.filter((n) => n > 0)).size >= 2, `port ${port} advanced step by step: ${steps}`);
        const last = snapshots.at(-1).rows[port];
        assert.equal(last.state, 'finished', `port ${port} at the end`);
        assert.ok(last.steps >= Math.max(...steps), `port ${port} kept its steps`);
      }
      assert.ok(running.length >= 5, `the rows changed several times while running: ${running.length}`);
      assert.equal(snapshots.at(-1).check, 'done');

      // Every port's result, each in its own block.
      for (const port of STANDARD_PORTS) {
        const result = page.locator(`[data-testid="result"][data-port="${port}"]`);
        assert.equal(await result.getAttribute('data-outcome'), 'completed', `port ${port}`);
        const row = page.locator(`[data-testid="port-row"][data-port="${port}"]`);
        assert.equal(await row.getAttribute('data-outcome'), 'completed');
      }

      // The person's network: honestly unknown under local workerd.
      const network = page.locator('[data-testid="network"]');
      assert.equal(await network.getAttribute('data-state'), 'unknown');
      assert.match(await network.textContent(), /running locally/);
      assert.equal(await network.getAttribute('data-asn'), null);

      // What the browser reaches of the server's address: both web ports tried (the page is
      // served over http here), nothing on the way drops them; 2525 is not this person's port.
      for (const port of ['443', '80']) {
        const reach = page.locator(`[data-testid="reach-check"][data-port="${port}"]`);
        await page.waitForFunction((p) => {
          const el = document.querySelector(`[data-testid="reach-check"][data-port="${p}"]`);
          return el && el.dataset.result !== 'pending';
        }, port, { timeout: 15_000 });
        assert.equal(await reach.getAttribute('data-result'), 'answered', `port ${port}`);
      }
      assert.equal(await page.locator('[data-testid="reach-check"][data-port="2525"]').getAttribute('data-result'), 'skipped');
      assert.match(await network.textContent(), new RegExp(MAIL_SERVER_ADDRESS.replaceAll('.', '\\.')));

      // The verdict, computed in the page, with its evidence cited and focus on it.
      const verdict = page.locator('[data-testid="verdict"]');
      await verdict.waitFor({ state: 'visible', timeout: 15_000 });
      const cause = await verdict.getAttribute('data-cause');
      assert.equal(cause, 'all_clear_outside', 'the server works from outside on the configured port');
      const evidence = await verdict.locator('[data-testid="evidence-for"] li').allTextContents();
      // The page's one time format (when.rs): the date, the time, the zone.
      assert.ok(evidence.some((t) => /port 587/.test(t) && /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+/.test(t)), `cited with port and time: ${JSON.stringify(evidence)}`);
      const settings = verdict.locator('[data-testid="fix-settings"]');
      assert.equal(await settings.first().getAttribute('data-port'), '587');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'verdict-heading', 'focus moves to the verdict');
      await page.screenshot({ path: join(OUT, 'page-check-en.png'), fullPage: true });

      // Japanese: the same verdict, rendered again in Japanese.
      const titleEn = await page.locator('#verdict-heading').textContent();
      await page.click('#lang');
      await page.waitForFunction(() => /[\u3040-\u30ff]/.test(document.querySelector('#verdict-heading')?.textContent ?? ''), null, { timeout: 15_000 });
      assert.equal(await verdict.getAttribute('data-cause'), cause);
      const titleJa = await page.locator('#verdict-heading').textContent();
      assert.notEqual(titleJa, titleEn);
      assert.match(titleJa, JAPANESE);
      const evidenceJa = await verdict.locator('[data-testid="evidence-for"] li').allTextContents();
      assert.ok(evidenceJa.every((t) => JAPANESE.test(t)), JSON.stringify(evidenceJa));
      await page.screenshot({ path: join(OUT, 'page-check-ja.png'), fullPage: true });
      await page.click('#lang');
      await page.waitForFunction((t) => document.querySelector('#verdict-heading')?.textContent === t, titleEn, { timeout: 15_000 });
    });

    test('answering "Thunderbird, port 25" changes the guide, and what still works turns the verdict to OP25B', { timeout: 60_000 }, async () => {
      const page = browser.page;
      const verdict = page.locator('[data-testid="verdict"]');
      assert.equal(await verdict.count(), 1, 'continues on the checked page');
      const guides = () => verdict.locator('[data-testid="fix-guide"]').allTextContents();
      assert.ok((await guides()).every((g) => !/Thunderbird/.test(g)), 'no client named yet');
      await page.selectOption('#q-client', 'thunderbird');
      await page.selectOption('#port', '25');
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="verdict"] [data-testid="fix-guide"]')]
        .some((g) => g.textContent.includes('Thunderbird')), null, { timeout: 10_000 });
      assert.ok((await guides()).some((g) => g.includes('Outgoing Server (SMTP)')), JSON.stringify(await guides()));
      // Port 25 from a network that receives and browses: OP25B, fixed by the server's 587.
      await page.selectOption('#q-receiving', 'yes');
      await page.selectOption('#q-web', 'yes');
      await page.waitForFunction(() => document.querySelector('[data-testid="verdict"]')?.dataset.cause === 'op25b', null, { timeout: 10_000 });
      const fix = verdict.locator('[data-testid="fix-settings"][data-port="587"][data-security="starttls"]');
      assert.equal(await fix.count(), 1, 'the fix is 587 with STARTTLS');
      const said = await verdict.locator('[data-testid="evidence-for"] li[data-source="person_said"]').allTextContents();
      assert.ok(said.some((t) => /receiving/i.test(t)), JSON.stringify(said));
      await page.screenshot({ path: join(OUT, 'page-op25b-thunderbird.png'), fullPage: true });
    });

    test('the error text is decoded as it is typed', { timeout: 30_000 }, async () => {
      const page = browser.page;
      await page.fill('#error-text', 'The connection to the server was interrupted. Error 0x800CCC0F');
      const live = page.locator('[data-testid="decoded-live"] li[data-code="0x800CCC0F"]');
      await live.waitFor({ state: 'visible', timeout: 10_000 });
      // After a check, the verdict orders its candidates by the evidence: OP25B first here.
      const first = page.locator('[data-testid="decoded-error"] [data-testid="decoded-candidates"] li').first();
      await page.waitForFunction(() => document.querySelector('[data-testid="decoded-error"] [data-testid="decoded-candidates"] li')?.dataset.cause === 'op25b', null, { timeout: 10_000 });
      assert.equal(await first.getAttribute('data-cause'), 'op25b');
    });

    for (const port of ['587', '25']) {
      test(`the configured port ${port} with STARTTLS shows what the lab's Postfix said`, { timeout: 90_000 }, async () => {
        const result = await probeInPage({ host: MAIL_SERVER_ADDRESS, port, security: 'starttls' }, `page-${port}-completed`);
        assert.equal(await result.getAttribute('data-outcome'), 'completed');
        const greeting = await result.locator('[data-testid="greeting"]').textContent();
        assert.ok(greeting.includes(BANNER_TEXT), `greeting shown: ${JSON.stringify(greeting)}`);
        const keywords = await capabilityKeywords(result);
        assert.ok(keywords.includes('PIPELINING'), `capabilities shown: ${keywords.join(', ')}`);
        assert.ok(keywords.includes('STARTTLS'), `capabilities shown: ${keywords.join(', ')}`);
      });
    }

    test('a port where nothing listens is reported as connection refused, in words', { timeout: 90_000 }, async () => {
      const page = browser.page;
      const result = await probeInPage({ host: MAIL_SERVER_ADDRESS, port: '2525', security: 'starttls' }, 'page-2525-refused');
      assert.equal(await result.getAttribute('data-outcome'), 'connection_refused');
      const problem = result.locator('[data-testid="problem"]');
      assert.equal(await problem.count(), 1, 'a problem is shown');
      const text = `${await result.locator('[data-testid="headline"]').textContent()}\n${await problem.textContent()}`;
      assert.match(text, /connection refused/i);
      assert.match(text, /\b2525\b/, `the explanation names the port: ${JSON.stringify(text)}`);
      // The other ports of the same check still answer.
      assert.equal(await page.locator('[data-testid="result"][data-port="587"]').getAttribute('data-outcome'), 'completed');
      // 2525 is this person's port: the browser tried it too (a quick refusal reaches).
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid="reach-check"][data-port="2525"]');
        return el && el.dataset.result !== 'pending';
      }, null, { timeout: 15_000 });
      assert.equal(await page.locator('[data-testid="reach-check"][data-port="2525"]').getAttribute('data-result'), 'answered');
    });

    test('where port 25 cannot be tested (as at the edge), the page says so instead of a failure', { timeout: 300_000 }, async () => {
      const vars = stack.lab.workerVars();
      delete vars.ALLOW_PORT_25;
      const edgeLike = await stack.startWorker('no-port-25', vars);
      const page = browser.page;
      await page.goto(`${edgeLike.url}/`, { waitUntil: 'load', timeout: 30_000 });
      await fullyLoaded(page);
      await page.fill('#host', MAIL_SERVER_NAME);
      await page.selectOption('#port', '25');
      await page.click('#submit');
      // The final rows are folded below the verdict ("each port in detail"): there, not shown.
      await page.locator('[data-testid="check"][data-state="done"]').waitFor({ state: 'attached', timeout: 60_000 });
      const row = page.locator('[data-testid="port-row"][data-port="25"]');
      assert.equal(await row.getAttribute('data-state'), 'not_tested');
      assert.match(await row.textContent(), /Not tested from here/);
      const note = page.locator('[data-testid="not-tested"][data-port="25"]');
      assert.match(await note.textContent(), /says nothing about your server/);
      assert.equal(await page.locator('[data-testid="result"][data-port="25"]').count(), 0, 'no failure shown for 25');
      for (const port of ['587', '465']) {
        assert.equal(await page.locator(`[data-testid="result"][data-port="${port}"]`).getAttribute('data-outcome'), 'completed');
      }
      // The verdict does not blame the server for port 25, and cites that it was not testable.
      const verdict = page.locator('[data-testid="verdict"]');
      await verdict.waitFor({ state: 'visible', timeout: 15_000 });
      assert.notEqual(await verdict.getAttribute('data-cause'), 'server_down');
      await page.screenshot({ path: join(OUT, 'page-25-not-tested.png'), fullPage: true });
    });

    test('an address the service refuses to probe shows an input error, not a result', { timeout: 60_000 }, async () => {
      const page = browser.page;
      await fillAndSubmit(page, { host: '127.0.0.1', port: '587', security: 'starttls' });
      const error = page.locator('[data-testid="input-error"]');
      await error.waitFor({ state: 'visible', timeout: 30_000 });
      await page.screenshot({ path: join(OUT, 'page-loopback-refused.png'), fullPage: true });
      assert.equal(await error.getAttribute('data-failure'), 'target_not_allowed');
      assert.ok((await error.textContent()).trim().length > 0, 'the input error says something');
      assert.equal(await page.locator(RESULT).count(), 0, 'no probe result is shown');
      assert.equal(await page.locator('[data-testid="verdict"]').count(), 0, 'no verdict without a check');
    });

    test('the local check: the command for the server, and a clear error for text it cannot read', { timeout: 90_000 }, async () => {
      const page = browser.page;
      await openPage(page);
      // It sharpens a verdict, so it comes with the first one.
      assert.equal(await page.locator('[data-testid="local-command"]').count(), 0, 'no command before a check');
      await page.fill('#host', MAIL_SERVER_NAME);
      await page.click('#submit');
      await page.locator('[data-testid="local"]').waitFor({ state: 'visible', timeout: 60_000 });
      await page.selectOption('#os', 'linux');
      const script = await page.locator('[data-testid="local-command"]').textContent();
      for (const port of STANDARD_PORTS) assert.match(script, new RegExp(`\\b${port}\\b`), script);
      assert.ok(script.includes(MAIL_SERVER_NAME), script);
      await page.fill('#local-output', 'lorem ipsum dolor sit amet');
      await page.click('#local-read');
      const error = page.locator('[data-testid="local-output-error"]');
      await error.waitFor({ state: 'visible', timeout: 5_000 });
      assert.equal(await error.getAttribute('data-error'), 'nothing_recognised');
      await page.fill('#local-output', `nc: connect to ${MAIL_SERVER_NAME} port 25 (tcp) timed out: Operation now in progress\n`);
      await page.click('#local-read');
      await page.locator('[data-testid="local-check"][data-port="25"][data-result="timed_out"]').waitFor({ timeout: 5_000 });
      assert.equal(await error.count(), 0);
    });
  });

  describe('the API', () => {
    const refusals = [
      ['an empty host', { host: '', port: 587, security: 'starttls' }, 400, 'invalid_host'],
      ['a host with an empty label', { host: 'mail..example.com', port: 587, security: 'starttls' }, 400, 'invalid_host'],
      ['a port that is not for mail', { host: MAIL_SERVER_ADDRESS, port: 8080, security: 'starttls' }, 400, 'port_not_allowed'],
      ['an unknown security mode', { host: MAIL_SERVER_ADDRESS, port: 587, security: 'quantum' }, 400, 'unknown_security'],
      ['a body that is not JSON', 'host=198.51.100.25&port=587', 400, 'malformed_body'],
      ['a 10 KB body', { host: 'a'.repeat(10 * 1024), port: 587, security: 'starttls' }, 413, 'body_too_large'],
      ['loopback, which the lab does not allow', { host: '127.0.0.1', port: 587, security: 'starttls' }, 403, 'target_not_allowed'],
    ];
    for (const [what, body, status, code] of refusals) {
      test(`refuses ${what} with ${status} ${code}`, { timeout: 30_000 }, async () => {
        const res = await api('POST', '/api/probe', typeof body === 'string' ? body : JSON.stringify(body));
        assertApiError(res, status, code);
      });
    }

    test('answers GET /api/probe with 405', { timeout: 30_000 }, async () => {
      assertApiError(await api('GET', '/api/probe'), 405, 'method_not_allowed');
    });

    for (const method of ['GET', 'POST']) {
      test(`answers ${method} /api/nope with 404`, { timeout: 30_000 }, async () => {
        assertApiError(await api(method, '/api/nope', method === 'POST' ? '{}' : undefined), 404, 'not_found');
      });
    }

    test('serves the diagnosis data the page fetches, under a versioned path', { timeout: 30_000 }, async () => {
      const html = await (await fetch(`${stack.server.url}/`)).text();
      assert.ok(html.includes('sendcheck_web.js'), 'the page');
      const versions = readdirSync(join(REPO_ROOT, 'dist', 'data'));
      assert.equal(versions.length, 1, `one version of the data: ${versions}`);
      const [version] = versions;
      assert.match(version, /^[0-9a-f]{16}$/);
      const wasm = readFileSync(join(REPO_ROOT, 'dist', 'pkg', 'sendcheck_web_bg.wasm'));
      assert.ok(wasm.includes(version), 'the page fetches this version');
      for (const file of ['op25b_networks.json', 'providers.json', 'security_software.json', 'error_codes.json', 'text.en.json', 'text.ja.json']) {
        const res = await fetch(`${stack.server.url}/data/${version}/${file}`);
        assert.equal(res.status, 200, file);
        assert.ok(typeof (await res.json()) === 'object', file);
      }
    });

    test('probes 198.51.100.25:587 and reports greeting, capabilities, steps and transcript', { timeout: 60_000 }, async () => {
      const target = { host: MAIL_SERVER_ADDRESS, port: 587, security: 'starttls' };
      const res = await api('POST', '/api/probe', JSON.stringify(target));
      assert.equal(res.status, 200, res.text);
      const report = res.json;
      assert.ok(report, `JSON report: ${res.text.slice(0, 500)}`);
      assert.equal(typeof report.version, 'number');
      assert.deepEqual(report.target, target);
      assert.equal(report.address, MAIL_SERVER_ADDRESS);
      assert.equal(report.outcome.kind, 'completed', JSON.stringify(report.outcome));
      assert.ok(report.greeting.lines[0].includes(BANNER_TEXT), JSON.stringify(report.greeting));
      assert.equal(report.greeting.code, 220);
      const keywords = report.capabilities.extensions.map((e) => e.keyword);
      assert.ok(keywords.includes('STARTTLS'), keywords.join(', '));
      assert.ok(keywords.includes('PIPELINING'), keywords.join(', '));

      for (const step of ['connect', 'greeting', 'ehlo', 'quit']) {
        const record = report.steps.find((s) => s.step === step);
        assert.ok(record, `step ${step} in ${JSON.stringify(report.steps)}`);
        assert.ok(Number.isFinite(record.started_ms) && record.started_ms >= 0, JSON.stringify(record));
        assert.ok(Number.isFinite(record.duration_ms) && record.duration_ms >= 0, JSON.stringify(record));
        assert.equal(record.status, 'ok', JSON.stringify(record));
      }
      assert.ok(Number.isFinite(report.total_ms));

      const sent = report.transcript.filter((l) => l.direction === 'client').map((l) => l.text);
      assert.ok(sent.some((t) => /^EHLO /i.test(t)), `client lines: ${JSON.stringify(sent)}`);
      assert.ok(sent.some((t) => /^QUIT$/i.test(t.trim())), `client lines: ${JSON.stringify(sent)}`);
      assert.deepEqual(sent.filter((t) => SMTP_COMMANDS_THAT_SEND.test(t)), [], 'no MAIL, RCPT or DATA sent');
      const received = report.transcript.filter((l) => l.direction === 'server').map((l) => l.text);
      assert.ok(received.some((t) => t.includes(BANNER_TEXT)), `server lines: ${JSON.stringify(received)}`);
    });
  });

  // Last, over every connection the tests above made: the server's own account.
  test('Postfix saw EHLO and QUIT from the probes, and never MAIL, RCPT or DATA', () => {
    const log = readFileSync(stack.lab.postfix.maillog, 'utf8');
    const sessions = log.split('\n').filter((l) => /smtpd\[\d+\]: disconnect from /.test(l) && /\behlo=/.test(l));
    assert.ok(sessions.length >= 1, `no session with EHLO in the Postfix log:\n${log}`);
    for (const line of sessions) {
      assert.doesNotMatch(line, /\b(mail|rcpt|data|bdat)=/, line);
      assert.match(line, /\bquit=1\b/, line);
    }
  });
});

async function openPage(page) {
  await page.goto(`${stack.server.url}/`, { waitUntil: 'load', timeout: 30_000 });
  await fullyLoaded(page);
  await page.locator('#probe-form').waitFor({ state: 'visible', timeout: 15_000 });
}

/**
 * Records, in the page, every change of the check's rows with the time it happened: what a
 * person watching would see, independent of how often the test looks.
 */
async function recordProgress(page) {
  await page.evaluate(() => {
    window.__progress = [];
    const snapshot = () => {
      const check = document.querySelector('[data-testid="check"]');
      if (!check) return;
      const rows = {};
      for (const row of document.querySelectorAll('[data-testid="port-row"]')) {
        rows[row.dataset.port] = { state: row.dataset.state, steps: Number(row.dataset.steps), outcome: row.dataset.outcome };
      }
      const last = window.__progress.at(-1);
      const entry = {
        at_ms: Math.round(performance.now()),
        check: check.dataset.state,
        events: Number(check.dataset.events),
        rows,
        order: Object.keys(rows).length ? [...document.querySelectorAll('[data-testid="port-row"]')].map((r) => r.dataset.port) : [],
        deadline: document.querySelector('[data-testid="deadline"]')?.textContent ?? '',
        live: document.querySelector('[data-testid="progress"]')?.getAttribute('aria-live') ?? '',
      };
      if (!last || JSON.stringify([last.check, last.rows]) !== JSON.stringify([entry.check, entry.rows])) {
        window.__progress.push(entry);
      }
    };
    new MutationObserver(snapshot).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

/** Opens the page, submits the form, waits for the configured port's result, screenshots it. */
async function probeInPage(input, name) {
  const page = browser.page;
  await fillAndSubmit(page, input);
  const result = page.locator(`[data-testid="result"][data-port="${input.port}"]`);
  try {
    // Each port in detail is folded below the verdict: the person opens it.
    await result.waitFor({ state: 'attached', timeout: 60_000 });
    await openMore(page);
    await result.waitFor({ state: 'visible', timeout: 5_000 });
  } catch (e) {
    await page.screenshot({ path: join(OUT, `${name}.failed.png`), fullPage: true }).catch(() => {});
    throw e;
  }
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  return result;
}

/** Unfolds "each port in detail" below the verdict, as the person would. */
async function openMore(page) {
  const more = page.locator('[data-testid="more"]');
  if ((await more.getAttribute('open')) === null) await more.locator('> summary').click();
}

async function fillAndSubmit(page, { host, port, security }) {
  await openPage(page);
  await page.fill('#host', host);
  await page.selectOption('#port', String(port));
  await page.selectOption('#security', security);
  await page.click('#submit');
}

/** The EHLO keywords shown (first word of each item, upper-cased). */
async function capabilityKeywords(result) {
  const items = await result.locator('[data-testid="capabilities"] li').allTextContents();
  return items.map((t) => t.trim().split(/\s+/)[0].toUpperCase());
}

async function api(method, path, body) {
  const res = await fetch(`${stack.server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(25_000),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}

function assertApiError(res, status, code) {
  assert.equal(res.status, status, `status for ${res.text.slice(0, 300)}`);
  assert.match(res.contentType, /json/, `content-type ${res.contentType}`);
  assert.equal(res.json?.error?.code, code, res.text.slice(0, 300));
  assert.equal(typeof res.json.error.message, 'string');
  assert.ok(res.json.error.message.length > 0);
}
