// The native `sendcheck check` (cli/, issue 11) against the lab's real Postfix + Dovecot: the
// same engine the worker runs, pumped over the OS's sockets. Run inside the person's namespace
// (lab/isp.mjs, whose ISP drops outbound 25) it reports 25 blocked and 587/465 working, and
// prints the block the page reads back as the person's own check; from this host it meets
// every outcome the worker's e2e (outside.test.mjs) covers, with the exit code of its class.
// The password reaches it only through SENDCHECK_PASSWORD, never argv, and is in no output.
//
// Run as root under the lab lock (builds the CLI itself if needed):
//   flock /tmp/sendcheck-lab.lock node --test --test-concurrency=1 tests/e2e/native.test.mjs
// Never sends mail: the last test reads Postfix's log for MAIL, RCPT and DATA.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { run } from '../../lab/command.mjs';
import { startMailLab, PEERS, TEST_ACCOUNT, WRONG_PASSWORD, NXDOMAIN_NAME } from '../../lab/index.mjs';
import { startIsp } from '../../lab/isp.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const BINARY = join(REPO_ROOT, 'target', 'debug', 'sendcheck');
/** The documented exit codes (cli/src/exit.rs). */
const EXIT = { completed: 0, connect: 2, greeting: 21, dialogue: 22, tls: 28, auth: 29 };

let lab;
let isp;

/** Runs the CLI inside the person's namespace; `password` goes through the environment only. */
async function insideIsp(args, { password } = {}) {
  const line = [BINARY, ...args].map(shellQuote).join(' ');
  assert.ok(!password || !line.includes(password), 'the password is not on the command line');
  if (password) process.env.SENDCHECK_PASSWORD = password;
  try {
    return await isp.exec(line, { timeoutMs: 60_000 });
  } finally {
    delete process.env.SENDCHECK_PASSWORD;
  }
}

/** Runs the CLI on this host (the lab's addresses are routed here; its names are not). */
function onHost(args) {
  const env = { ...process.env };
  delete env.SENDCHECK_PASSWORD;
  return run(BINARY, args, { allowFail: true, timeoutMs: 60_000, env });
}

