import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { open, seal } from '../../electron/core/crypto/aead';
import { nativeXChaCha } from '../../electron/core/crypto/native-xchacha';
import { systemRandom } from '../../electron/core/crypto/random';
import { initSodium, sodium } from '../../electron/core/crypto/sodium';

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });

/** libsodium's XChaCha20-Poly1305, the reference the native path must agree with byte for byte. */
const sodiumSeal = (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, context: Uint8Array) =>
  sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, context, null, nonce, key);
const sodiumOpen = (key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, context: Uint8Array) =>
  sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, context, nonce, key);

describe('XChaCha20-Poly1305 through the runtime cipher', () => {
  beforeAll(async () => {
    await initSodium();
  });

  it('is there in Node (Electron, without it, seals everything with libsodium)', () => {
    expect(nativeXChaCha()).toBeDefined();
  });

  it('seals exactly what libsodium seals, and each opens what the other sealed', () => {
    const native = nativeXChaCha()!;
    fc.assert(
      fc.property(bytes(32, 32), bytes(24, 24), bytes(0, 3000), bytes(0, 80), (key, nonce, plaintext, context) => {
        const ours = native.seal(key, nonce, plaintext, context);
        expect(Buffer.from(ours).equals(Buffer.from(sodiumSeal(key, nonce, plaintext, context)))).toBe(true);
        expect(Buffer.from(sodiumOpen(key, nonce, ours, context)).equals(Buffer.from(plaintext))).toBe(true);
        expect(Buffer.from(native.open(key, nonce, sodiumSeal(key, nonce, plaintext, context), context)!).equals(Buffer.from(plaintext))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('opens nothing whose ciphertext, tag, nonce, context or key was changed, or that was cut short', () => {
    const native = nativeXChaCha()!;
    type Box = { key: Uint8Array; nonce: Uint8Array; sealed: Uint8Array; context: Uint8Array };
    const flipAt = (b: Uint8Array, at: number) => {
      const c = Uint8Array.from(b.length > 0 ? b : [0]);
      c[at % c.length]! ^= 0x01;
      return c;
    };
    const changes: Record<string, (box: Box, at: number) => Box> = {
      key: (box, at) => ({ ...box, key: flipAt(box.key, at) }),
      nonce: (box, at) => ({ ...box, nonce: flipAt(box.nonce, at) }),
      'ciphertext or tag': (box, at) => ({ ...box, sealed: flipAt(box.sealed, at) }),
      context: (box, at) => ({ ...box, context: flipAt(box.context, at) }),
      'cut short': (box, at) => ({ ...box, sealed: box.sealed.subarray(0, at % box.sealed.length) }),
    };
    fc.assert(
      fc.property(bytes(32, 32), bytes(24, 24), bytes(1, 500), bytes(0, 40), fc.nat(), fc.constantFrom(...Object.keys(changes)), (key, nonce, plaintext, context, at, change) => {
        const b = changes[change]!({ key, nonce, sealed: native.seal(key, nonce, plaintext, context), context }, at);
        expect(native.open(b.key, b.nonce, b.sealed, b.context)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('takes over the large values of seal and open, in the same format', () => {
    const key = systemRandom.bytes(32);
    const context = Buffer.from('coffer/v1/names');
    for (const size of [8 * 1024 - 1, 8 * 1024, 85_000]) {
      const plaintext = systemRandom.bytes(size);
      const box = seal(key, plaintext, context, systemRandom);
      expect(Buffer.from(sodiumOpen(key, box.subarray(0, 24), box.subarray(24), context)).equals(Buffer.from(plaintext))).toBe(true);
      const theirs = Buffer.concat([box.subarray(0, 24), sodiumSeal(key, box.subarray(0, 24), plaintext, context)]);
      expect(Buffer.from(open(key, theirs, context, 'a name chunk')).equals(Buffer.from(plaintext))).toBe(true);
      const flipped = Uint8Array.from(theirs);
      flipped[size]! ^= 0x80;
      expect(() => open(key, flipped, context, 'a name chunk')).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    }
  });
});
