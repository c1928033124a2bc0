import type { Role } from '../../../shared/schemas/vault';
import type { Operation } from './permissions';
import { can } from './permissions';

/**
 * Who is in the vault and what they may do, as the verified roster says (docs/product.md §1a). An
 * unlocked session reads members, roles, workspaces, teams and team membership from here, never
 * from the clear tables, which anyone holding the file can edit.
 */

export interface RosterMember {
  id: string;
  login: string;
  role: Role;
  boxPublic: Uint8Array;
  signPublic: Uint8Array;
  personalScopeId: string;
  /** When they joined, as the entry that added them says. */
  created: number;
}

export interface RosterPlace {
  id: string;
  name: string;
  scopeId: string;
  created: number;
}

export interface RosterTeam extends RosterPlace {
  /** Member ids. */
  members: Set<string>;
}

export type ScopeKind = 'organization' | 'workspace' | 'team' | 'personal';

/** Why an entry cannot be applied: the chain is broken at that entry. */
export class RosterRefusal extends Error {}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

let collator: Intl.Collator | undefined;

/**
 * Names in the order people read them, case ignored. One collator, made when first needed: each
 * `localeCompare` with options builds its own, and building one costs ~7 ms, which a CLI command
 * that lists nothing should not pay.
 */
export function compareNames(a: string, b: string): number {
  collator ??= new Intl.Collator(undefined, { sensitivity: 'base' });
  return collator.compare(a, b);
}

export class RosterState {
  constructor(
    readonly orgScopeId: string,
    /** When the vault (and its organization scope) was made. */
    readonly created: number,
    readonly members = new Map<string, RosterMember>(),
    readonly workspaces = new Map<string, RosterPlace>(),
    readonly teams = new Map<string, RosterTeam>(),
    /** Members since removed: what they signed while members (revisions) still names them. */
    readonly former = new Map<string, RosterMember>(),
    /** When each scope was made: its owner's or place's date, or as an upgraded vault's first entry recorded it. */
    readonly scopeDates = new Map<string, number>([[orgScopeId, created]]),
  ) {}

  clone(): RosterState {
    const teams = new Map([...this.teams].map(([id, t]) => [id, { ...t, members: new Set(t.members) }]));
    return new RosterState(this.orgScopeId, this.created, new Map(this.members), new Map(this.workspaces), teams, new Map(this.former), new Map(this.scopeDates));
  }

  /** The key someone signed with while a member, whether or not they still are. */
  signingKeyOf(memberId: string): Uint8Array | undefined {
    return (this.members.get(memberId) ?? this.former.get(memberId))?.signPublic;
  }

  member(id: string): RosterMember | undefined {
    return this.members.get(id);
  }

  memberByLogin(login: string): RosterMember | undefined {
    return [...this.members.values()].find((m) => same(m.login, login.trim()));
  }

  /** A workspace or team by name, case ignored. */
  placeByName(kind: 'workspace' | 'team', name: string): RosterPlace | undefined {
    const places: Map<string, RosterPlace> = kind === 'workspace' ? this.workspaces : this.teams;
    return [...places.values()].find((p) => same(p.name, name.trim()));
  }

  accountHolders(): number {
    return [...this.members.values()].filter((m) => m.role === 'account-holder').length;
  }

  /** What a scope is, when the roster knows it; a scope it does not know is no one's to hold. */
  scopeKind(scopeId: string): ScopeKind | undefined {
    if (scopeId === this.orgScopeId) return 'organization';
    for (const w of this.workspaces.values()) if (w.scopeId === scopeId) return 'workspace';
    for (const t of this.teams.values()) if (t.scopeId === scopeId) return 'team';
    for (const m of this.members.values()) if (m.personalScopeId === scopeId) return 'personal';
    return undefined;
  }

  /**
   * Who may hold a scope's key (docs/product.md §1): the organization's and every workspace's, every
   * member; a team's, its members and every member whose role manages teams; a personal one, its owner.
   */
  mayHold(scopeId: string, memberId: string): boolean {
    const m = this.members.get(memberId);
    if (!m) return false;
    switch (this.scopeKind(scopeId)) {
      case 'organization':
      case 'workspace':
        return true;
      case 'team':
        return can(m.role, 'team.manage') || [...this.teams.values()].some((t) => t.scopeId === scopeId && t.members.has(memberId));
      case 'personal':
        return m.personalScopeId === scopeId;
      default:
        return false;
    }
  }

  /** Every scope the roster knows, with the time it was made. */
  scopes(): { id: string; created: number }[] {
    const ids = [this.orgScopeId, ...[...this.workspaces.values(), ...this.teams.values()].map((p) => p.scopeId), ...[...this.members.values()].map((m) => m.personalScopeId)];
    return ids.map((id) => ({ id, created: this.scopeDates.get(id) ?? 0 }));
  }

  /** Who owns a scope: a personal scope's member, and no one for the others. */
  ownerOf(scopeId: string): string | null {
    return [...this.members.values()].find((m) => m.personalScopeId === scopeId)?.id ?? null;
  }

  /** Everyone who may hold a scope's key. */
  holdersOf(scopeId: string): RosterMember[] {
    return [...this.members.values()].filter((m) => this.mayHold(scopeId, m.id));
  }

  /** May `signerId` vouch for a key of this scope sealed to someone (access/grants.ts)? */
  mayGrant(signerId: string, scopeId: string, granteeId: string): boolean {
    const signer = this.members.get(signerId);
    if (!signer || !this.mayHold(scopeId, granteeId)) return false;
    if (signerId === granteeId || can(signer.role, 'member.manage')) return true;
    const kind = this.scopeKind(scopeId);
    return (kind === 'workspace' && can(signer.role, 'workspace.create')) || (kind === 'team' && can(signer.role, 'team.manage'));
  }

  /** Refuses unless the entry's signer is a member whose role allows `op`. */
  requireSigner(signerId: string, op: Operation): RosterMember {
    const signer = this.members.get(signerId);
    if (!signer) throw new RosterRefusal('signed by someone not in the vault');
    if (!can(signer.role, op)) throw new RosterRefusal(`signed by ${signer.login}, whose role may not make this change`);
    return signer;
  }
}
