import { CofferError } from '../../../shared/errors';
import type { RandomSource } from './random';
import { sodium } from './sodium';

export type KdfProfile = 'standard' | 'fast';

export interface KdfParams {
  alg: 'argon2id13';
  profile: KdfProfile;
  opslimit: number;
  memlimit: number;
  salt: Uint8Array;
}

const MiB = 1024 * 1024;
/** Floors and ceilings checked before any derivation, so a crafted file cannot hang or exhaust the machine. */
export const KDF_BOUNDS = {
  standard: { minOps: 3, maxOps: 10, minMem: 64 * MiB, maxMem: 1024 * MiB },
  fast: { minOps: 1, maxOps: 10, minMem: 8 * MiB, maxMem: 1024 * MiB },
} as const;

/** Minimum parameters: for tests and benchmarks only, recorded in the vault and warned about. */
export const FAST_KDF = { opslimit: 1, memlimit: 8 * MiB } as const;

const SALT_BYTES = 16;
const TARGET_MS = 600;

export function checkKdfParams(p: Pick<KdfParams, 'alg' | 'profile' | 'opslimit' | 'memlimit' | 'salt'>): void {
  const bounds = KDF_BOUNDS[p.profile];
  const valid =
    p.alg === 'argon2id13' &&
    bounds !== undefined &&
    Number.isInteger(p.opslimit) &&
    Number.isInteger(p.memlimit) &&
    p.opslimit >= bounds.minOps &&
    p.opslimit <= bounds.maxOps &&
    p.memlimit >= bounds.minMem &&
    p.memlimit <= bounds.maxMem &&
    p.salt.length === SALT_BYTES;
  if (!valid) throw new CofferError('TAMPERED', 'the key derivation parameters are outside the allowed range');
}

export function deriveKey(password: string, p: KdfParams): Uint8Array {
  checkKdfParams(p);
  const s = sodium();
  return s.crypto_pwhash(32, password, p.salt, p.opslimit, p.memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
}

/**
 * Picks Argon2id parameters that take about TARGET_MS here. Memory stays at 64 MiB (bounded RSS for
 * an app that stays open) and time cost grows first; memory grows only where opslimit 10 is too fast.
 */
export function calibrate(profile: KdfProfile, random: RandomSource, now: () => number = () => performance.now()): KdfParams {
  const salt = random.bytes(SALT_BYTES);
  if (profile === 'fast') return { alg: 'argon2id13', profile, ...FAST_KDF, salt };
  const b = KDF_BOUNDS.standard;
  const s = sodium();
  // The first derivation also grows the WASM heap; time a second one so the estimate is not skewed.
  s.crypto_pwhash(32, 'warm-up', salt, 1, b.minMem, s.crypto_pwhash_ALG_ARGON2ID13);
  const t0 = now();
  s.crypto_pwhash(32, 'calibration', salt, b.minOps, b.minMem, s.crypto_pwhash_ALG_ARGON2ID13);
  const perOp = Math.max(1, (now() - t0) / b.minOps);
  let opslimit = Math.min(b.maxOps, Math.max(b.minOps, Math.round(TARGET_MS / perOp)));
  let memlimit = b.minMem;
  if (perOp * b.maxOps < TARGET_MS) {
    opslimit = b.maxOps;
    const factor = Math.min(b.maxMem / b.minMem, Math.floor(TARGET_MS / (perOp * b.maxOps)));
    memlimit = b.minMem * Math.max(1, factor);
  }
  return { alg: 'argon2id13', profile, opslimit, memlimit, salt };
}
