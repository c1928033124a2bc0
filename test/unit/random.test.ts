import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../electron/core/crypto/random';

describe('the pooled random source', () => {
  it('never hands out the same bytes twice, across pool refills', () => {
    const seen = new Set<string>();
    // 40,000 × 24 bytes spans about 15 refills of the 64 KiB pool.
    for (let i = 0; i < 40_000; i++) {
      const nonce = Buffer.from(systemRandom.bytes(24)).toString('hex');
      expect(seen.has(nonce)).toBe(false);
      seen.add(nonce);
    }
  });

  it('returns independent copies of the requested length, large requests included', () => {
    const a = systemRandom.bytes(32);
    const b = systemRandom.bytes(32);
    a.fill(0);
    expect(b.some((x) => x !== 0)).toBe(true);
    expect(systemRandom.bytes(100_000).length).toBe(100_000);
    expect(systemRandom.bytes(0).length).toBe(0);
  });

  it('looks uniform: every byte value appears in 1 MiB of output', () => {
    const counts = new Uint32Array(256);
    for (let i = 0; i < 1024; i++) for (const x of systemRandom.bytes(1024)) counts[x]!++;
    const expected = (1024 * 1024) / 256;
    for (const c of counts) expect(Math.abs(c - expected)).toBeLessThan(expected * 0.1);
  });
});
