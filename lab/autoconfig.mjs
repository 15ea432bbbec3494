#!/usr/bin/env node
// The lab's stand-in for the web servers that publish Thunderbird autoconfig documents
// (config-v1.1.xml), on loopback over plain HTTP. The public locations are
//   https://autoconfig.DOMAIN/mail/config-v1.1.xml
//   https://DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml
// and the worker under test is pointed here instead (AUTOCONFIG_URL_TEMPLATES, see TEMPLATES),
// with the would-be host as the first path segment:
//   GET /autoconfig.autoconf.sendcheck.test/mail/config-v1.1.xml
//   GET /wellknown.sendcheck.test/.well-known/autoconfig/mail/config-v1.1.xml
// Each host's behaviour is in peers.mjs AUTOCONFIG_SITES:
//   document   a Thunderbird-style document: mail.sendcheck.test 465 SSL, smtp.%EMAILDOMAIN% 587 STARTTLS
//   garbage    200 with bytes that are not UTF-8 text
//   entities   200 with a "billion laughs" entity bomb (a DOCTYPE: must be refused unread)
//   huge       200, 1 MiB streamed without Content-Length (must be cut at the worker's bound)
//   slow       headers never come (the worker's deadline must end it)
//   moved      302 to the `document` of autoconf.sendcheck.test, by a relative Location
// Any other host or path: 404.
//
// Run by the lab: node lab/autoconfig.mjs PORT [--exit-with-stdin]

import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

import { waitFor } from './command.mjs';
import { serveUntilStopped, spawnDaemon } from './daemon.mjs';
import { MAIL_SERVER_NAME } from './netns.mjs';
import { AUTOCONFIG_SITES, DISCOVERY_DOMAINS } from './peers.mjs';

const AUTOCONFIG_PATH = 'mail/config-v1.1.xml';
const WELL_KNOWN_PATH = '.well-known/autoconfig/mail/config-v1.1.xml';
/** The worker's URL templates for a server on `base` (`http://127.0.0.1:PORT`), comma-separated. */
export const templates = (base) => [
  `${base}/autoconfig.{domain}/${AUTOCONFIG_PATH}`,
  `${base}/{domain}/${WELL_KNOWN_PATH}`,
].join(',');

/** Bigger than any bound the worker may have (64 KiB). */
export const HUGE_BYTES = 1024 * 1024;

export const DOCUMENT = `<?xml version="1.0" encoding="UTF-8"?>
<!-- the shape Thunderbird's ISPDB publishes, trimmed -->
<clientConfig version="1.1">
  <emailProvider id="sendcheck.test">
    <domain>%EMAILDOMAIN%</domain>
    <displayName>sendcheck lab &amp; friends</displayName>
    <incomingServer type="imap">
      <hostname>${MAIL_SERVER_NAME}</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type='smtp'>
      <hostname>${MAIL_SERVER_NAME}</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.%EMAILDOMAIN%</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
`;

const ENTITY_BOMB = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<clientConfig><emailProvider><outgoingServer type="smtp"><hostname>&lol3;</hostname></outgoingServer></emailProvider></clientConfig>
`;

/**
 * Serves AUTOCONFIG_SITES on `host:port` (a free port when 0).
 * Resolves `{url, port, templates, requests, close()}`; `requests` lists every `{site, path}`.
 */
export async function startAutoconfigServer({ host = '127.0.0.1', port = 0, log = () => {} } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://lab');
    const [, site = '', ...rest] = url.pathname.split('/');
    const path = rest.join('/');
    requests.push({ site, path });
    log(`${req.method} ${site} /${path}`);
    const known = path === AUTOCONFIG_PATH || path === WELL_KNOWN_PATH;
    const behaviour = known && req.method === 'GET' ? AUTOCONFIG_SITES[site] : undefined;
    serve(behaviour, res);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, resolve);
  });
  const bound = server.address().port;
  const base = `http://${host}:${bound}`;
  return {
    url: base,
    port: bound,
    templates: templates(base),
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

function serve(behaviour, res) {
  const xml = { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'no-store' };
  switch (behaviour) {
    case 'document':
      res.writeHead(200, xml).end(DOCUMENT);
      return;
    case 'garbage':
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
        .end(Buffer.from([0xff, 0xfe, 0x00, 0x3c, 0x80, 0x81, 0xc3, 0x28, 0x3e, 0x00]));
      return;
    case 'entities':
      res.writeHead(200, xml).end(ENTITY_BOMB);
      return;
    case 'huge': {
      res.writeHead(200, xml); // chunked: no Content-Length to refuse early
      const chunk = Buffer.alloc(16 * 1024, '<!-- padding padding padding -->\n');
      let sent = 0;
      const more = () => {
        while (sent < HUGE_BYTES) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', more);
            return;
          }
        }
        res.end();
      };
      res.on('error', () => {});
      more();
      return;
    }
    case 'slow':
      // Never answers; the connection ends when the client gives up or the server closes.
      return;
    case 'moved':
      res.writeHead(302, { location: `/autoconfig.${DISCOVERY_DOMAINS.autoconfig}/${AUTOCONFIG_PATH}` }).end();
      return;
    default:
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }
}

async function main(argv) {
  const [port, ...flags] = argv;
  if (!/^\d+$/.test(port ?? '')) throw new Error('usage: node lab/autoconfig.mjs PORT [--exit-with-stdin]');
  const server = await startAutoconfigServer({
    port: Number(port),
    log: (l) => console.log(`${new Date().toISOString()} ${l}`),
  });
  console.log(`${new Date().toISOString()} serving ${server.url} (templates ${server.templates})`);
  serveUntilStopped(server, flags);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`autoconfig: ${e.message}`);
    process.exit(1);
  });
}

/**
 * Starts this script as a lab helper on 127.0.0.1:`port` and waits (bounded) until it serves
 * the document. Returns spawnDaemon's handle plus `url` and `templates` (for the worker's
 * AUTOCONFIG_URL_TEMPLATES).
 */
export async function spawnAutoconfigServer({ port, runId, logFile, outlivesUs = false, readyTimeoutMs = 10_000 }) {
  const daemon = spawnDaemon(process.execPath, [fileURLToPath(import.meta.url), String(port)], {
    runId, logFile, outlivesUs,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        const exit = daemon.exited();
        if (exit) throw new Error(`autoconfig.mjs exited (${JSON.stringify(exit)})`);
        const res = await fetch(`${url}/autoconfig.${DISCOVERY_DOMAINS.autoconfig}/${AUTOCONFIG_PATH}`, {
          signal: AbortSignal.timeout(1_000),
        });
        return res.status === 200 && (await res.text()) === DOCUMENT;
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 100, what: `autoconfig server on ${url}` },
    );
  } catch (e) {
    await daemon.stop().catch(() => {});
    e.message += `\n--- ${logFile} ---\n${daemon.logTail()}`;
    throw e;
  }
  return { ...daemon, url, port, templates: templates(url) };
}
