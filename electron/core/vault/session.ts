import { CofferError } from '../../../shared/errors';
import type { Role } from '../../../shared/schemas/vault';
import type { Signer } from '../access/grants';
import type { Operation } from '../access/permissions';
import { forbidden } from '../access/permissions';
import type { RosterEvent, RosterHead } from '../access/roster';
import { applyEvent, verifyRoster, writeEntry } from '../access/roster';
import { checkRosterHead, writeRosterHead } from '../access/roster-head';
import type { RosterState } from '../access/roster-state';
import { RosterRefusal } from '../access/roster-state';
import type { AuditAction } from '../audit/log';
import type { AuditKey } from '../audit/chain';
import { appendAudit } from '../audit/log';
import type { IntegrityPurpose, KeyPairs } from '../crypto/keys';
import { blindIndexKey, integrityKey, wipe } from '../crypto/keys';
import type { Db } from '../db/connection';
import type { CoreContext } from '../context';
import type { SecretIndex } from '../secrets/secret-index';
import { openGrants } from './access-check';
import type { Vault } from './vault';

/**
 * Who unlocked: a member with their password, a service credential with its client secret
 * (docs/product.md §6), or a service account's key with its secret (§7; `id` is the key's).
 */
export interface Principal {
  kind: 'member' | 'credential' | 'account-key';
  id: string;
}

const MACHINE_NAMES = { credential: 'A service credential', 'account-key': 'A service account' } as const;

export interface SessionMember {
  id: string;
  login: string;
  role: Role;
}

interface ScopeKey {
  key: Uint8Array;
  version: number;
}

/** What unlock found about who may do what (docs/product.md §1a); shown by the app's integrity banner. */
export interface AccessFindings {
  /** Why the roster could not be verified to its end; no access change is made while it is set. */
  rosterProblem?: string;
  /** Where the clear tables differ from the roster (vault/access-check.ts compareTables). */
  structure: string[];
  /** Grants sealed to this member that were not used: forged, or unsigned after adoption. */
  grantsRejected: number;
  /** Scopes the roster gives this member with no grant to them in the file (removed or moved away). */
  grantsMissing: number;
  /** The vault was made before the roster and no Account Holder has unlocked it since. */
  unsigned: boolean;
  /** Scopes the roster gives this principal whose key did not open (vault/damage.ts names them and counts their secrets). */
  closedScopes: string[];
}

/** The verified roster as this session knows it. */
export interface SessionAccess {
  roster: RosterState;
  /** The verified chain's last entry; undefined while the vault is unsigned. */
  head: RosterHead | undefined;
  /** The first entry's hash, pinned in the keys of every member this session adds. */
  genesis: Uint8Array | undefined;
  /** This member's keys carry the pin: unsigned grants and secrets without a head are no longer trusted. */
  adopted: boolean;
  findings: AccessFindings;
}

/**
 * An unlocked vault: the member, their private keys and the scope keys sealed to them, in memory
 * only. Never log or serialize any of it. `lock()` zeroes every key and drops every decrypted name.
 */
export class Session {
  private locked = false;
  private readonly blindKeys = new Map<string, Uint8Array>();
  private readonly integrityKeys = new Map<IntegrityPurpose, Uint8Array>();
  /** Built lazily from the encrypted name chunks; owned by secrets/secret-index. */
  index: SecretIndex | undefined;
  /**
   * Whether a secret without a head (made before heads existed) is read as legacy rather than
   * TAMPERED (secrets/head.ts): only until this member has adopted the signed form, which writes
   * the heads of every secret they can open (vault/adoption.ts).
   */
  acceptsLegacyHeads: boolean;
  /**
   * Unlocked with a one-time setup code (vault/members.ts addMember): the member must choose their
   * own password before anything else, which the doors enforce (app.ts session(), the CLI's unlock).
   */
  setupPending = false;
  /** Reads that could not record their use (a full disk, secrets/recording.ts): the door says so. */
  unrecordedReads = 0;
  /** Set while a read that failed to record is read again without recording, nested reads included. */
  notRecording = false;

