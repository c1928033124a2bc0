import { CofferError } from '../../../shared/errors';
import type { EditSecretInput, RevisionInfo, SecretRef, SecretSummary } from '../../../shared/schemas/secrets';
import { editSecretInput } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import { SECRET_WRITE } from '../access/permissions';
import { blindHash, wipe } from '../crypto/keys';
import type { RevisionRow } from '../db/rows';
import type { Session } from '../vault/session';
import type { FieldsPatch, Payload } from './content';
import { changeAvailability } from './availability';
import { applyPatch, changedFields } from './content';
import { writeHead } from './head';
import { NameBatch } from './name-chunks';
import { resolveSecret, secretById } from './reading';
import { dayStart } from '../lifecycle/clock';
import { nameTaken } from './registration';
import type { RevisionBatch } from './revision-signatures';
import { RevisionAuthors, signedBatch } from './revision-signatures';
import { decryptRevision, readers, unwrapDataKey, withCurrent, writeRevision } from './sealing';
import type { ListedSecret } from './summaries';
import { indexed } from './summaries';

/**
 * Writes `payload` as the next revision, signed in `batch` (or in a batch of its own); renames go to
 * the blind index and every reader's chunk; the head follows the new state.
 */
function commitRevision(
  s: Session,
  row: ListedSecret,
  dataKey: Uint8Array,
  current: Payload,
  next: Omit<Payload, 'changed' | 'v'>,
  action: 'secret.edit' | 'secret.restore' | null = 'secret.edit',
  batch?: RevisionBatch,
): SecretSummary {
  const changed = [...(current.name !== next.name ? ['name'] : []), ...changedFields(current.content, next.content)];
  if (current.expires !== next.expires && !changed.includes('expires')) changed.push('expires');
  if (changed.length === 0) return indexed(s, row, current.name);
  const now = s.ctx.clock.now();
  const revision = row.revision + 1;
  s.db.write(() => {
    if (current.name !== next.name) {
      try {
        s.db.stmt('UPDATE secrets SET name_hash = ? WHERE id = ?').run(blindHash(s.blindKey(row.scope_id), next.name), row.id);
      } catch (e) {
        nameTaken(e, next.name);
      }
      const names = new NameBatch(s);
      for (const r of readers(s, row.id)) names.rename(r.scope_id, r.chunk_no, row.id, next.name, row.seq);
      names.flush();
    }
    const payload: Payload = { v: 1, name: next.name, expires: next.expires, content: next.content, changed };
    if (next.restoredFrom !== undefined) payload.restoredFrom = next.restoredFrom;
    signedBatch(s, batch, (b) => writeRevision(s, row, dataKey, revision, payload, b));
    if (action) s.audit(action, row.id);
    s.db.stmt('UPDATE secrets SET revision = ?, updated_at = ?, expires_at = ? WHERE id = ?').run(revision, now, next.expires, row.id);
    writeHead(s, row.id, dataKey);
  });
  return indexed(s, { ...row, revision, updated_at: now, expires_at: next.expires }, next.name);
}

export function editSecret(s: Session, input: EditSecretInput): SecretSummary {
  s.assertUnlocked();
  const v = parseInput(editSecretInput, input);
  const revises = Object.values(v.fields).some((x) => x !== undefined) || v.name !== undefined || v.expires !== undefined;
  if (!revises && v.teams === undefined) throw new CofferError('VALIDATION', 'nothing to change: give at least one field');
  // Read and write in one transaction: a concurrent edit cannot slip in between.
  return s.db.write(() => {
    const row = resolveSecret(s, v.ref);
    s.authorize(SECRET_WRITE[row.level]);
    if (v.teams !== undefined && row.level !== 'organization') throw new CofferError('VALIDATION', 'Teams are chosen only for organization secrets', 'teams');
    if (row.type === 'certificate' && v.expires !== undefined) {
      throw new CofferError('VALIDATION', "a certificate's Expiration Date is read from the certificate", 'expires');
    }
    let summary: SecretSummary | undefined;
    if (revises) {
      summary = withCurrent(s, row, (current, dataKey) => {
        const content = applyPatch(current.content, v.fields as FieldsPatch);
        const expires = content.type === 'certificate' ? content.notAfter : v.expires === undefined ? current.expires : v.expires ? dayStart(v.expires) : null;
        return commitRevision(s, row, dataKey, current, { name: v.name ?? current.name, expires, content });
      });
    }
    // After the revision, on the row as it wrote it: a new data key then re-seals that revision too.
    if (v.teams !== undefined) summary = changeAvailability(s, secretById(s, row.id), v.teams);
    return summary!;
  });
}

