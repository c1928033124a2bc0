import { CofferError } from '../../../shared/errors';
import type { CreatedCredential, CredentialSummary } from '../../../shared/schemas/credentials';
import { createCredentialInput } from '../../../shared/schemas/credentials';
import { parseInput } from '../../../shared/validation';
import { machineVerifier, newMachineSecret, wrapMachineKeys } from '../access/machine-keys';
import { dropGrantsOf, grantScope } from '../access/grants';
import { credentialEntryOf } from '../access/roster';
import type { RosterCredential, RosterPlace } from '../access/roster-state';
import { compareNames } from '../access/roster-state';
import { newKeyPairs, wipe } from '../crypto/keys';
import type { CredentialRow } from '../db/rows';
import { writeRotating } from './rotation';
import type { Session } from './session';
import { checkSettings } from './settings';
import { findNamed } from './structure';

/**
 * Service credentials (docs/product.md §6): a pipeline's identity, on the signed
 * roster as a grantee that holds its teams' keys and nothing else. The client secret is shown once,
 * at creation; the file keeps only a verifier and the private keys it wraps (access/machine-keys.ts).
 */

const grantee = (c: Pick<RosterCredential, 'id' | 'boxPublic'>) => ({ kind: 'credential' as const, id: c.id, boxPublic: c.boxPublic });

function credentialByName(session: Session, name: string): RosterCredential {
  const c = session.roster.credentialByName(name);
  if (!c) throw new CofferError('NOT_FOUND', `no service credential named "${name}"`, 'credential');
  return c;
}

function teamsNamed(session: Session, names: readonly string[]): RosterPlace[] {
  const teams = new Map(names.map((n) => findNamed(session, 'team', n, 'teams')).map((t) => [t.id, t]));
  return [...teams.values()];
}

/** A team's key, to seal to a credential: only someone holding it can give it. */
function teamKey(session: Session, team: RosterPlace) {
  if (!session.canRead(team.scopeId)) throw new CofferError('FORBIDDEN', `you hold no key of team "${team.name}"`, 'teams');
  return session.scopeKey(team.scopeId);
}

function summaryOf(session: Session, c: RosterCredential, lastUsed: number | null): CredentialSummary {
  const creator = session.roster.member(c.creator) ?? session.roster.former.get(c.creator);
  const teams = [...c.teams].map((id) => session.roster.teams.get(id)?.name ?? '').filter(Boolean).sort(compareNames);
  return { clientId: c.id, name: c.name, creator: creator?.login ?? 'unknown', teams, created: c.created, lastUsed };
}

/**
 * Creates a credential: name → teams → review happen in the door; this is Finish. Refused once the
 * creator owns as many as the vault allows (`credentialsPerMember`, 2 by default: docs/product.md §6).
 */
