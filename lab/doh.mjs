#!/usr/bin/env node
// A DNS-over-HTTPS (JSON) stub for the lab's names, on loopback: the worker's DOH_URL points
// here in tests, so a probe by name resolves through the same code path as in production,
// to the lab's documentation addresses, and never asks a real resolver.
//
//   GET /dns-query?name=mail.sendcheck.test&type=A
//     → {"Status":0,"Answer":[{"name":"mail.sendcheck.test","type":1,"TTL":60,"data":"198.51.100.25"}]}
//   type=AAAA for a known name → {"Status":0,"Answer":[]}   (the name exists, no IPv6)
//   an unknown name            → {"Status":3}               (NXDOMAIN)
//   with an upstream (`./dev serve`: SENDCHECK_DOH_UPSTREAM, default Cloudflare's public DoH),
//   a name outside sendcheck.test is asked there and its answer passed on, so a real server
//   such as smtp.gmail.com can be checked; lab names never leave this machine. Without one
//   (every test), nothing is ever forwarded.
//   type=MX / SRV (and more A) from the records table, for discovery (peers.mjs DNS_RECORDS):
//     GET /dns-query?name=_submission._tcp.sendcheck.test&type=SRV
//     → {"Status":0,"Answer":[{"name":…,"type":33,"TTL":60,"data":"0 1 587 mail.sendcheck.test."}]}
//
// Run by the lab: node lab/doh.mjs PORT '{"name":"address",…}' ['{"name":{"MX":[…]}}'] [--exit-with-stdin]
//   SENDCHECK_DOH_UPSTREAM=https://… in its environment turns forwarding on.

import { createServer } from 'node:http';
import { isIPv4 } from 'node:net';
import { fileURLToPath } from 'node:url';

import { waitFor } from './command.mjs';
import { serveUntilStopped, spawnDaemon } from './daemon.mjs';
import { LAB_DOMAIN } from './peers.mjs';

export const DOH_PATH = '/dns-query';
const TYPES = { A: 1, AAAA: 28, MX: 15, SRV: 33, 1: 1, 28: 28, 15: 15, 33: 33 };
const TYPE_NAMES = { 1: 'A', 28: 'AAAA', 15: 'MX', 33: 'SRV' };
/** The environment variable that names the upstream resolver (`./dev serve` sets it). */
export const UPSTREAM_VARIABLE = 'SENDCHECK_DOH_UPSTREAM';
/** What `./dev serve` forwards to unless told otherwise: the worker's own default DOH_URL. */
export const DEFAULT_UPSTREAM = 'https://cloudflare-dns.com/dns-query';
/** An upstream slower than this is answered SERVFAIL (the worker's resolve step waits 5 s). */
const UPSTREAM_TIMEOUT_MS = 4_000;

/**
 * Serves `names` (name → IPv4 or IPv6 address) and `records` (name → {A, AAAA, MX, SRV: [data]})
 * on `host:port` (a free port when 0). `upstream`: a DoH JSON URL that answers names outside
 * sendcheck.test (none: they are NXDOMAIN).
 * Resolves `{url, port, queries, close()}`; `queries` lists every `{name, type}` asked
 * (`forwarded: true` for those sent upstream).
 */
