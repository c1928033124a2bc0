import type { SecretReader, SecretRef } from '../../../shared/schemas/secrets';
import { compareNames } from '../access/roster-state';
import { resolveSecret } from '../secrets/reading';
import { readers } from '../secrets/sealing';
import type { Session } from './session';

/**
 * Who can read a secret, and why (docs/product.md §5–§6): every member and service credential the
 * verified roster lets hold one of the scopes its data key is wrapped for, with the reason each
 * one can. It answers from the roster, the same rules grants are sealed by, so the answer is what
 * the keys allow, not what a clear table says.
 */
export function whoCanRead(session: Session, ref: SecretRef): SecretReader[] {
  const row = resolveSecret(session, ref);
  const roster = session.roster;
  const reasons = new Map<string, { kind: SecretReader['kind']; name: string; why: string[] }>();
  const add = (kind: SecretReader['kind'], name: string, why: string) => {
    const key = `${kind}:${name.toLowerCase()}`;
    const entry = reasons.get(key) ?? { kind, name, why: [] };
    if (!entry.why.includes(why)) entry.why.push(why);
    reasons.set(key, entry);
  };
  for (const { scope_id: scopeId } of readers(session, row.id)) {
    const kind = roster.scopeKind(scopeId);
    if (kind === 'organization') for (const m of roster.members.values()) add('member', m.login, 'member of the organization');
    if (kind === 'workspace') {
      const ws = [...roster.workspaces.values()].find((w) => w.scopeId === scopeId);
      for (const m of roster.members.values()) add('member', m.login, `every member opens workspace ${ws?.name ?? ''}`.trim());
    }
    if (kind === 'personal') {
      const owner = roster.member(roster.ownerOf(scopeId) ?? '');
      if (owner) add('member', owner.login, 'their personal secret');
    }
    if (kind === 'team') {
      const team = [...roster.teams.values()].find((t) => t.scopeId === scopeId)!;
      add('team', team.name, 'the secret is available to this team');
      for (const m of roster.members.values()) {
        if (team.members.has(m.id)) add('member', m.login, `member of team ${team.name}`);
        else if (roster.allows(m.role, 'team.manage')) add('member', m.login, `${roster.roleName(m.role)}: manages every team`);
      }
      for (const c of roster.credentials.values()) if (c.teams.has(team.id)) add('credential', c.name, `service credential of team ${team.name}`);
    }
  }
  const order: Record<SecretReader['kind'], number> = { member: 0, team: 1, credential: 2 };
  return [...reasons.values()]
    .map((r) => ({ kind: r.kind, name: r.name, why: r.why.join('; ') }))
    .sort((a, b) => order[a.kind] - order[b.kind] || compareNames(a.name, b.name));
}