export function createCredential(session: Session, input: { name: string; teams: readonly string[] }): CreatedCredential {
  session.authorize('credential.manage');
  const v = parseInput(createCredentialInput, input);
  if (session.roster.credentialByName(v.name)) throw new CofferError('CONFLICT', `a service credential named "${v.name}" already exists`, 'name');
  const limit = checkSettings(session).values.credentialsPerMember;
  const owned = [...session.roster.credentials.values()].filter((c) => c.creator === session.member.id).length;
  if (owned >= limit) {
    throw new CofferError('CONFLICT', `you already own ${owned} service credential(s), the most this vault allows per member: revoke one first`, 'name');
  }
  const teams = teamsNamed(session, v.teams);
  const keys = teams.map((t) => ({ team: t, key: teamKey(session, t) }));
  const id = session.ctx.random.uuid();
  const pairs = newKeyPairs();
  const secret = newMachineSecret('credential', session.ctx.random);
  const now = session.ctx.clock.now();
  try {
    session.write(() => {
      const entry: RosterCredential = { id, name: v.name, creator: session.member.id, boxPublic: pairs.boxPublic, created: now, teams: new Set(teams.map((t) => t.id)) };
      session.appendRoster({ type: 'credential.add', credential: credentialEntryOf(entry) });
      session.db
        .stmt('INSERT INTO credentials (id, name, creator_id, created_at, verifier, sealed_keys) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, v.name, session.member.id, now, machineVerifier('credential', session.vaultId, id, secret.bytes), wrapMachineKeys('credential', session.vaultId, id, secret.bytes, pairs, session.rosterPin, session.ctx.random));
      for (const { team, key } of keys) grantScope(session.db, session.vaultId, session.signer(), team.scopeId, key.version, key.key, grantee(entry));
      session.audit('credential.create', v.name);
    });
  } finally {
    wipe(pairs.boxSecret, pairs.signSecret, secret.bytes);
  }
  return { name: v.name, clientId: id, clientSecret: secret.text, realm: session.vaultId, teams: teams.map((t) => t.name).sort(compareNames) };
}

export function listCredentials(session: Session): CredentialSummary[] {
  session.authorize('credential.manage');
  session.catchUpRoster();
  const used = new Map(session.db.tuples<[id: string, at: number | null]>('SELECT id, last_used_at FROM credentials').all());
  return [...session.roster.credentials.values()].sort((a, b) => compareNames(a.name, b.name)).map((c) => summaryOf(session, c, used.get(c.id) ?? null));
}

/**
 * Edit changes teams only (docs/product.md §6). A team taken away is rotated (writeRotating), so the keys
 * the credential's holders kept open nothing written to it afterwards. Those who manage teams may
 * also do it from the team's side.
 */
export function setCredentialTeams(session: Session, name: string, teamNames: readonly string[]): CredentialSummary {
  if (!session.may('credential.manage')) session.authorize('team.manage');
  const c = credentialByName(session, name);
  const next = teamsNamed(session, teamNames);
  const added = next.filter((t) => !c.teams.has(t.id));
  const removed = [...c.teams].filter((id) => !next.some((t) => t.id === id)).map((id) => session.roster.teams.get(id)!);
  const keys = added.map((t) => ({ team: t, key: teamKey(session, t) }));
  writeRotating(session, (rotate) => {
    session.appendRoster({ type: 'credential.teams', id: c.id, teams: next.map((t) => t.id) });
    for (const { team, key } of keys) grantScope(session.db, session.vaultId, session.signer(), team.scopeId, key.version, key.key, grantee(c));
    const change = [...added.map((t) => `+${t.name}`), ...removed.map((t) => `-${t.name}`)].join(' ');
    session.audit('credential.teams', `${c.name}: ${change || 'unchanged'}`);
    if (removed.length > 0) rotate(removed.map((t) => t.scopeId));
  });
  const lastUsed = session.db.value<CredentialRow['last_used_at']>('SELECT last_used_at FROM credentials WHERE id = ?', c.id) ?? null;
  return summaryOf(session, session.roster.credentials.get(c.id)!, lastUsed);
}

/** Adds and removes teams by name, against the credential's teams as the roster has them. */
export function editCredentialTeams(session: Session, name: string, change: { add?: readonly string[]; remove?: readonly string[] }): CredentialSummary {
  const c = credentialByName(session, name);
  const removing = new Set(teamsNamed(session, change.remove ?? []).map((t) => t.id));
  const kept = [...c.teams].filter((id) => !removing.has(id)).map((id) => session.roster.teams.get(id)!.name);
  return setCredentialTeams(session, name, [...kept, ...(change.add ?? [])]);
}

/**
 * Revokes a credential: `confirm` must be its name, exactly (docs/product.md §6). Its wrapped keys and grants
 * go, and each of its teams is rotated with new data keys for their secrets, so a client secret
 * someone kept, even with a copy of the file from before, opens nothing written afterwards.
 */
export function revokeCredential(session: Session, name: string, confirm: string): void {
  session.authorize('credential.manage');
  const c = credentialByName(session, name);
  if (confirm !== c.name) throw new CofferError('CONFLICT', `type the credential's name, "${c.name}", exactly to revoke it`, 'confirm');
  const teamScopes = [...c.teams].map((id) => session.roster.teams.get(id)!.scopeId);
  writeRotating(session, (rotate) => {
    session.appendRoster({ type: 'credential.revoke', id: c.id });
    dropGrantsOf(session.db, 'credential', c.id);
    session.db.stmt('DELETE FROM credentials WHERE id = ?').run(c.id);
    session.audit('credential.revoke', c.name);
    if (teamScopes.length > 0) rotate(teamScopes);
  });
}
