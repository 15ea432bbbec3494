// Issue 9, section 3: what the fault lab showed the page misreading, each as the person meets
// it — the real page in Chromium, the real worker under workerd, the lab's real Postfix, and
// the person's own network (lab/isp.mjs) where the command the page generates really runs.
// Each test asserts what is right for the person (the issue says what that is):
//   - every mail port refuses, but the browser reaches the host on 443/80 → the mail service
//     is down on a running host, and whoever runs it restarts it;
//   - only port 25 exists, the vantage cannot test 25, the person's own check shows 25
//     connecting → no submission port (the administrator enables 587/465);
//   - a certificate for another name → the page never suggests a name it has not probed; the
//     fix goes to the administrator, naming the names the certificate carries;
//   - interception on 465 while 587 works from the person's computer → 587 offered now;
//   - a pasted failed handshake (errno 104, `Cipher is (NONE)`) is not a working TLS port;
//   - the error decoder: "Authentication failed" is Gmail's only when Gmail is named;
//     `554 5.7.1 … Client host rejected` is an address block, not relaying.
//
// Run as root, after building (`bash scripts/build.sh`), under the lab lock:
//   flock /tmp/sendcheck-lab.lock node --test --test-concurrency=1 tests/e2e/misreadings.test.mjs
// Screenshots and the wrangler logs go to test-output/e2e-misreadings/.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { fullyLoaded, launchBrowser } from '../../lab/browser.mjs';
import { PEERS } from '../../lab/index.mjs';
import { startIsp } from '../../lab/isp.mjs';
import { startRefusals } from '../../lab/refusals.mjs';
import { startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const OUT = join(REPO_ROOT, 'test-output', 'e2e-misreadings');

let stack;
/** The worker without ALLOW_PORT_25, as at Cloudflare's edge: port 25 is "not tested". */
let edge;
let browser;
/** The person's network of the test running now; each test that needs one starts its own. */
let isp;

describe('the fault lab\'s misreadings (issue 9, section 3)', () => {
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    for (const built of ['dist/index.html', 'worker/build']) {
      assert.ok(existsSync(join(REPO_ROOT, built)), `${built} is missing: build the page and the worker first`);
    }
    stack = await startStack({ kind: 'e2e-misreadings', outDir: OUT, log: (l) => console.log(`# misreadings: ${l}`) });
    try {
      await startRefusals(stack.lab);
      edge = await stack.startWorker('edge', { ...stack.lab.workerVars(), ALLOW_PORT_25: 'false' });
      browser = await launchBrowser({ runId: stack.lab.runId, dir: stack.lab.tmpDir, locale: 'en-US' });
    } catch (e) {
      await stack.stop().catch((c) => { e.message += `\n${c.message}`; });
      throw e;
    }
  }, { timeout: 400_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await isp?.stop().catch(() => {});
    await stack?.stop();
  }, { timeout: 90_000 });

  test('every mail port refuses, the browser reaches 443 and 80: the mail service is down on a running host', { timeout: 120_000 }, async () => {
    const page = browser.page;
    const verdict = await checkInPage(page, stack.server, { host: PEERS.webOnly.name, port: 587, name: 'web-only' });
    for (const port of ['443', '80']) {
      assert.equal(await page.getAttribute(`[data-testid="reach-check"][data-port="${port}"]`, 'data-result'), 'answered', `the browser reached ${port}`);
    }
    assertCause(verdict, 'server_down');
    // The host is up: the verdict says what the browser reached, and the step is for whoever
    // runs the mail service, not "the server or its network is down".
    assert.ok(verdict.evidence.some((e) => /\b(443|80)\b/.test(e.text)), `the browser's reach is evidence: ${JSON.stringify(verdict.evidence)}`);
    assert.ok(verdict.fixes.some((f) => f.audience === 'server_admin' || f.audience === 'provider'), JSON.stringify(verdict.fixes));
    assert.doesNotMatch(verdict.title, /network is down|not answering at all/i, verdict.title);
  });

  test('only 25 exists, the vantage cannot test it, the person\'s check shows 25 connecting → no_submission_port', { timeout: 180_000 }, async () => {
    await freshIsp({ blockPort25: false });
    const page = browser.page;
    await checkInPage(page, edge, { host: PEERS.only25.name, port: 25, security: 'starttls', name: 'only25' });
    assert.equal(await page.getAttribute('[data-testid="port-row"][data-port="25"]', 'data-outcome'), 'not_tested', 'the vantage cannot test 25');
    const output = await runGeneratedCommand(page, 'linux');
    assert.match(output, /Connection to \S+ (\(\S+\) )?25 port \[tcp\/smtp\] succeeded!/, output);
    await pasteOutput(page, output);
    await localCheck(page, 25, 'connected');
    const verdict = await waitForVerdict(page, 'only25-verdict');
    assertCause(verdict, 'no_submission_port');
    assert.ok(verdict.fixes.some((f) => (f.audience === 'server_admin' || f.audience === 'provider') && /587|465/.test(f.text)), JSON.stringify(verdict.fixes));
    await isp.stop();
  });

  test('a certificate for another name: no unprobed host name suggested; the administrator gets the names it carries', { timeout: 120_000 }, async () => {
    const page = browser.page;
    const verdict = await checkInPage(page, stack.server, { host: PEERS.wrongName.name, port: 587, name: 'wrong-name' });
    assertCause(verdict, 'certificate_problem');
    const other = PEERS.wrongName.certificateName;
    for (const fix of verdict.fixes.filter((f) => f.audience === 'person')) {
      assert.ok(!fix.text.includes(other), `the person is not told to use ${other}, never probed: ${fix.text}`);
    }
    const hosts = await page.locator('[data-testid="verdict"] [data-testid="fix-settings"]').evaluateAll((els) => els.map((e) => e.textContent));
    assert.ok(hosts.every((t) => !t.includes(other)), JSON.stringify(hosts));
    assert.ok(verdict.fixes.some((f) => f.audience !== 'person' && f.text.includes(other)), `the administrator's fix names ${other}: ${JSON.stringify(verdict.fixes)}`);
  });

  test('interception on 465 while 587 works from the person\'s computer → 587 offered as the way out', { timeout: 180_000 }, async () => {
    await freshIsp({ blockPort25: false });
    await isp.intercept({ port: 465, caName: 'Norton Security Scan' });
    const page = browser.page;
    await checkInPage(page, stack.server, { host: PEERS.mail.name, port: 465, security: 'tls', name: 'intercepted' });
    const output = await runGeneratedCommand(page, 'linux');
    assert.match(output, /^issuer=CN = Norton Security Scan$/m, output);
    assert.match(output, /587 port \[tcp\/submission\] succeeded!/, output);
    await pasteOutput(page, output);
    await localCheck(page, 465, 'tls_ok');
    const verdict = await waitForVerdict(page, 'intercepted-verdict');
    assertCause(verdict, 'tls_interception');
    const offered = page.locator('[data-testid="verdict"] [data-testid="fix-settings"][data-port="587"][data-security="starttls"]');
    assert.ok((await offered.count()) >= 1, `587 with STARTTLS offered: ${JSON.stringify(verdict.fixes)}`);
    await isp.stop();
  });

  test('a pasted failed handshake (reset, errno 104, Cipher is (NONE)) is not a working TLS port', { timeout: 180_000 }, async () => {
    await freshIsp({ blockPort25: false });
    // Something on the person's side resets 465 once the handshake starts (the ClientHello is
    // the first segment with data): openssl reports it exactly as it would at home.
    await isp.exec(`nft -f - <<'EOF'
table ip sendcheck_reset465 {
  chain output {
    type filter hook output priority 0; policy accept;
    ip daddr ${PEERS.mail.address} tcp dport 465 tcp flags & psh == psh reject with tcp reset
  }
}
EOF`);
    const page = browser.page;
    await checkInPage(page, stack.server, { host: PEERS.mail.name, port: 465, security: 'tls', name: 'reset-465' });
    const output = await runGeneratedCommand(page, 'linux');
    assert.match(output, /errno=104|Connection reset by peer/, output);
    assert.match(output, /Cipher is \(NONE\)/, output);
    await pasteOutput(page, output);
    await localCheck(page, 465, 'tls_failed');
    const verdict = await waitForVerdict(page, 'reset-465-verdict');
    assert.notEqual(verdict.cause, 'all_clear_outside', 'the person\'s failed handshake is evidence, not "all clear"');
    await isp.stop();
  });

  test('the decoder: "Authentication failed" is Gmail\'s only when Gmail is named', { timeout: 120_000 }, async () => {
    const page = browser.page;
    await checkInPage(page, stack.server, { host: PEERS.mail.name, port: 587, name: 'decoder-auth' });
    await page.selectOption('#q-client', 'thunderbird');
    await page.fill('#error-text', 'Sending of the message failed. Authentication failed.');
    const plain = await decoded(page, 'decoder-thunderbird');
    assert.ok(plain.recognised.every((r) => !/gmail/i.test(r.code) && !/gmail/i.test(r.text)), `not Gmail's: ${JSON.stringify(plain)}`);

    await page.selectOption('#q-client', 'gmail_send_as');
    await page.fill('#error-text', 'Authentication failed. Please check your username/password.');
    const gmail = await decoded(page, 'decoder-gmail');
    assert.ok(gmail.recognised.some((r) => /gmail/i.test(r.code) || /gmail/i.test(r.text)), `Gmail's "Send mail as": ${JSON.stringify(gmail)}`);
  });

  test('the decoder: "554 5.7.1 … Client host rejected" pasted by the person is their address refused, not relaying', { timeout: 120_000 }, async () => {
    const page = browser.page;
    await checkInPage(page, stack.server, { host: PEERS.mail.name, port: 587, name: 'decoder-client-host' });
    await page.fill('#error-text', '554 5.7.1 <unknown[203.0.113.10]>: Client host rejected: Access denied');
    const result = await decoded(page, 'decoder-client-host');
    assert.equal(result.candidates[0], 'address_refused', JSON.stringify(result));
    const verdict = await readVerdict(page);
    assertCause(verdict, 'address_refused');
  });
});

