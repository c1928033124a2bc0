import { z } from 'zod';
import { CofferError } from '../../../shared/errors';
import { KDF_BOUNDS } from '../crypto/kdf';
import { sodium } from '../crypto/sodium';

/** The `.cofferbundle` layout, version 1 (docs/bundle-format.md is the normative description). */
export const MAGIC = new TextEncoder().encode('COFFERBUNDLE');
export const FORMAT_VERSION = 1;
/** magic ‖ u16 version ‖ u32 header length. */
export const PREAMBLE_BYTES = MAGIC.length + 2 + 4;
/** A header lists recipients, not secrets: anything larger is not one of ours. */
export const MAX_HEADER_BYTES = 1024 * 1024;
/** Plaintext bytes per secretstream chunk; the last chunk may be shorter. */
export const CHUNK_BYTES = 64 * 1024;
/** One framed record: a secret of at most 1 MiB of files, base64'd, with room for its other fields. */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;
export const SIGNATURE_BYTES = 64;
/** Prefixed to what is signed, so a bundle signature cannot be passed off as any other Coffer signature. */
export const SIGNATURE_CONTEXT = new TextEncoder().encode('coffer/bundle/v1/signature\u0000');
export const PASSPHRASE_CONTEXT = 'coffer/bundle/v1/passphrase';

export const toB64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
export const fromB64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

/**
 * Padded standard base64 of exactly `bytes` bytes, in its one canonical spelling: Buffer's decoder
 * would also take unpadded or non-zero trailing bits, giving one key two headers, and a key of the
 * wrong length made libsodium throw a TypeError instead of a refusal.
 */
const b64 = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/)
    .refine((text) => {
      const decoded = fromB64(text);
      return decoded.length === bytes && toB64(decoded) === text;
    });

/** X25519 and Ed25519 public keys; a sealed box adds an ephemeral key and a tag (48 bytes). */
const PUBLIC_KEY_BYTES = 32;
const SEALED_KEY_BYTES = 32 + 48;
const SALT_BYTES = 16;
/** nonce (24) ‖ XChaCha20-Poly1305 of the 32-byte body key ‖ tag (16). */
const WRAPPED_KEY_BYTES = 24 + 32 + 16;

const memberRecipient = z
  .object({ kind: z.literal('member'), name: z.string().min(1).max(128), boxPublic: b64(PUBLIC_KEY_BYTES), sealedKey: b64(SEALED_KEY_BYTES) })
  .strict();
// The limits are bounded here, when the header is read, so no Argon2id ever runs with what a crafted file asks for.
const kdfParams = z
  .object({ alg: z.literal('argon2id13'), profile: z.enum(['standard', 'fast']), opslimit: z.number().int(), memlimit: z.number().int(), salt: b64(SALT_BYTES) })
  .strict()
  .refine((k) => {
    const b = KDF_BOUNDS[k.profile];
    return k.opslimit >= b.minOps && k.opslimit <= b.maxOps && k.memlimit >= b.minMem && k.memlimit <= b.maxMem;
  });
const passphraseRecipient = z.object({ kind: z.literal('passphrase'), kdf: kdfParams, wrappedKey: b64(WRAPPED_KEY_BYTES) }).strict();

export const bundleHeader = z
  .object({
    format: z.literal('coffer-bundle'),
    version: z.literal(FORMAT_VERSION),
    id: z.string().min(1).max(64),
    created: z.number().int().nonnegative(),
    organization: z.string().max(256),
    selection: z.string().max(512),
    items: z.number().int().nonnegative(),
    chunkBytes: z.literal(CHUNK_BYTES),
    signer: z.object({ name: z.string().min(1).max(128), signPublic: b64(PUBLIC_KEY_BYTES) }).strict(),
    recipients: z.array(z.discriminatedUnion('kind', [memberRecipient, passphraseRecipient])).min(1).max(256),
  })
  .strict();
export type BundleHeader = z.infer<typeof bundleHeader>;
export type MemberRecipient = z.infer<typeof memberRecipient>;
export type PassphraseRecipient = z.infer<typeof passphraseRecipient>;

/**
 * JSON with object keys sorted at every depth and no whitespace: one byte string per header. Keys
 * compare by UTF-16 code units (JavaScript's `<`), as RFC 8785 sorts them.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A public key as people compare it: 32 hex digits of its BLAKE2b hash, in groups of four. */
export function fingerprint(publicKey: Uint8Array): string {
  const hex = Buffer.from(sodium().crypto_generichash(16, publicKey, null)).toString('hex');
  return hex.match(/.{4}/g)!.join(':');
}

/** Binds every chunk to its header: a body moved under another header fails to decrypt. */
export function headerDigest(headerBytes: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, headerBytes, null);
}

export function preamble(headerLength: number): Uint8Array {
  const out = new Uint8Array(PREAMBLE_BYTES);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint16(MAGIC.length, FORMAT_VERSION);
  view.setUint32(MAGIC.length + 2, headerLength);
  return out;
}

/** Reads the preamble: a foreign file, a newer format and an impossible header length are told apart. */
export function parsePreamble(bytes: Uint8Array): number {
  if (bytes.length < PREAMBLE_BYTES || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new CofferError('VALIDATION', 'this file is not a Coffer bundle', 'file');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(MAGIC.length);
  if (version > FORMAT_VERSION) throw new CofferError('UNSUPPORTED_VERSION', `this bundle was written by a newer Coffer (format ${version}; this one reads ${FORMAT_VERSION})`);
  if (version !== FORMAT_VERSION) throw new CofferError('TAMPERED', `the bundle's format version (${version}) is not one Coffer ever wrote`);
  const length = view.getUint32(MAGIC.length + 2);
  if (length < 2 || length > MAX_HEADER_BYTES) throw new CofferError('TAMPERED', 'the bundle header has an impossible length');
  return length;
}

/** Parses the header and insists on its canonical form, so no two byte strings carry the same header. */
export function parseHeader(bytes: Uint8Array): BundleHeader {
  let raw: unknown;
  let text: string;
  try {
    // Fatal and keeping a BOM: a replaced invalid byte or a dropped BOM would let other bytes pass as the canonical text.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    raw = JSON.parse(text);
  } catch {
    throw new CofferError('TAMPERED', 'the bundle header is not valid UTF-8 JSON');
  }
  const r = bundleHeader.safeParse(raw);
  if (!r.success) throw new CofferError('TAMPERED', 'the bundle header does not have the expected fields');
  if (canonicalJson(raw) !== text) throw new CofferError('TAMPERED', 'the bundle header is not in canonical form');
  return r.data;
}
