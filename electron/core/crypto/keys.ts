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

/** The hash of the roster's first entry (access/roster.ts): the chain this member's keys trust. */
export const PIN_BYTES = 32;

/**
 * Private keys as one blob to encrypt under the password key, with the roster pin once the member
 * has adopted the signed form (docs/product.md §1a): only the password opens or replaces it.
 */
export function packSecretKeys(k: KeyPairs, pin?: Uint8Array): Uint8Array {
  const out = new Uint8Array(k.boxSecret.length + k.signSecret.length + (pin?.length ?? 0));
  out.set(k.boxSecret, 0);
  out.set(k.signSecret, k.boxSecret.length);
  if (pin) out.set(pin, k.boxSecret.length + k.signSecret.length);
  return out;
}

/** The key pairs in a blob, public keys derived from the private ones (never read from a clear column), and its pin if any. */
export function unpackSecretKeys(blob: Uint8Array): { keys: KeyPairs; pin: Uint8Array | undefined } {
  const s = sodium();
  const boxLen = s.crypto_box_SECRETKEYBYTES;
  const keysLen = boxLen + s.crypto_sign_SECRETKEYBYTES;
  if (blob.length !== keysLen && blob.length !== keysLen + PIN_BYTES) throw new CofferError('TAMPERED', 'member keys failed verification');
  const boxSecret = blob.slice(0, boxLen);
  const signSecret = blob.slice(boxLen, keysLen);
  const keys = { boxSecret, signSecret, boxPublic: s.crypto_scalarmult_base(boxSecret), signPublic: s.crypto_sign_ed25519_sk_to_pk(signSecret) };
  return { keys, pin: blob.length > keysLen ? blob.slice(keysLen) : undefined };
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
export type IntegrityPurpose = 'settings' | 'audit' | 'roster';

/**
 * The MAC key of vault-wide records that no scope owns (settings, the audit chain, the roster's head), derived from
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
