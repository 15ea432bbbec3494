#!/usr/bin/env node
// A test double for the faults a real mail server cannot be configured to show. Everything a
// real server can do (refuse a login, lack STARTTLS, present a bad certificate, greet in plain
// text on a TLS port) is done by the lab's real Postfix instead.
//
//   silent     accepts and never says anything           → greeting_timeout
//   busy       greets with 421 4.3.2 and closes           → greeting_rejected
//   endless    greets, then answers EHLO with a
//              multi-line reply that never ends           → reply_too_long
//   plaintext  a plain SMTP greeting on a TLS-probed port → plaintext_instead_of_tls
//   reset      greets, then answers EHLO by resetting
//              the connection (RST), as some middleboxes do → connection_reset
//   close      accepts, then closes it (FIN) at once      → closed_before_greeting
//
// Run by the lab inside its namespace:
//   node lab/hostile.mjs '{"listeners":[{"address":"198.51.100.30","port":25,"behaviour":"silent"}]}' [--exit-with-stdin]
// It reads nothing but the client's lines, answers nothing it was not designed to, and every
// connection is bounded (MAX_CONNECTION_MS, MAX_ENDLESS_BYTES).

import { connect as netConnect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

import { waitFor } from './command.mjs';
import { serveUntilStopped, spawnDaemon } from './daemon.mjs';

export const BEHAVIOURS = Object.freeze(['silent', 'busy', 'endless', 'plaintext', 'reset', 'close']);
export const BUSY_GREETING = '421 4.3.2 hostile.sendcheck.test too busy, try again later';
const GREETING = '220 hostile.sendcheck.test ESMTP (sendcheck lab test double)';
/** No connection lives longer than this, whatever the client does. */
const MAX_CONNECTION_MS = 60_000;
/** The endless reply stops here even if the client keeps reading (16 × the engine's bound). */
const MAX_ENDLESS_BYTES = 256 * 1024;

/**
 * Listens on every `{address, port, behaviour}`; resolves `{close()}` once all listen.
 * `log(line)` hears each connection.
 */
export async function startHostile(listeners, { log = () => {} } = {}) {
  for (const { behaviour } of listeners) {
    if (!BEHAVIOURS.includes(behaviour)) throw new Error(`unknown behaviour ${behaviour}`);
  }
  const servers = [];
  const sockets = new Set();
  try {
    for (const { address, port, behaviour } of listeners) {
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {});
        socket.setTimeout(MAX_CONNECTION_MS, () => socket.destroy());
        log(`${address}:${port} ${behaviour} from ${socket.remoteAddress}:${socket.remotePort}`);
        serve(socket, behaviour);
      });
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: address, port }, resolve);
      });
      servers.push(server);
    }
  } catch (e) {
    for (const server of servers) server.close();
    throw e;
  }
  return {
    close: () => {
      for (const socket of sockets) socket.destroy();
      return Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

function serve(socket, behaviour) {
  switch (behaviour) {
    case 'silent':
      // Reads (and ignores) whatever comes, answers nothing; the client gives up.
      socket.resume();
      return;
    case 'busy':
      socket.end(`${BUSY_GREETING}\r\n`);
      return;
    case 'plaintext':
      // What a STARTTLS port does when a client starts with a TLS ClientHello: greet in plain
      // text, then refuse the "command" (the ClientHello's bytes).
      socket.write(`${GREETING}\r\n`);
      socket.once('data', () => socket.end('500 5.5.2 Error: command not recognized\r\n'));
      return;
    case 'reset':
      socket.write(`${GREETING}\r\n`);
      onFirstLine(socket, () => socket.resetAndDestroy());
      return;
    case 'close':
      socket.end();
      return;
    case 'endless':
      socket.write(`${GREETING}\r\n`);
      onFirstLine(socket, () => endless(socket));
      return;
    default:
      socket.destroy();
  }
}

/** Calls `then` once a whole line (the client's EHLO) has arrived. */
function onFirstLine(socket, then) {
  let got = '';
  const onData = (chunk) => {
    got += chunk.toString('latin1');
    if (got.includes('\n')) {
      socket.off('data', onData);
      socket.resume();
      then();
    } else if (got.length > 4096) {
      socket.destroy();
    }
  };
  socket.on('data', onData);
}

/** `250-` lines, never the final `250 `: written as fast as the client reads, up to a bound. */
function endless(socket) {
  let sent = 0;
  let n = 0;
  const more = () => {
    while (!socket.destroyed && sent < MAX_ENDLESS_BYTES) {
      const line = `250-hostile.sendcheck.test capability line ${n++} of a reply that never ends\r\n`;
      sent += line.length;
      if (!socket.write(line)) {
        socket.once('drain', more);
        return;
      }
    }
    socket.destroy();
  };
  more();
}

async function main(argv) {
  const [configJson, ...flags] = argv;
  const { listeners } = JSON.parse(configJson ?? '{}');
  if (!Array.isArray(listeners) || listeners.length === 0) {
    throw new Error('usage: node lab/hostile.mjs \'{"listeners":[{"address","port","behaviour"}]}\' [--exit-with-stdin]');
  }
  const server = await startHostile(listeners, { log: (l) => console.log(`${new Date().toISOString()} ${l}`) });
  console.log(`${new Date().toISOString()} listening: ${listeners.map((l) => `${l.address}:${l.port}=${l.behaviour}`).join(' ')}`);
  serveUntilStopped(server, flags);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`hostile: ${e.message}`);
    process.exit(1);
  });
}

/**
 * Starts this script inside `ns` (from netns.mjs) serving `listeners` (`{address: {port:
 * behaviour}}`, see peers.mjs HOSTILE_LISTENERS), and waits (bounded) until every listener
 * accepts connections from the host. Returns spawnDaemon's handle (`stop()`, `logTail()`).
 */
export async function startHostileInNamespace({ ns, listeners, runId, logFile, outlivesUs = false, readyTimeoutMs = 10_000 }) {
  const list = Object.entries(listeners).flatMap(([address, ports]) => Object.entries(ports)
    .map(([port, behaviour]) => ({ address, port: Number(port), behaviour })));
  const daemon = spawnDaemon('ip', [
    'netns', 'exec', ns.name, process.execPath, fileURLToPath(import.meta.url), JSON.stringify({ listeners: list }),
  ], { runId, logFile, outlivesUs });
  try {
    await Promise.all(list.map(({ address, port }) => waitFor(
      async () => {
        const exit = daemon.exited();
        if (exit) throw new Error(`hostile.mjs exited (${JSON.stringify(exit)})`);
        return accepts(address, port);
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 100, what: `hostile.mjs on ${address}:${port}` },
    )));
  } catch (e) {
    await daemon.stop().catch(() => {});
    e.message += `\n--- ${logFile} ---\n${daemon.logTail()}`;
    throw e;
  }
  return daemon;
}

/** True when a TCP connection to address:port opens (it is closed again at once). */
function accepts(address, port) {
  return new Promise((resolve) => {
    const socket = netConnect({ host: address, port });
    const done = (ok) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1_000);
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}
