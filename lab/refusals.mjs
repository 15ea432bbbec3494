#!/usr/bin/env node
// Real servers that refuse, for the verdict classes of issue 9: a second private Postfix in the
// lab's mail namespace (its own config, queue and Dovecot), a DNS blocklist it asks
// (dnsbl.mjs), and two hosts for the fault lab's misreadings. Started on demand:
//
//   const refusals = await startRefusals(lab);   // lab from startMailLab(); stopped by lab.stop()
//
//   .32 postscreen  25   postscreen, DNSBL dnsbl.sendcheck.test, dnsbl_action drop: the `220-`
//                        teaser, then "521 5.7.1 Service unavailable; client [..] blocked using .."
//                   587, 465  ordinary submission (STARTTLS required / implicit TLS), AUTH
//   .33 rbl         25, 587, 465  reject_rbl_client at connect (smtpd_delay_reject = no):
//                        "554 5.7.1 Service unavailable; Client host [..] blocked using ..; <TXT>"
//   .34 denied      25, 587, 465  check_client_access cidr: REJECT at EHLO (a deny list):
//                        "554 5.7.1 <unknown[..]>: Client host rejected: Access denied"
//   .35 limited     25, 587, 465  smtpd_client_connection_count_limit = 1 each (anvil); a test
//                        holds one connection (holdConnection) as another device of the person
//                        would: "421 4.7.0 .. Error: too many connections from .."
//   .36 selflimit   25 limit 1, each session held 2 s at connect (`sleep 2`); 587 is the same
//                        service (nftables DNAT to 25), as one daemon counts a client across
//                        ports (Exim's smtp_accept_max_per_host): a check's concurrent probes
//                        trip it, one port alone does not. 465 ordinary.
//   .37 authtemp    587, 465  AUTH through a Dovecot whose passdb backend crashes its auth
//                        process: "454 4.7.0 Temporary authentication failure: Connection lost
//                        to authentication server"; 25 plain
//   .38 webonly     no mail port at all; http 80 and https 443 answer (the host is up)
//   .39 only25      25 only, no submission port
//   .40 exim        Exim, 25/587/465, smtp_accept_max_per_host = 2 (lab/exim.mjs), when
//                        scripts/setup.sh could unpack it
//
// The blocklist lists the host's side of the lab link (198.51.100.1), where the worker, the
// tests and Chromium connect from; nothing inside the namespace is listed, so readiness checks
// from there see the ordinary greeting.

import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { run, waitFor } from './command.mjs';
import { serveUntilStopped, spawnDaemon } from './daemon.mjs';
import { startDnsblInNamespace } from './dnsbl.mjs';
import { startDovecot } from './dovecot.mjs';
import { eximAvailable, startExim } from './exim.mjs';
import { MAIL_NET } from './netns.mjs';
import { PEERS, TEST_ACCOUNT } from './peers.mjs';
import { startPostfix } from './postfix.mjs';
import { recordRun } from './registry.mjs';
import { issueCertificate } from './tls.mjs';

/** The lab's blocklist zone and whom it lists: the host's end of the lab link. */
export const DNSBL_ZONE = 'dnsbl.sendcheck.test';
export const LISTED_ADDRESS = MAIL_NET.hostAddress;
/** Per-client connection limit of .35 and .36 (Postfix anvil). */
export const CONNECTION_LIMIT = 1;
/** How long .36 holds each session before its greeting, so a check's probes overlap. */
export const SELF_LIMIT_HOLD_S = 2;
/** What the web-only host's http and https answer. */
export const WEB_ONLY_BODY = 'webmail (sendcheck lab): the host is up\n';

/** The refusing peers' addresses (.32–.63): trusted by their own Postfix, as said below. */
const REFUSALS_NETWORK = '198.51.100.32/27';
const REFUSAL_PEERS = ['postscreen', 'blocklisted', 'denied', 'limited', 'selfLimited', 'authTemporary', 'only25']
  .map((role) => PEERS[role]);

/**
 * Starts the refusing servers in `lab`'s namespace (see the top of this file). Returns
 * `{postfix, dovecot, dnsbl, web, exim, holdConnection(address, port), stop()}`; `lab.stop()` stops
 * them too. `outlivesUs`: for a detached lab (`lab.mjs up`).
 */
