import { beforeAll, describe, expect, it } from 'vitest';
import { ad, open, seal } from '../../electron/core/crypto/aead';
import { systemRandom } from '../../electron/core/crypto/random';
import { initSodium } from '../../electron/core/crypto/sodium';

const text = new TextEncoder();

describe('XChaCha20-Poly1305 with associated data', () => {
  beforeAll(async () => {
    await initSodium();
  });

  const key = systemRandom.bytes(32);
  const context = ad('vault-1', 'secret-1', 'scope-1', 'api-key', 1);

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
});
