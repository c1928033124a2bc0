import { existsSync, statSync } from 'node:fs';
import { CofferError } from '../../../shared/errors';
import type { CreateVaultInput, MemberSummary, NamedSummary, Role, VaultInfo } from '../../../shared/schemas/vault';
import { createVaultInput, password as passwordSchema } from '../../../shared/schemas/vault';
import { parseInput } from '../../../shared/validation';
import type { CoreContext } from '../context';
import { defaultContext } from '../context';
import { ad, open, seal } from '../crypto/aead';
import type { KdfParams, KdfProfile } from '../crypto/kdf';
import { calibrate, checkKdfParams, deriveKey } from '../crypto/kdf';
import type { KeyPairs } from '../crypto/keys';
import { newKeyPairs, openSealed, packSecretKeys, unpackSecretKeys, wipe } from '../crypto/keys';
import { appendAudit } from '../audit/log';
import { initSodium } from '../crypto/sodium';
import { Db, openDb } from '../db/connection';
import { LATEST_VERSION } from '../db/migrations';
import type { MemberRow, MetaRow, ScopeGrantRow, ScopeRow } from '../db/rows';
import { ensureVaultFolder } from './paths';
import { createScope, grantScope, memberGrantee } from './scopes';
import { teamSummaries } from './structure';
import { Session } from './session';
import { adoptLegacySettings, checkSettings, writeInitialSettings } from './settings';

export interface VaultOptions {
  readOnly?: boolean;
  context?: Partial<CoreContext>;
}

export const memberKeysContext = (vaultId: string, memberId: string) => ad('coffer/v1/member-keys', vaultId, memberId);

function kdfOf(row: MemberRow): KdfParams {
  return { alg: row.kdf_alg as 'argon2id13', profile: row.kdf_profile as KdfProfile, opslimit: row.kdf_ops, memlimit: row.kdf_mem, salt: row.kdf_salt };
}

export interface NewMember {
  id: string;
  login: string;
  role: Role;
  kdf: KdfParams;
  keys: KeyPairs;
  sealedKeys: Uint8Array;
}

/** Fresh key pairs, private keys encrypted under the password key. Done outside any transaction: the KDF is slow. */
export function prepareMember(ctx: CoreContext, vaultId: string, m: { login: string; role: Role; password: string; profile: KdfProfile }): NewMember {
  const id = ctx.random.uuid();
  const kdf = calibrate(m.profile, ctx.random);
  const passwordKey = deriveKey(m.password, kdf);
  const keys = newKeyPairs();
  const packed = packSecretKeys(keys);
  const sealedKeys = seal(passwordKey, packed, memberKeysContext(vaultId, id), ctx.random);
  wipe(passwordKey, packed);
  return { id, login: m.login, role: m.role, kdf, keys, sealedKeys };
}

