// Who lives in the lab's namespace: one address per kind of server a person's mail program may
// meet, the names the lab's DNS-over-HTTPS stub gives them, the test account, and the faults
// only a test double can show. Everything is in 198.51.100.0/24 (TEST-NET-2, RFC 5737) and
// under `sendcheck.test` (RFC 2606): nothing here can name a real host.
//
//   198.51.100.25  mail.sendcheck.test        Postfix 25, 587 (STARTTLS, AUTH PLAIN LOGIN), 465
//   198.51.100.26  expired.sendcheck.test     Postfix 587 + 465, certificate expired yesterday
//   198.51.100.27  wrongname.sendcheck.test   Postfix 587 + 465, certificate for other.sendcheck.test
//   198.51.100.28  nostarttls.sendcheck.test  Postfix 587 without TLS, AUTH offered in clear
//   198.51.100.29  loginonly.sendcheck.test   Postfix 587, AUTH LOGIN only
//   198.51.100.30  hostile.sendcheck.test     lab/hostile.mjs: silent, busy, endless, plaintext
//   198.51.100.31  firewalled.sendcheck.test  nftables drops 587; hostile.mjs: reset, close
//   198.51.100.32–.39                         lab/refusals.mjs (on demand): postscreen + DNSBL,
//                                             reject_rbl_client, deny list, connection limits,
//                                             a failing login backend, web only, 25 only
//   198.51.100.40  exim.sendcheck.test        lab/exim.mjs (with refusals.mjs): Exim's per-host limit
//   nowhere.sendcheck.test                    NXDOMAIN
//
// Domains for discovery (GET /api/discover), answered by the DoH stub (DNS_RECORDS) and the
// autoconfig server lab/autoconfig.mjs (AUTOCONFIG_SITES):
//   sendcheck.test           MX mail; SRV _submission 587 + _submissions 465 → mail
//   autoconf.sendcheck.test  MX mail; no SRV; autoconfig: mail 465 SSL, smtp.%EMAILDOMAIN% 587
//   wellknown.sendcheck.test autoconfig only at the domain's .well-known path
//   nosrv.sendcheck.test     no MX, no SRV, no autoconfig; mail.nosrv exists (guesses only)
//   closed.sendcheck.test    SRV targets "." (RFC 6186: submission not available)
//   garbage/entities/huge/slow/moved.sendcheck.test  MX mail; autoconfig that is not bytes
//                            of XML / an entity bomb / 1 MiB / never answers / a redirect

import { MAIL_SERVER_ADDRESS, MAIL_SERVER_NAME } from './netns.mjs';

export const LAB_DOMAIN = 'sendcheck.test';

/** The servers, by role: `{name, address}` (and `certificateName` where it differs). */
export const PEERS = Object.freeze({
  mail: Object.freeze({ name: MAIL_SERVER_NAME, address: MAIL_SERVER_ADDRESS }),
  expired: Object.freeze({ name: 'expired.sendcheck.test', address: '198.51.100.26' }),
  wrongName: Object.freeze({
    name: 'wrongname.sendcheck.test',
    address: '198.51.100.27',
    // Issued for this name only: neither the probed name nor the address is in it.
    certificateName: 'other.sendcheck.test',
  }),
  noStartTls: Object.freeze({ name: 'nostarttls.sendcheck.test', address: '198.51.100.28' }),
  loginOnly: Object.freeze({ name: 'loginonly.sendcheck.test', address: '198.51.100.29' }),
  hostile: Object.freeze({ name: 'hostile.sendcheck.test', address: '198.51.100.30' }),
  firewalled: Object.freeze({ name: 'firewalled.sendcheck.test', address: '198.51.100.31' }),
  // Refusals by policy, per-client limits and a failing login backend, and hosts for the
  // misreadings of issue 9: lab/refusals.mjs, started on demand (startRefusals(lab)).
  postscreen: Object.freeze({ name: 'postscreen.sendcheck.test', address: '198.51.100.32' }),
  blocklisted: Object.freeze({ name: 'rbl.sendcheck.test', address: '198.51.100.33' }),
  denied: Object.freeze({ name: 'denied.sendcheck.test', address: '198.51.100.34' }),
  limited: Object.freeze({ name: 'limited.sendcheck.test', address: '198.51.100.35' }),
  selfLimited: Object.freeze({ name: 'selflimit.sendcheck.test', address: '198.51.100.36' }),
  authTemporary: Object.freeze({ name: 'authtemp.sendcheck.test', address: '198.51.100.37' }),
  webOnly: Object.freeze({ name: 'webonly.sendcheck.test', address: '198.51.100.38' }),
  only25: Object.freeze({ name: 'only25.sendcheck.test', address: '198.51.100.39' }),
  exim: Object.freeze({ name: 'exim.sendcheck.test', address: '198.51.100.40' }),
});