/** The person's network for one test: the previous one's (if a failure left it) goes first. */
async function freshIsp(opts) {
  await isp?.stop();
  isp = await startIsp(stack.lab, opts);
}

/** Runs a check in the page served by `server` and returns the verdict once the page is done. */
async function checkInPage(page, server, { host, port, security, name }) {
  await page.goto(`${server.url}/?lang=en`, { waitUntil: 'load', timeout: 30_000 });
  await fullyLoaded(page);
  await page.locator('#host').waitFor({ state: 'visible', timeout: 15_000 });
  await page.fill('#host', host);
  await page.selectOption('#port', String(port));
  if (security) await page.selectOption('#security', security);
  await page.click('#submit');
  try {
    const done = () => Boolean(document.querySelector('[data-testid="check"][data-state="done"]')
      && !document.querySelector('[data-testid="repeat-note"]')
      && document.querySelector('[data-testid="verdict"]'));
    for (let i = 0; i < 2; i += 1) {
      await page.waitForFunction(done, null, { timeout: 150_000 });
      await page.waitForTimeout(1_000);
    }
    await page.waitForFunction(done, null, { timeout: 150_000 });
  } catch (e) {
    await page.screenshot({ path: join(OUT, `${name}.failed.png`), fullPage: true }).catch(() => {});
    throw e;
  }
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  return readVerdict(page);
}