/**
 * Who changed what and when; never a value. An author is named only when the signature of the
 * revision's batch vouches for them (docs/product.md §1a); otherwise the revision is marked
 * `authorUnverified`, whatever `author_id` says.
 */
export function secretHistory(s: Session, ref: SecretRef): RevisionInfo[] {
  const row = resolveSecret(s, ref);
  const dataKey = unwrapDataKey(s, row);
  try {
    const revs = s.db
      .query<Pick<RevisionRow, 'secret_id' | 'revision' | 'created_at' | 'author_id' | 'signature_id'>>(
        'SELECT secret_id, revision, created_at, author_id, signature_id FROM revisions WHERE secret_id = ? ORDER BY revision DESC',
      )
      .all(row.id);
    const authors = new RevisionAuthors(s);
    return revs.map((r) => {
      const verified = authors.verified(r);
      // The login as the roster gives it: a removed member still signed what they wrote while a member.
      const author = verified && r.author_id !== null ? (s.roster.member(r.author_id) ?? s.roster.former.get(r.author_id))?.login : undefined;
      const info: RevisionInfo = { revision: r.revision, created: r.created_at, author: author ?? null, changed: [], current: r.revision === row.revision };
      if (!verified) info.authorUnverified = true;
      try {
        const payload = decryptRevision(s, row, dataKey, r.revision);
        info.changed = payload.changed;
        if (payload.restoredFrom !== undefined) info.restoredFrom = payload.restoredFrom;
      } catch (e) {
        if ((e as CofferError).code !== 'TAMPERED') throw e;
        info.tampered = true;
      }
      return info;
    });
  } finally {
    wipe(dataKey);
  }
}

/** Makes an old revision current again, as a new revision that says which one it restored; nothing is overwritten. */
export function restoreRevision(s: Session, ref: SecretRef, revision: number): SecretSummary {
  if (!Number.isInteger(revision) || revision < 1) throw new CofferError('VALIDATION', 'Revision must be a positive whole number', 'revision');
  return s.db.write(() => {
    const row = resolveSecret(s, ref);
    s.authorize(SECRET_WRITE[row.level]);
    if (revision === row.revision) throw new CofferError('CONFLICT', `revision ${revision} is already the current one`, 'revision');
    return withCurrent(s, row, (current, dataKey) => {
      const old = decryptRevision(s, row, dataKey, revision);
      return commitRevision(s, row, dataKey, current, { name: old.name, expires: old.expires, content: old.content, restoredFrom: revision }, 'secret.restore');
    });
  });
}

/** The current revision of a secret by id, for comparing an incoming bundle item with it; reads no value out. */
export function currentPayload(s: Session, id: string): Payload {
  return withCurrent(s, secretById(s, id), (p) => p);
}

/**
 * Makes `next` the current revision of an existing secret inside the caller's transaction (an import
 * taking theirs): the replaced revision stays in history, and the import audits itself once.
 */
export function reviseSecret(s: Session, id: string, next: Omit<Payload, 'changed' | 'v'>, batch?: RevisionBatch): void {
  const row = secretById(s, id);
  s.authorize(SECRET_WRITE[row.level]);
  if (row.type !== next.content.type) throw new CofferError('CONFLICT', "a secret's type cannot change in a new revision", 'type');
  withCurrent(s, row, (current, dataKey) => commitRevision(s, row, dataKey, current, next, null, batch));
}
