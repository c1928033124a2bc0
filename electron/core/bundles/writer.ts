import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { CofferError } from '../../../shared/errors';
import { sodium } from '../crypto/sodium';
import type { BundleHeader } from './format';
import { CHUNK_BYTES, MAX_RECORD_BYTES, SIGNATURE_CONTEXT, canonicalJson, headerDigest, preamble } from './format';

const encoder = new TextEncoder();
/** Ciphertext is gathered to this size before each write(2). */
const OUT_BYTES = 1024 * 1024;

/**
 * Writes a bundle as it goes: records are framed into a 64 KiB plaintext chunk, each full chunk is
 * encrypted (secretstream) and written, and everything written is fed to a multi-part Ed25519
 * signature. At no point does more than one chunk of plaintext sit here.
 */
export class BundleWriter {
  private readonly fd: number;
  private readonly sign = sodium().crypto_sign_init();
  private readonly stream: ReturnType<ReturnType<typeof sodium>['crypto_secretstream_xchacha20poly1305_init_push']>['state'];
  private readonly ad: Uint8Array;
  private readonly chunk = new Uint8Array(CHUNK_BYTES);
  private readonly view = new DataView(this.chunk.buffer);
  private filled = 0;
  private out = new Uint8Array(OUT_BYTES);
  private outLength = 0;
  private written = 0;
  private records = 0;
  private done = false;

  /** Creates `path` (never overwrites) and writes the preamble, the header and the stream header. */
  constructor(
    private readonly path: string,
    private readonly header: BundleHeader,
    bodyKey: Uint8Array,
  ) {
    try {
      this.fd = openSync(path, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new CofferError('CONFLICT', `${path} already exists`, 'out');
      throw new CofferError('VALIDATION', `cannot create ${path}`, 'out');
    }
    const s = sodium();
    const headerBytes = encoder.encode(canonicalJson(header));
    this.ad = headerDigest(headerBytes);
    const push = s.crypto_secretstream_xchacha20poly1305_init_push(bodyKey);
    this.stream = push.state;
    s.crypto_sign_update(this.sign, SIGNATURE_CONTEXT);
    this.emit(preamble(headerBytes.length));
    this.emit(headerBytes);
    this.emit(push.header);
  }

  /** Appends one record (u32 length ‖ UTF-8 JSON) to the plaintext stream. */
  add(record: unknown): void {
    const json = JSON.stringify(record);
    // Encoded straight into the chunk when it surely fits (UTF-8 takes at most 3 bytes per unit):
    // no plaintext copy to make and wipe, for all but the records that straddle two chunks.
    if (this.filled + 4 + json.length * 3 <= CHUNK_BYTES) {
      const { written } = encoder.encodeInto(json, this.chunk.subarray(this.filled + 4));
      this.view.setUint32(this.filled, written);
      this.filled += 4 + written;
      this.records++;
      return;
    }
    const bytes = encoder.encode(json);
    if (bytes.length > MAX_RECORD_BYTES) throw new CofferError('VALIDATION', 'a secret is too large for a bundle record');
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, bytes.length);
    this.append(length);
    this.append(bytes);
    bytes.fill(0);
    this.records++;
  }

  private append(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) {
      // A full chunk is sealed only once more data follows it: the last one must carry TAG_FINAL.
      if (this.filled === CHUNK_BYTES) this.seal(false);
      const n = Math.min(bytes.length - at, CHUNK_BYTES - this.filled);
      this.chunk.set(bytes.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
    }
  }

  private seal(final: boolean): void {
    const s = sodium();
    const tag = final ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const ct = s.crypto_secretstream_xchacha20poly1305_push(this.stream, this.chunk.subarray(0, this.filled), this.ad, tag);
    this.chunk.fill(0, 0, this.filled);
    this.filled = 0;
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, ct.length);
    this.emit(length);
    this.emit(ct);
  }

  /** Signs and buffers bytes of the file; the signature covers everything before it. */
  private emit(bytes: Uint8Array, signed = true): void {
    if (signed) sodium().crypto_sign_update(this.sign, bytes);
    if (this.outLength + bytes.length > this.out.length) this.flushOut();
    if (bytes.length > this.out.length) this.out = new Uint8Array(bytes.length);
    this.out.set(bytes, this.outLength);
    this.outLength += bytes.length;
  }

  private flushOut(): void {
    let at = 0;
    while (at < this.outLength) at += writeSync(this.fd, this.out, at, this.outLength - at);
    this.written += this.outLength;
    this.outLength = 0;
  }

  /** Seals the last chunk, appends the signature and makes the file durable; returns its size. */
  finish(signSecret: Uint8Array): number {
    if (this.records !== this.header.items) throw new CofferError('INTERNAL', `the bundle announced ${this.header.items} secrets but holds ${this.records}`);
    this.seal(true);
    this.emit(sodium().crypto_sign_final_create(this.sign, signSecret), false);
    this.flushOut();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.done = true;
    return this.written;
  }

  /** Removes the file: a partial bundle is no bundle, and a finished one whose export failed was never made. */
  abort(): void {
    this.chunk.fill(0);
    try {
      if (!this.done) closeSync(this.fd);
    } finally {
      this.done = true;
      rmSync(this.path, { force: true });
    }
  }
}