  constructor(
    readonly vault: Vault,
    private readonly principal: Principal,
    private readonly keys: KeyPairs,
    private readonly scopes: Map<string, ScopeKey>,
    private access: SessionAccess,
  ) {
    this.acceptsLegacyHeads = !access.adopted;
  }

  private get memberId(): string {
    if (this.principal.kind !== 'member') throw new CofferError('FORBIDDEN', `${MACHINE_NAMES[this.principal.kind]} only lists and reads secrets`);
    return this.principal.id;
  }

  /** A service credential or a service account's key: it lists and reads, and has no personal scope. */
  get isMachine(): boolean {
    return this.principal.kind !== 'member';
  }

  /** Who the audit log and usage records name: a member's login, or `credential:NAME`. */
  get actor(): string {
    if (this.principal.kind === 'member') return this.member.login;
    if (this.principal.kind === 'account-key') {
      const a = this.access.roster.accountOfKey(this.principal.id);
      if (!a) throw new CofferError('AUTH', 'this service-account key was renewed or deleted');
      return `account:${a.name}`;
    }
    const c = this.access.roster.credentials.get(this.principal.id);
    if (!c) throw new CofferError('AUTH', 'this service credential was revoked');
    return `credential:${c.name}`;
  }

  /** Who a usage record names: the audit actor, and for a service account the key used, of the several it may hold. */
  get usageActor(): string {
    return this.principal.kind === 'account-key' ? `${this.actor} key ${this.principal.id}` : this.actor;
  }

  /** Who is unlocked, with the role the verified roster gives them now. */
  get member(): SessionMember {
    const m = this.access.roster.member(this.memberId);
    if (!m) throw new CofferError('LOCKED', 'you are no longer a member of this vault');
    return { id: m.id, login: m.login, role: m.role };
  }

  get roster(): RosterState {
    return this.access.roster;
  }

  get accessFindings(): AccessFindings {
    return this.access.findings;
  }

  get rosterPin(): Uint8Array | undefined {
    return this.access.genesis;
  }

  get hasAdopted(): boolean {
    return this.access.adopted;
  }

  /** Records the first entry this session just signed onto an unsigned vault (vault/adoption.ts). */
  beginRoster(head: RosterHead): void {
    this.access = { ...this.access, head, genesis: head.hash, findings: { ...this.access.findings, unsigned: false } };
  }

  /** Records that this member's keys now carry the pin (vault/adoption.ts). */
  markAdopted(): void {
    this.access = { ...this.access, adopted: true };
    this.acceptsLegacyHeads = false;
  }

  /** Who this session signs as: the member, or the service account's key (which signs only account management). */
  signer(): Signer {
    if (this.principal.kind === 'credential') throw new CofferError('FORBIDDEN', 'a service credential only lists and reads secrets');
    return { id: this.principal.id, signSecret: this.keyPairs().signSecret };
  }

  /** The id entries and grants this session signs are made under (signer()), and its audit actor's. */
  get principalId(): string {
    return this.principal.id;
  }

  /**
   * One write transaction in which the roster may change: if it fails, the session's roster is the
   * one it had before, like the file.
   */
  write<T>(fn: () => T): T {
    const before = this.access;
    try {
      return this.db.write(() => {
        this.catchUpRoster();
        return fn();
      });
    } catch (e) {
      this.access = before;
      throw e;
    }
  }

