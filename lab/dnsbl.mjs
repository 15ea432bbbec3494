#!/usr/bin/env node
// A DNS blocklist (DNSBL) for the lab: a tiny authoritative UDP DNS server, run inside the mail
// namespace on 127.0.0.1:53, where the namespace's resolv.conf already points. Postfix
// (postscreen's dnsblog, smtpd's reject_rbl_client) asks it as it would ask Spamhaus or
// SpamCop: the client address reversed under the list's zone (RFC 5782 §2.1).
//
//   1.100.51.198.dnsbl.sendcheck.test  A   → 127.0.0.2          (listed, RFC 5782 §2.3)
//   1.100.51.198.dnsbl.sendcheck.test  TXT → "Listed by ..."     (the reason Postfix quotes)
//   2.0.0.127.dnsbl.sendcheck.test     A   → 127.0.0.2          (the test entry, RFC 5782 §5)
//   anything else                          → NXDOMAIN            (not listed)
//
// Run by the lab: node lab/dnsbl.mjs '{"zone":"…","listed":["198.51.100.1"],"port":53}' [--exit-with-stdin]
// It answers only what it parses (one question, bounded), never recurses, never asks anyone.

import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';

import { waitFor } from './command.mjs';
import { serveUntilStopped, spawnDaemon } from './daemon.mjs';

const TYPE_A = 1;
const TYPE_TXT = 16;
const CLASS_IN = 1;
const RCODE_NXDOMAIN = 3;
const RCODE_FORMERR = 1;
/** RFC 5782 §2.3: a listing answers 127.0.0.2 (and §5: 127.0.0.2 itself is always listed). */
export const LISTED_ANSWER = '127.0.0.2';

/** The reason the list gives for a listed address (its TXT record), as public lists word it. */
export function listingReason(zone, address) {
  return `Listed by the sendcheck lab DNSBL; see http://${zone}/lookup?ip=${address}`;
}

/**
 * Serves `zone` on UDP `host:port`, listing `listed` (IPv4 addresses) and 127.0.0.2.
 * Resolves `{port, queries, close()}`; `queries` lists every `{name, type}` asked.
 */
export async function startDnsbl({ zone, listed, host = '127.0.0.1', port = 53, log = () => {} }) {
  const suffix = `.${zone.toLowerCase()}`;
  const entries = new Map([...listed, '127.0.0.2'].map((a) => [a.split('.').reverse().join('.') + suffix, a]));
  const queries = [];
  const socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    const question = parseQuestion(msg);
    if (!question) {
      if (msg.length >= 12) socket.send(header(msg, RCODE_FORMERR, 0, 0), rinfo.port, rinfo.address);
      return;
    }
    const name = question.name.toLowerCase();
    queries.push({ name, type: question.type });
    const address = entries.get(name);
    let answers = [];
    if (address && question.qclass === CLASS_IN && question.type === TYPE_A) {
      answers = [resourceRecord(TYPE_A, Buffer.from(LISTED_ANSWER.split('.').map(Number)))];
    } else if (address && question.qclass === CLASS_IN && question.type === TYPE_TXT) {
      answers = [resourceRecord(TYPE_TXT, txtData(listingReason(zone, address)))];
    }
    // A listed name exists (an empty answer for other types); any other name does not.
    const rcode = address ? 0 : RCODE_NXDOMAIN;
    log(`${rinfo.address} ${name} ${question.type} → ${address ? (answers.length ? 'listed' : 'no data') : 'NXDOMAIN'}`);
    const reply = Buffer.concat([header(msg, rcode, 1, answers.length), question.raw, ...answers]);
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: host, port }, resolve);
  });
  return {
    port: socket.address().port,
    queries,
    close: () => new Promise((resolve) => socket.close(resolve)),
  };
}