export function insertMember(db: Db, now: number, m: NewMember): void {
  try {
    db.stmt(
      `INSERT INTO members (id, login, role, created_at, kdf_alg, kdf_profile, kdf_ops, kdf_mem, kdf_salt, box_public, sign_public, secret_keys)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(m.id, m.login, m.role, now, m.kdf.alg, m.kdf.profile, m.kdf.opslimit, m.kdf.memlimit, m.kdf.salt, m.keys.boxPublic, m.keys.signPublic, m.sealedKeys);
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new CofferError('CONFLICT', `a member named "${m.login}" already exists`, 'name');
    throw e;
  }
}

/** One `.coffer` file: clear facts are readable without a password; everything else needs `unlock`. */
export class Vault {
  private constructor(
    readonly db: Db,
    readonly path: string,
    readonly ctx: CoreContext,
    readonly id: string,
    readonly orgScopeId: string,
  ) {}

  get readOnly(): boolean {
    return this.db.readOnly;
  }

  static async create(path: string, input: CreateVaultInput, opts: VaultOptions = {}): Promise<Vault> {
    const v = parseInput(createVaultInput, input);
    await initSodium();
    if (existsSync(path) && statSync(path).size > 0) throw new CofferError('CONFLICT', `a file already exists at ${path}`, 'vault');
    const ctx = defaultContext(opts.context);
    ensureVaultFolder(path);
    const db = openDb(path, { create: true });
    try {
      const vaultId = ctx.random.uuid();
      let orgScopeId = '';
      const member = prepareMember(ctx, vaultId, { login: v.member, role: 'account-holder', password: v.password, profile: v.kdf });
      db.write(() => {
        const meta = db.stmt('INSERT INTO meta (key, value) VALUES (?, ?)');
        const now = ctx.clock.now();
        insertMember(db, now, member);
        const grantee = { kind: 'member' as const, id: member.id, boxPublic: member.keys.boxPublic };
        const org = createScope(db, ctx, 'organization');
        const personal = createScope(db, ctx, 'personal', member.id);
        grantScope(db, org.id, org.version, org.key, grantee);
        grantScope(db, personal.id, personal.version, personal.key, grantee);
        writeInitialSettings(db, vaultId, org.key, org.version, v.kdf);
        wipe(org.key, personal.key, member.keys.boxSecret, member.keys.signSecret);
        orgScopeId = org.id;
        for (const [k, val] of Object.entries({ format: 'coffer', vault_id: vaultId, organization: v.org, created_at: String(now), org_scope_id: org.id })) {
          meta.run(k, val);
        }
      });
      return new Vault(db, path, ctx, vaultId, orgScopeId);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  static async open(path: string, opts: VaultOptions = {}): Promise<Vault> {
    await initSodium();
    const db = openDb(path, { readOnly: opts.readOnly ?? false });
    try {
      const meta = Vault.readMeta(db);
      if (meta.format !== 'coffer' || !meta.vault_id || !meta.org_scope_id) throw new CofferError('VALIDATION', `${path} is not a Coffer vault`, 'vault');
      return new Vault(db, path, defaultContext(opts.context), meta.vault_id, meta.org_scope_id);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private static readMeta(db: Db): Record<string, string> {
    const rows = db.query<MetaRow>('SELECT key, value FROM meta').all();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  meta(): Record<string, string> {
    return Vault.readMeta(this.db);
  }

  members(): MemberSummary[] {
    const rows = this.db
      .query<Pick<MemberRow, 'id' | 'login' | 'role' | 'created_at'>>('SELECT id, login, role, created_at FROM members ORDER BY login COLLATE NOCASE')
      .all();
    return rows.map((r) => ({ id: r.id, name: r.login, role: r.role, created: r.created_at }));
  }

  /** Clear facts only (docs/product.md §3): what a stolen file shows anyway. Needs no password. */
  info(): VaultInfo {
    const meta = this.meta();
    const counts = this.db
      .query<VaultInfo['secrets']>(
        `SELECT count(*) AS total, coalesce(sum(status = 'active'), 0) AS active, coalesce(sum(status = 'inactive'), 0) AS inactive,
                coalesce(sum(status = 'scheduled'), 0) AS scheduled FROM secrets`,
      )
      .get()!;
    const workspaces = this.db.query<NamedSummary>('SELECT id, name, created_at AS created FROM workspaces ORDER BY name COLLATE NOCASE').all();
    const teams = teamSummaries(this.db);
    return {
      id: this.id,
      organization: meta.organization ?? '',
      created: Number(meta.created_at),
      format: LATEST_VERSION,
      kdfProfile: meta.kdf_profile === 'fast' ? 'fast' : 'standard',
      members: this.members(),
      workspaces,
      teams,
      secrets: counts,
    };
  }

  /** The member to unlock as: the one named, or the vault's only member. */
  private findMember(login: string | undefined): MemberRow {
    if (login === undefined) {
      const rows = this.db.query<MemberRow>('SELECT * FROM members LIMIT 2').all();
      if (rows.length !== 1) throw new CofferError('VALIDATION', 'this vault has several members: choose one with --as', 'as');
      return rows[0]!;
    }
    const row = this.db.query<MemberRow>('SELECT * FROM members WHERE login = ?').get(login);
    if (!row) throw new CofferError('AUTH', 'wrong member name or password');
    return row;
  }

  /** Who would unlock: checked before asking for a password, so a missing --as fails at once. */
  memberToUnlock(login: string | undefined): string {
    return this.findMember(login).login;
  }

  /** Derives the password key, opens the member's private keys and every scope key sealed to them. */
  async unlock(login: string | undefined, password: string): Promise<Session> {
    let row: MemberRow;
    try {
      row = this.findMember(login);
    } catch (e) {
      if ((e as CofferError).code === 'AUTH') this.auditFailedUnlock(login ?? '(unknown)');
      throw e;
    }
    const kdf = kdfOf(row);
    checkKdfParams(kdf);
    const passwordKey = deriveKey(password, kdf);
    let packed: Uint8Array;
    try {
      packed = open(passwordKey, row.secret_keys, memberKeysContext(this.id, row.id), 'member keys');
    } catch {
      this.auditFailedUnlock(row.login);
      throw new CofferError('AUTH', 'wrong member name or password');
    } finally {
      wipe(passwordKey);
    }
    const keys = unpackSecretKeys(packed, row.box_public, row.sign_public);
    wipe(packed);
    const grants = this.db
      .query<Pick<ScopeGrantRow, 'scope_id' | 'key_version' | 'sealed_key'> & Pick<ScopeRow, 'kind'>>(
        `SELECT g.scope_id, g.key_version, g.sealed_key, s.kind FROM scope_grants g JOIN scopes s ON s.id = g.scope_id
         WHERE g.grantee_kind = 'member' AND g.grantee_id = ?`,
      )
      .all(row.id);
    const scopes = new Map<string, { key: Uint8Array; version: number }>();
    for (const g of grants) {
      try {
        scopes.set(g.scope_id, { key: openSealed(g.sealed_key, keys), version: g.key_version });
      } catch {
        // One altered grant costs that scope only: its secrets stay unreadable, the rest unlocks.
      }
    }
    const session = new Session(this, { id: row.id, login: row.login, role: row.role }, keys, scopes);
    this.auditUnlock(() => session.audit('unlock'));
    adoptLegacySettings(session, kdf);
    return session;
  }

  /**
   * Unlocks are audited, failed ones too; a busy or read-only vault must not turn AUTH into another
   * error. A failed unlock holds no key: its entry is written as without one (docs/product.md §8).
   * A successful one is the session's first keyed append, which checks the end of the chain.
   */
  private auditUnlock(append: () => void): void {
    if (this.readOnly) return;
    try {
      this.db.write(append);
    } catch {
      // The unlock's own outcome is what the caller needs; the audit gap shows in the log's times.
    }
  }

  private auditFailedUnlock(actor: string): void {
    this.auditUnlock(() => appendAudit(this.db, this.ctx.clock.now(), actor, 'unlock.failed', null));
  }

  /** Re-encrypts the member's private keys under a new password; no secret is touched. */
  changePassword(session: Session, current: string, next: string): void {
    session.assertUnlocked();
    // The new password meets the same rules as at creation: this is the only other place one is set.
    const nextPassword = parseInput(passwordSchema, next, 'newPassword');
    const row = this.findMember(session.member.login);
    const currentKey = deriveKey(current, kdfOf(row));
    try {
      open(currentKey, row.secret_keys, memberKeysContext(this.id, row.id), 'member keys');
    } catch {
      throw new CofferError('AUTH', 'the current password is wrong', 'password');
    } finally {
      wipe(currentKey);
    }
    // The vault's authenticated profile, not the member row's clear one: a tampered row or setting never downgrades it.
    const kdf = calibrate(checkSettings(session).values.kdfProfile, this.ctx.random);
    const nextKey = deriveKey(nextPassword, kdf);
    const packed = packSecretKeys(session.keyPairs());
    const sealed = seal(nextKey, packed, memberKeysContext(this.id, row.id), this.ctx.random);
    wipe(nextKey, packed);
    this.db.write(() => {
      this.db
        .stmt('UPDATE members SET kdf_alg = ?, kdf_profile = ?, kdf_ops = ?, kdf_mem = ?, kdf_salt = ?, secret_keys = ? WHERE id = ?')
        .run(kdf.alg, kdf.profile, kdf.opslimit, kdf.memlimit, kdf.salt, sealed, row.id);
      session.audit('password.change', session.member.login);
    });
  }

  memberGranteeByLogin(login: string): { id: string; role: Role; grantee: ReturnType<typeof memberGrantee> } {
    const row = this.db.query<Pick<MemberRow, 'id' | 'role' | 'box_public'>>('SELECT id, role, box_public FROM members WHERE login = ?').get(login);
    if (!row) throw new CofferError('NOT_FOUND', `no member named "${login}"`, 'member');
    return { id: row.id, role: row.role, grantee: memberGrantee(row) };
  }

  close(): void {
    this.db.close();
  }
}