export async function startRefusals(lab, { outlivesUs = false } = {}) {
  const dir = join(lab.tmpDir, 'refusals');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const postfixDir = join(dir, 'postfix');
  // Recorded before it exists: a crash from here on is cleaned up by the next run.
  lab.record.postfixConfigDirs.push(join(postfixDir, 'etc'));
  recordRun(lab.record);

  const parts = [];
  const held = new Set();
  const refusals = {
    holdConnection: (address, port) => holdConnection(address, port, held),
    stop: async () => {
      for (const socket of held) socket.destroy();
      for (const part of parts.reverse()) await part.stop().catch(() => {});
      parts.length = 0;
    },
  };
  try {
    refusals.dnsbl = await startDnsblInNamespace({
      ns: lab.ns, zone: DNSBL_ZONE, listed: [LISTED_ADDRESS], runId: lab.runId, logFile: join(dir, 'dnsbl.log'), outlivesUs,
    });
    parts.push(refusals.dnsbl);

    const cert = await issueCertificate(lab.ca, {
      stem: 'refusals',
      commonName: PEERS.postscreen.name,
      dnsNames: REFUSAL_PEERS.map((p) => p.name),
      ipAddresses: REFUSAL_PEERS.map((p) => p.address),
    });
    const denyList = join(dir, 'client_access.cidr');
    writeFileSync(denyList, `# A site's deny list: the address a check comes from.\n${LISTED_ADDRESS}/32\tREJECT\n`);
    // Postfix (3.7, postfix/src/xsasl/xsasl_dovecot_server.c) answers Dovecot's "FAIL … temp"
    // (checkpassword's exit 111) with a plain 535; its 454 comes when the auth server is lost
    // in the middle of a request. So the passdb backend takes Dovecot's auth process down with
    // it, as a crashing backend does; Dovecot's master starts a new one for the next login.
    const unavailable = join(dir, 'passdb-crashing.sh');
    writeFileSync(unavailable, '#!/bin/sh\n# The account database takes the auth process down.\nkill -9 "$PPID"\nexit 111\n');
    chmodSync(unavailable, 0o755);

    refusals.postfix = await startPostfix({
      ns: lab.ns,
      dir: postfixDir,
      cert,
      hostname: PEERS.postscreen.name,
      // The namespace's own addresses (readiness checks come from there) are exempt from the
      // limits, the hold and postscreen; the host's side (198.51.100.1) is not.
      mainCf: { mynetworks: `127.0.0.0/8, ${REFUSALS_NETWORK}` },
      services: refusalServices(denyList),
      masterCfRows: [
        ['smtpd', 'pass', '-', '-', 'n', '-', '-', 'smtpd'],
        ['dnsblog', 'unix', '-', '-', 'n', '-', '0', 'dnsblog'],
        ['tlsproxy', 'unix', '-', '-', 'n', '-', '0', 'tlsproxy'],
      ],
      beforeStart: async ({ privateDir }) => {
        refusals.dovecot = await startDovecot({
          ns: lab.ns,
          dir: join(dir, 'dovecot'),
          runId: lab.runId,
          socketPath: join(privateDir, 'auth'),
          users: [TEST_ACCOUNT],
          passdb: { driver: 'checkpassword', args: unavailable },
          outlivesUs,
        });
        parts.push(refusals.dovecot);
      },
    });
    parts.push(refusals.postfix);

    // .36: 587 is port 25's service, so both count as one client of one service.
    const self = PEERS.selfLimited.address;
    await lab.ns.exec('nft', ['-f', '-'], {
      input: `table ip sendcheck_refusals {
  chain prerouting {
    type nat hook prerouting priority -100; policy accept;
    ip daddr ${self} tcp dport 587 dnat to ${self}:25
  }
}
`,
    });

    refusals.web = await startWebOnly(lab, {
      address: PEERS.webOnly.address, cert: await issueCertificate(lab.ca, { stem: 'webonly', commonName: PEERS.webOnly.name, ipAddresses: [PEERS.webOnly.address] }),
      logFile: join(dir, 'web.log'), outlivesUs,
    });
    parts.push(refusals.web);

    // .40: Exim, where scripts/setup.sh could unpack it (lab/exim.mjs); `refusals.exim` unset otherwise.
    if (eximAvailable()) {
      refusals.exim = await startExim({
        ns: lab.ns,
        dir: join(dir, 'exim'),
        address: PEERS.exim.address,
        hostname: PEERS.exim.name,
        cert: await issueCertificate(lab.ca, { stem: 'exim', commonName: PEERS.exim.name, ipAddresses: [PEERS.exim.address] }),
        runId: lab.runId,
        outlivesUs,
      });
      parts.push(refusals.exim);
    }
  } catch (e) {
    await refusals.stop();
    throw e;
  }
  lab.namespaces.push({ stop: refusals.stop }); // lab.stop() stops these last-first, before the namespace
  return refusals;
}

