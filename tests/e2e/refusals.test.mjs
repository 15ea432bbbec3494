// Issue 9, section 2 against real servers: each refusal class a real Postfix (with Dovecot)
// can be made to show, probed by the real worker under workerd and diagnosed by the real page
// in Chromium. The servers are lab/refusals.mjs (postscreen and reject_rbl_client asking the
// lab's DNS blocklist, lab/dnsbl.mjs; a cidr deny list; anvil connection limits; a Dovecot
// whose passdb backend takes its auth process down). For each: the report through the API
// (outcome kind, the server's words verbatim in the transcript), then the page's verdict (the
// cause of the issue-9 class list, and the server's words shown on the page).
//
// The reply comes to sendcheck's own probe, so an address refusal there is sendcheck's address
// being refused (the lab lists 198.51.100.1, where the worker connects from).
//
// Run as root, after building (`bash scripts/build.sh`), under the lab lock:
//   flock /tmp/sendcheck-lab.lock node --test --test-concurrency=1 tests/e2e/refusals.test.mjs
// Screenshots and the wrangler log go to test-output/e2e-refusals/. Never sends mail: the last
// test reads the refusing Postfix's own log for MAIL, RCPT and DATA.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { fullyLoaded, launchBrowser } from '../../lab/browser.mjs';
import { PEERS, TEST_ACCOUNT } from '../../lab/index.mjs';
import { listingReason } from '../../lab/dnsbl.mjs';
import { eximAvailable } from '../../lab/exim.mjs';
import { DNSBL_ZONE, LISTED_ADDRESS, startRefusals } from '../../lab/refusals.mjs';
import { postJson, postNdjson, startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e-refusals');
const THREE_PORTS = Object.freeze([{ port: 587 }, { port: 465 }, { port: 25 }]);
const RIGHT = Object.freeze({ username: TEST_ACCOUNT.username, password: TEST_ACCOUNT.password });

// What each server says, word for word (Postfix 3.7: postscreen_early.c PSC_DNSBL_FORMAT,
// smtpd_check.c default_rbl_reply and access "REJECT", smtpd.c anvil limit, smtpd_sasl_glue.c).
const POSTSCREEN_TEASER = `220-${PEERS.postscreen.name} ESMTP Postfix (sendcheck lab)`;
const POSTSCREEN_DROP = `521 5.7.1 Service unavailable; client [${LISTED_ADDRESS}] blocked using ${DNSBL_ZONE}`;
const RBL_REJECT = `554 5.7.1 Service unavailable; Client host [${LISTED_ADDRESS}] blocked using ${DNSBL_ZONE}; ${listingReason(DNSBL_ZONE, LISTED_ADDRESS)}`;
const DENIED = `554 5.7.1 <unknown[${LISTED_ADDRESS}]>: Client host rejected: Access denied`;
const TOO_MANY = (peer) => `421 4.7.0 ${peer.name} Error: too many connections from ${LISTED_ADDRESS}`;
const AUTH_TEMPORARY = '454 4.7.0 Temporary authentication failure: Connection lost to authentication server';
// Exim 4.96 daemon.c, smtp_accept_max_per_host.
const EXIM_TOO_MANY = '421 Too many concurrent SMTP connections from this IP address; please try again later.';
const NO_EXIM = eximAvailable() ? false : 'no Exim unpacked in /opt/sendcheck-exim (scripts/setup.sh)';

let stack;
let refusals;
let browser;

describe('refusals by real servers (issue 9)', () => {
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    for (const built of ['dist/index.html', 'worker/build']) {
      assert.ok(existsSync(join(REPO_ROOT, built)), `${built} is missing: build the page and the worker first`);
    }
    stack = await startStack({ kind: 'e2e-refusals', outDir: OUT, log: (l) => console.log(`# refusals: ${l}`) });
    try {
      refusals = await startRefusals(stack.lab);
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

  test('postscreen drops a blocklisted client: the 220- teaser, then 521 → address_refused', { timeout: 90_000 }, async () => {
    const check = await probe({ host: PEERS.postscreen.name, ports: THREE_PORTS });
    const smtp = portReport(check, 25);
    assert.equal(smtp.outcome.kind, 'greeting_rejected', JSON.stringify(smtp.outcome));
    assert.equal(smtp.outcome.reply.code, 521);
    // Both lines exactly as sent: the teaser and the final line of another code.
    assert.deepEqual(serverLines(smtp), [POSTSCREEN_TEASER, POSTSCREEN_DROP]);
    // Submission is not behind postscreen: it greets.
    assert.equal(portReport(check, 587).outcome.kind, 'completed');

    const verdict = await checkInPage(browser.page, { host: PEERS.postscreen.name, port: 25, name: 'postscreen' });
    assertCause(verdict, 'address_refused');
    assertQuoted(verdict, 25, POSTSCREEN_DROP);
    assertListNamed(verdict);
  });

  test('reject_rbl_client at connect: 554 with the list\'s reason on every port → address_refused', { timeout: 90_000 }, async () => {
    const check = await probe({ host: PEERS.blocklisted.name, ports: THREE_PORTS });
    for (const { port } of THREE_PORTS) {
      const report = portReport(check, port);
      assert.equal(report.outcome.kind, 'greeting_rejected', `${port}: ${JSON.stringify(report.outcome)}`);
      assert.equal(report.outcome.reply.code, 554);
      assert.ok(serverLines(report).includes(RBL_REJECT), `${port}: ${JSON.stringify(serverLines(report))}`);
    }
    const verdict = await checkInPage(browser.page, { host: PEERS.blocklisted.name, port: 587, name: 'rbl' });
    assertCause(verdict, 'address_refused');
    assertQuoted(verdict, 587, RBL_REJECT);
    assertListNamed(verdict);
    assert.doesNotMatch(verdict.title, /overload|busy|failing/i, 'never "the server is overloaded or failing"');
  });

  test('a deny list refuses at EHLO: "Client host rejected: Access denied" → address_refused', { timeout: 90_000 }, async () => {
    const check = await probe({ host: PEERS.denied.name, ports: THREE_PORTS });
    for (const { port } of THREE_PORTS) {
      const report = portReport(check, port);
      assert.equal(report.outcome.kind, 'ehlo_rejected', `${port}: ${JSON.stringify(report.outcome)}`);
      assert.equal(report.outcome.reply.code, 554);
      assert.ok(serverLines(report).includes(DENIED), `${port}: ${JSON.stringify(serverLines(report))}`);
    }
    const verdict = await checkInPage(browser.page, { host: PEERS.denied.name, port: 587, name: 'denied' });
    assertCause(verdict, 'address_refused');
    assertQuoted(verdict, 587, DENIED);
  });

  test('another connection from the same address holds the only slot: 421 "too many connections" → client_limit', { timeout: 120_000 }, async () => {
    const held = await refusals.holdConnection(PEERS.limited.address, 587);
    try {
      assert.match(held.greeting, /^220 /);
      const check = await probe({ host: PEERS.limited.name, ports: THREE_PORTS });
      const submission = portReport(check, 587);
      assert.equal(submission.outcome.kind, 'greeting_rejected', JSON.stringify(submission.outcome));
      assert.equal(submission.outcome.reply.code, 421);
      assert.deepEqual(serverLines(submission), [TOO_MANY(PEERS.limited)]);
      for (const port of [465, 25]) assert.equal(portReport(check, port).outcome.kind, 'completed', `port ${port}`);

      // Re-probed alone, as often as the page likes, 587 stays refused while the other
      // connection lives: a limit on this address, not a fault of the server.
      const verdict = await checkInPage(browser.page, { host: PEERS.limited.name, port: 587, name: 'limited' });
      assertCause(verdict, 'client_limit');
      assertQuoted(verdict, 587, TOO_MANY(PEERS.limited));
      assert.doesNotMatch(verdict.title, /overload|failing|down/i);
    } finally {
      held.close();
    }
  });

  test('the check\'s own concurrent probes trip a per-client limit: that port probed again alone answers; never blamed on the server', { timeout: 120_000 }, async () => {
    // 25 and 587 of this host are one service with room for one connection from an address.
    const { results, check } = await probeStreamed({ host: PEERS.selfLimited.name, ports: [{ port: 587 }, { port: 25 }] });
    const port = assertTrippedThenAlone(results, check, 2, (report) => assert.deepEqual(serverLines(report), [TOO_MANY(PEERS.selfLimited)]));
    assert.ok([587, 25].includes(port));

    // The page: whatever its first run tripped, the verdict is the server working from outside.
    const verdict = await checkInPage(browser.page, { host: PEERS.selfLimited.name, port: 587, name: 'self-limited' });
    assertCause(verdict, 'all_clear_outside');
  });

  test('Exim counts a check\'s three concurrent probes against smtp_accept_max_per_host: 421 on one port, alone it answers', { timeout: 120_000, skip: NO_EXIM }, async () => {
    const { results, check } = await probeStreamed({ host: PEERS.exim.name, ports: THREE_PORTS });
    assertTrippedThenAlone(results, check, 3, (report) => {
      // Also on 465, where Exim says it in clear text before any TLS: a refusal with its words.
      assert.equal(report.outcome.kind, 'greeting_rejected', JSON.stringify(report.outcome));
      assert.ok(replyLines(report).includes(EXIM_TOO_MANY), `${JSON.stringify(report.outcome)} ${JSON.stringify(serverLines(report))}`);
    });

    const verdict = await checkInPage(browser.page, { host: PEERS.exim.name, port: 587, name: 'exim-self-limited' });
    assertCause(verdict, 'all_clear_outside');
  });

  test('Dovecot loses the login mid-request: 454 4.7.0 Temporary authentication failure → auth_temporary', { timeout: 120_000 }, async () => {
    const check = await probe({ host: PEERS.authTemporary.name, ports: THREE_PORTS, credentials: RIGHT, login_port: 587 });
    const submission = portReport(check, 587);
    assert.equal(submission.outcome.kind, 'auth_rejected', JSON.stringify(submission.outcome));
    assert.equal(submission.outcome.reply.code, 454);
    assert.ok(serverLines(submission).includes(AUTH_TEMPORARY), JSON.stringify(serverLines(submission)));

    const verdict = await checkInPage(browser.page, {
      host: PEERS.authTemporary.name, port: 587, ...RIGHT, name: 'auth-temporary',
    });
    assertCause(verdict, 'auth_temporary');
    assertQuoted(verdict, 587, AUTH_TEMPORARY);
    // The password may well be right: no fix tells the person to change it (saying not to is fine).
    for (const fix of verdict.fixes.filter((f) => f.audience === 'person')) {
      for (const sentence of fix.text.split(/(?<=[.!?])\s+/).filter((t) => !/\bnot\b|n't\b/i.test(t))) {
        assert.doesNotMatch(sentence, /\b(change|reset|re-?enter)\b[^.]*\bpassword/i, fix.text);
      }
    }
  });

  // Last: the refusing servers' own account of every session.
  test('the refusing Postfix saw no MAIL, RCPT or DATA', () => {
    const log = readFileSync(refusals.postfix.maillog, 'utf8');
    const sessions = log.split('\n').filter((l) => /disconnect from /.test(l) && l.includes(`[${LISTED_ADDRESS}]`));
    assert.ok(sessions.length >= 5, `sessions from ${LISTED_ADDRESS} in the log:\n${log.slice(-3000)}`);
    for (const line of sessions) assert.doesNotMatch(line, /\b(mail|rcpt|data|bdat)=/, line);
  });
});

/**
 * Of `ports` probes streamed at once, exactly one was refused with 421 (`assertRefusal` looks
 * at it), the worker probed that port again alone (streamed after the others) and it answered,
 * and the final report keeps what it met alone. Returns the port.
 */
function assertTrippedThenAlone(results, check, ports, assertRefusal) {
  const first = results.slice(0, ports);
  const tripped = first.filter((r) => r.outcome.kind !== 'completed');
  assert.equal(tripped.length, 1, `one of ${ports} concurrent probes is refused: ${JSON.stringify(first.map((r) => [r.target.port, r.outcome]))}`);
  assert.equal(tripped[0].outcome.reply?.code, 421, JSON.stringify(tripped[0].outcome));
  assertRefusal(tripped[0]);
  const { port } = tripped[0].target;
  const again = results.slice(ports);
  assert.deepEqual(again.map((r) => [r.target.port, r.outcome.kind]), [[port, 'completed']], `${port} probed again alone`);
  assert.equal(portReport(check, port).outcome.kind, 'completed', 'the report keeps what the port met alone');
  return port;
}

/** The port results in the order the worker streamed them (a port probed again comes twice), and the final report. */
async function probeStreamed(body) {
  const res = await postNdjson(stack.server, body);
  assert.equal(res.status, 200, `${body.host}: ${res.status}`);
  const results = res.events.filter((e) => e.event.event === 'port' && e.event.result.status === 'probed').map((e) => e.event.result.report);
  const done = res.events.find((e) => e.event.event === 'done');
  assert.ok(done, JSON.stringify(res.events.map((e) => e.event.event)));
  return { results, check: done.event.report };
}

async function probe(body) {
  const res = await postJson(stack.server, body);
  assert.equal(res.status, 200, `${body.host}: ${res.status} ${res.text.slice(0, 500)}`);
  assert.ok(res.json, res.text.slice(0, 500));
  return res.json;
}

function portReport(check, port) {
  const result = check.ports.find((p) => p.report?.target.port === port);
  assert.ok(result, `port ${port} in ${JSON.stringify(check.ports.map((p) => p.port ?? p.report?.target.port))}`);
  assert.equal(result.status, 'probed');
  return result.report;
}

const serverLines = (report) => report.transcript.filter((l) => l.direction === 'server').map((l) => l.text);
/** The refusal's lines as sent: from the transcript, or (a reply in clear text on 465, before any TLS) the outcome's reply. */
const replyLines = (report) => {
  const reply = report.outcome.reply;
  const fromReply = reply ? reply.lines.map((line, i) => `${reply.code}${i + 1 < reply.lines.length ? '-' : ' '}${line}`) : [];
  return [...serverLines(report), ...fromReply];
};

/**
 * Runs a check in the page as the person would (address, port, and a login when given) and
 * returns the verdict once the page is done (its own repeats included): `{cause, title, text,
 * evidence: [{source, text}], fixes: [{audience, text}]}`.
 */
async function checkInPage(page, { host, port, security, username, password, name }) {
  await page.goto(`${stack.server.url}/?lang=en`, { waitUntil: 'load', timeout: 30_000 });
  await fullyLoaded(page);
  await page.locator('#host').waitFor({ state: 'visible', timeout: 15_000 });
  await page.fill('#host', host);
  await page.selectOption('#port', String(port));
  if (security) await page.selectOption('#security', security);
  if (username) {
    await page.fill('#username', username);
    await page.fill('#password', password);
  }
  await page.click('#submit');
  try {
    await settled(page);
  } catch (e) {
    await page.screenshot({ path: join(OUT, `${name}.failed.png`), fullPage: true }).catch(() => {});
    throw e;
  }
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  return readVerdict(page);
}

/** The check is done, no repeat is announced, and a verdict shows, twice a second apart. */
async function settled(page) {
  const done = () => Boolean(document.querySelector('[data-testid="check"][data-state="done"]')
    && !document.querySelector('[data-testid="repeat-note"]')
    && document.querySelector('[data-testid="verdict"]'));
  for (let i = 0; i < 2; i += 1) {
    await page.waitForFunction(done, null, { timeout: 150_000 });
    await page.waitForTimeout(1_000);
  }
  await page.waitForFunction(done, null, { timeout: 150_000 });
}

async function readVerdict(page) {
  const verdict = page.locator('[data-testid="verdict"]');
  return {
    cause: await verdict.getAttribute('data-cause'),
    title: (await page.locator('#verdict-heading').textContent()) ?? '',
    text: (await verdict.textContent()) ?? '',
    evidence: await verdict.locator('[data-testid="evidence-for"] li').evaluateAll(
      (items) => items.map((li) => ({ source: li.dataset.source, text: li.textContent })),
    ),
    fixes: await verdict.locator('[data-testid="fix"]').evaluateAll(
      (items) => items.map((li) => ({ audience: li.dataset.audience, text: li.textContent })),
    ),
    /** Each port's result block (its reply, steps and transcript), by port. */
    results: Object.fromEntries(await page.locator('[data-testid="result"][data-port]').evaluateAll(
      (blocks) => blocks.map((b) => [b.dataset.port, b.textContent]),
    )),
  };
}

function assertCause(verdict, cause) {
  assert.equal(verdict.cause, cause, `verdict "${verdict.title}" (${verdict.cause}); evidence: ${JSON.stringify(verdict.evidence)}`);
}

/** The server's reply reaches the person word for word: in the port's result on the page. */
function assertQuoted(verdict, port, line) {
  const shown = verdict.results[String(port)] ?? '';
  assert.ok(shown.includes(line), `"${line}" shown for port ${port}: ${JSON.stringify(shown.slice(0, 2000))}`);
}

/** The verdict names the blocklist, so the person (or admin) can look the address up there. */
function assertListNamed(verdict) {
  assert.ok(verdict.text.includes(DNSBL_ZONE), `the verdict names ${DNSBL_ZONE}: ${JSON.stringify({ evidence: verdict.evidence, fixes: verdict.fixes })}`);
}
