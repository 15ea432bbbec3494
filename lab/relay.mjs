// A delaying TCP relay: distance for the lab. This kernel has no netem (`tc qdisc … netem` is
// unknown here, TOOLCHAIN.md), so a round trip of RTT ms is made in user space instead: every
// chunk read from one side is written to the other RTT/2 ms after it arrived, in order, in
// both directions. Each side's socket has Nagle off, so a chunk leaves as soon as it is due
// and what the client wrote separately reaches the server separately.
//
//   client (worker, CLI) ──▶ relay (listens on `listen`) ──RTT/2──▶ target (lab Postfix)
//                        ◀──RTT/2──                      ◀──
//
//   const relay = await startRelay({ listen: { host, port }, target: { host, port }, rttMs: 50 });
//   relay.address, relay.connections, await relay.stop()
//
// Only for addresses the lab made (its namespaces' links); nothing here resolves a name.

import { createServer, connect } from 'node:net';

/**
 * Starts one relay. `rttMs` is the round trip it adds (half each way). Resolves when it
 * listens; `stop()` closes the listener and every connection it carries.
 */
export function startRelay({ listen, target, rttMs }) {
  if (!Number.isFinite(rttMs) || rttMs < 0) throw new Error(`bad rttMs ${rttMs}`);
  const oneWay = rttMs / 2;
  const sockets = new Set();
  let connections = 0;
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (client) => {
    connections += 1;
    const upstream = connect({ host: target.host, port: target.port, noDelay: true, allowHalfOpen: true });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    pipeDelayed(client, upstream, oneWay);
    pipeDelayed(upstream, client, oneWay);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: listen.host, port: listen.port }, () => {
      server.off('error', reject);
      resolve({
        address: `${listen.host}:${server.address().port}`,
        port: server.address().port,
        get connections() {
          return connections;
        },
        stop: () => new Promise((done) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}

/**
 * Writes what `from` reads to `to`, each chunk `delayMs` after it arrived. The same delay for
 * every chunk keeps their order (timers of equal delay fire in the order they were set). An
 * end is passed on after the same delay; a reset as a reset.
 */
function pipeDelayed(from, to, delayMs) {
  from.on('data', (chunk) => {
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, delayMs);
  });
  from.on('end', () => {
    setTimeout(() => {
      if (!to.destroyed) to.end();
    }, delayMs);
  });
  from.on('error', () => {
    setTimeout(() => {
      if (!to.destroyed) to.resetAndDestroy();
    }, delayMs);
  });
}
