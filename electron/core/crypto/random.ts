import { randomBytes } from 'node:crypto';

/**
 * The core's one source of randomness (docs/architecture.md "Conventions the code follows"). node:crypto is ~30x cheaper per
 * call than libsodium.js's randombytes_buf, which matters for per-record nonces and data keys.
 */
export interface RandomSource {
  bytes(n: number): Uint8Array;
  uuid(): string;
}

const POOL_BYTES = 64 * 1024;

/**
 * CSPRNG bytes drawn from a pool refilled 64 KiB at a time: a bulk import asks for three small
 * values per secret, and one randomBytes call per value cost more than the encryption. Every byte
 * is handed out once and copied out, so no two callers share bytes.
 */
function pooled(): (n: number) => Uint8Array {
  let pool = randomBytes(POOL_BYTES);
  let offset = 0;
  return (n) => {
    if (n > POOL_BYTES / 4) return new Uint8Array(randomBytes(n));
    if (offset + n > POOL_BYTES) {
      pool.fill(0);
      pool = randomBytes(POOL_BYTES);
      offset = 0;
    }
    const out = new Uint8Array(n);
    out.set(pool.subarray(offset, offset + n));
    pool.fill(0, offset, offset + n);
    offset += n;
    return out;
  };
}

/**
 * UUID version 7 (RFC 9562): milliseconds first, then a counter within the millisecond (method 1),
 * then random bits. Ids that grow with time make every index keyed by a secret id an append: a bulk
 * import of 100,000 secrets spent a fifth of its time on inserts at random places in those indexes.
 * The creation time an id reveals is stored in clear beside it anyway (docs/product.md §3).
 */
export function timeOrderedUuid(bytes: (n: number) => Uint8Array, now: () => number = Date.now): () => string {
  let lastMs = -1;
  let counter = 0;
  return () => {
    let ms = now();
    if (ms > lastMs) {
      lastMs = ms;
      counter = 0;
    } else if (++counter > 0xfff) {
      // More than 4,096 ids in one millisecond: borrow the next one, so order still holds.
      lastMs++;
      counter = 0;
    }
    ms = lastMs;
    const b = bytes(16);
    b[0] = Math.floor(ms / 2 ** 40) & 0xff;
    b[1] = Math.floor(ms / 2 ** 32) & 0xff;
    b[2] = (ms >>> 24) & 0xff;
    b[3] = (ms >>> 16) & 0xff;
    b[4] = (ms >>> 8) & 0xff;
    b[5] = ms & 0xff;
    b[6] = 0x70 | (counter >>> 8);
    b[7] = counter & 0xff;
    b[8] = 0x80 | (b[8]! & 0x3f);
    const h = Buffer.from(b.buffer, b.byteOffset, 16).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
}

const poolBytes = pooled();

export const systemRandom: RandomSource = {
  bytes: poolBytes,
  uuid: timeOrderedUuid(poolBytes),
};