/** A name the stub answers with NXDOMAIN. */
export const NXDOMAIN_NAME = 'nowhere.sendcheck.test';

/** The discovery domains (see the top of this file), by what they show. */
export const DISCOVERY_DOMAINS = Object.freeze({
  published: 'sendcheck.test',
  autoconfig: 'autoconf.sendcheck.test',
  wellKnown: 'wellknown.sendcheck.test',
  bare: 'nosrv.sendcheck.test',
  closed: 'closed.sendcheck.test',
  garbage: 'garbage.sendcheck.test',
  entities: 'entities.sendcheck.test',
  huge: 'huge.sendcheck.test',
  slow: 'slow.sendcheck.test',
  moved: 'moved.sendcheck.test',
});

/**
 * What the DoH stub answers beyond LAB_NAMES: name → {A, MX, SRV: [data, as in DoH JSON]}.
 * A name listed here exists (no record of an asked type: an empty answer, not NXDOMAIN).
 */
export const DNS_RECORDS = (() => {
  const d = DISCOVERY_DOMAINS;
  const mx = { MX: [`10 ${MAIL_SERVER_NAME}.`] };
  const at = { A: [MAIL_SERVER_ADDRESS] };
  return Object.freeze({
    [d.published]: mx,
    [`_submission._tcp.${d.published}`]: { SRV: [`0 1 587 ${MAIL_SERVER_NAME}.`] },
    [`_submissions._tcp.${d.published}`]: { SRV: [`0 1 465 ${MAIL_SERVER_NAME}.`] },
    [d.autoconfig]: mx,
    [`smtp.${d.autoconfig}`]: at,
    [d.wellKnown]: mx,
    [d.bare]: at,
    [`mail.${d.bare}`]: at,
    [d.closed]: at,
    [`_submission._tcp.${d.closed}`]: { SRV: ['0 0 0 .'] },
    [`_submissions._tcp.${d.closed}`]: { SRV: ['0 0 0 .'] },
    ...Object.fromEntries([d.garbage, d.entities, d.huge, d.slow, d.moved].map((n) => [n, mx])),
  });
})();

/**
 * The autoconfig server's sites: host → behaviour (lab/autoconfig.mjs), the host being the
 * one the public URL would name: `autoconfig.DOMAIN`, or `DOMAIN` for its .well-known path.
 * Any other host answers 404.
 */
export const AUTOCONFIG_SITES = Object.freeze({
  [`autoconfig.${DISCOVERY_DOMAINS.autoconfig}`]: 'document',
  [DISCOVERY_DOMAINS.wellKnown]: 'document',
  [`autoconfig.${DISCOVERY_DOMAINS.garbage}`]: 'garbage',
  [`autoconfig.${DISCOVERY_DOMAINS.entities}`]: 'entities',
  [`autoconfig.${DISCOVERY_DOMAINS.huge}`]: 'huge',
  [`autoconfig.${DISCOVERY_DOMAINS.slow}`]: 'slow',
  [`autoconfig.${DISCOVERY_DOMAINS.moved}`]: 'moved',
});

/** What the DoH stub answers: name → IPv4 address. */
export const LAB_NAMES = Object.freeze(Object.fromEntries(Object.values(PEERS).map((p) => [p.name, p.address])));

/** Addresses on the namespace's eth0 besides the mail server's own. */
export const EXTRA_ADDRESSES = Object.freeze(
  Object.values(PEERS).map((p) => p.address).filter((a) => a !== MAIL_SERVER_ADDRESS),
);