async function waitForVerdict(page, name) {
  await page.locator('[data-testid="verdict"]').waitFor({ state: 'visible', timeout: 15_000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  return readVerdict(page);
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
  };
}

function assertCause(verdict, cause) {
  assert.equal(verdict.cause, cause, `verdict "${verdict.title}" (${verdict.cause}); evidence: ${JSON.stringify(verdict.evidence)}`);
}

/** The script the page shows for `os`, run in the person's network; its output and errors. */
async function runGeneratedCommand(page, os) {
  await page.selectOption('#os', os);
  const command = page.locator('[data-testid="local-command"]');
  await command.waitFor({ state: 'visible', timeout: 10_000 });
  const script = (await command.textContent()) ?? '';
  const run = await isp.exec(script, { timeoutMs: 120_000 });
  return run.stdout + run.stderr;
}

async function pasteOutput(page, output) {
  await page.fill('#local-output', output);
  await page.click('#local-read');
}

async function localCheck(page, port, result) {
  const row = page.locator(`[data-testid="local-check"][data-port="${port}"][data-result="${result}"]`);
  try {
    await row.first().waitFor({ state: 'attached', timeout: 10_000 });
  } catch (e) {
    const seen = await page.locator('[data-testid="local-check"]').evaluateAll(
      (rows) => rows.map((r) => `${r.dataset.port}=${r.dataset.result}`),
    );
    e.message += `\nlocal checks shown: ${seen.join(', ') || 'none'}`;
    await page.screenshot({ path: join(OUT, `local-${port}.failed.png`), fullPage: true }).catch(() => {});
    throw e;
  }
}

/** What the decoder made of the error text, in the verdict's block: recognised codes, candidates. */
async function decoded(page, name) {
  const block = page.locator('[data-testid="decoded-error"]');
  await block.waitFor({ state: 'visible', timeout: 15_000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  return {
    recognised: await block.locator('li[data-code]').evaluateAll((items) => items.map((li) => ({ code: li.dataset.code, text: li.textContent }))),
    candidates: await block.locator('[data-testid="decoded-candidates"] li').evaluateAll((items) => items.map((li) => li.dataset.cause)),
  };
}
