// End to end: the abuse limits of the real worker under workerd (wrangler dev emulates the Rate
// Limiting binding, with windows aligned to the wall clock, and the SQLite Durable Object),
// against the lab's real Postfix + Dovecot. What reached the server is counted in their own
// logs, not taken from the worker's word.
//
// Clients are told apart by `x-sendcheck-test-client`, honoured only under DEPLOYMENT=local
// (at the edge the client is CF-Connecting-IP). The workers here run with the production
// numbers of wrangler.toml (the lab's other tests relax them: lab/wrangler.mjs LAB_LIMITS).
//
// Run as root after building, under the lab lock:
//   flock /tmp/sendcheck-lab.lock node --test --test-concurrency=1 tests/e2e/limits.test.mjs

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { sleep } from '../../lab/command.mjs';
import { MAIL_SERVER_NAME, TEST_ACCOUNT } from '../../lab/index.mjs';
import { startStack } from '../../lab/stack.mjs';
import { startTurnstileStub } from '../../lab/turnstile.mjs';
import { LAB_LIMITS, REPO_ROOT } from '../../lab/wrangler.mjs';
import { runLoad } from '../load/load.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e-limits');
/** wrangler.toml: CHECKS_PER_CLIENT, LOGIN_TESTS_PER_CLIENT, LOGIN_TESTS_PER_USER. */
const CHECKS_PER_CLIENT = 10;
const LOGIN_TESTS_PER_CLIENT = 3;
const LOGIN_TESTS_PER_USER = 5;
const CHECKS_PER_TARGET = 30;

let stack;
let strict;
let challenged;
let turnstile;

/** The lab's worker settings with the limits as deployed (none of LAB_LIMITS). */
function productionVars(lab, extra = {}) {
  const vars = lab.workerVars();
  for (const key of Object.keys(LAB_LIMITS)) delete vars[key];
  return { ...vars, ...extra };
}

