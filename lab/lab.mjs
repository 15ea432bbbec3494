#!/usr/bin/env node
// The lab for a developer: `node lab/lab.mjs up [--foreground] [--json]`, `down`, `status`.
//
//   up             starts namespace + certificates + Postfix and returns; they keep running
//                  until `down` (state: /run/sendcheck-lab/runs/<run>.json)
//   up --foreground  the same, but stays until SIGINT/SIGTERM and then cleans up
//   down           stops whatever lab is up (and any leftovers of crashed runs)
//   status         says what is up
//   ca-path        prints the path of the lab's CA certificate (for the worker's
//                  TEST_TRUST_ANCHORS: --var "TEST_TRUST_ANCHORS:$(cat "$(node lab/lab.mjs ca-path)")")
//   doh-url        prints the URL of the lab's DNS-over-HTTPS stub (for the worker's DOH_URL:
//                  --var "DOH_URL:$(node lab/lab.mjs doh-url)"), which resolves *.sendcheck.test
//   autoconfig-url-templates  the lab's autoconfig server, for the worker's AUTOCONFIG_URL_TEMPLATES
//
// Must run as root (namespaces, veth, Postfix).

import { isAlive } from './processes.mjs';
import { cleanStale, readRuns, runFile, teardownRun, isLive } from './registry.mjs';
import { startMailLab, MAIL_SERVER_ADDRESS, MAIL_SERVER_NAME } from './index.mjs';
import { PEERS, TEST_ACCOUNT } from './peers.mjs';
import { startRefusals } from './refusals.mjs';
import { sleep } from './command.mjs';

const USAGE = 'usage: node lab/lab.mjs up [--foreground] [--json] | down | status | ca-path | doh-url | autoconfig-url-templates';

async function main(argv) {
  const [command, ...flags] = argv;
  if (process.getuid?.() !== 0) throw new Error('the lab needs root (network namespaces, Postfix)');
  switch (command) {
    case 'up':
      return up({ foreground: flags.includes('--foreground'), json: flags.includes('--json') });
    case 'down':
      return down();
    case 'status':
      return status();
    case 'ca-path':
      return printField('caCertPath');
    case 'doh-url':
      return printField('dohUrl');
    case 'autoconfig-url-templates':
      return printField('autoconfigTemplates');
    default:
      console.error(USAGE);
      return 2;
  }
}

async function up({ foreground, json }) {
  const { done, live } = await cleanStale();
  for (const line of done) console.error(`lab: ${line}`);
  const existing = live.find((r) => r.kind === 'lab-cli');
  if (existing) {
    report(existing, { json, already: true });
    return 0;
  }
  const lab = await startMailLab({ kind: 'lab-cli', detached: !foreground, log: (l) => console.error(`lab: ${l}`) });
  // The refusing servers too (198.51.100.32–.39), so each class can be tried in the page.
  await startRefusals(lab, { outlivesUs: !foreground }).catch(async (e) => {
    await lab.stop().catch(() => {});
    throw e;
  });
  report(lab.record, { json, already: false });
  if (!foreground) return 0;

  console.error('lab: running in the foreground; Ctrl-C stops it');
  await new Promise((resolve) => {
    const keepAlive = setInterval(() => {}, 1 << 30); // signal handlers alone let Node exit
    const stop = () => {
      clearInterval(keepAlive);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.once('SIGHUP', stop);
  });
  console.error('lab: stopping');
  await lab.stop();
  console.error('lab: stopped');
  return 0;
}

async function down() {
  const runs = readRuns().filter((r) => r.kind === 'lab-cli');
  for (const record of runs) {
    if (!record.detached && isAlive(record.ownerPid) && (await isLive(record))) {
      // A foreground lab: ask its owner to stop, so it cleans up and exits itself.
      process.kill(record.ownerPid, 'SIGTERM');
      const deadline = Date.now() + 20_000;
      while (isAlive(record.ownerPid) && Date.now() < deadline) await sleep(100);
    }
    const errors = await teardownRun(record);
    console.log(`lab ${record.runId} down${errors.length ? ` (with errors: ${errors.join('; ')})` : ''}`);
  }
  const { done } = await cleanStale();
  for (const line of done) console.log(`lab: ${line}`);
  if (runs.length === 0 && done.length === 0) console.log('lab: nothing was up');
  return 0;
}

async function status() {
  const { done, live } = await cleanStale();
  for (const line of done) console.error(`lab: ${line}`);
  if (live.length === 0) {
    console.log('lab: nothing is up');
    return 1;
  }
  for (const record of live) report(record, { json: false, already: true });
  return 0;
}

async function printField(field) {
  const { live } = await cleanStale();
  const lab = live.find((r) => r[field]);
  if (!lab) {
    console.error('lab: nothing is up (node lab/lab.mjs up)');
    return 1;
  }
  console.log(lab[field]);
  return 0;
}

function report(record, { json, already }) {
  if (json) {
    console.log(JSON.stringify({ ...record, stateFile: runFile(record.runId), host: MAIL_SERVER_ADDRESS }, null, 2));
    return;
  }
  const ns = record.namespaces.map((n) => n.name).join(', ');
  console.log(`${already ? 'lab already up' : 'lab up'}: run ${record.runId} (${record.kind})
  mail server   ${MAIL_SERVER_ADDRESS} (${MAIL_SERVER_NAME}), Postfix, login ${TEST_ACCOUNT.username} / ${TEST_ACCOUNT.password}
  in the page   host ${MAIL_SERVER_ADDRESS}, port 587 with STARTTLS, or port 25 (465: SSL/TLS)
  more servers  ${Object.values(PEERS).filter((p) => p.address !== MAIL_SERVER_ADDRESS).map((p) => `${p.address} ${p.name.split('.')[0]}`).join(', ')}
  names         ${record.dohUrl ?? '?'}     (worker: --var "DOH_URL:THAT"; *.sendcheck.test)
  namespace     ${ns}     (ip netns exec ${record.namespaces[0]?.name ?? '?'} ...)
  temp dir      ${record.tmpDir}     (Postfix log: ${record.tmpDir}/postfix/maillog)
  postfix pid   ${record.postfixMasterPid ?? '?'}
  test CA       ${record.caCertPath ?? '?'}     (worker: --var "TEST_TRUST_ANCHORS:$(cat THAT)")
  state file    ${runFile(record.runId)}
  stop with     node lab/lab.mjs down`);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => {
    console.error(`lab: ${e.message}`);
    process.exitCode = 1;
  },
);