  /**
   * Entries another session signed since this one unlocked (another window, a CLI command) are
   * verified and taken in: before this session changes anything, so it builds on the roster as it
   * is, and before it lists members, roles, teams or machine identities, so it shows them as they are.
   */
  catchUpRoster(): void {
    this.assertUnlocked();
    const { head, genesis, findings } = this.access;
    if (!head || findings.rosterProblem) return;
    const last = this.db.value<number>('SELECT max(seq) FROM roster') ?? 0;
    if (last === head.seq) return;
    const check = verifyRoster(this.db, this.vaultId, genesis);
    if (check.state) this.reopenGrants(check.state);
    // The head's MAC needs the organization key, which a workspace's service account does not hold (SECURITY.md "Service accounts").
    const headProblem = () => (this.canRead(this.vault.orgScopeId) ? checkRosterHead(this.db, this.vaultId, this.integrityKey('roster'), check.head) : undefined);
    const problem = !check.state ? check.problem : (check.problem ?? headProblem());
    if (problem || !check.state) throw new CofferError('TAMPERED', `${problem ?? 'the roster does not verify'}: nothing was changed`);
    this.access = { ...this.access, roster: check.state, head: check.head };
  }

  /**
   * The scope keys sealed to this session's principal as the file has them now: another session may
   * have rotated scopes (a member or key removed), re-keying the organization's records with them,
   * which this session must hold to verify anything further. Keys no longer granted are dropped.
   */
  private reopenGrants(roster: RosterState): void {
    const grants = openGrants(this.db, this.vaultId, roster, this.keys, this.principal, !this.access.adopted);
    let changed = false;
    for (const [scopeId, k] of this.scopes) {
      if (grants.scopes.has(scopeId)) continue;
      wipe(k.key);
      this.scopes.delete(scopeId);
      changed = true;
    }
    for (const [scopeId, k] of grants.scopes) {
      const held = this.scopes.get(scopeId);
      if (held && held.version === k.version) {
        wipe(k.key);
        continue;
      }
      this.adoptScopeKey(scopeId, k.key, k.version);
      changed = true;
    }
    if (changed) this.index?.invalidate();
  }

  /**
   * Signs `event` onto the roster inside the caller's transaction (session.write), and moves the
   * roster's keyed head. Refused while the roster is broken or not yet signed: a change signed onto
   * a chain no one can verify would vouch for whatever it holds.
   */
  appendRoster(event: RosterEvent): void {
    this.assertUnlocked();
    const { findings, head, roster } = this.access;
    if (findings.rosterProblem) {
      throw new CofferError('TAMPERED', `${findings.rosterProblem}: no change to members, roles, workspaces or teams is made until the vault is restored from a backup`);
    }
    if (!head) throw new CofferError('CONFLICT', "this vault's roster is not signed yet: an Account Holder must unlock it once first");
    let next: RosterState;
    try {
      next = applyEvent(roster, event, this.signer().id);
    } catch (e) {
      if (e instanceof RosterRefusal) throw new CofferError('CONFLICT', `the roster refuses this change: it ${e.message}`);
      throw e;
    }
    const nextHead = writeEntry(this.db, this.vaultId, head, this.signer(), this.ctx.clock.now(), event);
    writeRosterHead(this.db, this.vaultId, this.integrityKey('roster'), nextHead);
    this.access = { ...this.access, roster: next, head: nextHead };
  }

  /** The roster's end, for re-keying its head when the organization key rotates. */
  get rosterHead(): RosterHead | undefined {
    return this.access.head;
  }

  get db(): Db {
    return this.vault.db;
  }

  get ctx(): CoreContext {
    return this.vault.ctx;
  }

  get vaultId(): string {
    return this.vault.id;
  }

  get isLocked(): boolean {
    return this.locked;
  }

  assertUnlocked(): void {
    if (this.locked) throw new CofferError('LOCKED', 'the vault is locked: unlock it first');
  }

  /** Refuses with FORBIDDEN unless this member's role, as the verified roster gives it, allows `op`. */
  authorize(op: Operation): void {
    this.assertUnlocked();
    if (this.principal.kind === 'member') return this.access.roster.authorize(this.memberId, op);
    const account = this.principal.kind === 'account-key' ? this.access.roster.accountOfKey(this.principal.id) : undefined;
    // A service account's key acts under its account's role for what it may sign: managing service accounts.
    if (!account || op !== 'serviceAccount.manage') throw forbidden(MACHINE_NAMES[this.principal.kind], op);
    if (!this.access.roster.allows(account.role, op)) throw forbidden(`Service account ${account.name} (${this.access.roster.roleName(account.role)})`, op);
  }

