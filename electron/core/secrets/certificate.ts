import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { CofferError } from '../../../shared/errors';
import type { Session } from '../vault/session';

export interface CertificateContent {
  type: 'certificate';
  /** PEM, whatever form was uploaded. */
  certificate: string;
  /** PKCS#8 PEM, or null when none was given. */
  privateKey: string | null;
  subject: string;
  issuer: string;
  serialNumber: string;
  fingerprint256: string;
  notBefore: number;
  notAfter: number;
}

export interface FileBytes {
  fileName: string;
  bytes: Buffer;
}

/** A file as it crosses a door: its name (for the extension check) and its bytes in base64. */
export interface FileInput {
  fileName: string;
  base64: string;
}

export const fileBytes = (f: FileInput): FileBytes => ({ fileName: f.fileName, bytes: Buffer.from(f.base64, 'base64') });

function parseCertificate(file: FileBytes): X509Certificate {
  try {
    // X509Certificate reads PEM and DER alike.
    return new X509Certificate(file.bytes);
  } catch {
    throw new CofferError('VALIDATION', `${file.fileName || 'the file'} is not a PEM or DER certificate, or it is damaged`, 'certificate');
  }
}

function parsePrivateKey(file: FileBytes): KeyObject {
  if (!file.fileName.toLowerCase().endsWith('.key')) throw new CofferError('VALIDATION', 'Private Key must be a .key file', 'privateKey');
  const text = file.bytes.toString('latin1');
  try {
    if (text.includes('-----BEGIN')) return createPrivateKey({ key: file.bytes, format: 'pem' });
    return createPrivateKey({ key: file.bytes, format: 'der', type: 'pkcs8' });
  } catch {
    throw new CofferError('VALIDATION', `${file.fileName} is not a private key (PEM, or DER PKCS#8), or it is encrypted or damaged`, 'privateKey');
  }
}

function keyMatches(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** Reads a certificate (and optional matching private key): expiry comes from notAfter, never typed. */
export function readCertificate(cert: FileBytes, key: FileBytes | null | undefined): CertificateContent {
  const x509 = parseCertificate(cert);
  let privateKey: string | null = null;
  if (key) {
    const k = parsePrivateKey(key);
    if (!keyMatches(x509, k)) throw new CofferError('VALIDATION', 'the private key does not match the certificate', 'privateKey');
    privateKey = k.export({ format: 'pem', type: 'pkcs8' }).toString();
  }
  return {
    type: 'certificate',
    certificate: x509.toString(),
    privateKey,
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    serialNumber: x509.serialNumber,
    fingerprint256: x509.fingerprint256,
    notBefore: new Date(x509.validFrom).getTime(),
    notAfter: new Date(x509.validTo).getTime(),
  };
}

/**
 * What the register form shows of a chosen certificate before anything is stored: its expiry comes
 * from the file, so the user sees it before registering. Needs an unlocked vault, like any read.
 */
export function inspectCertificate(session: Session, files: { certificate: FileInput; privateKey?: FileInput }): CertificateFacts {
  session.assertUnlocked();
  const c = readCertificate(fileBytes(files.certificate), files.privateKey ? fileBytes(files.privateKey) : null);
  return { subject: c.subject, issuer: c.issuer, notAfter: c.notAfter, hasKey: c.privateKey !== null };
}

export interface CertificateFacts {
  subject: string;
  issuer: string;
  notAfter: number;
  hasKey: boolean;
}

/** Checks a stored private key still matches when only the certificate is replaced. */
export function storedKeyMatches(certificatePem: string, privateKeyPem: string): boolean {
  return keyMatches(new X509Certificate(certificatePem), createPrivateKey(privateKeyPem));
}
