// A private Postfix (Debian's package) for the lab: its own config, queue and data directories
// under the lab's temp dir, started inside a namespace, logging to a file. It greets, answers
// EHLO and offers STARTTLS; it can never relay or deliver anything.

import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { run, waitFor } from './command.mjs';
import { pidsWithEnv, terminate } from './processes.mjs';
import { MAIL_SERVER_NAME } from './netns.mjs';

export const BANNER_TEXT = 'ESMTP Postfix (sendcheck lab)';

/**
 * The lab's ports: plain SMTP, submission with STARTTLS required, and implicit TLS. A service
 * may name an `address` (one of the namespace's); without one it listens on every address in
 * `inet_interfaces`.
 */
export const DEFAULT_SERVICES = Object.freeze([
  { port: 25, name: 'smtp', options: {} },
  { port: 587, name: 'submission', options: { smtpd_tls_security_level: 'encrypt' } },
  { port: 465, name: 'submissions', options: { smtpd_tls_wrappermode: 'yes', smtpd_tls_security_level: 'encrypt' } },
]);

/**
 * Writes the instance's configuration into `dir` and starts it inside `ns` (from netns.mjs),
 * waiting (bounded) until every port greets. `cert`: `{certPath, keyPath}` from tls.mjs.
 * `mainCf`: extra main.cf settings (override the defaults). `services`: see DEFAULT_SERVICES
 * (a service may name its `command`, e.g. `postscreen`, and `maxproc`). `masterCfRows`: more
 * master.cf rows, each an array of its columns.
 * `beforeStart({queueDir, privateDir})`: awaited after the configuration and the queue's
 * `private/` directory exist and before Postfix starts (a SASL server puts its socket there:
 * it must answer before the first smtpd process asks).
 *
 * Returns `{configDir, queueDir, maillog, address, addresses, ports, stop(), logTail(lines)}`.
 * On failure the instance is stopped and the error carries the tail of its log.
 */
export async function startPostfix({
  ns,
  dir,
  cert,
  hostname = MAIL_SERVER_NAME,
  services = DEFAULT_SERVICES,
  mainCf = {},
  masterCfRows = [],
  beforeStart,
  readyTimeoutMs = 20_000,
}) {
  const configDir = join(dir, 'etc');
  const queueDir = join(dir, 'spool');
  const dataDir = join(dir, 'data');
  const maillog = join(dir, 'maillog');
  for (const d of [dir, configDir, queueDir]) {
    mkdirSync(d, { recursive: true });
    chmodSync(d, 0o755); // the postfix user must traverse to its queue
  }
  const settings = {
    compatibility_level: '3.6',
    queue_directory: queueDir,
    data_directory: dataDir,
    mail_owner: 'postfix',
    setgid_group: 'postdrop',
    maillog_file: maillog,
    maillog_file_prefixes: dir,
    myhostname: hostname,
    mydomain: hostname.split('.').slice(1).join('.') || hostname,
    myorigin: '$myhostname',
    smtpd_banner: `$myhostname ${BANNER_TEXT}`,
    inet_interfaces: serviceAddresses(services, ns).join(', '),
    inet_protocols: 'ipv4',
    // Nothing is ever accepted, relayed or delivered: no local domains, no trusted networks,
    // every transport an error, every recipient refused.
    mydestination: '',
    mynetworks: '127.0.0.1/32',
    relay_domains: '',
    relayhost: '',
    default_transport: 'error:lab',
    relay_transport: 'error:lab',
    local_transport: 'error:lab',
    virtual_transport: 'error:lab',
    alias_maps: '',
    alias_database: '',
    local_recipient_maps: '',
    smtpd_relay_restrictions: 'reject',
    smtpd_recipient_restrictions: 'reject',
    // No reverse lookups of clients: the namespace has no DNS and must not try to reach one.
    smtpd_peername_lookup: 'no',
    smtp_dns_support_level: 'disabled',
    smtpd_tls_cert_file: cert.certPath,
    smtpd_tls_key_file: cert.keyPath,
    smtpd_tls_security_level: 'may',
    smtpd_tls_loglevel: '1',
    smtp_tls_security_level: 'none',
    biff: 'no',
    append_dot_mydomain: 'no',
    readme_directory: 'no',
    ...mainCf,
  };
  writeFileSync(join(configDir, 'main.cf'), mainCfText(settings));
  writeFileSync(join(configDir, 'master.cf'), masterCfText(services, masterCfRows));
  if (!existsSync(maillog)) writeFileSync(maillog, '');

  // Every postfix command runs inside the namespace: it checks that inet_interfaces are local.
  const postfix = (...args) => ns.exec('postfix', ['-c', configDir, ...args], { timeoutMs: 30_000 });
  const instance = {
    configDir,
    maillog,
    queueDir,
    address: ns.nsAddress,
    addresses: serviceAddresses(services, ns),
    /** The ports of the main address (ns.nsAddress). */
    ports: [...new Set(services.filter((s) => (s.address ?? ns.nsAddress) === ns.nsAddress).map((s) => s.port))],
    logTail: (lines = 40) => tail(maillog, lines),
    masterPid: () => readPid(join(queueDir, 'pid', 'master.pid')),
    stop: () => stopPostfix(configDir, ns),
  };
  try {
    // `start` creates the other queue subdirectories with their owners and modes
    // (post-install create-missing), as the package's own installation would. `private/` is
    // made here already, as that would: owner mail_owner, mode 0700.
    const privateDir = join(queueDir, 'private');
    mkdirSync(privateDir, { recursive: true, mode: 0o700 });
    chownSync(privateDir, userId(settings.mail_owner), 0);
    if (beforeStart) await beforeStart({ queueDir, privateDir });
    await postfix('start');
    await Promise.all(services.map(({ address, port, options }) => waitFor(
      () => greets(ns, address ?? ns.nsAddress, port, options.smtpd_tls_wrappermode === 'yes'),
      { timeoutMs: readyTimeoutMs, intervalMs: 200, what: `postfix on ${address ?? ns.nsAddress}:${port}` },
    )));
  } catch (e) {
    await instance.stop().catch(() => {});
    e.message += `\n--- tail of ${maillog} ---\n${instance.logTail()}`;
    throw e;
  }
  return instance;
}