describe('abuse limits, end to end', () => {
  before(async () => {
    for (const built of ['dist/index.html', 'worker/build']) {
      assert.ok(existsSync(join(REPO_ROOT, built)), `${built} is missing: build the page and the worker first`);
    }
    stack = await startStack({
      kind: 'e2e-limits',
      outDir: OUT,
      vars: (lab) => productionVars(lab),
      log: (l) => console.log(`# limits: ${l}`),
    });
    strict = stack.server;
    turnstile = await startTurnstileStub({ secret: 'lab-turnstile-secret' });
    challenged = await stack.startWorker('turnstile', {
      ...stack.lab.workerVars(), // relaxed budgets: only the challenge decides here
      TURNSTILE_SITE_KEY: 'lab-site-key',
      TURNSTILE_SECRET: 'lab-turnstile-secret',
      TURNSTILE_VERIFY_URL: turnstile.url,
    });
  }, { timeout: 400_000 });

  after(async () => {
    await turnstile?.stop();
    await stack?.stop();
  }, { timeout: 60_000 });

  test(`the ${CHECKS_PER_CLIENT + 1}th check from one client in a minute is 429 and opens no connection`, { timeout: 120_000 }, async () => {
    await startOfAWindow(30);
    const before = connections();
    const statuses = [];
    for (let i = 0; i <= CHECKS_PER_CLIENT; i += 1) {
      const res = await probe(strict, 'burst', { host: MAIL_SERVER_NAME, port: 587 });
      statuses.push(res.status);
      if (i < CHECKS_PER_CLIENT) assert.equal(res.status, 200, JSON.stringify(res.body));
      else {
        assert.equal(res.status, 429, JSON.stringify(res.body));
        assert.equal(res.body.error.code, 'rate_limited');
        assert.match(res.retryAfter ?? '', /^\d+$/);
      }
    }
    await settleLogs();
    assert.equal(connections() - before, CHECKS_PER_CLIENT, `statuses ${statuses}; Postfix log:\n${maillogTail()}`);
    // Another client is not held back by that one.
    const other = await probe(strict, 'bystander', { host: MAIL_SERVER_NAME, port: 587 });
    assert.equal(other.status, 200, JSON.stringify(other.body));
  });

  test('a check without credentials is shared for a minute: the cached answer opens no connection, fresh does', { timeout: 120_000 }, async () => {
    const request = { host: MAIL_SERVER_NAME, ports: [{ port: 587 }, { port: 465 }] };
    const count0 = connections();
    const first = await probe(strict, 'cache-a', request);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.shared, null);
    await settleLogs();
    const count1 = connections();
    assert.equal(count1 - count0, 2, 'the first check probes both ports');

    const again = await probe(strict, 'cache-b', request);
    assert.equal(again.status, 200);
    assert.equal(again.shared, String(first.body.started_at_unix_ms), 'marked with when it was checked');
    assert.deepEqual(again.body, first.body, 'the same report, seal and all');
    const streamed = await probe(strict, 'cache-c', request, { accept: 'application/x-ndjson' });
    assert.equal(streamed.status, 200);
    const events = streamed.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(events.map((e) => e.event), ['port', 'port', 'done']);
    assert.deepEqual(events.at(-1).report, first.body);
    await settleLogs();
    assert.equal(connections(), count1, 'answers from the cache open no connection');

    const fresh = await probe(strict, 'cache-a', { ...request, fresh: true });
    assert.equal(fresh.status, 200);
    assert.equal(fresh.shared, null);
    assert.ok(fresh.body.started_at_unix_ms > first.body.started_at_unix_ms);
    await settleLogs();
    assert.equal(connections() - count1, 2, 'fresh probes again');
  });

  test('20 guessed passwords for one user reach Dovecot at most the allowed number of times; the rest are 429 with Retry-After', { timeout: 180_000 }, async () => {
    const before = authFailures(TEST_ACCOUNT.username);
    const answers = [];
    for (let i = 0; i < 20; i += 1) {
      const res = await probe(strict, 'guesser', {
        host: MAIL_SERVER_NAME,
        port: 587,
        credentials: { username: TEST_ACCOUNT.username, password: `guess-${i}-${Date.now()}` },
      });
      answers.push(res);
    }
    const tried = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    assert.equal(tried.length + refused.length, 20, answers.map((a) => a.status).join(' '));
    assert.ok(tried.length <= LOGIN_TESTS_PER_CLIENT, `${tried.length} login tests ran`);
    for (const a of tried) assert.equal(a.body.auth?.attempt?.accepted, false, JSON.stringify(a.body.auth));
    for (const a of refused) {
      assert.match(a.retryAfter ?? '', /^\d+$/, 'Retry-After');
      assert.ok(['login_limited', 'rate_limited'].includes(a.body.error.code), a.body.error.code);
    }
    assert.ok(refused.some((a) => a.body.error.code === 'login_limited'), 'the login budget refused');
    await settleLogs();
    const reached = authFailures(TEST_ACCOUNT.username) - before;
    assert.equal(reached, tried.length, `Dovecot saw ${reached} failed logins for ${tried.length} tests`);
    assert.ok(reached <= LOGIN_TESTS_PER_CLIENT);
  });

  test('two clients share one server\'s budget for a user name', { timeout: 180_000 }, async () => {
    const username = `jiro-${Date.now()}@sendcheck.test`;
    const before = authFailures(username);
    const ask = (client) => probe(strict, client, {
      host: MAIL_SERVER_NAME,
      port: 465,
      credentials: { username, password: 'not-the-password' },
    });
    const first = [];
    for (let i = 0; i < LOGIN_TESTS_PER_CLIENT; i += 1) first.push(await ask('first'));
    assert.deepEqual(first.map((a) => a.status), Array(LOGIN_TESTS_PER_CLIENT).fill(200));
    const second = [];
    for (let i = 0; i < LOGIN_TESTS_PER_CLIENT; i += 1) second.push(await ask('second'));
    // The second client has budget of its own, but the user name has only this much left.
    const left = LOGIN_TESTS_PER_USER - LOGIN_TESTS_PER_CLIENT;
    assert.deepEqual(second.map((a) => a.status), [...Array(left).fill(200), ...Array(LOGIN_TESTS_PER_CLIENT - left).fill(429)]);
    assert.equal(second.at(-1).body.error.code, 'login_limited');
    await settleLogs();
    assert.equal(authFailures(username) - before, LOGIN_TESTS_PER_USER, dovecotTail());
  });

  test('one login per check: the person\'s port 25 offers none, so it is tried once on 587; 465 says where it went', { timeout: 60_000 }, async () => {
    const username = `saburo-${Date.now()}@sendcheck.test`;
    const before = authFailures(username);
    const res = await probe(strict, 'one-login', {
      host: MAIL_SERVER_NAME,
      ports: [{ port: 25 }, { port: 587 }, { port: 465 }],
      login_port: 25,
      credentials: { username, password: 'not-the-password' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const auth = (port) => res.body.ports.find((p) => p.report?.target.port === port).report.auth;
    assert.equal(auth(25).skipped, 'not_offered');
    assert.equal(auth(587).attempt?.accepted, false, JSON.stringify(auth(587)));
    assert.equal(auth(465).skipped, 'tried_on_another_port');
    assert.equal(auth(465).attempt, undefined);
    await settleLogs();
    assert.equal(authFailures(username) - before, 1, `Dovecot was asked once:\n${dovecotTail()}`);
  });

  describe('Turnstile before a login test (siteverify stubbed)', () => {
    const login = (token) => probe(challenged, 'person', {
      host: MAIL_SERVER_NAME,
      port: 587,
      credentials: TEST_ACCOUNT,
      ...(token ? { turnstile_token: token } : {}),
    });

    test('no token: 403 challenge_required, no connection, siteverify not asked', { timeout: 60_000 }, async () => {
      const [calls, count] = [turnstile.calls.length, connections()];
      const res = await login(undefined);
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'challenge_required');
      assert.equal(turnstile.calls.length, calls);
      await settleLogs();
      assert.equal(connections(), count);
    });

    test('a good token passes once; spent, failed and garbage answers are refused', { timeout: 90_000 }, async () => {
      const token = `pass-${Date.now()}`;
      const ok = await login(token);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.auth?.attempt?.accepted, true, JSON.stringify(ok.body.auth));
      const count = connections();
      for (const bad of [token, `fail-${Date.now()}`, `garbage-${Date.now()}`]) {
        const res = await login(bad);
        assert.equal(res.status, 403, `${bad}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, 'challenge_failed', bad);
      }
      await settleLogs();
      assert.equal(connections(), count, 'a refused challenge opens no connection');
      assert.equal(turnstile.calls.at(-1).token.startsWith('garbage-'), true);
    });

    test('siteverify that never answers: refused after the deadline', { timeout: 60_000 }, async () => {
      const started = Date.now();
      const res = await login(`slow-${Date.now()}`);
      const took = Date.now() - started;
      assert.equal(res.status, 403, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'challenge_failed');
      assert.ok(took >= 4_500 && took < 15_000, `${took} ms`);
    });

    test('a check without credentials needs no token', { timeout: 60_000 }, async () => {
      const res = await probe(challenged, 'person', { host: MAIL_SERVER_NAME, port: 587 });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });
  });

  test('load: 20 clients × 30 requests on loopback; every answer 200 or 429 with a body, the limits hold', { timeout: 240_000 }, async () => {
    const worker = await stack.startWorker('load', productionVars(stack.lab));
    await startOfAWindow(20);
    const count = connections();
    const { answers, byClient, problems, elapsedMs } = await runLoad({ url: worker.url, host: MAIL_SERVER_NAME });
    console.log(`# load: ${answers.length} answers in ${elapsedMs} ms`);
    assert.deepEqual(problems, []);
    assert.equal(answers.length, 20 * 30);
    // A run may straddle a window boundary: at most one more window's worth.
    const windows = 1 + Math.ceil(elapsedMs / 60_000);
    for (const [client, counts] of byClient) {
      assert.ok(counts.check[200] <= CHECKS_PER_CLIENT * windows, `${client}: ${JSON.stringify(counts)}`);
    }
    assert.ok(answers.some((a) => a.status === 429), 'some were refused');
    assert.ok(answers.some((a) => a.shared), 'some were answered from the shared result');
    await settleLogs();
    const opened = connections() - count;
    assert.ok(opened <= CHECKS_PER_TARGET * windows * 2, `${opened} connections (2 ports a check)`);
    assert.ok(answers.filter((a) => a.kind === 'check' && a.status === 200 && !a.shared).length <= CHECKS_PER_TARGET * windows);
    const alive = await fetch(`${worker.url}/api/whoami`);
    assert.equal(alive.status, 200, 'the worker still answers');
  });
});

/** POST /api/probe as `client`; `{status, body, text, retryAfter, shared}`. */
async function probe(server, client, request, { accept } = {}) {
  const res = await fetch(`${server.url}/api/probe`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-sendcheck-test-client': `${client}-${RUN}`,
      ...(accept ? { accept } : {}),
    },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, retryAfter: res.headers.get('retry-after'), shared: res.headers.get('x-sendcheck-shared-from') };
}

const RUN = Date.now().toString(36);

/** SMTP connections Postfix accepted so far (every smtpd "connect from"). */
function connections() {
  return readFileSync(stack.lab.postfix.maillog, 'utf8').split('\n').filter((l) => /smtpd\[\d+\]: connect from /.test(l)).length;
}

/** Logins of `username` Dovecot refused so far (auth_verbose: password mismatch, unknown user). */
function authFailures(username) {
  return readFileSync(stack.lab.dovecot.log, 'utf8').split('\n')
    .filter((l) => l.includes(username) && /Password mismatch|unknown user/i.test(l)).length;
}

function maillogTail() {
  return readFileSync(stack.lab.postfix.maillog, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
}

function dovecotTail() {
  return readFileSync(stack.lab.dovecot.log, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
}

/** The servers write their logs a moment after the session ends. */
function settleLogs() {
  return sleep(1_500);
}

/** Waits for the next minute when fewer than `needS` seconds are left in this one. */
async function startOfAWindow(needS) {
  const left = 60 - new Date().getUTCSeconds();
  if (left < needS) await sleep(left * 1_000 + 300);
}
