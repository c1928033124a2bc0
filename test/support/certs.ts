import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Certificate files generated with the system's `openssl` into a temp folder; nothing is committed. */
export interface CertFixtures {
  /** Self-signed P-256 certificate valid for 30 days, PEM and the same in DER. */
  pem: Buffer;
  der: Buffer;
  /** Its private key, PEM (PKCS#8) and DER (PKCS#8). */
  key: Buffer;
  keyDer: Buffer;
  notAfter: number;
  /** The same key certified again for 60 days (a renewal). */
  renewedPem: Buffer;
  renewedNotAfter: number;
  /** A second, unrelated certificate and key. */
  otherPem: Buffer;
  otherKey: Buffer;
  otherNotAfter: number;
  /** Valid 2020-01-01 to 2021-01-01, made with `openssl ca -selfsign` (OpenSSL 3.0 has no `x509 -not_after`). */
  expiredPem: Buffer;
  expiredKey: Buffer;
  expiredNotAfter: number;
  /** A PEM certificate with its body damaged. */
  corrupt: Buffer;
}

const openssl = (cwd: string, args: string[]): string => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function notAfterOf(cwd: string, file: string): number {
  const line = openssl(cwd, ['x509', '-in', file, '-noout', '-enddate', '-dateopt', 'iso_8601']).trim();
  return Date.parse(line.replace('notAfter=', '').replace(' ', 'T'));
}

const CA_CONFIG = `[ ca ]
default_ca = fixture
[ fixture ]
dir = .
database = ./index.txt
new_certs_dir = .
serial = ./serial
default_md = sha256
policy = any
unique_subject = no
[ any ]
commonName = supplied
`;

function expired(dir: string): { pem: Buffer; key: Buffer } {
  const ca = join(dir, 'ca');
  mkdirSync(ca);
  writeFileSync(join(ca, 'index.txt'), '');
  writeFileSync(join(ca, 'serial'), '01\n');
  writeFileSync(join(ca, 'ca.cnf'), CA_CONFIG);
  openssl(ca, ['req', '-new', ...EC, '-subj', '/CN=expired.example', '-keyout', 'expired.key', '-out', 'expired.csr']);
  openssl(ca, [
    'ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'expired.key', '-in', 'expired.csr',
    '-startdate', '20200101000000Z', '-enddate', '20210101000000Z', '-out', 'expired.pem',
  ]);
  return { pem: readFileSync(join(ca, 'expired.pem')), key: readFileSync(join(ca, 'expired.key')) };
}

export function makeCertFixtures(dir: string): CertFixtures {
  const read = (f: string) => readFileSync(join(dir, f));
  openssl(dir, ['req', '-x509', ...EC, '-days', '30', '-subj', '/CN=api.example.com/O=Acme', '-keyout', 'site.key', '-out', 'site.pem']);
  openssl(dir, ['x509', '-in', 'site.pem', '-outform', 'DER', '-out', 'site.der']);
  openssl(dir, ['pkcs8', '-topk8', '-nocrypt', '-in', 'site.key', '-outform', 'DER', '-out', 'site-der.key']);
  openssl(dir, ['req', '-x509', '-new', '-key', 'site.key', '-days', '60', '-subj', '/CN=api.example.com/O=Acme', '-out', 'renewed.pem']);
  openssl(dir, ['req', '-x509', ...EC, '-days', '90', '-subj', '/CN=other.example', '-keyout', 'other.key', '-out', 'other.pem']);
  const der = read('site.der');
  // Still PEM-shaped, but the DER inside is cut in half.
  const corrupt = `-----BEGIN CERTIFICATE-----\n${der.subarray(0, der.length >> 1).toString('base64')}\n-----END CERTIFICATE-----\n`;
  const old = expired(dir);
  return {
    pem: read('site.pem'),
    der,
    key: read('site.key'),
    keyDer: read('site-der.key'),
    notAfter: notAfterOf(dir, 'site.pem'),
    renewedPem: read('renewed.pem'),
    renewedNotAfter: notAfterOf(dir, 'renewed.pem'),
    otherPem: read('other.pem'),
    otherKey: read('other.key'),
    otherNotAfter: notAfterOf(dir, 'other.pem'),
    expiredPem: old.pem,
    expiredKey: old.key,
    expiredNotAfter: notAfterOf(join(dir, 'ca'), 'expired.pem'),
    corrupt: Buffer.from(corrupt),
  };
}

/** A file as it crosses a door: name and base64 bytes. */
export const file = (fileName: string, bytes: Buffer | string) => ({ fileName, base64: Buffer.from(bytes).toString('base64') });
