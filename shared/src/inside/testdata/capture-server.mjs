// The servers capture.sh points nc and openssl at, to record what those tools really print.
// Not a mail server: it greets, answers EHLO, upgrades with STARTTLS and says goodbye; it
// refuses everything else with 502 (the tools never send anything else).
//
//   node capture-server.mjs '[{"address":"192.0.2.25","port":587,"kind":"starttls"}, ...]' KEY CERT
//
// kinds: starttls (EHLO offers STARTTLS), plain (EHLO without STARTTLS), tls (implicit TLS,
// greeting after the handshake), plaintext (a plain greeting where TLS is expected), close
// (closes at once), reset (RST as soon as anything arrives), silent (accepts and never says
// anything), demandcert (TLS 1.2 only, demands a client certificate: the handshake fails with
// an alert after the server has shown its own certificate).

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { TLSSocket } from 'node:tls';

const [listenersJson, keyPath, certPath] = process.argv.slice(2);
const listeners = JSON.parse(listenersJson);
const tlsOptions = { key: readFileSync(keyPath), cert: readFileSync(certPath), isServer: true };
const GREETING = '220 mail.example.test ESMTP capture\r\n';

for (const { address, port, kind } of listeners) {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.setTimeout(20_000, () => socket.destroy());
    serve(socket, kind);
  });
  server.listen({ host: address, port }, () => console.log(`listening ${address}:${port} ${kind}`));
}
// capture.sh ends us when it is done; never outlive a forgotten run.
setTimeout(() => process.exit(0), 600_000).unref();

function serve(socket, kind) {
  switch (kind) {
    case 'starttls':
    case 'plain':
      socket.write(GREETING);
      dialogue(socket, kind === 'starttls');
      return;
    case 'tls': {
      const secure = new TLSSocket(socket, tlsOptions);
      secure.on('error', () => {});
      secure.on('secure', () => {
        secure.write(GREETING);
        dialogue(secure, false);
      });
      return;
    }
    case 'plaintext':
      socket.write(GREETING);
      socket.once('data', () => socket.end('500 5.5.2 Error: command not recognized\r\n'));
      return;
    case 'close':
      socket.end();
      return;
    case 'silent':
      return;
    case 'demandcert': {
      const secure = new TLSSocket(socket, {
        ...tlsOptions, requestCert: true, rejectUnauthorized: true, maxVersion: 'TLSv1.2',
      });
      secure.on('error', () => {});
      return;
    }
    case 'reset':
      socket.once('data', () => socket.resetAndDestroy());
      return;
    default:
      socket.destroy();
  }
}

function dialogue(socket, offerStarttls) {
  let pending = '';
  const onData = (chunk) => {
    pending += chunk.toString('latin1');
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      const verb = line.split(' ')[0].toUpperCase();
      if (verb === 'EHLO') {
        socket.write(`250-mail.example.test\r\n${offerStarttls ? '250-STARTTLS\r\n' : ''}250 8BITMIME\r\n`);
      } else if (verb === 'STARTTLS' && offerStarttls) {
        socket.off('data', onData);
        socket.write('220 2.0.0 Ready to start TLS\r\n');
        const secure = new TLSSocket(socket, tlsOptions);
        secure.on('error', () => {});
        secure.on('secure', () => dialogue(secure, false));
        return;
      } else if (verb === 'QUIT') {
        socket.end('221 2.0.0 Bye\r\n');
        return;
      } else {
        socket.write('502 5.5.1 not here\r\n');
      }
    }
  };
  socket.on('data', onData);
}
