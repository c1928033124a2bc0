import { CofferError } from '../../../shared/errors';
import type { RandomSource } from './random';
import { sodium } from './sodium';

export const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const encoder = new TextEncoder();

/** Associated data: the context a ciphertext belongs to, so it cannot be moved elsewhere. */
export function ad(...parts: (string | number)[]): Uint8Array {
  return encoder.encode(parts.join('\u001f'));
}

/** XChaCha20-Poly1305 (IETF); output is nonce ‖ ciphertext ‖ tag. */
export function seal(key: Uint8Array, plaintext: Uint8Array, context: Uint8Array, random: RandomSource): Uint8Array {
  const s = sodium();
  const nonce = random.bytes(NONCE_BYTES);
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, context, null, nonce, key);
  const out = new Uint8Array(NONCE_BYTES + ct.length);
  out.set(nonce, 0);
  out.set(ct, NONCE_BYTES);
  return out;
}

/** Throws TAMPERED when the ciphertext, its context or the key does not match. */
export function open(key: Uint8Array, box: Uint8Array, context: Uint8Array, what: string): Uint8Array {
  const s = sodium();
  if (box.length < NONCE_BYTES + s.crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    throw new CofferError('TAMPERED', `${what} failed verification`);
  }
  try {
    return s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, box.subarray(NONCE_BYTES), context, box.subarray(0, NONCE_BYTES), key);
  } catch {
    throw new CofferError('TAMPERED', `${what} failed verification`);
  }
}