export async function startDohStub({ names, records = {}, host = '127.0.0.1', port = 0, upstream, log = () => {} }) {
  const table = new Map(Object.entries(names).map(([n, a]) => [n.toLowerCase(), a]));
  const more = new Map(Object.entries(records).map(([n, r]) => [n.toLowerCase(), r]));
  const queries = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://stub');
    if (req.method !== 'GET' || url.pathname !== DOH_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const name = (url.searchParams.get('name') ?? '').toLowerCase().replace(/\.$/, '');
    const type = TYPES[(url.searchParams.get('type') ?? 'A').toUpperCase()];
    const forwarded = Boolean(upstream) && !isLabName(name);
    queries.push({ name, type, forwarded });
    log(`${name} ${type}${forwarded ? ' → upstream' : ''}`);
    const reply = (body) => {
      res.writeHead(200, { 'content-type': 'application/dns-json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (forwarded) {
      askUpstream(upstream, name, url.searchParams.get('type') ?? 'A').then(reply, (e) => {
        log(`${name} ${type}: upstream failed: ${e.message}`);
        reply({ Status: 2, Question: [{ name, type: type ?? 0 }] });
      });
      return;
    }
    reply(answer(table, more, name, type));
  });
  server.keepAliveTimeout = 1_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, resolve);
  });
  const bound = server.address().port;
  return {
    url: `http://${host}:${bound}${DOH_PATH}`,
    port: bound,
    queries,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/** Names of the lab's own domain are answered here only, known or not. */
function isLabName(name) {
  return name === LAB_DOMAIN || name.endsWith(`.${LAB_DOMAIN}`);
}

/** The upstream's JSON answer for `name`/`type`, passed on as it came (SERVFAIL on failure). */
async function askUpstream(upstream, name, type) {
  const target = new URL(upstream);
  target.searchParams.set('name', name);
  target.searchParams.set('type', type);
  const res = await fetch(target, {
    headers: { accept: 'application/dns-json' },
    signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
  });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  const body = await res.json();
  if (typeof body?.Status !== 'number') throw new Error('not a DoH JSON answer');
  return body;
}

function answer(table, more, name, type) {
  const question = [{ name, type: type ?? 0 }];
  if (!table.has(name) && !more.has(name)) return { Status: 3, Question: question };
  const data = [...(more.get(name)?.[TYPE_NAMES[type]] ?? [])];
  const address = table.get(name);
  if (address && type === (isIPv4(address) ? 1 : 28)) data.push(address);
  return { Status: 0, Question: question, Answer: data.map((d) => ({ name, type, TTL: 60, data: d })) };
}

async function main(argv) {
  const [port, namesJson, ...rest] = argv;
  if (!/^\d+$/.test(port ?? '') || !namesJson) throw new Error("usage: node lab/doh.mjs PORT '{\"name\":\"address\"}' ['{\"name\":{\"MX\":[…]}}'] [--exit-with-stdin]");
  const recordsJson = rest[0]?.startsWith('{') ? rest.shift() : '{}';
  const flags = rest;
  const stub = await startDohStub({
    names: JSON.parse(namesJson),
    records: JSON.parse(recordsJson),
    port: Number(port),
    upstream: process.env[UPSTREAM_VARIABLE] || undefined,
    log: (l) => console.log(`${new Date().toISOString()} ${l}`),
  });
  const forwarding = process.env[UPSTREAM_VARIABLE] ? `, other names from ${process.env[UPSTREAM_VARIABLE]}` : '';
  console.log(`${new Date().toISOString()} serving ${stub.url}${forwarding}`);
  serveUntilStopped(stub, flags);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`doh: ${e.message}`);
    process.exit(1);
  });
}

/**
 * Starts this script as a lab helper on 127.0.0.1:`port` serving `names` and `records`, and waits (bounded)
 * until it answers. Returns spawnDaemon's handle plus `url`.
 */
export async function spawnDohStub({ names, records = {}, port, runId, logFile, outlivesUs = false, readyTimeoutMs = 10_000, upstream }) {
  const args = [fileURLToPath(import.meta.url), String(port), JSON.stringify(names), JSON.stringify(records)];
  // Without `upstream`, the stub forwards only if this process was started with the variable
  // (`./dev serve`); a test never sets it.
  const env = upstream ? { [UPSTREAM_VARIABLE]: upstream } : {};
  const daemon = spawnDaemon(process.execPath, args, {
    runId, logFile, outlivesUs, env,
  });
  const url = `http://127.0.0.1:${port}${DOH_PATH}`;
  const [someName] = Object.keys(names);
  try {
    await waitFor(
      async () => {
        const exit = daemon.exited();
        if (exit) throw new Error(`doh.mjs exited (${JSON.stringify(exit)})`);
        const res = await fetch(`${url}?name=${someName}&type=A`, { signal: AbortSignal.timeout(1_000) });
        const body = await res.json();
        return body.Status === 0 && body.Answer?.[0]?.data === names[someName];
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 100, what: `DoH stub on ${url}` },
    );
  } catch (e) {
    await daemon.stop().catch(() => {});
    e.message += `\n--- ${logFile} ---\n${daemon.logTail()}`;
    throw e;
  }
  return { ...daemon, url, port };
}
