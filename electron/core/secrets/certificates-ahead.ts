import { join } from 'node:path';
import { CofferError } from '../../../shared/errors';
import type { ErrorShape } from '../../../shared/errors';
import { WorkAhead } from '../threads/work-ahead';
import type { RegisterSecretInput } from '../../../shared/schemas/secrets';
import type { CertificateContent, FileBytes, FileInput } from './certificate';
import { fileBytes, readCertificate } from './certificate';

export interface CertificateFiles {
  certificate: FileInput;
  privateKey?: FileInput;
}

/** What reading one certificate gave, in a form that crosses threads. */
export type CertificateOutcome = { content: CertificateContent } | { error: ErrorShape };

export type CertificateReader = (certificate: FileBytes, privateKey: FileBytes | null) => CertificateContent;

/** The certificate files of an input that looks like a certificate; its validation comes later. */
function certificateFiles(input: RegisterSecretInput): CertificateFiles | undefined {
  const fields = input.fields as Partial<CertificateFiles> | undefined;
  return input.type === 'certificate' && typeof fields?.certificate?.base64 === 'string' ? (fields as CertificateFiles) : undefined;
}

export function readCertificateFiles(files: CertificateFiles): CertificateOutcome {
  try {
    return { content: readCertificate(fileBytes(files.certificate), files.privateKey ? fileBytes(files.privateKey) : null) };
  } catch (e) {
    if (e instanceof CofferError) return { error: e.toJSON() };
    return { error: { code: 'VALIDATION', message: 'the certificate could not be read', field: 'certificate' } };
  }
}

/** A reader that hands back what was already read, in place of reading again. */
function alreadyRead(outcome: CertificateOutcome): CertificateReader {
  return () => {
    if ('content' in outcome) return outcome.content;
    throw new CofferError(outcome.error.code, outcome.error.message, outcome.error.field);
  };
}

/** Below this many certificates, starting a thread costs more than it saves. */
const AHEAD_MIN = 32;

/** The compiled worker; absent when the core runs from TypeScript sources (tests), which read inline. */
const WORKER = join(__dirname, 'certificate-worker.js');

/**
 * Reads an import's certificates on a second thread ahead of the caller, who takes each outcome
 * when it reaches that item, inside its write transaction, without awaiting: OpenSSL spends ~0.1 ms
 * on a certificate and ~0.4 ms on a private key, seconds of a large import that the other core can
 * take (threads/work-ahead.ts: the caller who catches up reads the next ones itself).
 */
export class CertificatesAhead {
  private readonly work = new WorkAhead<CertificateFiles, CertificateOutcome>({
    worker: WORKER,
    startFrom: AHEAD_MIN,
    sendEvery: 16,
    stallMs: 5000,
    run: readCertificateFiles,
  });

  /** Queues the certificate of an input that has one; returns the ticket for `reader`, or -1. */
  ticket(input: RegisterSecretInput): number {
    const files = certificateFiles(input);
    return files ? this.add(files) : -1;
  }

  /** The reader of a ticket's outcome, for contentFromFields: undefined for an input without certificate. */
  reader(ticket: number): CertificateReader | undefined {
    return ticket >= 0 ? alreadyRead(this.take(ticket)) : undefined;
  }

  /** Queues a certificate; returns its ticket for `take`. */
  add(files: CertificateFiles): number {
    return this.work.add(files);
  }

  /** The outcome of certificate `ticket`, read by the thread or here. */
  take(ticket: number): CertificateOutcome {
    return this.work.take(ticket);
  }

  /** How many certificates the thread has read so far. */
  get readByThread(): number {
    return this.work.doneByThread;
  }

  /** Ends the thread; what it had not posted is read here if asked for. */
  close(): void {
    this.work.close();
  }
}
