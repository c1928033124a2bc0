import { CofferError } from '../../../shared/errors';
import { nativeXChaCha } from './native-xchacha';
import type { RandomSource } from './random';
import { sodium } from './sodium';

export const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const encoder = new TextEncoder();

/**
 * Associated data: the context a ciphertext belongs to, so it cannot be moved elsewhere. A Buffer
 * (a Uint8Array), because TextEncoder.encode cost ~2.5 µs per call and Buffer.from ~0.15 µs
 * (Node 20, measured), and every seal, open, head and revision leaf builds one. Associated data is
 * never secret, so it may share Node's pool of small buffers.
 */
export function ad(...parts: (string | number)[]): Uint8Array {
  return Buffer.from(parts.join('\u001f'), 'utf8');
}

/** Where a sealed value's bytes go: by default a buffer of its own. */
export type Alloc = (n: number) => Uint8Array;
const fresh: Alloc = (n) => new Uint8Array(n);

const SLAB_BYTES = 1 << 20;

/**
 * From this size the runtime's own cipher seals and opens, where it has one (native-xchacha.ts):
 * on a 2 KB value creating the cipher still cost more (~11 against ~7 µs), on an 85 KB name chunk
 * it took ~35–100 against ~180–370 µs (Node 20, measured). Secrets, wrapped keys and heads stay
 * below it; name chunks and large certificates go above.
 */
const NATIVE_FROM = 8 * 1024;
const nativeFor = (bytes: number) => (bytes >= NATIVE_FROM ? nativeXChaCha() : undefined);

/**
 * Carves the ciphertexts of one batch out of shared 1 MiB buffers. A bulk import seals two values
 * per secret, each with a backing store of its own kept the garbage collector busy for ~5% of the
 * import (measured). Only for short-lived values: one kept pins its whole slab.
 */
export function slabs(): Alloc {
  let slab = new ArrayBuffer(SLAB_BYTES);
  let used = 0;
  return (n) => {
    if (n > SLAB_BYTES / 16) return new Uint8Array(n);
    if (used + n > SLAB_BYTES) {
      slab = new ArrayBuffer(SLAB_BYTES);
      used = 0;
    }
    const view = new Uint8Array(slab, used, n);
    used += n;
    return view;
  };
}

/** XChaCha20-Poly1305 (IETF); output is nonce ‖ ciphertext ‖ tag. */
export function seal(key: Uint8Array, plaintext: Uint8Array, context: Uint8Array, random: RandomSource, alloc: Alloc = fresh): Uint8Array {
  const nonce = random.bytes(NONCE_BYTES);
  const native = nativeFor(plaintext.length);
  const ct = native
    ? native.seal(key, nonce, plaintext, context)
    : sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, context, null, nonce, key);
  const out = alloc(NONCE_BYTES + ct.length);
  out.set(nonce, 0);
  out.set(ct, NONCE_BYTES);
  return out;
}

/** Where sealText encodes its plaintext: one buffer, wiped after each use, instead of a new one per value. */
let scratch = new Uint8Array(4096);

/** Seals a string's UTF-8 bytes; the only plaintext copy made here is wiped before returning. */
export function sealText(key: Uint8Array, text: string, context: Uint8Array, random: RandomSource, alloc?: Alloc): Uint8Array {
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  const { written } = encoder.encodeInto(text, scratch);
  try {
    return seal(key, scratch.subarray(0, written), context, random, alloc);
  } finally {
    scratch.fill(0, 0, written);
  }
}

/** Throws TAMPERED when the ciphertext, its context or the key does not match. */
export function open(key: Uint8Array, box: Uint8Array, context: Uint8Array, what: string): Uint8Array {
  const s = sodium();
  if (box.length < NONCE_BYTES + s.crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    throw new CofferError('TAMPERED', `${what} failed verification`);
  }
  const nonce = box.subarray(0, NONCE_BYTES);
  const sealed = box.subarray(NONCE_BYTES);
  const native = nativeFor(sealed.length);
  if (native) {
    const plain = native.open(key, nonce, sealed, context);
    if (!plain) throw new CofferError('TAMPERED', `${what} failed verification`);
    return plain;
  }
  try {
    return s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, context, nonce, key);
  } catch {
    throw new CofferError('TAMPERED', `${what} failed verification`);
  }
}
