// Share links end to end: the real worker under workerd seals a several-port check of the lab's
// Postfix (SHARE_SIGNING_KEY, made for this run), the page's own encoder (its wasm export
// makeShareLink) turns the seal and the person's answers into a link, and a FRESH headless
// Chromium opens it: verified banner with time and vantage, each port rendered, the person's
// part labelled unverified, and no probe made. Then the same link altered, signed by a stranger,
// and every kind of malformed or hostile link (a zip bomb among them): a warning or a named
// error, never a blank page or an uncaught error. Key rotation (SHARE_PREVIOUS_KEYS) and a
// deployment without a key run on two more workers.
//
// The link format (shared/src/share/mod.rs): `<origin>/#r=1.1.<key_id>.<payload>.<sig>.<person>`,
// base64url without padding; the payload is the report as JSON, deflate-raw, signed with Ed25519;
// key_id is the first 8 bytes of SHA-256 of the public key. The hostile links below are made
// with Node's crypto and zlib from that description.
//
// Run as root, after building the page and the worker (`./dev test` does both), under the lab
// lock: flock /tmp/sendcheck-lab.lock node --test --test-concurrency=1 tests/e2e/share.test.mjs
// Screenshots go to test-output/e2e/ (share-*.png), the wrangler logs to test-output/e2e-share/.

import assert from 'node:assert/strict';
import {
  createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify,
} from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

