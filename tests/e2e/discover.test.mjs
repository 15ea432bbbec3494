// Discovery end to end: the real worker under workerd (wrangler dev) answering
// GET /api/discover for the lab's discovery domains (lab/peers.mjs DISCOVERY_DOMAINS), its DNS
// from the lab's DoH stub (MX, SRV, A) and its autoconfig from lab/autoconfig.mjs, including
// the autoconfig servers that answer garbage, an entity bomb, 1 MiB or nothing at all.
//
// Run as root, after building, under the lab lock:
//   flock /tmp/sendcheck-lab.lock node --test --test-concurrency=1 tests/e2e/discover.test.mjs
// The wrangler log goes to test-output/e2e-discover/.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DISCOVERY_DOMAINS, MAIL_SERVER_NAME, NXDOMAIN_NAME } from '../../lab/index.mjs';
import { startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e-discover');
/** The worker gives each lookup 3 s and runs them together; the whole answer must be quick. */
const ANSWER_WITHIN_MS = 6_000;
const LOCAL_PART = 'taro.discovery';

let stack;

describe('discovery, through the worker API', () => {
  before(async () => {
    for (const built of ['dist/index.html', 'worker/build']) {
      assert.ok(existsSync(join(REPO_ROOT, built)), `${built} is missing: build the page and the worker first`);
    }
    stack = await startStack({ kind: 'e2e-discover', outDir: OUT, log: (l) => console.log(`discover: ${l}`) });
  }, { timeout: 600_000 });

  after(async () => {
    await stack?.stop();
  }, { timeout: 120_000 });

  test('RFC 6186 SRV records: 465 TLS and 587 STARTTLS from srv, first', { timeout: 30_000 }, async () => {
    const d = await discover(`${LOCAL_PART}@${DISCOVERY_DOMAINS.published}`);
    assert.equal(d.domain, DISCOVERY_DOMAINS.published);
    assert.equal(d.from_address, true);
    assert.equal(d.submission.outcome, 'found');
    assert.equal(d.submissions.outcome, 'found');
    assert.deepEqual(d.submission.records, [{ priority: 0, weight: 1, port: 587, target: { kind: 'host', name: MAIL_SERVER_NAME } }]);
    assert.equal(d.mx.outcome, 'found');
    assert.equal(d.mx.records[0].exchange.name, MAIL_SERVER_NAME);
    assert.equal(d.autoconfig.outcome, 'no_records', JSON.stringify(d.autoconfig));
    assert.deepEqual(d.autoconfig.attempts.map((a) => a.outcome), ['no_records', 'no_records']);
    assert.deepEqual(top(d, 2), [
      [MAIL_SERVER_NAME, 465, 'tls', ['srv', 'domain_guess', 'mx_guess']],
      [MAIL_SERVER_NAME, 587, 'starttls', ['srv', 'domain_guess', 'mx_guess']],
    ]);
    // smtp.sendcheck.test does not exist: not guessed.
    assert.ok(!d.candidates.some((c) => c.host === `smtp.${DISCOVERY_DOMAINS.published}`), JSON.stringify(d.candidates));
  });

  test('autoconfig at autoconfig.DOMAIN: its servers, %EMAILDOMAIN% filled in', { timeout: 30_000 }, async () => {
    const domain = DISCOVERY_DOMAINS.autoconfig;
    const d = await discover(`${LOCAL_PART}@${domain}`);
    assert.equal(d.autoconfig.outcome, 'found', JSON.stringify(d.autoconfig));
    assert.ok(d.autoconfig.url.endsWith(`/autoconfig.${domain}/mail/config-v1.1.xml`), d.autoconfig.url);
    assert.deepEqual(d.autoconfig.servers.map((s) => [s.hostname, s.port, s.security, s.username]), [
      [MAIL_SERVER_NAME, 465, 'tls', '%EMAILADDRESS%'],
      [`smtp.${domain}`, 587, 'starttls', '%EMAILADDRESS%'],
    ]);
    assert.equal(d.submission.outcome, 'no_records');
    assert.equal(d.submissions.outcome, 'no_records');
    assert.deepEqual(top(d, 2), [
      [MAIL_SERVER_NAME, 465, 'tls', ['autoconfig', 'mx_guess']],
      [`smtp.${domain}`, 587, 'starttls', ['autoconfig', 'domain_guess']],
    ]);
  });

  test('autoconfig at the domain\'s .well-known path, and one reached by a redirect', { timeout: 30_000 }, async () => {
    const [wellKnown, moved] = await Promise.all([
      discover(DISCOVERY_DOMAINS.wellKnown),
      discover(DISCOVERY_DOMAINS.moved),
    ]);
    assert.equal(wellKnown.from_address, false);
    assert.equal(wellKnown.autoconfig.outcome, 'found', JSON.stringify(wellKnown.autoconfig));
    assert.deepEqual(wellKnown.autoconfig.attempts.map((a) => a.outcome), ['no_records', 'found']);
    assert.ok(wellKnown.autoconfig.url.includes('/.well-known/autoconfig/'), wellKnown.autoconfig.url);
    assert.deepEqual(wellKnown.candidates[0].sources, ['autoconfig', 'mx_guess']);

    assert.equal(moved.autoconfig.outcome, 'found', JSON.stringify(moved.autoconfig));
    assert.ok(moved.autoconfig.url.includes(`/autoconfig.${DISCOVERY_DOMAINS.moved}/`), moved.autoconfig.url);
    assert.deepEqual(moved.candidates[0].sources, ['autoconfig', 'mx_guess']);
  });

  test('a domain with no SRV, no MX and no autoconfig: only guesses, marked as guesses', { timeout: 30_000 }, async () => {
    const domain = DISCOVERY_DOMAINS.bare;
    const d = await discover(`${LOCAL_PART}@${domain}`);
    assert.equal(d.mx.outcome, 'no_records');
    assert.equal(d.submission.outcome, 'no_records');
    assert.equal(d.submissions.outcome, 'no_records');
    assert.equal(d.autoconfig.outcome, 'no_records');
    assert.equal(d.provider, undefined);
    assert.deepEqual(d.guessed_hosts, [
      { name: `mail.${domain}`, outcome: 'found' },
      { name: `smtp.${domain}`, outcome: 'no_such_name' },
    ]);
    assert.deepEqual(top(d, 10), [
      [`mail.${domain}`, 587, 'starttls', ['domain_guess']],
      [`mail.${domain}`, 465, 'tls', ['domain_guess']],
    ]);
  });

  test('SRV target "." (RFC 6186): submission said to be not available, nothing offered', { timeout: 30_000 }, async () => {
    const d = await discover(`${LOCAL_PART}@${DISCOVERY_DOMAINS.closed}`);
    assert.equal(d.submission.outcome, 'not_available');
    assert.equal(d.submissions.outcome, 'not_available');
    assert.deepEqual(d.submission.records[0].target, { kind: 'not_available' });
    assert.deepEqual(d.candidates, []);
  });

  test('NXDOMAIN: every DNS lookup says so, nothing is guessed', { timeout: 30_000 }, async () => {
    const d = await discover(`${LOCAL_PART}@${NXDOMAIN_NAME}`);
    for (const lookup of [d.mx, d.submission, d.submissions]) assert.equal(lookup.outcome, 'no_such_name', JSON.stringify(lookup));
    assert.deepEqual(d.guessed_hosts.map((g) => g.outcome), ['no_such_name', 'no_such_name']);
    assert.deepEqual(d.candidates, []);
  });

  test('hostile autoconfig servers cost only their own lookup', { timeout: 30_000 }, async () => {
    const [garbage, entities, huge, slow] = await Promise.all(
      [DISCOVERY_DOMAINS.garbage, DISCOVERY_DOMAINS.entities, DISCOVERY_DOMAINS.huge, DISCOVERY_DOMAINS.slow]
        .map((domain) => discover(`${LOCAL_PART}@${domain}`)),
    );
    const first = (d) => d.autoconfig.attempts[0];
    assert.equal(garbage.autoconfig.outcome, 'unreadable', JSON.stringify(garbage.autoconfig));
    assert.match(first(garbage).detail, /not UTF-8/);
    assert.equal(entities.autoconfig.outcome, 'unreadable', JSON.stringify(entities.autoconfig));
    assert.match(first(entities).detail, /DOCTYPE/);
    assert.equal(huge.autoconfig.outcome, 'too_large', JSON.stringify(huge.autoconfig));
    assert.equal(slow.autoconfig.outcome, 'timed_out', JSON.stringify(slow.autoconfig));
    for (const d of [garbage, entities, huge, slow]) {
      assert.deepEqual(d.autoconfig.servers ?? [], []);
      // The rest of the discovery is whole: DNS found the MX, its host is guessed.
      assert.equal(d.mx.outcome, 'found');
      assert.deepEqual(top(d, 1), [[MAIL_SERVER_NAME, 587, 'starttls', ['mx_guess']]]);
    }
  });

  test('garbage input: a specific 400 that does not repeat the input', { timeout: 30_000 }, async () => {
    const cases = [
      ['', 'enter an e-mail address'],
      ['   ', 'enter an e-mail address'],
      ['a@', "nothing after the '@'"],
      ['@@', "before the '@'"],
      [`taro@${'a'.repeat(300)}.example`, 'domain is not valid'],
      [`taro@${'a'.repeat(200)}.example`, 'at most 63'],
      ['<script>alert(1)</script>', 'domain is not valid'],
      ['<script>alert(1)</script>@example.jp', "before the '@'"],
      ['taro@[192.0.2.1]', 'address literal'],
      ['localhost', 'at least one dot'],
      ['x'.repeat(5000), 'characters long'],
    ];
    for (const [address, says] of cases) {
      const { status, json, ms } = await get(`/api/discover?address=${encodeURIComponent(address)}`);
      assert.equal(status, 400, `${JSON.stringify(address.slice(0, 40))}: ${JSON.stringify(json)}`);
      assert.equal(json.error.code, 'invalid_address', JSON.stringify(json));
      if (address.trim()) assert.ok(!json.error.message.includes(address.trim()), json.error.message);
      assert.ok(json.error.message.includes(says), `${address.slice(0, 40)}: ${json.error.message}`);
      assert.ok(ms < 2_000, `refused in ${ms} ms`);
    }
    const missing = await get('/api/discover');
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error.code, 'invalid_address');
  });

  test('whoami has no client RTT locally (it comes from the edge only)', { timeout: 30_000 }, async () => {
    const { status, json } = await get('/api/whoami');
    assert.equal(status, 200);
    assert.equal(json.vantage.kind, 'local');
    assert.equal('client_rtt_ms' in json, false, JSON.stringify(json));
  });

  test('the local part of the address never left the worker', { timeout: 30_000 }, async () => {
    const logs = ['doh.log', 'autoconfig.log'].map((f) => readFileSync(join(stack.lab.tmpDir, f), 'utf8'));
    assert.ok(logs[1].includes(`autoconfig.${DISCOVERY_DOMAINS.autoconfig}`), 'the autoconfig server was asked');
    for (const log of logs) assert.ok(!log.includes(LOCAL_PART), 'a lab server saw the local part');
  });
});

/** GET `path` on the worker: `{status, json, ms}`. */
async function get(path) {
  const started = performance.now();
  const res = await fetch(`${stack.server.url}${path}`, { signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    assert.fail(`not JSON (${res.status}): ${text.slice(0, 200)}`);
  }
  return { status: res.status, json, ms: performance.now() - started };
}

/** The discovery of `address`, asserted to be a 200 that came in time. */
async function discover(address) {
  const { status, json, ms } = await get(`/api/discover?address=${encodeURIComponent(address)}`);
  assert.equal(status, 200, JSON.stringify(json));
  assert.equal(json.version, 1);
  assert.ok(ms < ANSWER_WITHIN_MS, `${address}: answered in ${Math.round(ms)} ms`);
  return json;
}

/** The first `n` candidates as `[host, port, security, sources]`. */
function top(d, n) {
  return d.candidates.slice(0, n).map((c) => [c.host, c.port, c.security, c.sources]);
}
