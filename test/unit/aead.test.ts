import { beforeAll, describe, expect, it } from 'vitest';
import { ad, open, seal, sealText, slabs } from '../../electron/core/crypto/aead';
import { systemRandom } from '../../electron/core/crypto/random';
import { initSodium } from '../../electron/core/crypto/sodium';

const text = new TextEncoder();

describe('XChaCha20-Poly1305 with associated data', () => {
  beforeAll(async () => {
    await initSodium();
  });

  const key = systemRandom.bytes(32);
  const context = ad('vault-1', 'secret-1', 'scope-1', 'api-key', 1);

  it('associated data is its parts in UTF-8, joined by U+001F', () => {
    expect(Array.from(ad('a', 'é', 42))).toEqual(Array.from(new TextEncoder().encode('a\u001fé\u001f42')));
  });

  it('round-trips a value', () => {
    const box = seal(key, text.encode('sk_live_123'), context, systemRandom);
    expect(new TextDecoder().decode(open(key, box, context, 'record'))).toBe('sk_live_123');
  });

  it('uses a fresh nonce every time', () => {
    const a = seal(key, text.encode('same'), context, systemRandom);
    const b = seal(key, text.encode('same'), context, systemRandom);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('refuses a flipped byte, another context and another key as TAMPERED', () => {
    const box = seal(key, text.encode('value'), context, systemRandom);
    for (let i = 0; i < box.length; i++) {
      const flipped = box.slice();
      flipped[i]! ^= 0x01;
      expect(() => open(key, flipped, context, 'record')).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
    }
    expect(() => open(key, box, ad('vault-1', 'secret-2', 'scope-1', 'api-key', 1), 'record')).toThrow(
      expect.objectContaining({ code: 'TAMPERED' }),
    );
    expect(() => open(systemRandom.bytes(32), box, context, 'record')).toThrow(expect.objectContaining({ code: 'TAMPERED' }));
  });

  it('seals text as its UTF-8 bytes', () => {
    const value = 'clé: ключ 🔑';
    expect(new TextDecoder().decode(open(key, sealText(key, value, context, systemRandom), context, 'record'))).toBe(value);
    const long = 'x'.repeat(10_000);
    expect(new TextDecoder().decode(open(key, sealText(key, long, context, systemRandom), context, 'record'))).toBe(long);
  });

  it('carves a batch of ciphertexts out of shared buffers, each still its own value', () => {
    const alloc = slabs();
    const values = Array.from({ length: 3000 }, (_, i) => `value ${i} `.repeat(1 + (i % 40)));
    const boxes = values.map((v) => seal(key, text.encode(v), context, systemRandom, alloc));
    expect(new Set(boxes.map((b) => b.buffer)).size).toBeLessThan(5);
    expect(boxes.map((b) => new TextDecoder().decode(open(key, b, context, 'record')))).toEqual(values);
    // A large value gets a buffer of its own, so it never pins a slab.
    const big = seal(key, new Uint8Array(200_000), context, systemRandom, alloc);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(big.length);
  });
});
