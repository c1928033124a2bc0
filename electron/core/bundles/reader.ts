import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CofferError } from '../../../shared/errors';
import { sodium } from '../crypto/sodium';
import type { BundleHeader } from './format';
import { CHUNK_BYTES, MAX_RECORD_BYTES, canonicalJson, PREAMBLE_BYTES, SIGNATURE_BYTES, SIGNATURE_CONTEXT, fromB64, headerDigest, parseHeader, parsePreamble } from './format';

const READ_BYTES = 1024 * 1024;
const truncated = () => new CofferError('TAMPERED', 'the bundle is truncated');

/** Reads a file front to back in 1 MiB blocks; asking for bytes past its end means it was cut short. */
class FileSource {
  private readonly fd: number;
  readonly size: number;
  private block = new Uint8Array(0);
  private at = 0;
  private position = 0;

  constructor(path: string) {
    try {
      this.fd = openSync(path, 'r');
    } catch {
      throw new CofferError('NOT_FOUND', `cannot read ${path}`, 'file');
    }
    this.size = fstatSync(this.fd).size;
  }

  /** Bytes not yet handed out. */
  get remaining(): number {
    return this.size - this.position;
  }

  read(n: number): Uint8Array {
    if (n > this.remaining) throw truncated();
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (this.at === this.block.length) this.fill();
      const take = Math.min(n - filled, this.block.length - this.at);
      out.set(this.block.subarray(this.at, this.at + take), filled);
      this.at += take;
      filled += take;
    }
    this.position += n;
    return out;
  }

  private fill(): void {
    const block = new Uint8Array(READ_BYTES);
    const got = readSync(this.fd, block, 0, block.length, null);
    if (got === 0) throw truncated();
    this.block = block.subarray(0, got);
    this.at = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface BundleHead {
  header: BundleHeader;
  signPublic: Uint8Array;
  size: number;
}

/** The header alone: what `inspect` and recipient selection need, before any key is used. */
export function readHead(path: string): BundleHead {
  const src = new FileSource(path);
  try {
    const length = parsePreamble(src.read(Math.min(PREAMBLE_BYTES, src.size)));
    const header = parseHeader(src.read(length));
    return { header, signPublic: fromB64(header.signer.signPublic), size: src.size };
  } finally {
    src.close();
  }
}

/** Splits the decrypted byte stream back into records (u32 length ‖ JSON); a record may span chunks. */
class RecordSplitter {
  private carry = new Uint8Array(0);
  count = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly onRecord: (record: unknown, index: number) => void) {}

  push(chunk: Uint8Array): void {
    let data = chunk;
    if (this.carry.length) {
      data = new Uint8Array(this.carry.length + chunk.length);
      data.set(this.carry, 0);
      data.set(chunk, this.carry.length);
      this.carry.fill(0);
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let at = 0;
    while (data.length - at >= 4) {
      const length = view.getUint32(at);
      if (length > MAX_RECORD_BYTES) throw new CofferError('TAMPERED', `record ${this.count + 1} of the bundle has an impossible length`);
      if (data.length - at - 4 < length) break;
      const bytes = data.subarray(at + 4, at + 4 + length);
      let record: unknown;
      try {
        record = JSON.parse(this.decoder.decode(bytes));
      } catch {
        throw new CofferError('TAMPERED', `record ${this.count + 1} of the bundle is not valid JSON`);
      }
      this.onRecord(record, this.count++);
      at += 4 + length;
    }
    this.carry = data.slice(at);
    data.fill(0);
  }

  end(): void {
    if (this.carry.length) throw new CofferError('TAMPERED', 'the bundle ends inside a record');
  }
}

/**
 * Reads the whole bundle once: every frame is fed to the signature check and, with the body key,
 * decrypted and split into records for `onRecord`. Throws TAMPERED on any altered, moved, missing or
 * extra byte, possibly after some records: what the caller does with them must be undone then.
 */
export function scanBundle(path: string, head: BundleHead, body?: { key: Uint8Array; onRecord: (record: unknown, index: number) => void }): void {
  const s = sodium();
  const ABYTES = s.crypto_secretstream_xchacha20poly1305_ABYTES;
  const src = new FileSource(path);
  const sign = s.crypto_sign_init();
  try {
    s.crypto_sign_update(sign, SIGNATURE_CONTEXT);
    const pre = src.read(PREAMBLE_BYTES);
    s.crypto_sign_update(sign, pre);
    const headerBytes = src.read(parsePreamble(pre));
    s.crypto_sign_update(sign, headerBytes);
    // The key was chosen from the header read before; the one verified here must be that same header.
    if (new TextDecoder().decode(headerBytes) !== canonicalJson(head.header)) throw new CofferError('TAMPERED', 'the bundle changed while it was being read');
    const ad = headerDigest(headerBytes);
    const streamHeader = src.read(s.crypto_secretstream_xchacha20poly1305_HEADERBYTES);
    s.crypto_sign_update(sign, streamHeader);
    let state: ReturnType<typeof s.crypto_secretstream_xchacha20poly1305_init_pull> | undefined;
    if (body) {
      try {
        state = s.crypto_secretstream_xchacha20poly1305_init_pull(streamHeader, body.key);
      } catch {
        throw new CofferError('TAMPERED', 'the bundle body failed verification');
      }
    }
    const records = body ? new RecordSplitter(body.onRecord) : undefined;
    let finalSeen = false;
    let chunkNo = 0;
    while (src.remaining > SIGNATURE_BYTES) {
      if (finalSeen) throw new CofferError('TAMPERED', 'the bundle has data after its final chunk');
      const lengthBytes = src.read(4);
      const length = new DataView(lengthBytes.buffer).getUint32(0);
      if (length < ABYTES || length > CHUNK_BYTES + ABYTES) throw new CofferError('TAMPERED', `chunk ${chunkNo + 1} of the bundle has an impossible length`);
      const ct = src.read(length);
      s.crypto_sign_update(sign, lengthBytes);
      s.crypto_sign_update(sign, ct);
      chunkNo++;
      if (!state || !records) {
        // Without the key a chunk is only framed and signed; the last frame must end at the signature.
        finalSeen = src.remaining === SIGNATURE_BYTES;
        continue;
      }
      let pulled: { message: Uint8Array; tag: number } | false;
      try {
        pulled = s.crypto_secretstream_xchacha20poly1305_pull(state, ct, ad);
      } catch {
        pulled = false;
      }
      if (!pulled) throw new CofferError('TAMPERED', `chunk ${chunkNo} of the bundle failed verification`);
      finalSeen = pulled.tag === s.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
      if (!finalSeen && pulled.message.length !== CHUNK_BYTES) throw new CofferError('TAMPERED', `chunk ${chunkNo} of the bundle is short`);
      records.push(pulled.message);
      pulled.message.fill(0);
    }
    if (!finalSeen) throw truncated();
    if (src.remaining !== SIGNATURE_BYTES) throw truncated();
    const signature = src.read(SIGNATURE_BYTES);
    if (!s.crypto_sign_final_verify(sign, signature, head.signPublic)) {
      throw new CofferError('TAMPERED', `the bundle's signature does not verify: it was altered after ${head.header.signer.name} signed it`);
    }
    if (records) {
      records.end();
      if (records.count !== head.header.items) throw new CofferError('TAMPERED', `the bundle announces ${head.header.items} secrets but holds ${records.count}`);
    }
  } finally {
    src.close();
  }
}
