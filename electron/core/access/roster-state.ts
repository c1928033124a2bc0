import type { Operation, RoleId } from '../../../shared/schemas/roles';
import { ROLE_LABELS, isBuiltInRole } from '../../../shared/schemas/roles';
import { builtInAllows, forbidden } from './permissions';

/**
 * Who is in the vault and what they may do, as the verified roster says (docs/product.md §1a). An
 * unlocked session reads members, roles, workspaces, teams and team membership from here, never
 * from the clear tables, which anyone holding the file can edit.
 */

export interface RosterMember {
  id: string;
  login: string;
  role: RoleId;
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

/** A custom role: a named set of the permission table's operations (docs/product.md §5). */
export interface RosterRole {
  id: string;
  name: string;
  operations: ReadonlySet<Operation>;
  created: number;
}

/**
 * A service credential (docs/product.md §6): a grantee with a box key, whose private key only its
 * client secret unwraps, holding the keys of its teams and nothing else.
 */
export interface RosterCredential {
  id: string;
  name: string;
  /** The member who created it: the per-member limit counts these. */
  creator: string;
  boxPublic: Uint8Array;
  created: number;
  /** Team ids. */
  teams: Set<string>;
}

/** One key of a service account: a key pair of its own, unwrapped by its secret alone. */
export interface RosterAccountKey {
  id: string;
  boxPublic: Uint8Array;
  signPublic: Uint8Array;
  created: number;
  /** After this time the key is refused (AUTH); null when it does not expire. */
  expires: number | null;
}

/**
 * A service account (docs/product.md §7): a non-human member with a role, at the
 * organization's level (the scopes a member of that role holds, personal ones aside) or one
 * workspace's (that workspace's scope only). Each of its keys is a grantee of those scopes.
 */
export interface RosterAccount {
  id: string;
  name: string;
  role: RoleId;
  /** The workspace a workspace-level account belongs to; null at the organization's level. */
  workspace: string | null;
  basicAuth: boolean;
  creator: string;
  created: number;
  keys: Map<string, RosterAccountKey>;
}

/**
 * Who signs a roster entry or a grant: a member, or a service account's key acting under its
 * account's role (docs/product.md §7), which signs only the management of service accounts.
 */
export interface RosterSigner {
  id: string;
  /** A member's login, or `account:NAME`. */
  name: string;
  role: RoleId;
  signPublic: Uint8Array;
  /** Set when the signer is a service account's key. */
  account?: RosterAccount;
}

/** What a service account's key may sign: managing service accounts, the REST API's management calls (docs/rest.md). */
const ACCOUNT_SIGNABLE: ReadonlySet<Operation> = new Set(['serviceAccount.manage']);

/** Who a key grant is sealed to. */
export type GranteeKind = 'member' | 'credential' | 'account-key';

export interface RosterGrantee {
  kind: GranteeKind;
  id: string;
  boxPublic: Uint8Array;
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
    readonly roles = new Map<string, RosterRole>(),
    readonly credentials = new Map<string, RosterCredential>(),
    readonly accounts = new Map<string, RosterAccount>(),
  ) {}

  clone(): RosterState {
    const teams = new Map([...this.teams].map(([id, t]) => [id, { ...t, members: new Set(t.members) }]));
    const credentials = new Map([...this.credentials].map(([id, c]) => [id, { ...c, teams: new Set(c.teams) }]));
    const accounts = new Map([...this.accounts].map(([id, a]) => [id, { ...a, keys: new Map(a.keys) }]));
    return new RosterState(
      this.orgScopeId,
      this.created,
      new Map(this.members),
      new Map(this.workspaces),
      teams,
      new Map(this.former),
      new Map(this.scopeDates),
      new Map(this.roles),
      credentials,
      accounts,
    );
  }

  /** Whether a role, built-in or custom, allows an operation: the one question every door's check asks. */
  allows(role: RoleId, op: Operation): boolean {
    if (isBuiltInRole(role)) return builtInAllows(role, op);
    return this.roles.get(role)?.operations.has(op) ?? false;
  }

  /** A role's name as people read it; a custom role no longer on the roster reads as unknown. */
  roleName(role: RoleId): string {
    return isBuiltInRole(role) ? ROLE_LABELS[role] : (this.roles.get(role)?.name ?? 'Unknown role');
  }

  /** Refuses with FORBIDDEN, naming the role and the operation, unless the member's role allows it. */
  authorize(memberId: string, op: Operation): void {
    const m = this.members.get(memberId);
    if (!m) throw forbidden('Someone not in the vault', op);
    if (!this.allows(m.role, op)) throw forbidden(this.roleName(m.role), op);
  }

  /**
   * Whether `signerId` may give a role: the built-in ones as the table says (docs/product.md §5),
   * a custom role only if the giver's own role has every operation it allows, or is an Account
   * Holder's. Otherwise a role that manages members could hand itself any role an Account Holder
   * defined.
   */
  mayGiveRole(signerId: string, role: RoleId): boolean {
    const signer = this.signerOf(signerId);
    if (!signer || isBuiltInRole(role) || this.allows(signer.role, 'member.grantAccountHolder')) return signer !== undefined;
    const given = this.roles.get(role);
    return given !== undefined && [...given.operations].every((op) => this.allows(signer.role, op));
  }

  /** A role by what people type: a built-in id or label, or a custom role's name, case ignored. */
  roleByName(name: string): RoleId | undefined {
    const wanted = name.trim();
    if (isBuiltInRole(wanted)) return wanted;
    const builtIn = Object.entries(ROLE_LABELS).find(([, label]) => same(label, wanted));
    if (builtIn) return builtIn[0] as RoleId;
    return [...this.roles.values()].find((r) => same(r.name, wanted))?.id as RoleId | undefined;
  }

