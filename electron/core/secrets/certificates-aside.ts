import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CofferError } from '../../../shared/errors';
import type { ErrorShape } from '../../../shared/errors';
import type { CertificateContent, FileBytes, FileInput } from './certificate';
import { fileBytes, readCertificate } from './certificate';

export interface CertificateFiles {
  certificate: FileInput;
  privateKey?: FileInput;
}

/** What reading one certificate gave, in a form that crosses threads. */
export type CertificateOutcome = { content: CertificateContent } | { error: ErrorShape };

export type CertificateReader = (certificate: FileBytes, privateKey: FileBytes | null) => CertificateContent;

export function readCertificateFiles(files: CertificateFiles): CertificateOutcome {
  try {
    return { content: readCertificate(fileBytes(files.certificate), files.privateKey ? fileBytes(files.privateKey) : null) };
  } catch (e) {
    if (e instanceof CofferError) return { error: e.toJSON() };
    return { error: { code: 'VALIDATION', message: 'the certificate could not be read', field: 'certificate' } };
  }
}

/** A reader that hands back what was already read, in place of reading again. */
export function alreadyRead(outcome: CertificateOutcome): CertificateReader {
  return () => {
    if ('content' in outcome) return outcome.content;
    throw new CofferError(outcome.error.code, outcome.error.message, outcome.error.field);
  };
}

/** Below this many certificates, starting a thread costs more than it saves. */
const ASIDE_MIN = 32;

/** The compiled worker; absent when the core runs from TypeScript sources (tests), which read inline. */
const WORKER = join(__dirname, 'certificate-worker.js');

/**
 * Reads an import's certificates on a second thread while the caller prepares everything else:
 * OpenSSL spends ~0.2 ms on a certificate and ~0.5 ms on a private key, seconds of a large import
 * that the other core can take. Falls back to reading inline when no thread can be started.
 */
export function readCertificatesAside(files: CertificateFiles[]): Promise<CertificateOutcome[]> {
  if (files.length < ASIDE_MIN || !existsSync(WORKER)) return Promise.resolve(files.map(readCertificateFiles));
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcomes: () => CertificateOutcome[]) => {
      if (settled) return;
      settled = true;
      resolve(outcomes());
    };
    const worker = new Worker(WORKER);
    worker.once('message', (outcomes: CertificateOutcome[]) => {
      settle(() => outcomes);
      void worker.terminate();
    });
    // A thread that cannot start (a packaged app's archive) or dies early: read them here instead.
    worker.once('error', () => settle(() => files.map(readCertificateFiles)));
    worker.once('exit', () => settle(() => files.map(readCertificateFiles)));
    worker.postMessage(files);
  });
}