  /** Whether `op` would be allowed: for what a door shows, never instead of `authorize`. */
  may(op: Operation): boolean {
    if (this.locked) return false;
    try {
      this.authorize(op);
      return true;
    } catch {
      return false;
    }
  }

  keyPairs(): KeyPairs {
    this.assertUnlocked();
    return this.keys;
  }

  readableScopes(): string[] {
    this.assertUnlocked();
    return [...this.scopes.keys()];
  }

  canRead(scopeId: string): boolean {
    return !this.locked && this.scopes.has(scopeId);
  }

  /** The key of a scope sealed to this member; without it the scope cannot be read, whatever the role. */
  scopeKey(scopeId: string): ScopeKey {
    this.assertUnlocked();
    const k = this.scopes.get(scopeId);
    if (!k) throw new CofferError('FORBIDDEN', 'no key of this scope is sealed to you');
    return k;
  }

  /** Records a scope key this member just created or was just granted. */
  adoptScopeKey(scopeId: string, key: Uint8Array, version: number): void {
    this.assertUnlocked();
    const previous = this.scopes.get(scopeId);
    if (previous && previous.key !== key) wipe(previous.key);
    wipe(this.blindKeys.get(scopeId));
    this.blindKeys.delete(scopeId);
    if (scopeId === this.vault.orgScopeId) this.dropIntegrityKeys();
    this.scopes.set(scopeId, { key, version });
  }

  blindKey(scopeId: string): Uint8Array {
    let k = this.blindKeys.get(scopeId);
    if (!k) {
      k = blindIndexKey(this.scopeKey(scopeId).key);
      this.blindKeys.set(scopeId, k);
    }
    return k;
  }

  /** The MAC key of `purpose` under the current organization key, and that key's version. */
  integrityKey(purpose: IntegrityPurpose): { key: Uint8Array; version: number } {
    const org = this.scopeKey(this.vault.orgScopeId);
    let k = this.integrityKeys.get(purpose);
    if (!k) {
      k = integrityKey(org.key, purpose);
      this.integrityKeys.set(purpose, k);
    }
    return { key: k, version: org.version };
  }

  private dropIntegrityKeys(): void {
    for (const k of this.integrityKeys.values()) wipe(k);
    this.integrityKeys.clear();
  }

  /**
   * The key this session vouches for audit entries with; none when the organization key could not
   * be opened (an altered grant), and the session's entries are then written as without a key.
   */
  auditKey(): AuditKey | undefined {
    return this.canRead(this.vault.orgScopeId) ? this.integrityKey('audit') : undefined;
  }

  /** Appends to the audit log inside the current write transaction, under the audit key. */
  audit(action: AuditAction, target: string | null = null): void {
    appendAudit(this.db, this.ctx.clock.now(), this.actor, action, target, this.auditKey());
  }

  /**
   * The Ed25519 public key a member signs with, for checking what they signed (revisions, grants);
   * undefined for someone not in the vault. To be read from the verified roster (access/roster.ts).
   */
  signingKeyOf(memberId: string): Uint8Array | undefined {
    return this.access.roster.signingKeyOf(memberId);
  }

  /** This member's personal scope, as the roster says; a credential has none (FORBIDDEN). */
  personalScopeId(): string {
    return this.access.roster.member(this.memberId)!.personalScopeId;
  }

  lock(): void {
    if (this.locked) return;
    this.locked = true;
    for (const s of this.scopes.values()) wipe(s.key);
    for (const k of this.blindKeys.values()) wipe(k);
    this.dropIntegrityKeys();
    wipe(this.keys.boxSecret, this.keys.signSecret);
    this.scopes.clear();
    this.blindKeys.clear();
    this.index?.clear();
    this.index = undefined;
  }
}
