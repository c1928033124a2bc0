import { CofferError } from '../../../shared/errors';
import { ad, open, seal } from '../crypto/aead';
import type { KeyPairs } from '../crypto/keys';
import { packSecretKeys, unpackSecretKeys, wipe } from '../crypto/keys';
import type { RandomSource } from '../crypto/random';
import { sodium } from '../crypto/sodium';

/**
 * A service credential's secret (docs/product.md §6, SECURITY.md "Service credentials"). The client
 * secret is 256 random bits: nothing slow is needed to stretch it, so one BLAKE2b derives the key
 * that wraps the credential's private keys, and another the verifier stored beside them. The file
 * holds only those two; without the client secret the wrapped keys open nothing, and the verifier
 * (a one-way hash of a 256-bit value) does not lead back to it.
 */

const SECRET_BYTES = 32;
const PREFIX = 'coffer_cs_';
const SECRET_TEXT = /^coffer_cs_[A-Za-z0-9_-]{43}$/;

export interface CredentialSecret {
  /** What the user copies once: the prefix (so secret scanners can spot a leaked one) and base64url. */
  text: string;
  bytes: Uint8Array;
}

export function newClientSecret(random: RandomSource): CredentialSecret {
  const bytes = random.bytes(SECRET_BYTES);
  return { text: PREFIX + Buffer.from(bytes).toString('base64url'), bytes };
}

/** The bytes of a client secret as a pipeline passes it; any other shape is refused as AUTH, never echoed. */
export function parseClientSecret(text: string): Uint8Array {
  const trimmed = text.trim();
  if (!SECRET_TEXT.test(trimmed)) throw new CofferError('AUTH', 'the client secret is not one Coffer issued (coffer_cs_ and 43 characters)');
  return new Uint8Array(Buffer.from(trimmed.slice(PREFIX.length), 'base64url'));
}

function derive(purpose: string, vaultId: string, credentialId: string, secret: Uint8Array): Uint8Array {
  const context = ad(`coffer/v1/credential-${purpose}`, vaultId, credentialId);
  const message = new Uint8Array(context.length + secret.length);
  message.set(context, 0);
  message.set(secret, context.length);
  try {
    return sodium().crypto_generichash(32, message, null);
  } finally {
    wipe(message);
  }
}

export const credentialVerifier = (vaultId: string, credentialId: string, secret: Uint8Array) => derive('verifier', vaultId, credentialId, secret);

const keysContext = (vaultId: string, credentialId: string) => ad('coffer/v1/credential-keys', vaultId, credentialId);

/** The credential's private keys and the roster pin, sealed under the key its client secret derives. */
export function wrapCredentialKeys(vaultId: string, credentialId: string, secret: Uint8Array, keys: KeyPairs, pin: Uint8Array | undefined, random: RandomSource): Uint8Array {
  const key = derive('key', vaultId, credentialId, secret);
  const packed = packSecretKeys(keys, pin);
  try {
    return seal(key, packed, keysContext(vaultId, credentialId), random);
  } finally {
    wipe(key, packed);
  }
}

/**
 * The credential's keys when `secret` is its client secret: the verifier is compared in constant
 * time first, so a wrong secret fails as AUTH before any decryption is tried.
 */
export function unwrapCredentialKeys(
  vaultId: string,
  credentialId: string,
  secret: Uint8Array,
  stored: { verifier: Uint8Array; sealed_keys: Uint8Array },
): { keys: KeyPairs; pin: Uint8Array | undefined } {
  const verifier = credentialVerifier(vaultId, credentialId, secret);
  const matches = stored.verifier.length === verifier.length && sodium().memcmp(verifier, stored.verifier);
  if (!matches) throw new CofferError('AUTH', 'wrong client id or client secret, or the credential was revoked');
  const key = derive('key', vaultId, credentialId, secret);
  try {
    const packed = open(key, stored.sealed_keys, keysContext(vaultId, credentialId), 'credential keys');
    try {
      return unpackSecretKeys(packed);
    } finally {
      wipe(packed);
    }
  } finally {
    wipe(key);
  }
}
