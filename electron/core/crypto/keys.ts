import { CofferError } from '../../../shared/errors';
import { sodium } from './sodium';

/** A member's (or credential's) two key pairs: X25519 for sealed boxes, Ed25519 for signatures. */
export interface KeyPairs {
  boxPublic: Uint8Array;
  boxSecret: Uint8Array;
  signPublic: Uint8Array;
  signSecret: Uint8Array;
}

export function newKeyPairs(): KeyPairs {
  const s = sodium();
  const box = s.crypto_box_keypair();
  const sign = s.crypto_sign_keypair();
  return { boxPublic: box.publicKey, boxSecret: box.privateKey, signPublic: sign.publicKey, signSecret: sign.privateKey };
}

/** Private keys as one blob to encrypt under the password key. */
export function packSecretKeys(k: KeyPairs): Uint8Array {
  const out = new Uint8Array(k.boxSecret.length + k.signSecret.length);
  out.set(k.boxSecret, 0);
  out.set(k.signSecret, k.boxSecret.length);
  return out;
}

export function unpackSecretKeys(blob: Uint8Array, boxPublic: Uint8Array, signPublic: Uint8Array): KeyPairs {
  const s = sodium();
  const boxLen = s.crypto_box_SECRETKEYBYTES;
  if (blob.length !== boxLen + s.crypto_sign_SECRETKEYBYTES) throw new CofferError('TAMPERED', 'member keys failed verification');
  return { boxPublic, signPublic, boxSecret: blob.slice(0, boxLen), signSecret: blob.slice(boxLen) };
}

/** Seals a scope key to one grantee's X25519 public key (crypto_box_seal). */
export function sealTo(publicKey: Uint8Array, key: Uint8Array): Uint8Array {
  return sodium().crypto_box_seal(key, publicKey);
}

/** Opens a sealed scope key; a box sealed to anyone else fails, whatever the permission table says. */
export function openSealed(sealed: Uint8Array, keys: Pick<KeyPairs, 'boxPublic' | 'boxSecret'>): Uint8Array {
  try {
    return sodium().crypto_box_seal_open(sealed, keys.boxPublic, keys.boxSecret);
  } catch {
    throw new CofferError('TAMPERED', 'a scope key could not be opened');
  }
}

const BLIND_CONTEXT = new TextEncoder().encode('coffer/v1/blind-index');

/** The key of a scope's blind index, derived so the scope key itself never serves two purposes. */
export function blindIndexKey(scopeKey: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, BLIND_CONTEXT, scopeKey);
}

/** What a vault-wide MAC protects; each purpose has its own key. */
export type IntegrityPurpose = 'settings' | 'audit';

/**
 * The MAC key of vault-wide records that no scope owns (settings, the audit chain), derived from
 * the organization key: every member holds it, and a removed member's copy stops working when the
 * organization key rotates (docs/product.md §1a).
 */
export function integrityKey(orgKey: Uint8Array, purpose: IntegrityPurpose): Uint8Array {
  return sodium().crypto_generichash(32, new TextEncoder().encode(`coffer/v1/integrity/${purpose}`), orgKey);
}

/** Normalized name → keyed hash: equal names in one scope collide, nothing else is revealed. */
export function blindHash(indexKey: Uint8Array, name: string): Uint8Array {
  return sodium().crypto_generichash(32, normalizeName(name), indexKey);
}

export function normalizeName(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/** Zeroes key material; JavaScript may still hold copies elsewhere (see SECURITY.md). */
export function wipe(...buffers: (Uint8Array | undefined)[]): void {
  const s = sodium();
  for (const b of buffers) if (b) s.memzero(b);
}
