import { z } from 'zod';
import { CofferError } from '../../../shared/errors';
import type { SecretRef, SecretSummary } from '../../../shared/schemas/secrets';
import { secretTeams } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import { SECRET_WRITE } from '../access/permissions';
import { seal } from '../crypto/aead';
import type { Session } from '../vault/session';
import { renewDataKey } from './data-key-renewal';
import { writeHead } from './head';
import { NameBatch } from './name-chunks';
import { resolveSecret } from './reading';
import { organizationReaders } from './registration';
import { dataKeyContext, readers, withCurrent } from './sealing';
import type { ListedSecret } from './summaries';
import { indexed } from './summaries';

/**
 * Who can read an organization secret, changed after registration (docs/product.md §2): the
 * entire organization (`null`), or exactly the teams named. Its data key is wrapped for the scopes
 * that start reading it and dropped for those that stop, its name moves into and out of their
 * name chunks, and its head follows the new availability.
 *
 * Losing access means losing it: when any scope stops reading the secret, the secret gets a new
 * data key (secrets/data-key-renewal.ts, as a rotation gives one), its revisions and uses re-sealed
 * under it, so whoever kept the old data key through that scope opens nothing written afterwards.
 * Adding readers only wraps the current data key for them. Not a new revision: nothing the
 * revisions hold changes.
 */

/** The name a scope is known by in a refusal: a team's, or the organization. */
function scopeLabel(s: Session, scopeId: string): string {
  if (scopeId === s.vault.orgScopeId) return 'the organization';
  const team = [...s.roster.teams.values()].find((t) => t.scopeId === scopeId);
  return team ? `team "${team.name}"` : `scope ${scopeId}`;
}

/**
 * Changes the availability of `row`, read inside the caller's write transaction; permission and
 * keys are checked before anything is written. Returns the secret's listing row as it now stands.
 */
export function changeAvailability(s: Session, row: ListedSecret, teams: readonly string[] | null): SecretSummary {
  if (row.level !== 'organization') throw new CofferError('VALIDATION', 'Teams are chosen only for organization secrets', 'teams');
  s.authorize(SECRET_WRITE.organization);
  const target = organizationReaders(s, teams);
  return withCurrent(s, row, (current, dataKey) => {
    const before = readers(s, row.id);
    const next = new Set(target.readerScopes);
    const removed = before.filter((r) => !next.has(r.scope_id));
    const kept = new Set(before.map((r) => r.scope_id));
    const added = target.readerScopes.filter((scopeId) => !kept.has(scopeId));
    if (removed.length === 0 && added.length === 0 && row.availability === target.availability) return indexed(s, row, current.name);
    // Its name leaves the chunks of the scopes that stop reading it, which only their key rewrites.
    for (const r of removed) {
      if (!s.canRead(r.scope_id)) throw new CofferError('FORBIDDEN', `you hold no key of ${scopeLabel(s, r.scope_id)}, which reads this secret now`, 'teams');
    }
    s.db.write(() => {
      const names = new NameBatch(s);
      const drop = s.db.stmt('DELETE FROM secret_readers WHERE secret_id = ? AND scope_id = ?');
      for (const r of removed) {
        names.remove(r.scope_id, r.chunk_no, row.id);
        drop.run(row.id, r.scope_id);
      }
      const wrap = s.db.stmt('INSERT INTO secret_readers (secret_id, scope_id, key_version, chunk_no, wrapped_key) VALUES (?, ?, ?, ?, ?)');
      for (const scopeId of added) {
        const scope = s.scopeKey(scopeId);
        const chunkNo = names.add(scopeId, row.id, current.name, row.seq);
        wrap.run(row.id, scopeId, scope.version, chunkNo, seal(scope.key, dataKey, dataKeyContext(s, row.id, scopeId, scope.version), s.ctx.random));
      }
      names.flush();
      s.db.stmt('UPDATE secrets SET availability = ? WHERE id = ?').run(target.availability, row.id);
      // The head over the new state under the key it has, which a renewal then makes anew under the next one.
      writeHead(s, row.id, dataKey);
      if (removed.length > 0) renewDataKey(s, row.id);
      s.audit('secret.availability', row.id);
    });
    return indexed(s, { ...row, availability: target.availability }, current.name);
  });
}

/** Makes an organization secret available to the entire organization (`null`) or to exactly `teams`, in one write transaction. */
export function setAvailability(s: Session, ref: SecretRef, teams: readonly string[] | null): SecretSummary {
  s.assertUnlocked();
  const chosen = teams === null ? null : parseInput(z.object({ teams: secretTeams }), { teams }).teams;
  return s.db.write(() => changeAvailability(s, resolveSecret(s, ref), chosen));
}
