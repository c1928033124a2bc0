import { describe, expect, it } from 'vitest';
import { systemRandom, timeOrderedUuid } from '../../electron/core/crypto/random';

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

describe('time-ordered ids (UUID version 7)', () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('are version 7 UUIDs that carry their millisecond and sort in the order they were made', () => {
    let ms = Date.parse('2026-11-25T12:00:00Z');
    const next = timeOrderedUuid(systemRandom.bytes, () => ms);
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      if (i % 3000 === 0) ms += 1; // 3,000 in one millisecond uses the counter
      ids.push(next());
    }
    for (const id of ids) expect(id).toMatch(uuid);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse('2026-11-25T12:00:00Z') + 1);
  });

  it('stay ordered past 4,096 in one millisecond, and when the clock steps back', () => {
    let ms = 1_000_000;
    const next = timeOrderedUuid(systemRandom.bytes, () => ms);
    const ids = Array.from({ length: 9000 }, () => next());
    ms -= 500;
    ids.push(next(), next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
