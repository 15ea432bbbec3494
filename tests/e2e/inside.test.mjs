// The check only the person's own machine can make (issue 4), end to end: the real page in
// Chromium, the real worker under workerd (wrangler dev), the lab's real Postfix, and a
// network namespace standing for the person's home network whose ISP drops outbound port 25
// (lab/isp.mjs). The test answers the page's questions as the person would, runs the command
// the page generates inside the person's namespace, pastes its real output back and reads
// the verdict: OP25B with 587 as the fix; and, with an interceptor presenting a "Norton
// Security Scan" certificate on 465, TLS interception naming the product.
//
// Run as root, after building (`./dev test` does both), under the lab lock:
//   flock /tmp/sendcheck-lab.lock node --test --test-concurrency=1 tests/e2e/inside.test.mjs
// Screenshots and the wrangler log go to test-output/e2e/. Never sends mail: the last test
// reads Postfix's own log for MAIL, RCPT and DATA from the person's address.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { fullyLoaded, launchBrowser } from '../../lab/browser.mjs';
import { PEERS } from '../../lab/index.mjs';
import { ISP_NET, startIsp } from '../../lab/isp.mjs';
import { startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e');
const HOST = PEERS.mail.name;

/** Whether the page has the local check of the DOM contract yet (the web part lands apart). */
const PAGE_HAS_LOCAL_CHECK = sourceMentions(join(REPO_ROOT, 'web', 'src'), 'local-command');
const NO_PAGE = PAGE_HAS_LOCAL_CHECK ? false : 'the page has no [data-testid="local-command"] yet';

let stack;
let browser;
/** The person's network of the test running now; each test starts its own. */
let isp;

describe('the check on the person\'s own machine', () => {
  before(async () => {
    for (const built of ['dist/index.html', 'worker/build']) {
      assert.ok(existsSync(join(REPO_ROOT, built)), `${built} is missing: build the page and the worker first`);
    }
    stack = await startStack({ kind: 'e2e-inside', outDir: OUT, log: (l) => console.log(`# inside: ${l}`) });
    try {
      if (PAGE_HAS_LOCAL_CHECK) {
        browser = await launchBrowser({ runId: stack.lab.runId, dir: stack.lab.tmpDir, locale: 'en-US' });
      }
    } catch (e) {
      await stack.stop().catch((c) => { e.message += `\n${c.message}`; });
      throw e;
    }
  }, { timeout: 330_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await isp?.stop().catch(() => {});
    await stack?.stop();
  }, { timeout: 90_000 });

  test('behind the ISP, port 25 is dropped and 587 answers; the lab CA is what 465 shows', { timeout: 60_000 }, async () => {
    await freshIsp();
    const blocked = await isp.exec(`nc -vz -w 3 ${HOST} 25 2>&1`);
    assert.notEqual(blocked.code, 0, blocked.stdout);
    assert.match(blocked.stdout, /port 25 \(tcp\) timed out/, blocked.stdout);
    const open = await isp.exec(`nc -vz -w 3 ${HOST} 587 2>&1`);
    assert.equal(open.code, 0, open.stdout);
    assert.match(open.stdout, /Connection to .* 587 port \[tcp\/submission\] succeeded!/, open.stdout);
    const tls = await isp.exec(`openssl s_client -connect ${HOST}:465 -servername ${HOST} </dev/null 2>&1`);
    assert.match(tls.stdout, /^issuer=CN = sendcheck lab test CA$/m, tls.stdout);
    // From this host (sendcheck's outside view) port 25 still answers: only the ISP blocks it.
    const outside = await runHere(`nc -vz -w 3 ${PEERS.mail.address} 25 2>&1`);
    assert.match(outside, /succeeded!/, outside);
    await isp.stop();
  });

  test('an interceptor on the way answers 465 with its own CA, the real server behind it', { timeout: 60_000 }, async () => {
    await freshIsp({ blockPort25: false });
    await isp.intercept({ port: 465, caName: 'Norton Security Scan' });
    const inside = await isp.exec(`openssl s_client -connect ${HOST}:465 -servername ${HOST} </dev/null 2>&1`);
    assert.match(inside.stdout, /^issuer=CN = Norton Security Scan$/m, inside.stdout);
    // The relay reaches the real server: its greeting comes through the interceptor.
    const greeting = await isp.exec(`(sleep 2; printf 'QUIT\\r\\n'; sleep 1) | timeout 10 openssl s_client -quiet -connect ${HOST}:465 2>/dev/null`);
    assert.match(greeting.stdout, /^220 /m, greeting.stdout);
    // 587 is not intercepted, and the host's view of 465 is the real certificate.
    const plain = await isp.exec(`openssl s_client -starttls smtp -connect ${HOST}:587 </dev/null 2>&1`);
    assert.match(plain.stdout, /^issuer=CN = sendcheck lab test CA$/m, plain.stdout);
    const outside = await runHere(`openssl s_client -connect ${PEERS.mail.address}:465 </dev/null 2>&1`);
    assert.match(outside, /^issuer=CN = sendcheck lab test CA$/m, outside);
    await isp.stop();
  });

  test('the page: client on port 25 behind OP25B, the command\'s real output pasted back → OP25B, fix 587 STARTTLS', { timeout: 180_000, skip: NO_PAGE }, async () => {
    await freshIsp();
    const page = browser.page;
    await checkInPage(page, { host: HOST, port: 25, security: 'starttls' });
    await answer(page, { receiving: 'yes', web: 'yes', client: 'outlook' });

    const script = await generatedCommand(page, 'linux');
    assert.match(script, /nc -vz/, script);
    assert.ok(script.includes(HOST), script);
    await page.screenshot({ path: join(OUT, 'inside-op25b-command.png'), fullPage: true });

    const run = await isp.exec(script, { timeoutMs: 120_000 });
    const output = run.stdout + run.stderr;
    // The person's machine really saw it: 25 dropped, 587 open (before anything is pasted).
    assert.match(output, /port 25 \(tcp\) timed out/, output);
    assert.match(output, /587 port \[tcp\/submission\] succeeded!/, output);

    await pasteOutput(page, output);
    await assertLocalCheck(page, 25, 'timed_out');
    await assertLocalCheck(page, 587, 'connected');

    const verdict = page.locator('[data-testid="verdict"]');
    await verdict.waitFor({ state: 'visible', timeout: 15_000 });
    await page.screenshot({ path: join(OUT, 'inside-op25b-verdict.png'), fullPage: true });
    assert.equal(await verdict.getAttribute('data-cause'), 'op25b');
    const fix = verdict.locator('[data-testid="fix-settings"][data-port="587"][data-security="starttls"]');
    assert.ok((await fix.count()) >= 1, 'the fix names 587 with STARTTLS');
    // The evidence cites what the person's computer saw (verdict_view.rs: li[data-source]).
    const local = await verdict.locator('[data-testid="evidence-for"] li[data-source="local_check"]').allTextContents();
    assert.ok(local.some((t) => /\b25\b/.test(t) && /timed out/i.test(t)), `local evidence: ${JSON.stringify(local)}`);
    assert.ok(local.some((t) => /\b587\b/.test(t)), `local evidence: ${JSON.stringify(local)}`);
    await isp.stop();
  });

  test('the page: an interceptor\'s certificate on 465 → TLS interception naming Norton', { timeout: 180_000, skip: NO_PAGE }, async () => {
    await freshIsp({ blockPort25: false });
    await isp.intercept({ port: 465, caName: 'Norton Security Scan' });
    const page = browser.page;
    await checkInPage(page, { host: HOST, port: 465, security: 'tls' });
    await answer(page, { receiving: 'yes', web: 'yes', client: 'thunderbird' });

    const script = await generatedCommand(page, 'linux');
    assert.match(script, /openssl s_client \$\{s:\+-starttls\} \$s -connect "\$h:\$p"/, script);
    assert.match(script, /look 465 tls /, script);
    const run = await isp.exec(script, { timeoutMs: 120_000 });
    const output = run.stdout + run.stderr;
    assert.match(output, /^issuer=CN = Norton Security Scan$/m, output);

    await pasteOutput(page, output);
    await assertLocalCheck(page, 465, 'tls_ok');
    const verdict = page.locator('[data-testid="verdict"]');
    await verdict.waitFor({ state: 'visible', timeout: 15_000 });
    await page.screenshot({ path: join(OUT, 'inside-interception-verdict.png'), fullPage: true });
    assert.equal(await verdict.getAttribute('data-cause'), 'tls_interception');
    assert.match(await verdict.textContent(), /Norton/, 'the verdict names the product');
    const local = await verdict.locator('[data-testid="evidence-for"] li[data-source="local_check"]').allTextContents();
    assert.ok(local.some((t) => /\b465\b/.test(t) && /Norton Security Scan/.test(t)), `local evidence: ${JSON.stringify(local)}`);
    await isp.stop();
  });

  // Last: the server's own account of every connection the person's machine made.
  test('Postfix saw no MAIL, RCPT or DATA from the person\'s network', () => {
    const log = readFileSync(stack.lab.postfix.maillog, 'utf8');
    const network = `[${ISP_NET.personAddress.split('.').slice(0, 3).join('.')}.`;
    const ours = log.split('\n').filter((l) => /disconnect from /.test(l) && l.includes(network));
    assert.ok(ours.length >= 1, `no session from ${network}*] in the Postfix log:\n${log.slice(-3000)}`);
    for (const line of ours) assert.doesNotMatch(line, /\b(mail|rcpt|data|bdat)=/, line);
  });
});

/** The person's network for one test: the previous one's (if a failure left it) goes first. */
async function freshIsp(opts) {
  await isp?.stop();
  isp = await startIsp(stack.lab, opts);
}

/** Submits the form and waits until the check has a verdict to show. */
async function checkInPage(page, { host, port, security }) {
  await page.goto(`${stack.server.url}/`, { waitUntil: 'load', timeout: 30_000 });
  await fullyLoaded(page);
  await page.locator('#host').waitFor({ state: 'visible', timeout: 15_000 });
  await page.fill('#host', host);
  await page.selectOption('#port', String(port));
  await page.selectOption('#security', security);
  await page.click('#submit');
  try {
    await page.locator('[data-testid="local"]').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('[data-testid="verdict"]').waitFor({ state: 'visible', timeout: 60_000 });
  } catch (e) {
    await page.screenshot({ path: join(OUT, `inside-${port}-check.failed.png`), fullPage: true }).catch(() => {});
    throw e;
  }
}

async function answer(page, { receiving, web, client }) {
  await page.selectOption('#q-receiving', receiving);
  await page.selectOption('#q-web', web);
  await page.selectOption('#q-client', client);
}

/** The script the page shows for `os`, exactly as the person would copy it. */
async function generatedCommand(page, os) {
  await page.selectOption('#os', os);
  const command = page.locator('[data-testid="local-command"]');
  await command.waitFor({ state: 'visible', timeout: 10_000 });
  return (await command.textContent()) ?? '';
}

async function pasteOutput(page, output) {
  await page.fill('#local-output', output);
  await page.click('#local-read');
}

async function assertLocalCheck(page, port, result) {
  const row = page.locator(`[data-testid="local-check"][data-port="${port}"][data-result="${result}"]`);
  try {
    await row.first().waitFor({ state: 'attached', timeout: 10_000 });
  } catch (e) {
    const seen = await page.locator('[data-testid="local-check"]').evaluateAll(
      (rows) => rows.map((r) => `${r.dataset.port}=${r.dataset.result}`),
    );
    e.message += `\nlocal checks shown: ${seen.join(', ') || 'none'}`;
    await page.screenshot({ path: join(OUT, `inside-local-${port}.failed.png`), fullPage: true }).catch(() => {});
    throw e;
  }
}

/** A command on this host (sendcheck's side), its output and errors together. */
async function runHere(cmd) {
  const { run } = await import('../../lab/command.mjs');
  const { stdout, stderr } = await run('sh', ['-c', cmd], { allowFail: true, timeoutMs: 20_000 });
  return stdout + stderr;
}

function sourceMentions(dir, text) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return false;
  }
  return entries.some((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceMentions(path, text);
    return /\.rs$/.test(entry) && readFileSync(path, 'utf8').includes(text);
  });
}