import { fullyLoaded, launchBrowser } from '../../lab/browser.mjs';
import { MAIL_SERVER_NAME, TEST_ACCOUNT } from '../../lab/index.mjs';
import { postJson, startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const SHOTS = join(REPO_ROOT, 'test-output', 'e2e');
const LOGS = join(REPO_ROOT, 'test-output', 'e2e-share');
const BANNER = '[data-testid="share-verification"]';
/** DER of a PKCS#8 Ed25519 private key, up to the 32-byte seed. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const MAX_LINK_BYTES = 64 * 1024;
const MAX_REPORT_BYTES = 512 * 1024;

/** What the person adds to the link: answers and what their machine saw (none of it signed). */
const INSIDE = {
  network: { asn: 64500, as_org: 'Example Broadband', country: 'JP' },
  local_checks: [{ port: 25, result: 'timed_out', tool: 'nc' }],
};
const ANSWERS = {
  client: 'thunderbird',
  receiving_works: true,
  configured: { host: MAIL_SERVER_NAME, port: 25, username_given: true },
  error_text: `Sending of the message failed: authentication failed for ${TEST_ACCOUNT.username}`,
};

let stack;
/** The lab worker's key, derived here from the seed it was given. */
let labKey;
/** The sealed several-port report the worker answered (with its `seal`). */
let sealed;
/** The link the page's encoder made of it. */
let goodLink;
/** Chromium with a profile that never saw the page before the link is opened. */
let viewer;

describe('share links, end to end', () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const built of ['dist/index.html', 'worker/build']) {
      assert.ok(existsSync(join(REPO_ROOT, built)), `${built} is missing: build the page and the worker first`);
    }
    stack = await startStack({ kind: 'e2e-share', outDir: LOGS, log: (l) => console.log(`# share: ${l}`) });
    labKey = keyFromSeed(Buffer.from(stack.lab.shareSigningKey, 'base64url'));
  }, { timeout: 330_000 });

  after(async () => {
    await viewer?.close().catch(() => {});
    await stack?.stop();
  }, { timeout: 60_000 });

  test('the worker publishes the key it was given and seals every several-port answer', { timeout: 60_000 }, async () => {
    const res = await fetch(`${stack.server.url}/api/share-key`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control') ?? '', /public/);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(await res.json(), {
      keys: [{ key_id: labKey.keyId, alg: 'Ed25519', public_key: labKey.publicRaw.toString('base64url') }],
    });

    const answer = await postJson(stack.server, {
      host: MAIL_SERVER_NAME,
      ports: [{ port: 587, security: 'starttls' }, { port: 465, security: 'tls' }],
      credentials: TEST_ACCOUNT,
    });
    assert.equal(answer.status, 200, answer.text);
    sealed = answer.json;
    const { seal } = sealed;
    assert.ok(seal, 'a several-port answer carries a seal');
    assert.equal(seal.v, 1);
    assert.equal(seal.key_id, labKey.keyId);
    const payload = Buffer.from(seal.payload, 'base64url');
    assert.ok(verify(null, payload, labKey.publicKey, Buffer.from(seal.sig, 'base64url')), 'the signature verifies');
    // The signed bytes are the report itself, without its seal; never a secret.
    const signed = inflateRawSync(payload).toString('utf8');
    const { seal: _, ...unsealed } = sealed;
    assert.deepEqual(JSON.parse(signed), unsealed);
    assert.ok(!signed.includes(TEST_ACCOUNT.password), 'no password in the signed report');
    assert.ok(!signed.includes(TEST_ACCOUNT.username), 'no user name in the signed report');
    const outcomes = sealed.ports.map((p) => [p.report.target.port, p.report.outcome.kind]);
    assert.deepEqual(outcomes, [[587, 'completed'], [465, 'completed']]);
    console.log(`# share: report ${signed.length} B JSON, payload ${payload.length} B deflated`);

    const single = await postJson(stack.server, { host: MAIL_SERVER_NAME, port: 587, security: 'starttls' });
    assert.equal(single.status, 200, single.text);
    assert.equal(single.json.seal, undefined, 'one-port answers are not sealed');
  });

  test('the page makes a link that opens in a fresh browser: verified, every port, nothing probed', { timeout: 120_000 }, async () => {
    assert.ok(sealed, 'needs the sealed report of the first test');
    const maker = await launchBrowser({ runId: stack.lab.runId, dir: stack.lab.tmpDir });
    try {
      await maker.page.goto(`${stack.server.url}/`, { waitUntil: 'load', timeout: 30_000 });
      await fullyLoaded(maker.page);
      await maker.page.locator('#host').waitFor({ state: 'visible', timeout: 15_000 });
      goodLink = await maker.page.evaluate(async ({ seal, inside, answers, username }) => {
        const page = await import('/pkg/sendcheck_web.js');
        return page.makeShareLink(location.origin, JSON.stringify(seal), JSON.stringify(inside),
          JSON.stringify(answers), username, false);
      }, { seal: sealed.seal, inside: INSIDE, answers: ANSWERS, username: TEST_ACCOUNT.username });
    } finally {
      await maker.close();
    }
    console.log(`# share: link ${goodLink.length} characters`);
    assert.ok(goodLink.startsWith(`${stack.server.url}/#r=1.1.${labKey.keyId}.`), goodLink.slice(0, 120));
    assert.ok(goodLink.length < 16_000, `${goodLink.length}`);
    assert.ok(!goodLink.includes(TEST_ACCOUNT.password));
    const person = JSON.parse(Buffer.from(parseLink(goodLink).person, 'base64url').toString('utf8'));
    assert.equal(person.username, undefined, 'no user name unless the person opts in');
    assert.ok(!JSON.stringify(person).includes(TEST_ACCOUNT.username), JSON.stringify(person));
    assert.match(person.answers.error_text, /<username>/);

    viewer = await launchBrowser({ runId: stack.lab.runId, dir: stack.lab.tmpDir, locale: 'en-US' });
    const page = viewer.page;
    const requests = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    const errors = watchErrors(page);
    await page.goto(goodLink, { waitUntil: 'load', timeout: 30_000 });
    await bannerState(page, 'verified');
    const headline = await page.locator('[data-testid="share-headline"]').innerText();
    // web/src/when.rs writes every time on the page as 2026-12-08 10:11:36 ZONE, in the browser's
    // zone (the same as this process's).
    const at = new Date(sealed.started_at_unix_ms);
    const day = [at.getFullYear(), at.getMonth() + 1, at.getDate()].map((n) => String(n).padStart(2, '0')).join('-');
    assert.ok(headline.startsWith('Verified: produced by sendcheck at '), headline);
    assert.ok(headline.includes(day), `${headline} (expected ${day})`);
    assert.ok(headline.endsWith('from a local test installation.'), headline);
    for (const port of ['587', '465']) {
      await page.locator(`[data-testid="result"][data-port="${port}"][data-outcome="completed"]`).waitFor({ timeout: 5_000 });
    }
    assert.equal(await page.locator('.share-untrusted').count(), 0);
    const row = (key) => page.locator(`[data-testid="share-person-row"][data-key="${key}"]`);
    assert.equal(await row('client').innerText(), 'Thunderbird');
    assert.equal(await row('network').innerText(), 'AS64500 · Example Broadband · JP');
    assert.equal(await row('local_check').innerText(), 'port 25: no answer');
    assert.match(await row('error_text').innerText(), /authentication failed for <username>$/);
    assert.match(await page.locator('[data-testid="share-person"]').innerText(), /not verified/);
    await page.screenshot({ path: join(SHOTS, 'share-verified.png'), fullPage: true });

    // The person's language: the same link, switched to Japanese, keeps its fragment.
    await page.click('#lang');
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    assert.match(await page.locator('[data-testid="share-headline"]').innerText(), /^確認済み: sendcheck が .* に ローカルのテスト環境 から調べた結果です。$/);
    assert.ok(page.url().includes('#r=1.1.'), page.url());
    await page.screenshot({ path: join(SHOTS, 'share-verified-ja.png'), fullPage: true });

    assert.ok(requests.includes('/api/share-key'), requests.join(' '));
    assert.deepEqual(requests.filter((p) => p.startsWith('/api/probe')), [], 'opening a link probes nothing');
    assert.deepEqual(errors, []);
  });

  test('an altered link shows the warning; a stranger\'s signature cannot be verified', { timeout: 90_000 }, async () => {
    assert.ok(goodLink, 'needs the link of the previous test');
    const parts = parseLink(goodLink);
    const { payload } = parts;

    const flipped = Buffer.from(payload);
    flipped[Math.floor(flipped.length / 2)] ^= 0x01;
    const page = await viewer.context.newPage();
    const errors = watchErrors(page);
    await page.goto(makeLink(stack.server.url, { ...parts, payload: flipped }), { waitUntil: 'load' });
    await bannerState(page, 'altered');
    const warning = await page.locator(BANNER).innerText();
    assert.match(warning, /^Warning: this result was changed after sendcheck produced it\./);
    assert.doesNotMatch(warning, /Verified/);
    await page.screenshot({ path: join(SHOTS, 'share-altered.png'), fullPage: true });

    // Well-formed new content under the old signature: shown, but only under the warning. The
    // fragment changes in place (no reload), as when a link is pasted into an open tab.
    const forged = deflateRawSync(Buffer.from(
      inflateRawSync(payload).toString('utf8').replace('"kind":"completed"', '"kind":"connection_refused"'),
    ));
    await page.evaluate((hash) => { location.hash = hash; }, new URL(makeLink(stack.server.url, { ...parts, payload: forged })).hash);
    await page.locator('.share-untrusted [data-testid="result"][data-outcome="connection_refused"]').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator(BANNER).getAttribute('data-state'), 'altered');
    await page.screenshot({ path: join(SHOTS, 'share-forged.png'), fullPage: true });

    // Signed, correctly, by a key sendcheck does not publish.
    const stranger = generateKeyPairSync('ed25519');
    const strangerId = keyId(Buffer.from(stranger.publicKey.export({ format: 'jwk' }).x, 'base64url'));
    await page.evaluate((hash) => { location.hash = hash; }, new URL(makeLink(stack.server.url, {
      ...parts, keyId: strangerId, payload, sig: sign(null, payload, stranger.privateKey),
    })).hash);
    await bannerState(page, 'unverifiable');
    const banner = await page.locator(BANNER).innerText();
    assert.ok(banner.includes(strangerId), banner);
    assert.match(banner, /treat that as unconfirmed/);
    await page.screenshot({ path: join(SHOTS, 'share-unknown-key.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('malformed and hostile links show a named error, never a blank page or an uncaught error', { timeout: 120_000 }, async () => {
    assert.ok(goodLink, 'needs the link of an earlier test');
    const origin = stack.server.url;
    const parts = parseLink(goodLink);
    const stranger = generateKeyPairSync('ed25519');
    const strangerId = keyId(Buffer.from(stranger.publicKey.export({ format: 'jwk' }).x, 'base64url'));
    const signedBy = (privateKey, id, payload) => makeLink(origin, {
      keyId: id, payload, sig: sign(null, payload, privateKey), person: '',
    });
    // 8 MiB of zeros deflate to ~8 KiB: a link well under the length limit that would inflate
    // sixteen times past the report limit.
    const bomb = deflateRawSync(Buffer.alloc(8 * 1024 * 1024), { level: 9 });
    assert.ok(bomb.length < MAX_LINK_BYTES / 2 && 8 * 1024 * 1024 > MAX_REPORT_BYTES);
    const cases = [
      { name: 'empty', link: `${origin}/#r=`, code: 'not_a_link', state: 'invalid' },
      { name: 'future-version', link: `${origin}/#r=9.x`, code: 'unknown_version', state: 'invalid' },
      { name: 'huge', link: `${origin}/#r=1.1.${'A'.repeat(70_000)}`, code: 'too_large', state: 'invalid' },
      { name: 'not-base64', link: `${origin}/#r=1.1.!!!!.x.y.`, code: 'bad_encoding', state: 'invalid' },
      {
        name: 'base64-garbage',
        // A first byte announcing a deflate block of the reserved type: never inflates.
        link: makeLink(origin, {
          keyId: randomBytes(8).toString('base64url'),
          payload: Buffer.concat([Buffer.from([0x07]), randomBytes(299)]),
          sig: randomBytes(64),
          person: '',
        }),
        code: 'bad_encoding',
        state: 'unverifiable',
      },
      {
        name: 'garbage-answers',
        link: makeLink(origin, { ...parts, person: Buffer.from('\u0000 not json').toString('base64url') }),
        code: 'bad_answers',
        state: 'invalid',
      },
      { name: 'zip-bomb', link: signedBy(stranger.privateKey, strangerId, bomb), code: 'too_large', state: 'unverifiable' },
      // The worst case: a bomb carrying a valid signature of this deployment's own key.
      { name: 'signed-zip-bomb', link: signedBy(labKey.privateKey, labKey.keyId, bomb), code: 'too_large', state: 'invalid' },
    ];
    for (const { name, link, code, state } of cases) {
      const page = await viewer.context.newPage();
      const errors = watchErrors(page);
      await page.goto(link, { waitUntil: 'load', timeout: 30_000 });
      const error = page.locator(`[data-testid="share-error"][data-code="${code}"]`);
      await error.waitFor({ timeout: 20_000 }).catch(async (e) => {
        const seen = await page.locator('#app').innerText().catch(() => '(no #app)');
        throw new Error(`${name}: no share-error ${code}; page shows:\n${seen}\n${e.message}`);
      });
      assert.equal(await page.locator(BANNER).getAttribute('data-state'), state, name);
      assert.ok((await error.innerText()).length > 20, `${name}: a sentence, not a code`);
      if (['huge', 'zip-bomb'].includes(name)) {
        await page.screenshot({ path: join(SHOTS, `share-error-${name}.png`), fullPage: true });
      }
      assert.deepEqual(errors, [], name);
      await page.close();
    }
  });

  test('links survive a key rotation; a deployment without a key seals nothing', { timeout: 240_000 }, async () => {
    assert.ok(goodLink, 'needs the link of an earlier test');
    const next = randomBytes(32);
    const nextKey = keyFromSeed(next);
    const rotated = await stack.startWorker('rotated', {
      ...stack.lab.workerVars(),
      SHARE_SIGNING_KEY: next.toString('base64url'),
      SHARE_PREVIOUS_KEYS: labKey.publicRaw.toString('base64url'),
    });
    const published = await (await fetch(`${rotated.url}/api/share-key`)).json();
    assert.deepEqual(published.keys.map((k) => k.key_id), [nextKey.keyId, labKey.keyId]);
    const page = await viewer.context.newPage();
    const errors = watchErrors(page);
    await page.goto(goodLink.replace(stack.server.url, rotated.url), { waitUntil: 'load' });
    await bannerState(page, 'verified');

    const { SHARE_SIGNING_KEY: _, ...withoutKey } = stack.lab.workerVars();
    const unsigned = await stack.startWorker('unsigned', withoutKey);
    assert.deepEqual(await (await fetch(`${unsigned.url}/api/share-key`)).json(), { keys: [] });
    const answer = await postJson(unsigned, {
      host: MAIL_SERVER_NAME,
      ports: [{ port: 587, security: 'starttls' }, { port: 465, security: 'tls' }],
    });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json.seal, undefined, 'no key, no seal');
    await page.goto(goodLink.replace(stack.server.url, unsigned.url), { waitUntil: 'load' });
    await bannerState(page, 'unverifiable');
    assert.deepEqual(errors, []);
    await page.close();
  });
});

