// The sendcheck test lab: a mail server in a network namespace, reachable from this host at
// 198.51.100.25, with a throwaway CA and certificate. Used by tests/e2e and by `./dev serve`
// (through lab.mjs).
//
//   startMailLab()
//     ├─ cleanStale()              leftovers of crashed runs (registry.mjs)
//     ├─ createNamespace()         sc-mail-<run>, veth 198.51.100.1 ⇄ 198.51.100.25 (netns.mjs)
//     ├─ createCa/issueCertificate mail.sendcheck.test + IP SAN (tls.mjs)
//     └─ startPostfix()            25, 587 (STARTTLS), 465 (TLS) (postfix.mjs)

import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import {
  createNamespace, hostLinkName, MAIL_NET, MAIL_SERVER_ADDRESS, MAIL_SERVER_NAME, namespaceName,
} from './netns.mjs';
import { startPostfix } from './postfix.mjs';
import {
  cleanStale, forgetRun, newRunId, ownRecord, recordRun, teardownRun, TMP_PREFIX,
} from './registry.mjs';
import { createCa, issueCertificate } from './tls.mjs';

export { MAIL_NET, MAIL_SERVER_ADDRESS, MAIL_SERVER_NAME } from './netns.mjs';
export { BANNER_TEXT } from './postfix.mjs';

/**
 * Starts the lab and returns it:
 * `{runId, tmpDir, host, hostname, ports, ns, ca, cert, postfix, record, workerVars(), addNamespace(opts), stop()}`.
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
    ports: [],
    namespaces: [],
    stop: () => stopMailLab(lab),
    /** The worker settings (`--var`s) that let it probe this lab as it would a real server. */
    workerVars: () => workerVars(readFileSync(lab.ca.certPath, 'utf8')),
    /** Adds another namespace to this run (e.g. `{role: 'isp', hostAddress, nsAddress}`). */
    addNamespace: async (opts) => {
      record.namespaces.push({ name: namespaceName(runId, opts.role), hostIf: hostLinkName(runId, opts.role), role: opts.role });
      save();
      const ns = await createNamespace({ runId, ...opts });
      lab.namespaces.push(ns);
      return ns;
    },
  };
  try {
    lab.ns = await createNamespace({ runId, hosts: { [MAIL_SERVER_ADDRESS]: [MAIL_SERVER_NAME] } });
    lab.namespaces.push(lab.ns);
    lab.ca = await createCa(join(tmpDir, 'tls'));
    lab.cert = await issueCertificate(lab.ca);
    lab.postfix = await startPostfix({ ns: lab.ns, dir: join(tmpDir, 'postfix'), cert: lab.cert });
    lab.ports = lab.postfix.ports;
    record.postfixMasterPid = lab.postfix.masterPid();
    record.caCertPath = lab.ca.certPath;
    save();
  } catch (e) {
    await lab.stop().catch(() => {});
    throw e;
  }
  return lab;
}

/**
 * Worker settings for probing the lab (see the README's configuration table): its network
 * allowed, port 25 probed (local workerd can), and the lab CA as the only trust anchor, so
 * the lab's certificate verifies like a public one. `caPem`: the lab CA certificate.
 */
export function workerVars(caPem) {
  return {
    ALLOW_NETWORKS: MAIL_NET.network,
    ALLOW_PORT_25: 'true',
    DEPLOYMENT: 'local',
    TEST_TRUST_ANCHORS: caPem,
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
  if (lab.postfix) await attempt(() => lab.postfix.stop());
  for (const ns of [...lab.namespaces].reverse()) await attempt(() => ns.stop());
  // A namespace created halfway (not in lab.namespaces) is still in the record: the registry's
  // teardown covers it and anything else the record names (marked wrangler, Chromium).
  errors.push(...(await teardownRun(lab.record)));
  rmSync(lab.tmpDir, { recursive: true, force: true });
  forgetRun(lab.runId);
  if (errors.length) throw new Error(`lab ${lab.runId} stopped with errors:\n${errors.join('\n')}`);
}

