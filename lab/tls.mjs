// Throwaway certificates for the lab: a test CA and server certificates it signs, made with
// the openssl command into the lab's temp dir. The CA is never added to any trust store; a
// test that wants it trusted passes `certPath` explicitly (e.g. NODE_EXTRA_CA_CERTS).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { run } from './command.mjs';
import { MAIL_SERVER_ADDRESS, MAIL_SERVER_NAME } from './netns.mjs';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Creates a self-signed CA in `dir`. Returns `{dir, certPath, keyPath, commonName, keyType}`.
 * `keyType`: `ec` (P-256, the default), `ec-p384`, or `rsa` (2048).
 */
export async function createCa(dir, { commonName = 'sendcheck lab test CA', keyType = 'ec', days = 30 } = {}) {
  mkdirSync(join(dir, 'issued'), { recursive: true, mode: 0o700 });
  const certPath = join(dir, 'ca.crt');
  const keyPath = join(dir, 'ca.key');
  await openssl([
    'req', '-x509', '-new', ...newKeyArgs(keyType), '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', String(days), '-subj', `/CN=${commonName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-addext', 'subjectKeyIdentifier=hash',
  ]);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(join(dir, 'ca.cnf'), caConfig(dir, certPath, keyPath));
  return { dir, certPath, keyPath, commonName, keyType };
}

/**
 * Issues a server certificate signed by `ca`. Defaults: the lab's mail server
 * (`mail.sendcheck.test`, SAN that name and 198.51.100.25), valid from an hour ago for 30 days.
 *
 * For the scenarios the diagnosis must recognise: pass `notAfter` in the past (or use
 * `expiredValidity()`) for an expired certificate; other `dnsNames` for a name mismatch.
 * `stem` names the files, so several certificates can live in one dir.
 *
 * Returns `{certPath, keyPath, fullChainPath, commonName, dnsNames, ipAddresses, notBefore, notAfter}`.
 */
export async function issueCertificate(ca, {
  dir = ca.dir,
  stem = 'server',
  commonName = MAIL_SERVER_NAME,
  dnsNames = [commonName],
  ipAddresses = [MAIL_SERVER_ADDRESS],
  notBefore = new Date(Date.now() - 3600 * 1000),
  notAfter = new Date(Date.now() + 30 * DAY_MS),
  keyType = 'ec',
} = {}) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, `${stem}.key`);
  const csrPath = join(dir, `${stem}.csr`);
  const certPath = join(dir, `${stem}.crt`);
  const extPath = join(dir, `${stem}.ext`);
  const fullChainPath = join(dir, `${stem}.fullchain.crt`);
  const san = [...dnsNames.map((n) => `DNS:${n}`), ...ipAddresses.map((a) => `IP:${a}`)];
  writeFileSync(
    extPath,
    [
      'basicConstraints = critical,CA:FALSE',
      `keyUsage = critical,digitalSignature${keyType === 'rsa' ? ',keyEncipherment' : ''}`,
      'extendedKeyUsage = serverAuth',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      ...(san.length ? [`subjectAltName = ${san.join(',')}`] : []),
      '',
    ].join('\n'),
  );
  await openssl(['req', '-new', ...newKeyArgs(keyType), '-nodes', '-keyout', keyPath, '-out', csrPath,
    '-subj', `/CN=${commonName}`]);
  await openssl(['ca', '-batch', '-notext', '-config', join(ca.dir, 'ca.cnf'), '-in', csrPath, '-out', certPath,
    '-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter), '-extfile', extPath]);
  writeFileSync(fullChainPath, readFileSync(certPath, 'utf8') + readFileSync(ca.certPath, 'utf8'));
  return { certPath, keyPath, fullChainPath, commonName, dnsNames, ipAddresses, notBefore, notAfter };
}

/** Validity of a certificate that expired a day ago, after 30 days of life. */
export function expiredValidity(now = Date.now()) {
  return { notBefore: new Date(now - 31 * DAY_MS), notAfter: new Date(now - DAY_MS) };
}

function newKeyArgs(keyType) {
  switch (keyType) {
    case 'ec': return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    case 'ec-p384': return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'];
    case 'rsa': return ['-newkey', 'rsa:2048'];
    default: throw new Error(`unknown key type ${keyType}`);
  }
}

/** GeneralizedTime as `openssl ca -startdate/-enddate` take it: YYYYMMDDHHMMSSZ. */
function asn1Time(date) {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

function caConfig(dir, certPath, keyPath) {
  return `[ ca ]
default_ca = lab_ca

[ lab_ca ]
database = ${join(dir, 'index.txt')}
new_certs_dir = ${join(dir, 'issued')}
serial = ${join(dir, 'serial')}
certificate = ${certPath}
private_key = ${keyPath}
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no

[ policy_any ]
commonName = supplied
`;
}

async function openssl(args) {
  // OPENSSL_CONF=/dev/null: the system's openssl.cnf must not add anything to our certificates.
  await run('openssl', args, { env: { ...process.env, OPENSSL_CONF: '/dev/null' } });
}