/** The one question of a query: `{name, type, qclass, raw}` (raw: its wire bytes), or null. */
function parseQuestion(msg) {
  if (msg.length < 12 || msg.length > 512) return null;
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000) return null; // a response, not a query
  if (msg.readUInt16BE(4) !== 1) return null;
  const labels = [];
  let at = 12;
  for (;;) {
    if (at >= msg.length) return null;
    const len = msg[at];
    if (len === 0) break;
    if (len > 63 || at + 1 + len > msg.length) return null; // no compression in a question
    labels.push(msg.toString('latin1', at + 1, at + 1 + len));
    at += 1 + len;
  }
  at += 1;
  if (at + 4 > msg.length) return null;
  return {
    name: labels.join('.'),
    type: msg.readUInt16BE(at),
    qclass: msg.readUInt16BE(at + 2),
    raw: msg.subarray(12, at + 4),
  };
}

/** A response header for query `msg`: same id, opcode and RD; authoritative, recursion available. */
function header(msg, rcode, questions, answers) {
  const out = Buffer.alloc(12);
  out.writeUInt16BE(msg.readUInt16BE(0), 0);
  const opcodeAndRd = msg.readUInt16BE(2) & 0x7900;
  out.writeUInt16BE(0x8000 | opcodeAndRd | 0x0400 | 0x0080 | rcode, 2);
  out.writeUInt16BE(questions, 4);
  out.writeUInt16BE(answers, 6);
  return out;
}

/** An answer for the question's name (a pointer to offset 12), class IN, TTL 60 s. */
function resourceRecord(type, data) {
  const rr = Buffer.alloc(12);
  rr.writeUInt16BE(0xc00c, 0);
  rr.writeUInt16BE(type, 2);
  rr.writeUInt16BE(CLASS_IN, 4);
  rr.writeUInt32BE(60, 6);
  rr.writeUInt16BE(data.length, 10);
  return Buffer.concat([rr, data]);
}

/** TXT RDATA: the text as character-strings of at most 255 bytes each. */
function txtData(text) {
  const bytes = Buffer.from(text, 'utf8');
  const parts = [];
  for (let i = 0; i < bytes.length; i += 255) {
    const chunk = bytes.subarray(i, i + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
  }
  return Buffer.concat(parts);
}

async function main(argv) {
  const [configJson, ...flags] = argv;
  const config = JSON.parse(configJson ?? '{}');
  if (!config.zone || !Array.isArray(config.listed)) {
    throw new Error('usage: node lab/dnsbl.mjs \'{"zone":"…","listed":["198.51.100.1"],"port":53}\' [--exit-with-stdin]');
  }
  const stamp = () => new Date().toISOString();
  const server = await startDnsbl({ ...config, log: (l) => console.log(`${stamp()} ${l}`) });
  console.log(`${stamp()} listening on ${config.host ?? '127.0.0.1'}:${server.port} for ${config.zone}: ${config.listed.join(' ')}`);
  serveUntilStopped(server, flags);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`dnsbl: ${e.message}`);
    process.exit(1);
  });
}

/**
 * Starts this script inside `ns` (from netns.mjs) on the namespace's own 127.0.0.1:53, and
 * waits (bounded) until it says it listens. Returns spawnDaemon's handle.
 */
export async function startDnsblInNamespace({ ns, zone, listed, runId, logFile, outlivesUs = false, readyTimeoutMs = 10_000 }) {
  const daemon = spawnDaemon('ip', [
    'netns', 'exec', ns.name, process.execPath, fileURLToPath(import.meta.url), JSON.stringify({ zone, listed }),
  ], { runId, logFile, outlivesUs });
  try {
    await waitFor(
      () => {
        const exit = daemon.exited();
        if (exit) throw new Error(`dnsbl.mjs exited (${JSON.stringify(exit)})`);
        return /listening on /.test(daemon.logTail(5));
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 100, what: `dnsbl.mjs in ${ns.name}` },
    );
  } catch (e) {
    await daemon.stop().catch(() => {});
    e.message += `\n--- ${logFile} ---\n${daemon.logTail()}`;
    throw e;
  }
  return daemon;
}