/** The refusing servers' smtpd (and postscreen) services, by peer (see the top of the file). */
export function refusalServices(denyList) {
  const sasl = {
    smtpd_sasl_auth_enable: 'yes', smtpd_sasl_type: 'dovecot', smtpd_sasl_path: 'private/auth', smtpd_tls_auth_only: 'yes',
  };
  const starttls = { smtpd_tls_security_level: 'encrypt', ...sasl };
  const implicit = { smtpd_tls_wrappermode: 'yes', smtpd_tls_security_level: 'encrypt', ...sasl };
  // master.cf -o values cannot hold spaces: restriction lists are written with commas.
  const atConnect = (restriction) => ({ smtpd_delay_reject: 'no', smtpd_client_restrictions: restriction });
  const three = (peer, tag, extra) => [
    { address: peer.address, port: 25, name: `${tag}-smtp`, options: { myhostname: peer.name, ...extra } },
    { address: peer.address, port: 587, name: `${tag}-submission`, options: { myhostname: peer.name, ...starttls, ...extra } },
    { address: peer.address, port: 465, name: `${tag}-submissions`, options: { myhostname: peer.name, ...implicit, ...extra } },
  ];
  const { postscreen, blocklisted, denied, limited, selfLimited, authTemporary, only25 } = PEERS;
  const limit = { smtpd_client_connection_count_limit: String(CONNECTION_LIMIT) };
  return [
    {
      address: postscreen.address,
      port: 25,
      name: 'postscreen',
      command: 'postscreen',
      maxproc: '1',
      options: {
        myhostname: postscreen.name,
        postscreen_dnsbl_sites: DNSBL_ZONE,
        postscreen_dnsbl_threshold: '1',
        postscreen_dnsbl_action: 'drop',
        postscreen_greet_action: 'enforce',
        postscreen_greet_wait: '2s',
      },
    },
    ...three(postscreen, 'postscreen').slice(1),
    ...three(blocklisted, 'rbl', atConnect(`reject_rbl_client,${DNSBL_ZONE}`)),
    ...three(denied, 'denied', { smtpd_delay_reject: 'no', smtpd_helo_restrictions: `check_client_access,cidr:${denyList}` }),
    ...three(limited, 'limited', limit),
    // Also 587's service (nftables), so it offers AUTH after STARTTLS as a submission port does.
    {
      address: selfLimited.address,
      port: 25,
      name: 'selflimit-smtp',
      options: { myhostname: selfLimited.name, ...sasl, ...limit, ...atConnect(`permit_mynetworks,sleep,${SELF_LIMIT_HOLD_S}`) },
    },
    { address: selfLimited.address, port: 465, name: 'selflimit-submissions', options: { myhostname: selfLimited.name, ...implicit } },
    ...three(authTemporary, 'authtemp'),
    { address: only25.address, port: 25, name: 'only25-smtp', options: { myhostname: only25.name } },
  ];
}

/**
 * Opens a TCP connection from this host to address:port and keeps it open (reading the
 * greeting, sending nothing), as another mail program of the person's would. Resolves
 * `{greeting, close()}` once the greeting's first line arrived.
 */
function holdConnection(address, port, held) {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: address, port });
    held.add(socket);
    let got = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no greeting from ${address}:${port}`));
    }, 10_000);
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => held.delete(socket));
    socket.on('data', (d) => {
      got += d;
      if (got.includes('\n')) {
        clearTimeout(timer);
        resolve({ greeting: got.trim(), close: () => socket.destroy() });
      }
    });
  });
}

/** The web-only host: this script's `web` mode inside the namespace (http 80, https 443). */
async function startWebOnly(lab, { address, cert, logFile, outlivesUs }) {
  const config = { address, certPath: cert.certPath, keyPath: cert.keyPath };
  const daemon = spawnDaemon('ip', [
    'netns', 'exec', lab.ns.name, process.execPath, fileURLToPath(import.meta.url), 'web', JSON.stringify(config),
  ], { runId: lab.runId, logFile, outlivesUs });
  try {
    await waitFor(async () => {
      const exit = daemon.exited();
      if (exit) throw new Error(`web server exited (${JSON.stringify(exit)})`);
      const { code } = await run('sh', ['-c', `nc -z -w 1 ${address} 80 && nc -z -w 1 ${address} 443`], { allowFail: true });
      return code === 0;
    }, { timeoutMs: 10_000, what: `web server on ${address}` });
  } catch (e) {
    await daemon.stop().catch(() => {});
    e.message += `\n${daemon.logTail()}`;
    throw e;
  }
  return daemon;
}

function serveWeb({ address, certPath, keyPath }) {
  const answer = (req, res) => {
    console.log(`${new Date().toISOString()} ${req.socket.remoteAddress} ${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'access-control-allow-origin': '*' });
    res.end(WEB_ONLY_BODY);
  };
  const servers = [
    [createHttpServer(answer), 80],
    [createHttpsServer({ cert: readFileSync(certPath), key: readFileSync(keyPath) }, answer), 443],
  ];
  return Promise.all(servers.map(([server, port]) => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port }, resolve);
  }))).then(() => {
    console.log(`${new Date().toISOString()} serving http and https on ${address}`);
    return {
      close: () => Promise.all(servers.map(([server]) => new Promise((r) => {
        server.closeAllConnections?.();
        server.close(r);
      }))),
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, configJson, ...flags] = process.argv.slice(2);
  if (mode !== 'web' || !configJson) {
    console.error('usage: node lab/refusals.mjs web \'{"address","certPath","keyPath"}\' [--exit-with-stdin]');
    process.exit(2);
  }
  serveWeb(JSON.parse(configJson))
    .then((server) => serveUntilStopped(server, flags))
    .catch((e) => {
      console.error(`web: ${e.message}`);
      process.exit(1);
    });
}
