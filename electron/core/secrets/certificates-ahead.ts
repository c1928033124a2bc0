import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { CofferError } from '../../../shared/errors';
import type { ErrorShape } from '../../../shared/errors';
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

/** What the two threads share: how many outcomes the thread has posted, and the next certificate nobody has claimed. */
export const POSTED = 0;
export const NEXT = 1;

/** Claims the next certificate below `available`, or -1: each is read once, by whichever thread claims it. */
export function claim(shared: Int32Array, available: number): number {
  for (;;) {
    const next = Atomics.load(shared, NEXT);
    if (next >= available) return -1;
    if (Atomics.compareExchange(shared, NEXT, next, next + 1) === next) return next;
  }
}

/** What the thread is sent: certificates `from`, `from + 1`… in the order they were added. */
export interface CertificatesToRead {
  from: number;
  files: (CertificateFiles | undefined)[];
}

/** Below this many certificates, starting a thread costs more than it saves. */
const AHEAD_MIN = 32;
/** Certificates are sent to the thread this many at a time. */
const SEND_EVERY = 16;
/** A thread silent this long while holding a claimed certificate is taken for dead: the rest is read here. */
const STALL_MS = 5000;

/** The compiled worker; absent when the core runs from TypeScript sources (tests), which read inline. */
const WORKER = join(__dirname, 'certificate-worker.js');

/**
 * Reads an import's certificates on a second thread ahead of the caller, who takes each outcome
 * when it reaches that item, inside its write transaction, without awaiting: OpenSSL spends ~0.1 ms
 * on a certificate and ~0.4 ms on a private key, seconds of a large import that the other core can
 * take. A caller who catches up reads the next unclaimed certificates itself rather than wait, and
 * everything is read inline when no thread can be started.
 */
export class CertificatesAhead {
  /** Cleared once taken, so a large import does not hold every certificate to its end. */
  private readonly files: (CertificateFiles | undefined)[] = [];
  private readonly outcomes: (CertificateOutcome | undefined)[] = [];
  private readonly shared = new Int32Array(new SharedArrayBuffer(8));
  private thread: { worker: Worker; port: MessagePort } | undefined;
  private sent = 0;
  private abandoned = false;

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
    this.files.push(files);
    if (!this.thread && !this.abandoned && this.files.length >= AHEAD_MIN) this.start();
    if (this.files.length - this.sent >= SEND_EVERY) this.send();
    return this.files.length - 1;
  }

  private send(): void {
    if (!this.thread || this.sent === this.files.length) return;
    const message: CertificatesToRead = { from: this.sent, files: this.files.slice(this.sent) };
    this.thread.port.postMessage(message);
    this.sent = this.files.length;
  }

  /** The outcome of certificate `ticket`, read by the thread or here. */
  take(ticket: number): CertificateOutcome {
    this.send();
    while (this.outcomes[ticket] === undefined) {
      // Read before the port is: an outcome posted after this is counted after it too, so the wait
      // below returns at once instead of waiting for a post that may never come (it did: 5 s).
      const posted = Atomics.load(this.shared, POSTED);
      this.receive();
      if (this.outcomes[ticket] !== undefined) break;
      // Claimed here too, even with no thread: one that starts later begins after what was read here.
      const mine = claim(this.shared, this.files.length);
      if (mine >= 0) {
        this.outcomes[mine] = readCertificateFiles(this.files[mine]!);
        continue;
      }
      if (!this.thread) {
        // Claimed by a thread that was closed before it posted the outcome.
        this.outcomes[ticket] = readCertificateFiles(this.files[ticket]!);
        break;
      }
      // The thread holds this one: wait for its next outcome.
      if (Atomics.wait(this.shared, POSTED, posted, STALL_MS) === 'timed-out') this.close();
    }
    const outcome = this.outcomes[ticket]!;
    this.outcomes[ticket] = undefined;
    this.files[ticket] = undefined;
    return outcome;
  }

  /** How many certificates the thread has read so far. */
  get readByThread(): number {
    return Atomics.load(this.shared, POSTED);
  }

  /** Stops the thread; what it had not posted is read here if asked for. */
  close(): void {
    if (!this.thread) return;
    this.receive();
    void this.thread.worker.terminate();
    this.thread.port.close();
    this.thread = undefined;
    this.abandoned = true;
  }

  private start(): void {
    if (!existsSync(WORKER)) {
      this.abandoned = true;
      return;
    }
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER, { workerData: { port: port2, shared: this.shared }, transferList: [port2] });
    // A thread that cannot start (a packaged app's archive) claims nothing: the caller reads everything.
    worker.on('error', () => undefined);
    worker.unref();
    this.thread = { worker, port: port1 };
    // Its first message carries what was queued and not read here yet.
    this.sent = Math.min(Atomics.load(this.shared, NEXT), this.files.length);
  }

  private receive(): void {
    if (!this.thread) return;
    for (let m = receiveMessageOnPort(this.thread.port); m; m = receiveMessageOnPort(this.thread.port)) {
      const [ticket, outcome] = m.message as [number, CertificateOutcome];
      this.outcomes[ticket] = outcome;
    }
  }
}