/**
 * Stops the instance whose config is in `configDir`: `postfix stop`, then any process still
 * carrying that config (its daemons inherit MAIL_CONFIG) is terminated.
 */
export async function stopPostfix(configDir, ns) {
  const cmd = ns ? ['ip', ['netns', 'exec', ns.name, 'postfix', '-c', configDir, 'stop']]
    : ['postfix', ['-c', configDir, 'stop']];
  if (existsSync(join(configDir, 'main.cf'))) {
    await run(cmd[0], cmd[1], { allowFail: true, timeoutMs: 15_000 }).catch(() => {});
  }
  await terminate(postfixPids(configDir), { graceMs: 3_000 });
}

/** Processes of the instance configured in `configDir` (or, with a function, any matching). */
export function postfixPids(configDir) {
  const accept = typeof configDir === 'function' ? configDir : (v) => v === configDir;
  return pidsWithEnv('MAIL_CONFIG', accept);
}

/**
 * True when something at address:port, seen from inside `ns`, sends an SMTP 220 greeting
 * (over implicit TLS for `tls`). Only the greeting is read; no command is sent.
 */
async function greets(ns, address, port, tls) {
  const script = `
    const lib = require(${JSON.stringify(tls ? 'node:tls' : 'node:net')});
    const s = lib.connect({ host: ${JSON.stringify(address)}, port: ${port}, rejectUnauthorized: false });
    let got = '';
    s.setTimeout(2000, () => process.exit(2));
    s.on('error', () => process.exit(1));
    s.on('data', (d) => {
      got += d;
      if (got.includes('\\n')) { process.stdout.write(got); s.destroy(); process.exit(0); }
    });`;
  const { code, stdout } = await ns.exec(process.execPath, ['-e', script], { allowFail: true, timeoutMs: 5_000 });
  return code === 0 && /^220[ -]/.test(stdout);
}

function mainCfText(settings) {
  const lines = ['# Written by sendcheck lab/postfix.mjs for a throwaway test instance.'];
  for (const [key, value] of Object.entries(settings)) lines.push(`${key} = ${value}`);
  return `${lines.join('\n')}\n`;
}

function masterCfText(services, extraRows = []) {
  const row = (...cols) => cols.join('\t');
  const lines = [
    '# Written by sendcheck lab/postfix.mjs. Nothing is chrooted; no delivery agents exist.',
    '# service type private unpriv chroot wakeup maxproc command',
  ];
  for (const { address, port, name, options, command = 'smtpd', maxproc = '-' } of services) {
    const opts = Object.entries({ syslog_name: `postfix/${name}`, ...options })
      .map(([k, v]) => `-o ${k}=${v}`)
      .join(' ');
    lines.push(row(address ? `${address}:${port}` : port, 'inet', 'n', '-', 'n', '-', maxproc, `${command} ${opts}`));
  }
  // e.g. postscreen's helpers: `smtpd pass`, `dnsblog unix`, `tlsproxy unix` rows.
  for (const cols of extraRows) lines.push(row(...cols));
  lines.push(
    row('pickup', 'unix', 'n', '-', 'n', '60', '1', 'pickup'),
    row('cleanup', 'unix', 'n', '-', 'n', '-', '0', 'cleanup'),
    row('qmgr', 'unix', 'n', '-', 'n', '300', '1', 'qmgr'),
    row('tlsmgr', 'unix', '-', '-', 'n', '1000?', '1', 'tlsmgr'),
    row('rewrite', 'unix', '-', '-', 'n', '-', '-', 'trivial-rewrite'),
    row('bounce', 'unix', '-', '-', 'n', '-', '0', 'bounce'),
    row('defer', 'unix', '-', '-', 'n', '-', '0', 'bounce'),
    row('trace', 'unix', '-', '-', 'n', '-', '0', 'bounce'),
    row('verify', 'unix', '-', '-', 'n', '-', '1', 'verify'),
    row('flush', 'unix', 'n', '-', 'n', '1000?', '0', 'flush'),
    row('proxymap', 'unix', '-', '-', 'n', '-', '-', 'proxymap'),
    row('showq', 'unix', 'n', '-', 'n', '-', '-', 'showq'),
    row('error', 'unix', '-', '-', 'n', '-', '-', 'error'),
    row('retry', 'unix', '-', '-', 'n', '-', '-', 'error'),
    row('discard', 'unix', '-', '-', 'n', '-', '-', 'discard'),
    row('anvil', 'unix', '-', '-', 'n', '-', '1', 'anvil'),
    row('scache', 'unix', '-', '-', 'n', '-', '1', 'scache'),
    row('postlog', 'unix-dgram', 'n', '-', 'n', '-', '1', 'postlogd'),
  );
  return `${lines.join('\n')}\n`;
}

/** Every address a service names (the namespace's own address when none does). */
function serviceAddresses(services, ns) {
  return [...new Set([ns.nsAddress, ...services.map((s) => s.address).filter(Boolean)])];
}

/** The uid of a system user, from /etc/passwd. */
function userId(name) {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no user ${name} in /etc/passwd`);
  return Number(line.split(':')[2]);
}

function readPid(file) {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

function tail(file, lines) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch (e) {
    return `(cannot read: ${e.message})`;
  }
}
