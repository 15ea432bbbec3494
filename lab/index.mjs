// The sendcheck test lab: mail servers in a network namespace, reachable from this host at
// 198.51.100.25–31 (peers.mjs), with a throwaway CA and certificates, and a DNS-over-HTTPS stub
// for their names. Used by tests/e2e, tests/bench and by `./dev serve` (through lab.mjs).
//
//   startMailLab()
//     ├─ cleanStale()              leftovers of crashed runs (registry.mjs)
//     ├─ createNamespace()         sc-mail-<run>, veth 198.51.100.1 ⇄ 198.51.100.25–31 (netns.mjs)
//     ├─ applyNftables()           198.51.100.31:587 dropped silently
//     ├─ createCa/issueCertificate mail (name + IP), expired, other name, login-only (tls.mjs)
//     ├─ startPostfix()            one instance, every peer's ports (postfix.mjs, peers.mjs)
//     │    └─ startDovecot()       its SASL server, socket in the queue's private/auth (dovecot.mjs)
//     ├─ startHostileInNamespace() the faults no real server shows, .30 and .31 (hostile.mjs)
//     ├─ spawnDohStub()            names → addresses (and MX/SRV for discovery) on 127.0.0.1 (doh.mjs)
//     └─ spawnAutoconfigServer()   Thunderbird autoconfig documents on 127.0.0.1 (autoconfig.mjs)

import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { spawnAutoconfigServer } from './autoconfig.mjs';
import { spawnDohStub } from './doh.mjs';
import { startDovecot } from './dovecot.mjs';
import { startHostileInNamespace } from './hostile.mjs';
import {
  applyNftables, createNamespace, hostLinkName, MAIL_NET, MAIL_SERVER_ADDRESS, MAIL_SERVER_NAME, namespaceName,
} from './netns.mjs';
import {
  DNS_RECORDS, EXTRA_ADDRESSES, firewallRuleset, HOSTILE_LISTENERS, LAB_NAMES, PEERS, postfixServices, TEST_ACCOUNT,
} from './peers.mjs';
import { startPostfix } from './postfix.mjs';
import {
  cleanStale, forgetRun, newRunId, ownRecord, recordRun, teardownRun, TMP_PREFIX,
} from './registry.mjs';
import { createCa, expiredValidity, issueCertificate } from './tls.mjs';
import { freePort, LAB_LIMITS } from './wrangler.mjs';

export { MAIL_NET, MAIL_SERVER_ADDRESS, MAIL_SERVER_NAME } from './netns.mjs';
export { BANNER_TEXT } from './postfix.mjs';
export {
  DISCOVERY_DOMAINS, FIREWALLED_PORT, HOSTILE_LISTENERS, LAB_NAMES, NXDOMAIN_NAME, PEERS, TEST_ACCOUNT, WRONG_PASSWORD,
} from './peers.mjs';

/**
 * Starts the lab and returns it: `{runId, tmpDir, host, hostname, ports, ns, ca, cert, certs,
 * postfix, dovecot, hostile, doh, dohUrl, autoconfig, autoconfigTemplates, peers, account, record, shareSigningKey, workerVars(), addNamespace(opts), stop()}`.
 *
 * `kind` and `detached` go into the run record (`detached`: the lab outlives this process, as
 * with `lab.mjs up`). Refuses to start while another live lab holds the addresses. If anything
 * fails halfway, what was started is stopped before the error is thrown.
 */
