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

/**
 * The chain shapes public mail servers present, for the CPU benchmark (tests/bench/cpu.mjs):
 * Let's Encrypt's ECDSA chain (a P-256 leaf signed by the P-384 intermediate E5 with SHA-384,
 * E5 by the P-384 ISRG Root X2) and its RSA chain (an RSA-2048 leaf by the RSA-2048
 * intermediate R10, R10 by the RSA-4096 ISRG Root X1, SHA-256 throughout); see
 * https://letsencrypt.org/certificates/. The server sends leaf and intermediate, not the root.
 */
export const REAL_WORLD_CHAINS = Object.freeze({
  'ecdsa-p256-p384-p384': Object.freeze({ root: 'ec-p384', intermediate: 'ec-p384', leaf: 'ec', md: 'sha384' }),
  'rsa-2048-2048-4096': Object.freeze({ root: 'rsa-4096', intermediate: 'rsa', leaf: 'rsa', md: 'sha256' }),
});

/**
 * Makes one of REAL_WORLD_CHAINS in `dir` for the lab's mail server (its name and address).
 * Returns `{shape, rootCertPath, certPath (leaf + intermediate, as Postfix sends them), keyPath}`.
 */
export async function createRealWorldChain(dir, shape) {
  const keys = REAL_WORLD_CHAINS[shape];
  if (!keys) throw new Error(`unknown chain shape ${shape}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const at = (stem) => ({ key: join(dir, `${stem}.key`), cert: join(dir, `${stem}.crt`), csr: join(dir, `${stem}.csr`) });
  const [root, intermediate, leaf] = [at('root'), at('intermediate'), at('leaf')];
  const common = ['-days', '30', `-${keys.md}`];
  await openssl(['req', '-x509', '-new', ...newKeyArgs(keys.root), '-nodes', '-keyout', root.key, '-out', root.cert,
    ...common, '-subj', `/O=sendcheck lab/CN=${shape} root`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-addext', 'subjectKeyIdentifier=hash']);
  const sign = async (cert, issuer, subject, extensions) => {
    const extPath = `${cert.cert}.ext`;
    writeFileSync(extPath, [...extensions, 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid', ''].join('\n'));
    await openssl(['req', '-new', ...newKeyArgs(keys[cert === leaf ? 'leaf' : 'intermediate']), '-nodes',
      '-keyout', cert.key, '-out', cert.csr, '-subj', subject]);
    await openssl(['x509', '-req', '-in', cert.csr, '-CA', issuer.cert, '-CAkey', issuer.key, '-set_serial',
      `0x${Date.now().toString(16)}${cert === leaf ? '02' : '01'}`, ...common, '-extfile', extPath, '-out', cert.cert]);
  };
  await sign(intermediate, root, `/O=sendcheck lab/CN=${shape} intermediate`, [
    'basicConstraints = critical,CA:TRUE,pathlen:0',
    'keyUsage = critical,digitalSignature,keyCertSign,cRLSign',
    'extendedKeyUsage = serverAuth,clientAuth',
  ]);
  await sign(leaf, intermediate, `/CN=${MAIL_SERVER_NAME}`, [
    'basicConstraints = critical,CA:FALSE',
    `keyUsage = critical,digitalSignature${keys.leaf === 'rsa' ? ',keyEncipherment' : ''}`,
    'extendedKeyUsage = serverAuth',
    `subjectAltName = DNS:${MAIL_SERVER_NAME},IP:${MAIL_SERVER_ADDRESS}`,
  ]);
  const certPath = join(dir, 'leaf.chain.crt');
  writeFileSync(certPath, readFileSync(leaf.cert, 'utf8') + readFileSync(intermediate.cert, 'utf8'));
  return { shape, rootCertPath: root.cert, certPath, keyPath: leaf.key };
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
    case 'rsa-4096': return ['-newkey', 'rsa:4096'];
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
