import { CofferError } from '../../../shared/errors';
import type { Role } from '../../../shared/schemas/vault';
import type { Operation } from '../access/permissions';
import { authorize } from '../access/permissions';
import type { AuditAction } from '../audit/log';
import type { AuditKey } from '../audit/chain';
import { appendAudit } from '../audit/log';
import type { IntegrityPurpose, KeyPairs } from '../crypto/keys';
import { blindIndexKey, integrityKey, wipe } from '../crypto/keys';
import type { Db } from '../db/connection';
import type { ScopeRow } from '../db/rows';
import type { CoreContext } from '../context';
import type { SecretIndex } from '../secrets/secret-index';
import type { Vault } from './vault';

export interface SessionMember {
  id: string;
  login: string;
  role: Role;
}

interface ScopeKey {
  key: Uint8Array;
  version: number;
}

/**
 * An unlocked vault: the member, their private keys and the scope keys sealed to them, in memory
 * only. Never log or serialize any of it. `lock()` zeroes every key and drops every decrypted name.
 */
export class Session {
  private locked = false;
  private readonly blindKeys = new Map<string, Uint8Array>();
  private readonly integrityKeys = new Map<IntegrityPurpose, Uint8Array>();
  private personalScope: string | undefined;
  /** Built lazily from the encrypted name chunks; owned by secrets/secret-index. */
  index: SecretIndex | undefined;
  /** Whether a secret without a head (made before heads existed) is read as legacy rather than TAMPERED: the roster sets it false once this member has adopted heads (secrets/head.ts). */
  acceptsLegacyHeads = true;

  constructor(
    readonly vault: Vault,
    readonly member: SessionMember,
    private readonly keys: KeyPairs,
    private readonly scopes: Map<string, ScopeKey>,
  ) {}

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

  authorize(op: Operation): void {
    this.assertUnlocked();
    authorize(this.member.role, op);
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

  /** Drops a scope key this member no longer holds (they demoted themselves out of it): zeroed, not kept until lock. */
  forgetScopeKey(scopeId: string): void {
    wipe(this.scopes.get(scopeId)?.key, this.blindKeys.get(scopeId));
    this.scopes.delete(scopeId);
    this.blindKeys.delete(scopeId);
    if (scopeId === this.vault.orgScopeId) this.dropIntegrityKeys();
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
    appendAudit(this.db, this.ctx.clock.now(), this.member.login, action, target, this.auditKey());
  }

  /**
   * The Ed25519 public key a member signs with, for checking what they signed (revisions, grants);
   * undefined for someone not in the vault. To be read from the verified roster (access/roster.ts).
   */
  signingKeyOf(memberId: string): Uint8Array | undefined {
    return this.db.value<Uint8Array>('SELECT sign_public FROM members WHERE id = ?', memberId);
  }

  /** A member's personal scope never changes while they exist, so it is looked up once. */
  personalScopeId(): string {
    if (this.personalScope === undefined) {
      const id = this.db.value<ScopeRow['id']>("SELECT id FROM scopes WHERE kind = 'personal' AND owner_id = ?", this.member.id);
      if (id === undefined) throw new CofferError('INTERNAL', 'personal scope missing');
      this.personalScope = id;
    }
    return this.personalScope;
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
