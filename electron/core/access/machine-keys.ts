import { sameBytes } from '../crypto/same-bytes';
import { CofferError } from '../../../shared/errors';
import { ad, open, seal } from '../crypto/aead';
import type { KeyPairs } from '../crypto/keys';
import { packSecretKeys, unpackSecretKeys, wipe } from '../crypto/keys';
import type { RandomSource } from '../crypto/random';
import { sodium } from '../crypto/sodium';

/**
 * The secrets of machine identities (SECURITY.md "Service credentials", "Service accounts"): a
 * service credential's client secret and a service-account key's secret. Each is 256 random bits:
 * nothing slow is needed to stretch it, so BLAKE2b derives the key that wraps the identity's private
 * keys, the verifier stored beside them and, for account keys (a Bearer token is the secret alone),
 * the lookup that finds them. The file holds only those; without the secret the wrapped keys open
 * nothing, and none of the hashes leads back to it.
 */

export type MachineKind = 'credential' | 'account-key';

const SECRET_BYTES = 32;
/** What the user copies once starts with its kind, so secret scanners can spot a leaked one. */
const PREFIX: Record<MachineKind, string> = { credential: 'coffer_cs_', 'account-key': 'coffer_sak_' };
const WHAT: Record<MachineKind, string> = { credential: 'client secret', 'account-key': 'service-account key secret' };

export interface MachineSecret {
  text: string;
  bytes: Uint8Array;
}

export function newMachineSecret(kind: MachineKind, random: RandomSource): MachineSecret {
  const bytes = random.bytes(SECRET_BYTES);
  return { text: PREFIX[kind] + Buffer.from(bytes).toString('base64url'), bytes };
}

/** The bytes of a secret as a pipeline or a REST client passes it; any other shape is refused as AUTH, never echoed. */
export function parseMachineSecret(kind: MachineKind, text: string): Uint8Array {
  const trimmed = text.trim();
  const body = trimmed.startsWith(PREFIX[kind]) ? trimmed.slice(PREFIX[kind].length) : '';
  if (!/^[A-Za-z0-9_-]{43}$/.test(body)) throw new CofferError('AUTH', `the ${WHAT[kind]} is not one Coffer issued (${PREFIX[kind]} and 43 characters)`);
  return new Uint8Array(Buffer.from(body, 'base64url'));
}

function derive(kind: MachineKind, purpose: string, vaultId: string, id: string, secret: Uint8Array): Uint8Array {
  const context = ad(`coffer/v1/${kind}-${purpose}`, vaultId, id);
  const message = new Uint8Array(context.length + secret.length);
  message.set(context, 0);
  message.set(secret, context.length);
  try {
    return sodium().crypto_generichash(32, message, null);
  } finally {
    wipe(message);
  }
}

export const machineVerifier = (kind: MachineKind, vaultId: string, id: string, secret: Uint8Array) => derive(kind, 'verifier', vaultId, id, secret);

/** Finds an account key from its secret alone (a Bearer token); the verifier is then checked as for any secret. */
export const machineLookup = (kind: MachineKind, vaultId: string, secret: Uint8Array) => derive(kind, 'lookup', vaultId, '', secret);

const keysContext = (kind: MachineKind, vaultId: string, id: string) => ad(`coffer/v1/${kind}-keys`, vaultId, id);

/** The identity's private keys and the roster pin, sealed under the key its secret derives. */
export function wrapMachineKeys(kind: MachineKind, vaultId: string, id: string, secret: Uint8Array, keys: KeyPairs, pin: Uint8Array | undefined, random: RandomSource): Uint8Array {
  const key = derive(kind, 'key', vaultId, id, secret);
  const packed = packSecretKeys(keys, pin);
  try {
    return seal(key, packed, keysContext(kind, vaultId, id), random);
  } finally {
    wipe(key, packed);
  }
}

/**
 * The identity's keys when `secret` is its secret: the verifier is compared in constant time
 * first, so a wrong secret fails as AUTH before any decryption is tried.
 */
export function unwrapMachineKeys(
  kind: MachineKind,
  vaultId: string,
  id: string,
  secret: Uint8Array,
  stored: { verifier: Uint8Array; sealed_keys: Uint8Array },
): { keys: KeyPairs; pin: Uint8Array | undefined } {
  const verifier = machineVerifier(kind, vaultId, id, secret);
  if (!sameBytes(stored.verifier, verifier)) throw new CofferError('AUTH', kind === 'credential' ? 'wrong client id or client secret, or the credential was revoked' : 'wrong, renewed or deleted service-account key');
  const key = derive(kind, 'key', vaultId, id, secret);
  try {
    const packed = open(key, stored.sealed_keys, keysContext(kind, vaultId, id), `${kind} keys`);
    try {
      return unpackSecretKeys(packed);
    } finally {
      wipe(packed);
    }
  } finally {
    wipe(key);
  }
}