/**
 * The one mailbox Dovecot knows (Postfix's SASL backend). A throwaway password for a private
 * server nobody else can reach; stored hashed ({SSHA512}) in the lab's passwd-file.
 */
export const TEST_ACCOUNT = Object.freeze({ username: 'taro@sendcheck.test', password: 'lab-Passw0rd/with+base64:chars' });
export const WRONG_PASSWORD = 'not-the-lab-password';

/**
 * Faults no real server can be told to show, served by lab/hostile.mjs (see there):
 * address → port → behaviour. Four ports each, as many as one several-port request may name,
 * so each address is one request and their timeouts run at the same time.
 */
export const HOSTILE_LISTENERS = Object.freeze({
  [PEERS.hostile.address]: Object.freeze({ 25: 'silent', 587: 'busy', 2525: 'endless', 465: 'plaintext' }),
  // 587 here is dropped by nftables (FIREWALLED_PORT) and 465 has no listener.
  [PEERS.firewalled.address]: Object.freeze({ 25: 'reset', 2525: 'close' }),
});

/** Inside the namespace, packets to this address and port are dropped without an answer. */
export const FIREWALLED_PORT = 587;

/** The nftables ruleset loaded into the namespace: a silent firewall in front of one port. */
export function firewallRuleset() {
  return `table inet sendcheck_lab {
  chain input {
    type filter hook input priority 0; policy accept;
    ip daddr ${PEERS.firewalled.address} tcp dport ${FIREWALLED_PORT} drop
  }
}
`;
}

/** Postfix's SASL settings for a submission service: Dovecot's socket, AUTH only inside TLS. */
const SASL = Object.freeze({
  smtpd_sasl_auth_enable: 'yes',
  smtpd_sasl_type: 'dovecot',
  smtpd_sasl_path: 'private/auth',
  smtpd_tls_auth_only: 'yes',
});
const STARTTLS_REQUIRED = Object.freeze({ smtpd_tls_security_level: 'encrypt' });
const IMPLICIT_TLS = Object.freeze({ smtpd_tls_wrappermode: 'yes', smtpd_tls_security_level: 'encrypt' });

/**
 * Every smtpd service of the lab's one Postfix instance, each bound to its peer's address
 * (postfix.mjs DEFAULT_SERVICES shape). `certs`: `{expired, wrongName, loginOnly}` from tls.mjs;
 * the mail server's own certificate is main.cf's. Port 25 never offers AUTH.
 */
export function postfixServices(certs) {
  const tlsFiles = (cert) => ({ smtpd_tls_cert_file: cert.certPath, smtpd_tls_key_file: cert.keyPath });
  const as = (peer) => ({ myhostname: peer.name });
  const { mail, expired, wrongName, noStartTls, loginOnly } = PEERS;
  return [
    { address: mail.address, port: 25, name: 'smtp', options: {} },
    { address: mail.address, port: 587, name: 'submission', options: { ...STARTTLS_REQUIRED, ...SASL } },
    { address: mail.address, port: 465, name: 'submissions', options: { ...IMPLICIT_TLS, ...SASL } },
    ...[['expired', expired, certs.expired], ['wrongname', wrongName, certs.wrongName]].flatMap(([tag, peer, cert]) => [
      { address: peer.address, port: 587, name: `${tag}-submission`, options: { ...as(peer), ...STARTTLS_REQUIRED, ...SASL, ...tlsFiles(cert) } },
      { address: peer.address, port: 465, name: `${tag}-submissions`, options: { ...as(peer), ...IMPLICIT_TLS, ...SASL, ...tlsFiles(cert) } },
    ]),
    // An old-style server: no TLS at all, AUTH PLAIN/LOGIN offered on the plain connection.
    {
      address: noStartTls.address,
      port: 587,
      name: 'nostarttls-submission',
      options: { ...as(noStartTls), ...SASL, smtpd_tls_security_level: 'none', smtpd_tls_auth_only: 'no' },
    },
    {
      address: loginOnly.address,
      port: 587,
      name: 'loginonly-submission',
      options: { ...as(loginOnly), ...STARTTLS_REQUIRED, ...SASL, ...tlsFiles(certs.loginOnly), smtpd_sasl_mechanism_filter: 'login' },
    },
  ];
}
