#!/usr/bin/env node
// A DNS-over-HTTPS (JSON) stub for the lab's names, on loopback: the worker's DOH_URL points
// here in tests, so a probe by name resolves through the same code path as in production,
// to the lab's documentation addresses, and never asks a real resolver.
//
//   GET /dns-query?name=mail.sendcheck.test&type=A
//     → {"Status":0,"Answer":[{"name":"mail.sendcheck.test","type":1,"TTL":60,"data":"198.51.100.25"}]}
//   type=AAAA for a known name → {"Status":0,"Answer":[]}   (the name exists, no IPv6)
//   an unknown name            → {"Status":3}               (NXDOMAIN)
//
// Run by the lab: node lab/doh.mjs PORT '{"name":"address",…}' [--exit-with-stdin]

import { createServer } from 'node:http';
import { isIPv4 } from 'node:net';
import { fileURLToPath } from 'node:url';

import { waitFor } from './command.mjs';
import { serveUntilStopped, spawnDaemon } from './daemon.mjs';

export const DOH_PATH = '/dns-query';
const TYPES = { A: 1, AAAA: 28, 1: 1, 28: 28 };

/**
 * Serves `names` (name → IPv4 or IPv6 address) on `host:port` (a free port when 0).
 * Resolves `{url, port, queries, close()}`; `queries` lists every `{name, type}` asked.
 */
export async function startDohStub({ names, host = '127.0.0.1', port = 0, log = () => {} }) {
  const table = new Map(Object.entries(names).map(([n, a]) => [n.toLowerCase(), a]));
  const queries = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://stub');
    if (req.method !== 'GET' || url.pathname !== DOH_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const name = (url.searchParams.get('name') ?? '').toLowerCase().replace(/\.$/, '');
    const type = TYPES[(url.searchParams.get('type') ?? 'A').toUpperCase()];
    queries.push({ name, type });
    log(`${name} ${type}`);
    const body = answer(table, name, type);
    res.writeHead(200, { 'content-type': 'application/dns-json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
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

function answer(table, name, type) {
  const question = [{ name, type: type ?? 0 }];
  if (!table.has(name)) return { Status: 3, Question: question };
  const address = table.get(name);
  const recordType = isIPv4(address) ? 1 : 28;
  if (type !== recordType) return { Status: 0, Question: question, Answer: [] };
  return { Status: 0, Question: question, Answer: [{ name, type: recordType, TTL: 60, data: address }] };
}

async function main(argv) {
  const [port, namesJson, ...flags] = argv;
  if (!/^\d+$/.test(port ?? '') || !namesJson) throw new Error("usage: node lab/doh.mjs PORT '{\"name\":\"address\"}' [--exit-with-stdin]");
  const stub = await startDohStub({
    names: JSON.parse(namesJson),
    port: Number(port),
    log: (l) => console.log(`${new Date().toISOString()} ${l}`),
  });
  console.log(`${new Date().toISOString()} serving ${stub.url}`);
  serveUntilStopped(stub, flags);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`doh: ${e.message}`);
    process.exit(1);
  });
}

/**
 * Starts this script as a lab helper on 127.0.0.1:`port` serving `names`, and waits (bounded)
 * until it answers. Returns spawnDaemon's handle plus `url`.
 */
export async function spawnDohStub({ names, port, runId, logFile, outlivesUs = false, readyTimeoutMs = 10_000 }) {
  const daemon = spawnDaemon(process.execPath, [fileURLToPath(import.meta.url), String(port), JSON.stringify(names)], {
    runId, logFile, outlivesUs,
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
