import { createCipheriv, createDecipheriv, getCiphers } from 'node:crypto';
import { sodium } from './sodium';

/**
 * XChaCha20-Poly1305 (IETF) through the runtime's own ChaCha20-Poly1305, for large values. The
 * construction is ChaCha20-Poly1305 of RFC 8439 under the subkey HChaCha20(key, nonce[0..16]), with
 * four zero bytes and nonce[16..24] as its nonce (draft-irtf-cfrg-xchacha, §2.3): a box sealed here
 * opens with libsodium's `crypto_aead_xchacha20poly1305_ietf_decrypt` and the other way round
 * (test/unit/native-xchacha.test.ts holds them to each other). OpenSSL opened an 85 KB name chunk
 * ~5× faster than libsodium's WebAssembly (SECURITY.md, "Two implementations of one cipher").
 *
 * None where the runtime has no such cipher: Electron's BoringSSL does not offer it to
 * `createCipheriv`, so the desktop app seals everything with libsodium.
 */
export interface NativeXChaCha {
  /** ciphertext ‖ tag of `plaintext` under `key` and the 24-byte `nonce`, bound to `context`. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, context: Uint8Array): Uint8Array;
  /** The plaintext of ciphertext ‖ tag; undefined when the tag does not verify (nothing of it is kept). */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, context: Uint8Array): Uint8Array | undefined;
}

const CIPHER = 'chacha20-poly1305';
const TAG_BYTES = 16;
const SUBKEY_NONCE_BYTES = 16;

/** The RFC 8439 nonce of an XChaCha nonce: four zero bytes, then its last eight. */
function ietfNonce(nonce: Uint8Array): Buffer {
  const iv = Buffer.alloc(12);
  iv.set(nonce.subarray(SUBKEY_NONCE_BYTES), 4);
  return iv;
}

/** The one-message subkey, for `use`; wiped once `use` returns or throws. */
function withSubkey<T>(key: Uint8Array, nonce: Uint8Array, use: (subkey: Uint8Array) => T): T {
  const subkey = sodium().crypto_core_hchacha20(nonce.subarray(0, SUBKEY_NONCE_BYTES), key, null);
  try {
    return use(subkey);
  } finally {
    subkey.fill(0);
  }
}

const native: NativeXChaCha = {
  seal(key, nonce, plaintext, context) {
    return withSubkey(key, nonce, (subkey) => {
      const cipher = createCipheriv(CIPHER, subkey, ietfNonce(nonce), { authTagLength: TAG_BYTES });
      cipher.setAAD(context, { plaintextLength: plaintext.length });
      // In this order: the tag exists once final() has run.
      return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    });
  },
  open(key, nonce, sealed, context) {
    if (sealed.length < TAG_BYTES) return undefined;
    const ciphertext = sealed.subarray(0, sealed.length - TAG_BYTES);
    return withSubkey(key, nonce, (subkey) => {
      const decipher = createDecipheriv(CIPHER, subkey, ietfNonce(nonce), { authTagLength: TAG_BYTES });
      decipher.setAAD(context, { plaintextLength: ciphertext.length });
      decipher.setAuthTag(sealed.subarray(ciphertext.length));
      // update() hands out the plaintext before the tag is checked: it leaves only once final() has.
      const plain = decipher.update(ciphertext);
      try {
        decipher.final();
        return plain;
      } catch {
        plain.fill(0);
        return undefined;
      }
    });
  },
};

let available: boolean | undefined;

/** Asked on the first large value: listing the runtime's ciphers costs ~1 ms, which a command that seals none should not pay. */
export function nativeXChaCha(): NativeXChaCha | undefined {
  available ??= getCiphers().includes(CIPHER);
  return available ? native : undefined;
}
