// Where checks run from (issue 11). `./dev serve` runs the worker on the person's own computer
// with the lab's DoH stub as its resolver: names outside the lab must resolve through a real
// resolver (SENDCHECK_DOH_UPSTREAM, Cloudflare's public DoH by default), not be answered
// NXDOMAIN, while the lab's names never leave this machine. Here a second stub stands for the
// upstream, so nothing leaves the machine either.
//
//   node --test --test-concurrency=1 tests/e2e/vantage.test.mjs   (no root, no lab needed)

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { spawnDohStub, startDohStub, UPSTREAM_VARIABLE } from '../../lab/doh.mjs';
import { LAB_NAMES, NXDOMAIN_NAME, PEERS } from '../../lab/peers.mjs';

/** A real server's name, answered by the stand-in upstream with a documentation address. */
const OUTSIDE_NAME = 'smtp.gmail.com';
const OUTSIDE_ADDRESS = '192.0.2.45';

let upstream;
let forwarding;
let plain;

async function ask(stub, name, type = 'A') {
  const res = await fetch(`${stub.url}?name=${name}&type=${type}`, { signal: AbortSignal.timeout(5_000) });
  assert.equal(res.status, 200);
  return res.json();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

describe('./dev serve resolves real names through its upstream', () => {
  before(async () => {
    upstream = await startDohStub({ names: { [OUTSIDE_NAME]: OUTSIDE_ADDRESS } });
    // The lab's stub as `./dev serve` starts it: a daemon told its upstream by the environment.
    const dir = mkdtempSync(join(tmpdir(), 'sendcheck-vantage-'));
    forwarding = await spawnDohStub({
      names: LAB_NAMES, port: await freePort(), runId: `vantage-${process.pid}`, logFile: join(dir, 'doh.log'),
      upstream: upstream.url,
    });
    forwarding.logFile = join(dir, 'doh.log');
    plain = await startDohStub({ names: LAB_NAMES });
  }, { timeout: 30_000 });

  after(async () => {
    await forwarding?.stop().catch(() => {});
    await plain?.close();
    await upstream?.close();
  });

  test(`${OUTSIDE_NAME} resolves through the upstream instead of NXDOMAIN`, async () => {
    const answer = await ask(forwarding, OUTSIDE_NAME);
    assert.equal(answer.Status, 0, JSON.stringify(answer));
    assert.deepEqual(answer.Answer.map((a) => a.data), [OUTSIDE_ADDRESS]);
    assert.deepEqual(upstream.queries.filter((q) => q.name === OUTSIDE_NAME).map((q) => q.type), [1]);
    assert.match(readFileSync(forwarding.logFile, 'utf8'), new RegExp(`other names from ${upstream.url.replaceAll('.', '\\.')}`));
  });

  test('the lab\'s names, known or not, never go upstream', async () => {
    const before = upstream.queries.length;
    const lab = await ask(forwarding, PEERS.mail.name);
    assert.deepEqual(lab.Answer.map((a) => a.data), [PEERS.mail.address]);
    const missing = await ask(forwarding, NXDOMAIN_NAME);
    assert.equal(missing.Status, 3, 'NXDOMAIN from the lab, not an answer from outside');
    assert.equal(upstream.queries.length, before);
  });

  test('an upstream that fails is SERVFAIL, not NXDOMAIN', async () => {
    const down = await startDohStub({ names: LAB_NAMES, upstream: 'http://127.0.0.1:9/dns-query' });
    try {
      const answer = await ask(down, OUTSIDE_NAME);
      assert.equal(answer.Status, 2, JSON.stringify(answer));
    } finally {
      await down.close();
    }
  });

  test(`without ${UPSTREAM_VARIABLE} (every test's lab) nothing is forwarded`, async () => {
    const before = upstream.queries.length;
    const answer = await ask(plain, OUTSIDE_NAME);
    assert.equal(answer.Status, 3);
    assert.equal(upstream.queries.length, before);
  });
});
