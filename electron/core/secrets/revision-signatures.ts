import { ad } from '../crypto/aead';
import { sodium } from '../crypto/sodium';
import type { RevisionRow, RevisionSignatureRow } from '../db/rows';
import type { Session } from '../vault/session';

/**
 * Who wrote a revision (docs/product.md §1a): `revisions.author_id` is a clear column anyone who
 * can write the file can change, so an author is shown only when a signature vouches for it. Every
 * operation that writes revisions (an edit, a restore, a registration: one; a bulk import or a
 * bundle import: all of them) signs them once, with the Ed25519 key of the member who wrote them:
 * a signature costs ~46 µs, a leaf ~1 µs, so a bulk import of 100,000 signs once, not 100,000 times.
 *
 * A revision's leaf is a BLAKE2b-256 of what identifies it: vault, secret, revision number, author
 * and time. The batch row keeps the leaves themselves (`revision_signatures.digest`, 32 bytes per
 * revision) and the signature covers their BLAKE2b-256 digest. A revision is verified when its leaf
 * is among the leaves of the batch it names, the signature over them verifies under the signer's
 * key, and its author is the signer.
 *
 * Why the leaves are kept, not recomputed from the revisions: purges and "Delete now" remove
 * revisions, and a digest recomputed from what is left would disown every other secret of the same
 * import. Why a leaf does not cover the ciphertext: a rotation re-encrypts every revision
 * (docs/product.md §1), which would disown every author after each member removal. The content is
 * bound to its secret and revision number by its associated data already (§1); SECURITY.md
 * ("Secret state") says what remains.
 */

const LEAF_BYTES = 32;

/** A revision's leaf: what the batch's signature vouches for, one per revision. */
export function revisionLeaf(vaultId: string, rev: Pick<RevisionRow, 'secret_id' | 'revision' | 'author_id' | 'created_at'>): Uint8Array {
  return sodium().crypto_generichash(LEAF_BYTES, ad('coffer/v1/revision-leaf', vaultId, rev.secret_id, rev.revision, rev.author_id ?? '', rev.created_at), null);
}

/** What the signer signs: the vault, the batch's row, the signer, the time, and the digest of the leaves. */
function signedMessage(vaultId: string, row: Pick<RevisionSignatureRow, 'id' | 'signer_id' | 'at'>, leaves: Uint8Array): Uint8Array {
  const s = sodium();
  const context = ad('coffer/v1/revision-batch', vaultId, row.id, row.signer_id, row.at, '');
  const digest = s.crypto_generichash(32, leaves, null);
  const out = new Uint8Array(context.length + digest.length);
  out.set(context, 0);
  out.set(digest, context.length);
  return out;
}

/**
 * The revisions one operation writes, signed together when it finishes, inside its write
 * transaction. The batch's row is taken at its first revision (so each revision can name it) and
 * completed by `finish`; a batch that wrote nothing leaves no row.
 */
export class RevisionBatch {
  private id: number | undefined;
  private leaves = new Uint8Array(LEAF_BYTES * 16);
  private count = 0;
  private readonly at: number;

  constructor(private readonly s: Session) {
    s.assertUnlocked();
    this.at = s.ctx.clock.now();
  }

  /** Records a revision this session writes now; returns the `signature_id` its row carries. */
  add(secretId: string, revision: number, createdAt: number): number {
    if (this.id === undefined) {
      const info = this.s.db
        .stmt("INSERT INTO revision_signatures (signer_id, at, digest, signature) VALUES (?, ?, x'', x'')")
        .run(this.s.member.id, this.at);
      this.id = Number(info.lastInsertRowid);
    }
    if ((this.count + 1) * LEAF_BYTES > this.leaves.length) {
      const grown = new Uint8Array(this.leaves.length * 2);
      grown.set(this.leaves);
      this.leaves = grown;
    }
    this.leaves.set(revisionLeaf(this.s.vaultId, { secret_id: secretId, revision, author_id: this.s.member.id, created_at: createdAt }), this.count * LEAF_BYTES);
    this.count++;
    return this.id;
  }

  /** Signs the batch; call once, after its last revision and before the transaction commits. */
  finish(): void {
    if (this.id === undefined) return;
    const leaves = this.leaves.subarray(0, this.count * LEAF_BYTES);
    const row = { id: this.id, signer_id: this.s.member.id, at: this.at };
    const signature = sodium().crypto_sign_detached(signedMessage(this.s.vaultId, row, leaves), this.s.keyPairs().signSecret);
    this.s.db.stmt('UPDATE revision_signatures SET digest = ?, signature = ? WHERE id = ?').run(leaves, signature, this.id);
  }
}

/** Runs `fn` with a batch of its own and signs it when `fn` returns (inside the caller's transaction). */
export function signedBatch<T>(s: Session, given: RevisionBatch | undefined, fn: (batch: RevisionBatch) => T): T {
  if (given) return fn(given);
  const batch = new RevisionBatch(s);
  const result = fn(batch);
  batch.finish();
  return result;
}

type Signed = Pick<RevisionSignatureRow, 'signer_id' | 'digest'>;

/** Checks revisions' authors for one call (a history), each batch verified once. */
export class RevisionAuthors {
  private readonly batches = new Map<number, Signed | null>();

  constructor(private readonly s: Session) {}

  /** Whether the revision's author is vouched for by its batch's signature. A revision older than signatures never is. */
  verified(rev: Pick<RevisionRow, 'secret_id' | 'revision' | 'author_id' | 'created_at' | 'signature_id'>): boolean {
    if (rev.signature_id === null || rev.author_id === null) return false;
    const batch = this.batch(rev.signature_id);
    if (!batch || batch.signer_id !== rev.author_id) return false;
    return contains(batch.digest, revisionLeaf(this.s.vaultId, rev));
  }

  private batch(id: number): Signed | null {
    let b = this.batches.get(id);
    if (b === undefined) {
      b = this.load(id);
      this.batches.set(id, b);
    }
    return b;
  }

  private load(id: number): Signed | null {
    const row = this.s.db.query<RevisionSignatureRow>('SELECT id, signer_id, at, digest, signature FROM revision_signatures WHERE id = ?').get(id);
    if (!row || row.digest.length === 0 || row.digest.length % LEAF_BYTES !== 0) return null;
    const key = this.s.signingKeyOf(row.signer_id);
    if (!key) return null;
    try {
      return sodium().crypto_sign_verify_detached(row.signature, signedMessage(this.s.vaultId, row, row.digest), key) ? row : null;
    } catch {
      // A signature or key of the wrong length: as unverified as a wrong signature.
      return null;
    }
  }
}

/** Whether `leaf` is one of the 32-byte leaves, at a leaf boundary. */
function contains(leaves: Uint8Array, leaf: Uint8Array): boolean {
  const all = Buffer.from(leaves.buffer, leaves.byteOffset, leaves.byteLength);
  for (let at = all.indexOf(leaf); at >= 0; at = all.indexOf(leaf, at + 1)) {
    if (at % LEAF_BYTES === 0) return true;
  }
  return false;
}
