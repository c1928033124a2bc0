import { randomBytes, randomUUID } from 'node:crypto';

/**
 * The core's one source of randomness (ARCHITECTURE.md rule 4). node:crypto is ~30x cheaper per
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

export const systemRandom: RandomSource = {
  bytes: pooled(),
  uuid: () => randomUUID(),
};