  credentialByName(name: string): RosterCredential | undefined {
    return [...this.credentials.values()].find((c) => same(c.name, name.trim()));
  }

  /** The key someone signed with while a member, whether or not they still are, or a service account's key as it is now. */
  signingKeyOf(signerId: string): Uint8Array | undefined {
    return (this.members.get(signerId) ?? this.former.get(signerId))?.signPublic ?? this.accountOfKey(signerId)?.keys.get(signerId)?.signPublic;
  }

  /** A member, or a service account's key, as a signer now. */
  signerOf(id: string): RosterSigner | undefined {
    const m = this.members.get(id);
    if (m) return { id, name: m.login, role: m.role, signPublic: m.signPublic };
    const a = this.accountOfKey(id);
    return a && { id, name: `account:${a.name}`, role: a.role, signPublic: a.keys.get(id)!.signPublic, account: a };
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

  private teamOfScope(scopeId: string): RosterTeam | undefined {
    return [...this.teams.values()].find((t) => t.scopeId === scopeId);
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
        return this.allows(m.role, 'team.manage') || (this.teamOfScope(scopeId)?.members.has(memberId) ?? false);
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

  /** A credential holds the keys of its teams, and only those (docs/product.md §6). */
  credentialMayHold(scopeId: string, credentialId: string): boolean {
    const c = this.credentials.get(credentialId);
    const team = this.teamOfScope(scopeId);
    return c !== undefined && team !== undefined && c.teams.has(team.id);
  }

  /** The account a key belongs to. */
  accountOfKey(keyId: string): RosterAccount | undefined {
    for (const a of this.accounts.values()) if (a.keys.has(keyId)) return a;
    return undefined;
  }

  accountByName(name: string): RosterAccount | undefined {
    return [...this.accounts.values()].find((a) => same(a.name, name.trim()));
  }

  /**
   * A service account's keys hold what a member of its role holds at its level: at the
   * organization's, the organization's and every workspace's key, and every team's when the role
   * manages teams; at a workspace's, that workspace's key. Never a personal one.
   */
  accountMayHold(scopeId: string, keyId: string): boolean {
    const a = this.accountOfKey(keyId);
    if (!a) return false;
    const kind = this.scopeKind(scopeId);
    if (a.workspace !== null) return kind === 'workspace' && this.workspaces.get(a.workspace)?.scopeId === scopeId;
    if (kind === 'organization' || kind === 'workspace') return true;
    return kind === 'team' && this.allows(a.role, 'team.manage');
  }

  mayHoldAs(kind: GranteeKind, scopeId: string, granteeId: string): boolean {
    if (kind === 'member') return this.mayHold(scopeId, granteeId);
    return kind === 'credential' ? this.credentialMayHold(scopeId, granteeId) : this.accountMayHold(scopeId, granteeId);
  }

  /** Every member who may hold a scope's key. */
  holdersOf(scopeId: string): RosterMember[] {
    return [...this.members.values()].filter((m) => this.mayHold(scopeId, m.id));
  }

  /** Everyone a scope's key is sealed to: its member holders and, for a team, its credentials. */
  granteesOf(scopeId: string): RosterGrantee[] {
    const members = this.holdersOf(scopeId).map((m): RosterGrantee => ({ kind: 'member', id: m.id, boxPublic: m.boxPublic }));
    const credentials = [...this.credentials.values()]
      .filter((c) => this.credentialMayHold(scopeId, c.id))
      .map((c): RosterGrantee => ({ kind: 'credential', id: c.id, boxPublic: c.boxPublic }));
    const keys = [...this.accounts.values()]
      .flatMap((a) => [...a.keys.values()])
      .filter((k) => this.accountMayHold(scopeId, k.id))
      .map((k): RosterGrantee => ({ kind: 'account-key', id: k.id, boxPublic: k.boxPublic }));
    return [...members, ...credentials, ...keys];
  }

  /** May `signerId` vouch for a key of this scope sealed to a grantee (access/grants.ts)? */
  mayGrant(signerId: string, scopeId: string, kind: GranteeKind, granteeId: string): boolean {
    const signer = this.signerOf(signerId);
    if (!signer || !this.mayHoldAs(kind, scopeId, granteeId)) return false;
    // A key gives only what it holds itself, and then by its role, as a member would.
    if (signer.account && !this.accountMayHold(scopeId, signerId)) return false;
    if (kind === 'credential') return this.allows(signer.role, 'credential.manage') || this.allows(signer.role, 'team.manage');
    if (kind === 'account-key' && this.allows(signer.role, 'serviceAccount.manage')) return true;
    if (signerId === granteeId || this.allows(signer.role, 'member.manage')) return true;
    const scope = this.scopeKind(scopeId);
    return (scope === 'workspace' && this.allows(signer.role, 'workspace.create')) || (scope === 'team' && this.allows(signer.role, 'team.manage'));
  }

  /** Refuses unless the entry's signer is a member, or a service account's key, whose role allows `op`. */
  requireSigner(signerId: string, op: Operation): RosterSigner {
    const signer = this.signerOf(signerId);
    if (!signer) throw new RosterRefusal('signed by someone not in the vault');
    if (signer.account && !ACCOUNT_SIGNABLE.has(op)) throw new RosterRefusal(`signed by ${signer.name}, which may not make this change`);
    if (!this.allows(signer.role, op)) throw new RosterRefusal(`signed by ${signer.name}, whose role may not make this change`);
    return signer;
  }
}
