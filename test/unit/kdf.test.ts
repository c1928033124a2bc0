import { beforeAll, describe, expect, it } from 'vitest';
import type { KdfParams } from '../../electron/core/crypto/kdf';
import { FAST_KDF, KDF_BOUNDS, calibrate, checkKdfParams, deriveKey } from '../../electron/core/crypto/kdf';
import { systemRandom } from '../../electron/core/crypto/random';
import { initSodium } from '../../electron/core/crypto/sodium';

const MiB = 1024 * 1024;
const tampered = expect.objectContaining({ code: 'TAMPERED' });
const params = (over: Partial<KdfParams> = {}): KdfParams => ({ alg: 'argon2id13', profile: 'fast', ...FAST_KDF, salt: new Uint8Array(16), ...over });

describe('KDF parameter bounds', () => {
  beforeAll(async () => {
    await initSodium();
  });

  it('the standard floor is the SPEC minimum: 64 MiB and 3 passes', () => {
    expect(KDF_BOUNDS.standard.minMem).toBe(64 * MiB);
    expect(KDF_BOUNDS.standard.minOps).toBe(3);
  });

  it('accept the fast profile at its floor, and the standard profile at its floor and ceiling', () => {
    expect(() => checkKdfParams(params())).not.toThrow();
    expect(() => checkKdfParams(params({ profile: 'standard', opslimit: 3, memlimit: 64 * MiB }))).not.toThrow();
    expect(() => checkKdfParams(params({ profile: 'standard', opslimit: 10, memlimit: 1024 * MiB }))).not.toThrow();
  });

  it.each<[string, Partial<KdfParams>]>([
    ['standard profile with fast parameters', { profile: 'standard' }],
    ['too few passes', { profile: 'standard', opslimit: 2, memlimit: 64 * MiB }],
    ['too many passes', { opslimit: 11 }],
    ['too little memory', { memlimit: 8 * MiB - 1 }],
    ['too much memory', { memlimit: 1024 * MiB + 1 }],
    ['a fractional pass count', { opslimit: 1.5 }],
    ['a short salt', { salt: new Uint8Array(15) }],
    ['a long salt', { salt: new Uint8Array(17) }],
    ['another algorithm', { alg: 'scrypt' as 'argon2id13' }],
    ['an unknown profile', { profile: 'turbo' as 'fast' }],
  ])('refuse %s as TAMPERED', (_what, over) => {
    expect(() => checkKdfParams(params(over))).toThrow(tampered);
    expect(() => deriveKey('password', params(over))).toThrow(tampered);
  });
});

describe('key derivation', () => {
  beforeAll(async () => {
    await initSodium();
  });

  it('is deterministic per password and salt, and differs for either', () => {
    const p = params({ salt: systemRandom.bytes(16) });
    const a = deriveKey('correct horse', p);
    expect(a).toHaveLength(32);
    expect(deriveKey('correct horse', p)).toEqual(a);
    expect(deriveKey('correct horsf', p)).not.toEqual(a);
    expect(deriveKey('correct horse', { ...p, salt: systemRandom.bytes(16) })).not.toEqual(a);
  });

  it('the fast profile is the minimum parameters with a fresh salt', () => {
    const a = calibrate('fast', systemRandom);
    const b = calibrate('fast', systemRandom);
    expect(a).toMatchObject({ alg: 'argon2id13', profile: 'fast', opslimit: 1, memlimit: 8 * MiB });
    expect(a.salt).toHaveLength(16);
    expect(Buffer.from(a.salt).equals(Buffer.from(b.salt))).toBe(false);
  });

  it('calibration stays inside the standard bounds on a slow and on a fast machine', () => {
    // A clock that reports each timed derivation as taking `ms`, so the outcome does not depend on this machine.
    const clock = (ms: number) => {
      let t = 0;
      return () => (t += ms);
    };
    const slow = calibrate('standard', systemRandom, clock(3000));
    expect(slow).toMatchObject({ profile: 'standard', opslimit: 3, memlimit: 64 * MiB });
    const fast = calibrate('standard', systemRandom, clock(30));
    expect(fast.opslimit).toBe(10);
    expect(fast.memlimit).toBeGreaterThan(64 * MiB);
    for (const p of [slow, fast]) expect(() => checkKdfParams(p)).not.toThrow();
  });
});