export async function startMailLab({ kind = 'test', detached = false, log = () => {} } = {}) {
  const { done, live } = await cleanStale();
  for (const line of done) log(line);
  const busy = live.find((r) => r.namespaces.some((n) => n.role === MAIL_NET.role));
  if (busy) {
    throw new Error(
      `a lab is already running (run ${busy.runId}, ${busy.kind}, owner pid ${busy.ownerPid ?? 'none'}, `
      + `namespace ${busy.namespaces.map((n) => n.name).join(', ')}); stop it with: node lab/lab.mjs down`,
    );
  }

  const runId = newRunId();
  const tmpDir = `${TMP_PREFIX}${runId}`;
  mkdirSync(tmpDir, { recursive: true });
  chmodSync(tmpDir, 0o755);
  const record = ownRecord(runId, { kind, detached, tmpDir, postfixConfigDirs: [] });
  if (detached) {
    record.ownerPid = null;
    record.ownerStart = null;
  }
  // Written before anything is created, naming what will be, so a crash at any point is
  // cleaned up by the next run.
  record.namespaces.push({ name: namespaceName(runId, MAIL_NET.role), hostIf: hostLinkName(runId, MAIL_NET.role), role: MAIL_NET.role });
  record.postfixConfigDirs.push(join(tmpDir, 'postfix', 'etc'));
  const save = () => recordRun(record);
  save();

  const lab = {
    runId,
    tmpDir,
    record,
    host: MAIL_SERVER_ADDRESS,
    hostname: MAIL_SERVER_NAME,
    peers: PEERS,
    account: TEST_ACCOUNT,
    ports: [],
    namespaces: [],
    stop: () => stopMailLab(lab),
    /** This run's share-link signing seed (SHARE_SIGNING_KEY, base64url), never a deployed key. */
    shareSigningKey: randomBytes(32).toString('base64url'),
    /** The worker settings (`--var`s) that let it probe this lab as it would a real server. */
    workerVars: () => workerVars(readFileSync(lab.ca.certPath, 'utf8'), lab.dohUrl, lab.autoconfigTemplates, lab.shareSigningKey),
    /** Adds another namespace to this run (e.g. `{role: 'isp', hostAddress, nsAddress}`). */
    addNamespace: async (opts) => {
      record.namespaces.push({ name: namespaceName(runId, opts.role), hostIf: hostLinkName(runId, opts.role), role: opts.role });
      save();
      const ns = await createNamespace({ runId, ...opts });
      lab.namespaces.push(ns);
      return ns;
    },
  };
  const outlivesUs = detached;
  try {
    const hosts = Object.fromEntries(Object.values(PEERS).map((p) => [p.address, [p.name]]));
    lab.ns = await createNamespace({ runId, hosts, extraAddresses: EXTRA_ADDRESSES });
    lab.namespaces.push(lab.ns);
    await applyNftables(lab.ns, firewallRuleset());

    lab.ca = await createCa(join(tmpDir, 'tls'));
    // One at a time: `openssl ca` keeps its serial and index in files.
    lab.cert = await issueCertificate(lab.ca);
    lab.certs = { mail: lab.cert };
    lab.certs.expired = await issueCertificate(lab.ca, {
      stem: 'expired', commonName: PEERS.expired.name, ipAddresses: [PEERS.expired.address], ...expiredValidity(),
    });
    lab.certs.wrongName = await issueCertificate(lab.ca, {
      stem: 'wrongname', commonName: PEERS.wrongName.certificateName, ipAddresses: [],
    });
    lab.certs.loginOnly = await issueCertificate(lab.ca, {
      stem: 'loginonly', commonName: PEERS.loginOnly.name, ipAddresses: [PEERS.loginOnly.address],
    });

    lab.postfix = await startPostfix({
      ns: lab.ns,
      dir: join(tmpDir, 'postfix'),
      cert: lab.cert,
      services: postfixServices(lab.certs),
      // Dovecot answers on private/auth before the first smtpd asks it.
      beforeStart: async ({ privateDir }) => {
        lab.dovecot = await startDovecot({
          ns: lab.ns,
          dir: join(tmpDir, 'dovecot'),
          runId,
          socketPath: join(privateDir, 'auth'),
          users: [TEST_ACCOUNT],
          outlivesUs,
        });
        record.dovecotPid = lab.dovecot.pid;
        save();
      },
    });
    lab.ports = lab.postfix.ports;
    record.postfixMasterPid = lab.postfix.masterPid();

    lab.hostile = await startHostileInNamespace({
      ns: lab.ns, listeners: HOSTILE_LISTENERS, runId, logFile: join(tmpDir, 'hostile.log'), outlivesUs,
    });
    lab.doh = await spawnDohStub({
      names: LAB_NAMES, records: DNS_RECORDS, port: await freePort(), runId, logFile: join(tmpDir, 'doh.log'), outlivesUs,
    });
    lab.dohUrl = lab.doh.url;
    lab.autoconfig = await spawnAutoconfigServer({
      port: await freePort(), runId, logFile: join(tmpDir, 'autoconfig.log'), outlivesUs,
    });
    lab.autoconfigTemplates = lab.autoconfig.templates;
    record.caCertPath = lab.ca.certPath;
    record.dohUrl = lab.dohUrl;
    record.autoconfigTemplates = lab.autoconfigTemplates;
    record.helperPids = { hostile: lab.hostile.pid, doh: lab.doh.pid, autoconfig: lab.autoconfig.pid };
    save();
  } catch (e) {
    await lab.stop().catch(() => {});
    throw e;
  }
  return lab;
}

/**
 * Worker settings for probing the lab (see the README's configuration table): its network
 * allowed, port 25 probed (local workerd can), the lab CA as the only trust anchor, so the
 * lab's certificates verify like public ones, names resolved by the lab's DoH stub, and
 * autoconfig fetched from the lab's server.
 * `caPem`: the lab CA certificate; `dohUrl`: the stub's URL; `autoconfigTemplates`: the
 * autoconfig server's URL templates; `shareSigningKey`: the run's share-link signing seed.
 */
export function workerVars(caPem, dohUrl, autoconfigTemplates, shareSigningKey) {
  return {
    ALLOW_NETWORKS: MAIL_NET.network,
    ALLOW_PORT_25: 'true',
    DEPLOYMENT: 'local',
    ...LAB_LIMITS,
    TEST_TRUST_ANCHORS: caPem,
    ...(dohUrl ? { DOH_URL: dohUrl } : {}),
    ...(autoconfigTemplates ? { AUTOCONFIG_URL_TEMPLATES: autoconfigTemplates } : {}),
    ...(shareSigningKey ? { SHARE_SIGNING_KEY: shareSigningKey } : {}),
  };
}

/** Stops what startMailLab started, in reverse order; reports every failure, not just the first. */
async function stopMailLab(lab) {
  const errors = [];
  const attempt = async (fn) => {
    try {
      await fn();
    } catch (e) {
      errors.push(e.message);
    }
  };
  if (lab.autoconfig) await attempt(() => lab.autoconfig.stop());
  if (lab.doh) await attempt(() => lab.doh.stop());
  if (lab.hostile) await attempt(() => lab.hostile.stop());
  if (lab.postfix) await attempt(() => lab.postfix.stop());
  if (lab.dovecot) await attempt(() => lab.dovecot.stop());
  for (const ns of [...lab.namespaces].reverse()) await attempt(() => ns.stop());
  // A namespace created halfway (not in lab.namespaces) is still in the record: the registry's
  // teardown covers it and anything else the record names (marked wrangler, Chromium).
  errors.push(...(await teardownRun(lab.record)));
  rmSync(lab.tmpDir, { recursive: true, force: true });
  forgetRun(lab.runId);
  if (errors.length) throw new Error(`lab ${lab.runId} stopped with errors:\n${errors.join('\n')}`);
}

