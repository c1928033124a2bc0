import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SelfSigned } from '../../scripts/self-signed';
import { selfSigned } from '../../scripts/self-signed';

/** Certificate files made in Node (scripts/self-signed.ts); nothing is committed, no openssl needed. */
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
  /** Valid 2020-01-01 to 2021-01-01. */
  expiredPem: Buffer;
  expiredKey: Buffer;
  expiredNotAfter: number;
  /** A PEM certificate with its body damaged. */
  corrupt: Buffer;
}

export async function makeCertFixtures(): Promise<CertFixtures> {
  const site = await selfSigned({ subject: 'CN=api.example.com, O=Acme', days: 30 });
  const renewed = await selfSigned({ subject: 'CN=api.example.com, O=Acme', days: 60, keys: site.keys });
  const other = await selfSigned({ subject: 'CN=other.example', days: 90 });
  const expired = await selfSigned({ subject: 'CN=expired.example', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
  // Still PEM-shaped, but the DER inside is cut in half.
  const corrupt = `-----BEGIN CERTIFICATE-----\n${site.der.subarray(0, site.der.length >> 1).toString('base64')}\n-----END CERTIFICATE-----\n`;
  return {
    pem: Buffer.from(site.pem),
    der: site.der,
    key: Buffer.from(site.keyPem),
    keyDer: site.keyDer,
    notAfter: site.notAfter,
    renewedPem: Buffer.from(renewed.pem),
    renewedNotAfter: renewed.notAfter,
    otherPem: Buffer.from(other.pem),
    otherKey: Buffer.from(other.keyPem),
    otherNotAfter: other.notAfter,
    expiredPem: Buffer.from(expired.pem),
    expiredKey: Buffer.from(expired.keyPem),
    expiredNotAfter: expired.notAfter,
    corrupt: Buffer.from(corrupt),
  };
}

/** A new 30-day certificate and its key written as `cert` and `key` in `dir`, as a user would upload them. */
export async function writeCertFiles(dir: string, names = { cert: 'c.pem', key: 'k.key' }, subject = 'CN=test'): Promise<{ cert: string; key: string; made: SelfSigned }> {
  const made = await selfSigned({ subject, days: 30 });
  const paths = { cert: join(dir, names.cert), key: join(dir, names.key) };
  writeFileSync(paths.cert, made.pem);
  writeFileSync(paths.key, made.keyPem);
  return { ...paths, made };
}

/** A file as it crosses a door: name and base64 bytes. */
export const file = (fileName: string, bytes: Buffer | string) => ({ fileName, base64: Buffer.from(bytes).toString('base64') });
