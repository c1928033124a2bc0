// tsyringe, which @peculiar/x509 loads, needs the Reflect metadata polyfill in place first.
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/**
 * Self-signed P-256 certificates made in Node, for test and benchmark fixtures: no `openssl` binary
 * needed on the machine, and nothing committed that would expire.
 */
export interface SelfSigned {
  pem: string;
  der: Buffer;
  /** The private key as PKCS#8, PEM and DER. */
  keyPem: string;
  keyDer: Buffer;
  /** Unix milliseconds, whole seconds as certificates store them. */
  notAfter: number;
  keys: webcrypto.CryptoKeyPair;
}

export interface SelfSignedOptions {
  /** A distinguished name such as `CN=api.example.com, O=Acme`. */
  subject: string;
  /** Valid from now for this many days, unless `notBefore`/`notAfter` are given. */
  days?: number;
  notBefore?: Date;
  notAfter?: Date;
  /** Certify an existing key again (a renewal). */
  keys?: webcrypto.CryptoKeyPair;
}

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY_MS = 86_400_000;

const wholeSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

export async function selfSigned(opts: SelfSignedOptions): Promise<SelfSigned> {
  const keys = opts.keys ?? ((await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair);
  const now = Date.now();
  const notBefore = opts.notBefore ?? wholeSeconds(now);
  const notAfter = opts.notAfter ?? wholeSeconds(now + (opts.days ?? 30) * DAY_MS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: webcrypto.getRandomValues(new Uint8Array(8)).reduce((hex, b) => hex + b.toString(16).padStart(2, '0'), '7f'),
    name: opts.subject,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: EC_P256,
  });
  const keyDer = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as webcrypto.CryptoKey));
  const keyPem = createPrivateKey({ key: keyDer, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
  return { pem: cert.toString('pem') + '\n', der: Buffer.from(cert.rawData), keyPem, keyDer, notAfter: notAfter.getTime(), keys };
}
