// The person's side of the Internet: a namespace standing for their home network, whose ISP
// blocks outbound port 25 (Outbound Port 25 Blocking) the way Japanese ISPs do, silently.
// Commands run in it see the lab's mail servers as a person at home sees their provider's:
// by name, across "the Internet" (a veth into the mail namespace), with port 25 dropped.
// For scenario 003 it can also put a TLS interceptor on the way, as security software that
// scans mail does: it answers 465 with its own certificate and relays to the real server.
//
//   namespace sc-mail-<run>                        namespace sc-isp-<run>
//   198.51.100.25–.31 (Postfix, hostile.mjs)       eth0 203.0.113.10/24, default via .1
//   isp0 203.0.113.1/24  ────────── veth ──────────  nftables: output tcp dport 25 drop
//                                                   /etc/netns/sc-isp-<run>/hosts: lab names
//                                                   [intercept: 465 → 127.0.0.1:8465, own CA]
//
// The mail namespace owns 198.51.100.25–.31 itself, so no forwarding is needed anywhere, and
// the host's own routing is never touched. Registered in the lab's run record before it is
// created: a crashed run's leftovers are removed by the next run (registry.mjs).
//
//   const isp = await startIsp(lab);                     // blockPort25 = true
//   const { stdout, stderr, code } = await isp.exec('nc -vz -w 5 mail.sendcheck.test 25');
//   const norton = await isp.intercept({ port: 465, caName: 'Norton Security Scan' });
//   await isp.stop();                                    // also stopped by lab.stop()

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect, createServer as createTlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';

import { run, waitFor } from './command.mjs';
import { serveUntilStopped, spawnDaemon } from './daemon.mjs';
import { applyNftables, namespaceName, removeNamespace } from './netns.mjs';
import { LAB_NAMES, PEERS } from './peers.mjs';
import { RUN_MARKER } from './processes.mjs';
import { recordRun } from './registry.mjs';
import { createCa, issueCertificate } from './tls.mjs';

/** The person's network (TEST-NET-3, RFC 5737): their machine and the ISP's gateway. */
export const ISP_NET = Object.freeze({
  role: 'isp',
  personAddress: '203.0.113.10',
  gatewayAddress: '203.0.113.1',
  /** Source of the interceptor's own connections to the real server (never redirected). */
  interceptorAddress: '203.0.113.11',
  prefixLength: 24,
  /** The veth end inside the mail namespace. */
  gatewayIf: 'isp0',
});

/** The interceptor of port P listens on 127.0.0.1:(this + P) inside the person's namespace. */
export const INTERCEPTOR_PORT_BASE = 8000;

/**
 * Creates the person's namespace for `lab` (from `startMailLab`). `blockPort25`: the ISP drops
 * every outbound TCP connection to port 25 (no RST, no ICMP: the client times out).
 *
 * Returns `{namespace, address, exec(cmd, {timeoutMs}), intercept(opts), stop()}`:
 * `exec` runs `sh -c cmd` inside and resolves `{stdout, stderr, code}` whatever the exit code
 * (rejects only if it cannot run or outlives `timeoutMs`, default 60 s).
 */
export async function startIsp(lab, { blockPort25 = true } = {}) {
  const name = namespaceName(lab.runId, ISP_NET.role);
  // Recorded first, so that a crash from here on is cleaned up by the next run; deleting the
  // namespace deletes its veth pair, the end in the mail namespace included.
  if (!lab.record.namespaces.some((n) => n.name === name)) {
    lab.record.namespaces.push({ name, role: ISP_NET.role });
    recordRun(lab.record);
  }
  const helpers = [];
  let stopping;
  const isp = {
    namespace: name,
    address: ISP_NET.personAddress,
    exec: (cmd, { timeoutMs = 60_000 } = {}) => run('ip', ['netns', 'exec', name, 'sh', '-c', cmd], {
      allowFail: true,
      timeoutMs,
      env: { ...process.env, [RUN_MARKER]: lab.runId },
    }),
    intercept: async (opts) => {
      const interceptor = await startInterceptor(lab, isp, opts);
      helpers.push(interceptor);
      return interceptor;
    },
    stop: () => {
      stopping ??= (async () => {
        for (const helper of helpers.reverse()) await helper.stop().catch(() => {});
        await removeNamespace(name);
      })();
      return stopping;
    },
  };
  try {
    await run('ip', ['netns', 'add', name]);
    writeNetnsEtc(name);
    const inMail = (...args) => run('ip', ['netns', 'exec', lab.ns.name, 'ip', ...args]);
    const inIsp = (...args) => run('ip', ['netns', 'exec', name, 'ip', ...args]);
    await inMail('link', 'add', ISP_NET.gatewayIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name);
    await inMail('addr', 'add', `${ISP_NET.gatewayAddress}/${ISP_NET.prefixLength}`, 'dev', ISP_NET.gatewayIf);
    await inMail('link', 'set', ISP_NET.gatewayIf, 'up');
    await inIsp('link', 'set', 'lo', 'up');
    for (const address of [ISP_NET.personAddress, ISP_NET.interceptorAddress]) {
      await inIsp('addr', 'add', `${address}/${ISP_NET.prefixLength}`, 'dev', 'eth0');
    }
    await inIsp('link', 'set', 'eth0', 'up');
    await inIsp('route', 'add', 'default', 'via', ISP_NET.gatewayAddress);
    if (blockPort25) await applyNftables({ exec: nsExec(name) }, op25bRuleset());
    lab.namespaces.push(isp);
  } catch (e) {
    await isp.stop().catch(() => {});
    throw e;
  }
  return isp;
}

