// A private Dovecot (Debian's dovecot-core) as Postfix's SASL server: authentication only, no
// IMAP or POP listener, its own base and state directories, config and log under the lab's
// temp dir. Its one listener is the auth socket inside Postfix's queue directory
// (`private/auth`, owned by the postfix user), where `smtpd_sasl_type = dovecot` finds it.

import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

import { waitFor } from './command.mjs';
import { spawnDaemon, tail } from './daemon.mjs';

/**
 * Writes the config and passwd-file into `dir` and starts `dovecot -F` inside `ns`, waiting
 * (bounded) until its auth service answers on `socketPath` and offers the mechanisms.
 *
 * `users`: `[{username, password}]`, stored as salted SHA-512 ({SSHA512}).
 * `socketOwner`: the user (and group) that may connect to the socket (Postfix's mail_owner).
 * `passdb`: `{driver, args}` in place of the passwd-file (e.g. a checkpassword that fails).
 *
 * Returns `{configPath, log, socketPath, pid, stop(), logTail(lines)}`. On failure it is
 * stopped and the error carries the tail of its log.
 */
export async function startDovecot({
  ns,
  dir,
  runId,
  socketPath,
  users,
  socketOwner = 'postfix',
  mechanisms = ['plain', 'login'],
  passdb,
  outlivesUs = false,
  readyTimeoutMs = 15_000,
}) {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755); // the auth process runs as the dovecot user and reads the passwd-file
  const configPath = join(dir, 'dovecot.conf');
  const passwdPath = join(dir, 'users');
  const log = join(dir, 'dovecot.log');
  writeFileSync(passwdPath, users.map((u) => `${u.username}:${ssha512(u.password)}::::::\n`).join(''));
  chmodSync(passwdPath, 0o644);
  writeFileSync(log, '');
  writeFileSync(configPath, config({ dir, runId, passwdPath, log, socketPath, socketOwner, mechanisms, passdb }));

  const daemon = spawnDaemon('ip', ['netns', 'exec', ns.name, 'dovecot', '-F', '-c', configPath], {
    runId,
    logFile: join(dir, 'dovecot.out'),
    outlivesUs,
    exitWithStdin: false,
  });
  const instance = {
    configPath,
    log,
    socketPath,
    pid: daemon.pid,
    stop: () => daemon.stop(),
    logTail: (lines = 30) => `${daemon.logTail(lines)}\n${tail(log, lines)}`,
  };
  try {
    await waitFor(
      async () => {
        const exit = daemon.exited();
        if (exit) throw new Error(`dovecot exited (${JSON.stringify(exit)})`);
        return (await authMechanisms(socketPath)).length > 0;
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 100, what: `dovecot auth on ${socketPath}` },
    );
  } catch (e) {
    await instance.stop().catch(() => {});
    e.message += `\n--- dovecot ---\n${instance.logTail()}`;
    throw e;
  }
  return instance;
}

/**
 * Speaks the first lines of Dovecot's auth protocol (the client handshake Postfix does) and
 * returns the mechanisms the server lists, e.g. `['PLAIN', 'LOGIN']`. No credentials are sent.
 */
export function authMechanisms(socketPath, timeoutMs = 2_000) {
  return new Promise((resolve, reject) => {
    let got = '';
    const socket = connect(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no handshake in time'));
    }, timeoutMs);
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('connect', () => socket.write(`VERSION\t1\t2\nCPID\t${process.pid}\n`));
    socket.on('data', (d) => {
      got += d;
      if (/^DONE$/m.test(got)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(got.split('\n').filter((l) => l.startsWith('MECH\t')).map((l) => l.split('\t')[1]));
      }
    });
  });
}

/** `{SSHA512}` as Dovecot reads it: base64(SHA-512(password ‖ salt) ‖ salt). */
function ssha512(password) {
  const salt = randomBytes(8);
  const digest = createHash('sha512').update(password, 'utf8').update(salt).digest();
  return `{SSHA512}${Buffer.concat([digest, salt]).toString('base64')}`;
}

function config({ dir, runId, passwdPath, log, socketPath, socketOwner, mechanisms, passdb }) {
  return `# Written by sendcheck lab/dovecot.mjs for a throwaway test instance: SASL for Postfix only.
instance_name = sendcheck-lab-${runId}
base_dir = ${join(dir, 'run')}
state_dir = ${join(dir, 'state')}
# No IMAP, POP, LMTP or submission: this Dovecot only authenticates for Postfix.
protocols =
ssl = no
log_path = ${log}
info_log_path = ${log}
auth_verbose = yes
auth_mechanisms = ${mechanisms.join(' ')}
# Postfix decides where AUTH is offered (only inside TLS, except on the lab's server without
# STARTTLS, which offers it in clear to show that sendcheck then keeps the password back).
disable_plaintext_auth = no
passdb {
  driver = ${passdb?.driver ?? 'passwd-file'}
  args = ${passdb?.args ?? `scheme=SSHA512 username_format=%u ${passwdPath}`}
}
userdb {
  driver = static
  args = uid=${socketOwner} gid=${socketOwner} home=/nonexistent
}
# Dovecot delays every login from an address that failed before (2 s, doubling): a probe with
# the right password after one with a wrong one would wait for that. Off, so each test's timing
# is its own; auth_failure_delay (2 s before a failure is answered) stays as shipped.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service auth {
  unix_listener ${socketPath} {
    mode = 0660
    user = ${socketOwner}
    group = ${socketOwner}
  }
}
`;
}
