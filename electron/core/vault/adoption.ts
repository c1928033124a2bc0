import { adoptOwnGrants } from '../access/grants';
import { GENESIS_PREV, memberEntryOf, writeEntry } from '../access/roster';
import { writeRosterHead } from '../access/roster-head';
import { seal } from '../crypto/aead';
import { packSecretKeys, wipe } from '../crypto/keys';
import { adoptHeads } from '../secrets/head-adoption';
import type { Session } from './session';
import { memberKeysContext } from './vault';

/**
 * A vault made before the roster becomes a signed one at unlock (docs/product.md §1a, SECURITY.md
 * "Upgrading to the signed form"). The first Account Holder to unlock it signs the roster's first
 * entry, listing what the clear tables say then; every member, at their own next unlock, pins that
 * entry inside their encrypted keys, vouches for the grants they hold and writes the head of every
 * secret they can open (secrets/head-adoption.ts). Both steps trust the file as it is at that
 * moment, once; afterwards an unsigned grant, a changed roster or a missing head is TAMPERED.
 */
export function adoptSignedForm(session: Session, passwordKey: Uint8Array): void {
  if (session.hasAdopted) return;
  const findings = session.accessFindings;
  if (findings.rosterProblem) return;
  if (findings.unsigned && (session.member.role !== 'account-holder' || !session.canRead(session.roster.orgScopeId))) return;
  const db = session.db;
  session.write(() => {
    if (findings.unsigned) startRoster(session);
    const keys = session.keyPairs();
    const packed = packSecretKeys(keys, session.rosterPin);
    try {
      const sealed = seal(passwordKey, packed, memberKeysContext(session.vaultId, session.member.id), session.ctx.random);
      db.stmt('UPDATE members SET secret_keys = ? WHERE id = ?').run(sealed, session.member.id);
    } finally {
      wipe(packed);
    }
    adoptOwnGrants(db, session.vaultId, session.signer());
    adoptHeads(session);
    session.audit('roster.adopt', session.member.login);
  });
  session.markAdopted();
}

/** The first entry of an upgraded vault's roster: everything the clear tables list, signed by this Account Holder. */
function startRoster(session: Session): void {
  const roster = session.roster;
  const head = writeEntry(session.db, session.vaultId, { seq: 0, hash: GENESIS_PREV }, session.signer(), session.ctx.clock.now(), {
    type: 'genesis',
    orgScopeId: roster.orgScopeId,
    created: roster.created,
    members: [...roster.members.values()].map(memberEntryOf),
    workspaces: [...roster.workspaces.values()].map((w) => ({ id: w.id, name: w.name, scopeId: w.scopeId, created: w.created })),
    teams: [...roster.teams.values()].map((t) => ({ id: t.id, name: t.name, scopeId: t.scopeId, created: t.created, members: [...t.members] })),
    scopeDates: Object.fromEntries(roster.scopeDates),
  });
  writeRosterHead(session.db, session.vaultId, session.integrityKey('roster'), head);
  session.beginRoster(head);
  session.audit('roster.start', session.member.login);
}