function shellQuote(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

function ports(json) {
  const report = JSON.parse(json);
  assert.equal(report.vantage.kind, 'native', JSON.stringify(report.vantage));
  return Object.fromEntries(report.ports.map((p) => [p.report?.target.port ?? p.port, p.report ?? p]));
}

describe('sendcheck check, the native adapter', () => {
  before(async () => {
    await run('cargo', ['build', '--quiet', '-p', 'sendcheck-cli'], { cwd: REPO_ROOT, timeoutMs: 600_000 });
    lab = await startMailLab({ kind: 'e2e-native', log: (l) => console.log(`# native: ${l}`) });
    isp = await startIsp(lab);
  }, { timeout: 900_000 });

  after(async () => {
    await isp?.stop().catch(() => {});
    await lab?.stop();
  }, { timeout: 90_000 });

  test('behind the ISP: 25 blocked, 587 and 465 work, exit 2; the block reads as this machine\'s check', { timeout: 90_000 }, async () => {
    const ca = lab.ca.certPath;
    const [json, text] = await Promise.all([
      insideIsp(['check', PEERS.mail.name, '--ca-file', ca, '--json']),
      insideIsp(['check', PEERS.mail.name, '--ca-file', ca, '--lang', 'ja']),
    ]);
    assert.equal(json.code, EXIT.connect, json.stderr);
    const found = ports(json.stdout);
    assert.equal(found[25].outcome.kind, 'connect_timeout', JSON.stringify(found[25].outcome));
    assert.equal(found[587].outcome.kind, 'completed', JSON.stringify(found[587].outcome));
    assert.equal(found[587].tls.verification.status, 'verified');
    assert.equal(found[465].outcome.kind, 'completed', JSON.stringify(found[465].outcome));
    assert.equal(found[587].address, PEERS.mail.address);

    assert.equal(text.code, EXIT.connect, text.stderr);
    // The readable report speaks the page's Japanese, and ends with the block for the page.
    const heading = JSON.parse(readFileSync(join(REPO_ROOT, 'shared', 'data', 'text.ja.json'), 'utf8'))['cli.heading'];
    assert.ok(text.stdout.startsWith(heading.slice(0, heading.indexOf('{host}')) + PEERS.mail.name), text.stdout);
    const issuer = found[587].tls.chain[0].issuer;
    const block = text.stdout.slice(text.stdout.indexOf('== sendcheck native'));
    assert.match(block, /^== sendcheck native mail\.sendcheck\.test$/m);
    assert.match(block, /^sendcheck native 25 starttls result: timed_out$/m);
    assert.match(block, /^sendcheck native 25 starttls outcome: connect_timeout$/m);
    assert.ok(block.includes(`sendcheck native 587 starttls issuer: ${issuer}\n`), block);
    assert.match(block, /^sendcheck native 465 tls result: tls_ok$/m);
    assert.match(block, /^== sendcheck native end$/m);
  });

  test('a login: right password exit 0, wrong password exit 29, neither in any output', { timeout: 60_000 }, async () => {
    const args = ['check', PEERS.mail.name, '-p', '587', '--ca-file', lab.ca.certPath, '-u', TEST_ACCOUNT.username];
    const right = await insideIsp([...args, '--json'], { password: TEST_ACCOUNT.password });
    assert.equal(right.code, EXIT.completed, right.stdout + right.stderr);
    const ok = ports(right.stdout)[587];
    assert.equal(ok.auth.attempt.accepted, true, JSON.stringify(ok.auth));
    assert.equal(ok.auth.attempt.reply.code, 235);

    const wrong = await insideIsp(args, { password: WRONG_PASSWORD });
    assert.equal(wrong.code, EXIT.auth, wrong.stdout + wrong.stderr);
    assert.match(wrong.stdout, /535/);
    for (const out of [right, wrong]) {
      for (const secret of [TEST_ACCOUNT.password, WRONG_PASSWORD, Buffer.from(`\0${TEST_ACCOUNT.username}\0${TEST_ACCOUNT.password}`).toString('base64')]) {
        assert.ok(!(out.stdout + out.stderr).includes(secret), 'a password in the output');
      }
    }
  });

  test('the outcomes the worker meets in the lab, each with its exit class', { timeout: 90_000 }, async () => {
    const ca = lab.ca.certPath;
    const cases = [
      // [where, args, port, outcome kind, exit class]
      [insideIsp, ['check', PEERS.expired.name, '-p', '465', '--ca-file', ca, '--json'], 465, 'certificate_untrusted', EXIT.tls],
      [insideIsp, ['check', PEERS.wrongName.name, '-p', '587', '--ca-file', ca, '--json'], 587, 'certificate_untrusted', EXIT.tls],
      [insideIsp, ['check', PEERS.noStartTls.name, '-p', '587', '--ca-file', ca, '--json'], 587, 'start_tls_not_offered', EXIT.tls],
      [insideIsp, ['check', NXDOMAIN_NAME, '-p', '587', '--json'], 587, 'dns_failed', EXIT.connect],
      [onHost, ['check', PEERS.hostile.address, '-p', '25', '--json'], 25, 'greeting_timeout', EXIT.greeting],
      [onHost, ['check', PEERS.hostile.address, '-p', '587', '--json'], 587, 'greeting_rejected', EXIT.greeting],
      [onHost, ['check', PEERS.hostile.address, '-p', '2525', '--json'], 2525, 'reply_too_long', EXIT.dialogue],
      [onHost, ['check', PEERS.hostile.address, '-p', '465', '--json'], 465, 'plaintext_instead_of_tls', EXIT.tls],
      [onHost, ['check', PEERS.firewalled.address, '-p', '587', '--json'], 587, 'connect_timeout', EXIT.connect],
      [onHost, ['check', PEERS.firewalled.address, '-p', '25', '--json'], 25, 'connection_reset', EXIT.dialogue],
      [onHost, ['check', PEERS.firewalled.address, '-p', '2525', '--json'], 2525, 'closed_before_greeting', EXIT.greeting],
      [onHost, ['check', PEERS.firewalled.address, '-p', '465', '--json'], 465, 'connection_refused', EXIT.connect],
    ];
    const results = await Promise.all(cases.map(([where, args]) => where(args)));
    cases.forEach(([, args, port, kind, exit], i) => {
      const out = results[i];
      const report = ports(out.stdout)[port];
      assert.equal(report.outcome.kind, kind, `${args.join(' ')}: ${JSON.stringify(report.outcome)}`);
      assert.equal(out.code, exit, `${args.join(' ')}: exit ${out.code}`);
    });
  });

  test('Postfix saw no MAIL, RCPT or DATA', () => {
    const log = readFileSync(lab.postfix.maillog, 'utf8');
    assert.doesNotMatch(log, /\b(MAIL FROM|RCPT TO|DATA)\b/i);
  });
});
