// A private Exim (Debian's exim4-daemon-light) for the lab: the per-host connection limit as
// Exim words it, and counts it: across all the daemon's ports. Debian's package conflicts
// with Postfix (both are the system's mail-transport-agent), so scripts/setup.sh only unpacks
// its binary into EXIM_DIR; this runs it with its own config, spool and logs under the lab's
// temp dir, inside the mail namespace, never as the system's MTA.
//
//   .40 exim.sendcheck.test  25, 587 (STARTTLS), 465 (TLS on connect); smtp_accept_max_per_host
//                            = 2 and a 2 s greeting delay (a common defence against clients
//                            that talk first): a check's three concurrent probes from one
//                            address meet "421 Too many concurrent SMTP connections from this
//                            IP address; please try again later." on one port; one port alone
//                            is served. MAIL and RCPT are always refused; nothing is delivered.

import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { waitFor } from './command.mjs';
import { spawnDaemon } from './daemon.mjs';

/** Where scripts/setup.sh unpacks Debian's exim4-daemon-light. */
export const EXIM_DIR = '/opt/sendcheck-exim';
export const EXIM_BIN = join(EXIM_DIR, 'usr', 'sbin', 'exim4');
/** The user Debian's binary was built to run as (its EXIM_USER). */
const EXIM_USER = 'Debian-exim';
export const EXIM_MAX_PER_HOST = 2;
export const EXIM_GREETING_DELAY_S = 2;

/** Whether the unpacked binary and its user are there (scripts/setup.sh). */
export function eximAvailable() {
  return existsSync(EXIM_BIN) && userIds(EXIM_USER) !== undefined;
}

/**
 * Writes the config into `dir` and starts `exim4 -bdf` inside `ns` on `address` (ports 25,
 * 587, 465), waiting (bounded) until every port accepts. `cert`: `{certPath, keyPath}` from
 * tls.mjs (copied, readable by Exim's user). Returns spawnDaemon's handle plus `mainlog`.
 */
export async function startExim({ ns, dir, address, hostname, cert, runId, outlivesUs = false, readyTimeoutMs = 15_000 }) {
  const ids = userIds(EXIM_USER);
  if (!existsSync(EXIM_BIN) || !ids) throw new Error(`no Exim in ${EXIM_DIR} (scripts/setup.sh unpacks it)`);
  for (const d of [dir, join(dir, 'spool'), join(dir, 'log')]) {
    mkdirSync(d, { recursive: true });
    chmodSync(d, 0o750);
    chownSync(d, ids.uid, ids.gid);
  }
  chmodSync(dir, 0o755);
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  copyFileSync(cert.certPath, certPath);
  copyFileSync(cert.keyPath, keyPath);
  for (const f of [certPath, keyPath]) {
    chownSync(f, ids.uid, ids.gid);
    chmodSync(f, 0o640);
  }
  const configPath = join(dir, 'exim.conf');
  writeFileSync(configPath, config({ dir, address, hostname, certPath, keyPath }), { mode: 0o644 });

  const daemon = spawnDaemon('ip', ['netns', 'exec', ns.name, EXIM_BIN, '-C', configPath, '-bdf'], {
    runId, logFile: join(dir, 'exim.out'), outlivesUs, exitWithStdin: false,
  });
  const mainlog = join(dir, 'log', 'mainlog');
  try {
    await waitFor(async () => {
      const exit = daemon.exited();
      if (exit) throw new Error(`exim exited (${JSON.stringify(exit)})`);
      // From inside the namespace: the host's address is the one the limit is about.
      const { code } = await ns.exec('sh', ['-c', [25, 587, 465].map((p) => `nc -z -w 1 ${address} ${p}`).join(' && ')], { allowFail: true });
      return code === 0;
    }, { timeoutMs: readyTimeoutMs, intervalMs: 200, what: `exim on ${address}` });
  } catch (e) {
    await daemon.stop().catch(() => {});
    e.message += `\n${daemon.logTail()}\n${existsSync(join(dir, 'log', 'paniclog')) ? readFileSync(join(dir, 'log', 'paniclog'), 'utf8') : ''}`;
    throw e;
  }
  return { ...daemon, mainlog };
}

function config({ dir, address, hostname, certPath, keyPath }) {
  return `# Written by sendcheck lab/exim.mjs for a throwaway test instance: it never accepts mail.
keep_environment =
exim_user = ${EXIM_USER}
exim_group = ${EXIM_USER}
spool_directory = ${join(dir, 'spool')}
log_file_path = ${join(dir, 'log')}/%slog
pid_file_path = ${join(dir, 'exim.pid')}
primary_hostname = ${hostname}
local_interfaces = ${address}
daemon_smtp_ports = 25 : 587 : 465
tls_on_connect_ports = 465
tls_advertise_hosts = *
tls_certificate = ${certPath}
tls_privatekey = ${keyPath}
# The namespace has no DNS for clients and no ident service to ask.
host_lookup =
rfc1413_hosts =
rfc1413_query_timeout = 0s
smtp_accept_max_per_host = ${EXIM_MAX_PER_HOST}
acl_smtp_connect = acl_connect
acl_smtp_mail = acl_never
acl_smtp_rcpt = acl_never
acl_smtp_data = acl_never

begin acl
acl_connect:
  accept delay = ${EXIM_GREETING_DELAY_S}s
acl_never:
  deny message = sendcheck lab: nothing is accepted here

begin routers
begin transports
begin authenticators
# Offered inside TLS, as a submission server does; no login ever succeeds here.
plain_server:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = false
  server_advertise_condition = \${if def:tls_in_cipher}
`;
}

/** `{uid, gid}` of a system user, from /etc/passwd, or undefined. */
function userIds(name) {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
