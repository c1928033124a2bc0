import { randomBytes, randomUUID } from 'node:crypto';

/**
 * The core's one source of randomness (ARCHITECTURE.md rule 4). node:crypto is ~30x cheaper per
 * call than libsodium.js's randombytes_buf, which matters for per-record nonces and data keys.
 */
export interface RandomSource {
  bytes(n: number): Uint8Array;
  uuid(): string;
}

export const systemRandom: RandomSource = {
  bytes: (n) => new Uint8Array(randomBytes(n)),
  uuid: () => randomUUID(),
};
