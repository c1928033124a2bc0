import { CofferError } from '../../../shared/errors';
import type { BundleInfo } from '../../../shared/schemas/bundles';
import { ad, open } from '../crypto/aead';
import type { KdfParams } from '../crypto/kdf';
import { deriveKey } from '../crypto/kdf';
import { wipe } from '../crypto/keys';
import { sodium } from '../crypto/sodium';
import type { Db } from '../db/connection';
import type { MemberRow } from '../db/rows';
import type { Session } from '../vault/session';
import type { MemberRecipient, PassphraseRecipient } from './format';
import { PASSPHRASE_CONTEXT, fingerprint, fromB64 } from './format';
import type { BundleHead } from './reader';
import { readHead, scanBundle } from './reader';
import type { BundleRecord } from './records';
import { parseRecord } from './records';

/** Secrets between two progress reports. */
export const PROGRESS_STEP = 1000;

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

/** The member of this vault whose signing key signed the bundle, if any (member keys are clear columns). */
function signerMember(db: Db | null, signPublic: Uint8Array): string | null {
  if (!db) return null;
  const rows = db.query<Pick<MemberRow, 'login' | 'sign_public'>>('SELECT login, sign_public FROM members').all();
  return rows.find((r) => sameBytes(r.sign_public, signPublic))?.login ?? null;
}

function describe(head: BundleHead, member: string | null): BundleInfo {
  const h = head.header;
  return {
    id: h.id,
    formatVersion: h.version,
    created: h.created,
    organization: h.organization,
    selection: h.selection,
    items: h.items,
    bytes: head.size,
    signer: { name: h.signer.name, fingerprint: fingerprint(head.signPublic), member },
    recipients: h.recipients.map((r) =>
      r.kind === 'member'
        ? { kind: 'member' as const, name: r.name, fingerprint: fingerprint(fromB64(r.boxPublic)) }
        : { kind: 'passphrase' as const, kdfProfile: r.kdf.profile, opslimit: r.kdf.opslimit, memlimit: r.kdf.memlimit },
    ),
  };
}

/**
 * What a bundle says about itself, its structure and signature checked but nothing decrypted. With
 * a vault, the signer is matched against its members (their public keys need no password).
 */
export function inspectBundle(path: string, db: Db | null = null): BundleInfo {
  const head = readHead(path);
  scanBundle(path, head);
  return describe(head, signerMember(db, head.signPublic));
}

function memberRecipientFor(s: Session, head: BundleHead): MemberRecipient | undefined {
  const mine = s.keyPairs().boxPublic;
  return head.header.recipients.find((r): r is MemberRecipient => r.kind === 'member' && sameBytes(fromB64(r.boxPublic), mine));
}

function passphraseRecipient(head: BundleHead): PassphraseRecipient | undefined {
  return head.header.recipients.find((r): r is PassphraseRecipient => r.kind === 'passphrase');
}

/** True when this member can open the bundle only with its passphrase: the doors ask for one then. */
export function bundleNeedsPassphrase(s: Session, path: string): boolean {
  const head = readHead(path);
  return !memberRecipientFor(s, head) && passphraseRecipient(head) !== undefined;
}

export interface OpenOptions {
  passphrase?: string;
  /** Fingerprints of signing keys trusted although they belong to no member of this vault. */
  trustedSigners?: readonly string[];
  /** Called as secrets are decrypted (every PROGRESS_STEP and at the end), for a door's progress bar. */
  onProgress?: (done: number, total: number) => void;
}

function bodyKey(s: Session, head: BundleHead, passphrase: string | undefined): Uint8Array {
  const mine = memberRecipientFor(s, head);
  if (mine) {
    const keys = s.keyPairs();
    try {
      return sodium().crypto_box_seal_open(fromB64(mine.sealedKey), keys.boxPublic, keys.boxSecret);
    } catch {
      throw new CofferError('TAMPERED', `the bundle's key sealed to ${mine.name} failed verification`);
    }
  }
  const pass = passphraseRecipient(head);
  const names = head.header.recipients.filter((r) => r.kind === 'member').map((r) => r.name);
  if (!pass) {
    throw new CofferError('AUTH', `this bundle is not addressed to you (${s.actor}); its recipients: ${names.join(', ')}`);
  }
  if (passphrase === undefined) throw new CofferError('AUTH', 'this bundle opens with a passphrase: give it', 'passphrase');
  const kdf: KdfParams = { ...pass.kdf, salt: fromB64(pass.kdf.salt) };
  const key = deriveKey(passphrase, kdf);
  try {
    return open(key, fromB64(pass.wrappedKey), ad(PASSPHRASE_CONTEXT, head.header.id), 'the bundle key');
  } catch {
    throw new CofferError('AUTH', 'wrong passphrase for this bundle', 'passphrase');
  } finally {
    wipe(key);
  }
}

/** A bundle whose signer is trusted, whose signature verifies and whose body key this member holds. */
export interface VerifiedBundle {
  info: BundleInfo;
  head: BundleHead;
  /** The body key: the caller wipes it when done. */
  key: Uint8Array;
}

/**
 * Checks a bundle for this member before anything in it is read: a signer who is neither a member of
 * this vault nor trusted, a bundle not addressed to them, a wrong passphrase, and an altered byte are
 * refused here.
 */
export function verifyBundle(s: Session, path: string, opts: OpenOptions = {}): VerifiedBundle {
  s.assertUnlocked();
  const head = readHead(path);
  // Structure and signature first: a damaged bundle is TAMPERED, never a wrong passphrase, and a
  // signer key altered in transit is never offered to be trusted.
  scanBundle(path, head);
  // Who signed, as the verified roster says: a key planted in the clear members table vouches for nothing.
  const member = [...s.roster.members.values()].find((m) => sameBytes(m.signPublic, head.signPublic))?.login ?? null;
  const fp = fingerprint(head.signPublic);
  const digits = (f: string) => f.replace(/[^0-9a-f]/gi, '').toLowerCase();
  if (!member && !(opts.trustedSigners ?? []).some((t) => digits(t) === digits(fp))) {
    throw new CofferError(
      'AUTH',
      `the bundle is signed by "${head.header.signer.name}" (key ${fp}), who is not a member of this vault: trust that key explicitly to import it`,
      'signer',
    );
  }
  return { info: describe(head, member), head, key: bodyKey(s, head, opts.passphrase) };
}

/**
 * Decrypts a verified bundle record by record. The file is checked again as it is read (it may have
 * changed since), and a failure can come after some records: callers act on them inside a
 * transaction that the failure rolls back.
 */
export function readRecords(bundle: VerifiedBundle, path: string, opts: OpenOptions, onRecord: (record: BundleRecord, index: number) => void): void {
  const total = bundle.head.header.items;
  scanBundle(path, bundle.head, {
    key: bundle.key,
    onRecord: (raw, i) => {
      onRecord(parseRecord(raw, i), i);
      if (opts.onProgress && (i + 1) % PROGRESS_STEP === 0) opts.onProgress(i + 1, total);
    },
  });
  opts.onProgress?.(total, total);
}