/**
 * Waits for the banner to reach `state`; on timeout, fails with what the page shows instead
 * (and a screenshot, share-failed-<state>.png).
 */
async function bannerState(page, state, timeout = 20_000) {
  try {
    await page.locator(`${BANNER}[data-state="${state}"]`).waitFor({ timeout });
  } catch (e) {
    await page.screenshot({ path: join(SHOTS, `share-failed-${state}.png`), fullPage: true }).catch(() => {});
    const banner = page.locator(BANNER);
    const seen = (await banner.count())
      ? `${await banner.getAttribute('data-state')}: ${await banner.innerText()}`
      : `no banner; the page shows:\n${await page.locator('body').innerText().catch(() => '?')}`;
    throw new Error(`banner never ${state} (${seen})\n${e.message}`);
  }
}

/** Collects uncaught exceptions and unhandled rejections of the page. */
function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** The Ed25519 key whose seed is `seed` (32 bytes): Node objects, raw public key and key id. */
function keyFromSeed(seed) {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const publicRaw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  return { privateKey, publicKey, publicRaw, keyId: keyId(publicRaw) };
}

/** base64url of the first 8 bytes of SHA-256 of the raw public key. */
function keyId(publicRaw) {
  return createHash('sha256').update(publicRaw).digest().subarray(0, 8).toString('base64url');
}

/** A version 1 link; `payload` and `sig` are bytes, `keyId` and `person` already base64url. */
function makeLink(origin, { keyId: id, payload, sig, person }) {
  const b64 = (b) => Buffer.from(b).toString('base64url');
  return `${origin}/#r=1.1.${id}.${b64(payload)}.${b64(sig)}.${person}`;
}

/** The segments of a version 1 link, as `makeLink` takes them. */
function parseLink(link) {
  const [version, v, id, payload, sig, person] = new URL(link).hash.slice('#r='.length).split('.');
  assert.equal(`${version}.${v}`, '1.1');
  return { keyId: id, payload: Buffer.from(payload, 'base64url'), sig: Buffer.from(sig, 'base64url'), person };
}