/** The ISP's filter: new outbound connections to port 25 vanish, as with real OP25B. */
export function op25bRuleset() {
  return `table inet sendcheck_isp {
  chain output {
    type filter hook output priority 0; policy accept;
    tcp dport 25 drop
  }
}
`;
}

/**
 * Puts a TLS interceptor between the person and `upstream` (default the lab's mail server)
 * on `port`, an implicit-TLS port (465; STARTTLS would need an SMTP-speaking proxy): a CA named `caName` (like the one security software installs) signs a
 * certificate for the mail server's name, the person's connections to `port` are redirected
 * to it (nftables, inside the person's namespace only), and it relays the decrypted bytes to
 * the real server over its own TLS connection. Returns `{ca, cert, stop()}`.
 */
async function startInterceptor(lab, isp, {
  port = 465,
  upstream = { host: PEERS.mail.address, port },
  caName = 'Norton Security Scan',
} = {}) {
  const dir = join(lab.tmpDir, `interceptor-${port}`);
  mkdirSync(dir, { recursive: true });
  const ca = await createCa(dir, { commonName: caName });
  const cert = await issueCertificate(ca, { stem: 'intercepted' });
  const config = {
    listen: { host: '127.0.0.1', port: INTERCEPTOR_PORT_BASE + port },
    upstream,
    localAddress: ISP_NET.interceptorAddress,
    keyPath: cert.keyPath,
    certPath: cert.certPath,
  };
  const daemon = spawnDaemon('ip', [
    'netns', 'exec', isp.namespace, process.execPath, fileURLToPath(import.meta.url), 'intercept', JSON.stringify(config),
  ], { runId: lab.runId, logFile: join(dir, 'interceptor.log') });
  const table = `sendcheck_intercept_${port}`;
  try {
    await waitFor(async () => {
      const exit = daemon.exited();
      if (exit) throw new Error(`interceptor exited (${JSON.stringify(exit)})`);
      const { code } = await isp.exec(`nc -z -w 1 ${config.listen.host} ${config.listen.port}`, { timeoutMs: 5_000 });
      return code === 0;
    }, { timeoutMs: 10_000, what: `interceptor on ${config.listen.port}` });
    await applyNftables({ exec: nsExec(isp.namespace) }, `table ip ${table} {
  chain output {
    type nat hook output priority -100; policy accept;
    ip saddr != ${ISP_NET.interceptorAddress} ip daddr ${upstream.host} tcp dport ${port} redirect to :${config.listen.port}
  }
}
`);
  } catch (e) {
    await daemon.stop().catch(() => {});
    e.message += `\n${daemon.logTail()}`;
    throw e;
  }
  return {
    ca,
    cert,
    stop: async () => {
      await run('ip', ['netns', 'exec', isp.namespace, 'nft', 'delete', 'table', 'ip', table], { allowFail: true });
      await daemon.stop();
    },
  };
}

/** `ns.exec` as netns.mjs's helpers take it. */
function nsExec(name) {
  return (cmd, args = [], opts) => run('ip', ['netns', 'exec', name, cmd, ...args], opts);
}

/** Names resolve inside as the lab's DoH stub resolves them outside; nothing else does. */
function writeNetnsEtc(name) {
  const dir = `/etc/netns/${name}`;
  mkdirSync(dir, { recursive: true });
  const lines = ['127.0.0.1 localhost', ...Object.entries(LAB_NAMES).map(([host, address]) => `${address} ${host}`)];
  writeFileSync(join(dir, 'hosts'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
}

// The interceptor itself, run inside the person's namespace by startInterceptor:
//   node lab/isp.mjs intercept '{"listen":{host,port},"upstream":{host,port},"localAddress",
//                                "keyPath","certPath"}' [--exit-with-stdin]
// Every connection is bounded in time; it relays bytes and never reads them.
const MAX_CONNECTION_MS = 60_000;

function serveInterceptor(config) {
  const sockets = new Set();
  const track = (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setTimeout(MAX_CONNECTION_MS, () => socket.destroy());
  };
  const server = createTlsServer({ key: readFileSync(config.keyPath), cert: readFileSync(config.certPath) }, (client) => {
    track(client);
    const upstream = tlsConnect({
      host: config.upstream.host,
      port: config.upstream.port,
      localAddress: config.localAddress,
      // The interceptor trusts whatever the server shows, as such products do when scanning.
      rejectUnauthorized: false,
    });
    track(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
  });
  server.on('tlsClientError', () => {});
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen, () => {
      console.log(`${new Date().toISOString()} intercepting on ${config.listen.host}:${config.listen.port} for ${config.upstream.host}:${config.upstream.port}`);
      resolve({
        close: () => {
          for (const socket of sockets) socket.destroy();
          return new Promise((r) => server.close(r));
        },
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, configJson, ...flags] = process.argv.slice(2);
  if (mode !== 'intercept' || !configJson) {
    console.error('usage: node lab/isp.mjs intercept CONFIG_JSON [--exit-with-stdin]');
    process.exit(2);
  }
  serveInterceptor(JSON.parse(configJson))
    .then((server) => serveUntilStopped(server, flags))
    .catch((e) => {
      console.error(`interceptor: ${e.message}`);
      process.exit(1);
    });
}
