import { existsSync, statSync } from 'node:fs';
import { CofferError } from '../../../shared/errors';
import type { CreateVaultInput, MemberSummary, NamedSummary, Role, VaultInfo } from '../../../shared/schemas/vault';
import { ROLE_LABELS, isBuiltInRole } from '../../../shared/schemas/roles';
import { createVaultInput, password as passwordSchema } from '../../../shared/schemas/vault';
import { parseInput } from '../../../shared/validation';
import type { CoreContext } from '../context';
import { defaultContext } from '../context';
import { ad, open, seal } from '../crypto/aead';
import type { KdfParams, KdfProfile } from '../crypto/kdf';
import { calibrate, checkKdfParams, deriveKey } from '../crypto/kdf';
import type { KeyPairs } from '../crypto/keys';
import { integrityKey, newKeyPairs, packSecretKeys, unpackSecretKeys, wipe } from '../crypto/keys';
import { grantScope, memberGrantee } from '../access/grants';
import { GENESIS_PREV, memberEntryOf, verifyRoster, writeEntry } from '../access/roster';
import { checkRosterHead, writeRosterHead } from '../access/roster-head';
import type { RosterMember } from '../access/roster-state';
import { appendAudit } from '../audit/log';
import { initSodium, sodium } from '../crypto/sodium';
import type { OpenOptions } from '../db/connection';
import { Db, openDb } from '../db/connection';
import { LATEST_VERSION } from '../db/migrations';
import type { AccountKeyRow, CredentialRow, MemberRow, MetaRow } from '../db/rows';
import { machineLookup, parseMachineSecret, unwrapMachineKeys } from '../access/machine-keys';
import { compareTables, grantFindings, openGrants, stateFromTables } from './access-check';
import { adoptSignedForm } from './adoption';
import { ensureVaultFolder } from './paths';
import { createScope } from './scopes';
import { teamSummaries } from './structure';
import { Session } from './session';
import { adoptLegacySettings, checkSettings, writeInitialSettings } from './settings';

export interface VaultOptions {
  readOnly?: boolean;
  context?: Partial<CoreContext>;
  onUpgrade?: OpenOptions['onUpgrade'];
}

export const memberKeysContext = (vaultId: string, memberId: string) => ad('coffer/v1/member-keys', vaultId, memberId);

/**
 * Keys sealed under a one-time setup code instead of a password (docs/product.md §5): the context
 * itself says so, authenticated, so whoever holds the file cannot make a member skip choosing their
 * own password, nor force one to.
 */
const memberSetupContext = (vaultId: string, memberId: string) => ad('coffer/v1/member-setup-keys', vaultId, memberId);

/** How a member's keys were sealed: under their own password, or under a setup code they must replace. */
export type KeySeal = 'password' | 'setup';

const sealContext = (seal: KeySeal, vaultId: string, memberId: string) => (seal === 'password' ? memberKeysContext : memberSetupContext)(vaultId, memberId);

function kdfOf(row: MemberRow): KdfParams {
  return { alg: row.kdf_alg as 'argon2id13', profile: row.kdf_profile as KdfProfile, opslimit: row.kdf_ops, memlimit: row.kdf_mem, salt: row.kdf_salt };
}

export interface NewMember {
  id: string;
  login: string;
  role: Role;
  kdf: KdfParams;
  keys: KeyPairs;
  /** Kept until the keys are sealed with the roster pin (sealMemberKeys), then wiped. */
  passwordKey: Uint8Array;
}

/** Fresh key pairs and the password key. Done outside any transaction: the KDF is slow. */
export function prepareMember(ctx: CoreContext, m: { login: string; role: Role; password: string; profile: KdfProfile }): NewMember {
  const kdf = calibrate(m.profile, ctx.random);
  return { id: ctx.random.uuid(), login: m.login, role: m.role, kdf, keys: newKeyPairs(), passwordKey: deriveKey(m.password, kdf) };
}

/** The member's private keys and the roster pin, encrypted under their password (or setup code) key; that key is wiped. */
export function sealMemberKeys(ctx: CoreContext, vaultId: string, m: NewMember, pin: Uint8Array | undefined, how: KeySeal = 'password'): Uint8Array {
  const packed = packSecretKeys(m.keys, pin);
  try {
    return seal(m.passwordKey, packed, sealContext(how, vaultId, m.id), ctx.random);
  } finally {
    wipe(packed, m.passwordKey);
  }
}

/** The roster's view of a new member: their public keys and the personal scope made for them. */
export function rosterMemberOf(m: NewMember, personalScopeId: string, created: number): RosterMember {
  return { id: m.id, login: m.login, role: m.role, boxPublic: m.keys.boxPublic, signPublic: m.keys.signPublic, personalScopeId, created };
}

export function insertMember(db: Db, now: number, m: NewMember, sealedKeys: Uint8Array): void {
  try {
    db.stmt(
      `INSERT INTO members (id, login, role, created_at, kdf_alg, kdf_profile, kdf_ops, kdf_mem, kdf_salt, box_public, sign_public, secret_keys)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(m.id, m.login, m.role, now, m.kdf.alg, m.kdf.profile, m.kdf.opslimit, m.kdf.memlimit, m.kdf.salt, m.keys.boxPublic, m.keys.signPublic, sealedKeys);
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
      const member = prepareMember(ctx, { login: v.member, role: 'account-holder', password: v.password, profile: v.kdf });
      db.write(() => {
        const meta = db.stmt('INSERT INTO meta (key, value) VALUES (?, ?)');
        const now = ctx.clock.now();
        const org = createScope(db, ctx, 'organization', { created: now });
        const founder = rosterMemberOf(member, ctx.random.uuid(), now);
        const signer = { id: member.id, signSecret: member.keys.signSecret };
        // The founding entry lists the first Account Holder and is signed by them; its hash is the pin.
        const head = writeEntry(db, vaultId, { seq: 0, hash: GENESIS_PREV }, signer, now, {
          type: 'genesis',
          orgScopeId: org.id,
          created: now,
          members: [memberEntryOf(founder)],
          workspaces: [],
          teams: [],
        });
        insertMember(db, now, member, sealMemberKeys(ctx, vaultId, member, head.hash));
        const personal = createScope(db, ctx, 'personal', { created: now, owner: member.id, id: founder.personalScopeId });
        grantScope(db, vaultId, signer, org.id, org.version, org.key, memberGrantee(founder));
        grantScope(db, vaultId, signer, personal.id, personal.version, personal.key, memberGrantee(founder));
        writeInitialSettings(db, vaultId, org.key, org.version, v.kdf);
        const rosterKey = integrityKey(org.key, 'roster');
        writeRosterHead(db, vaultId, { key: rosterKey, version: org.version }, head);
        wipe(org.key, personal.key, rosterKey, member.keys.boxSecret, member.keys.signSecret);
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
    const db = openDb(path, { readOnly: opts.readOnly ?? false, onUpgrade: opts.onUpgrade });
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
    // Custom roles' names are on the signed roster only: a locked view does not read it.
    return rows.map((r) => ({ id: r.id, name: r.login, role: r.role, roleName: isBuiltInRole(r.role) ? ROLE_LABELS[r.role] : 'Custom role', created: r.created_at }));
  }

  /** What a door shows of the vault on every screen: its organization, key derivation profile and members, nothing counted. */
  identity(): Pick<VaultInfo, 'organization' | 'kdfProfile' | 'members'> {
    const meta = this.meta();
    return { organization: meta.organization ?? '', kdfProfile: meta.kdf_profile === 'fast' ? 'fast' : 'standard', members: this.members() };
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
      ...this.identity(),
      created: Number(meta.created_at),
      format: LATEST_VERSION,
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

  /**
   * Derives the password key, opens the member's private keys, verifies the roster against the pin
   * they carry and opens every scope key sealed to them whose grant is signed (docs/product.md §1a).
   */
  async unlock(login: string | undefined, password: string): Promise<Session> {
    // A member row of a damaged file may hold a column of another type (db/connection.ts, diagnose).
    return this.db.diagnosing(() => {
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
      try {
        const opened = this.openMemberKeys(row, passwordKey);
        if (!opened) {
          this.auditFailedUnlock(row.login);
          throw new CofferError('AUTH', 'wrong member name or password');
        }
        const { keys, pin } = unpackSecretKeys(opened.packed);
        wipe(opened.packed);
        const session = this.openSession(row.id, keys, pin);
        session.setupPending = opened.how === 'setup';
        this.auditUnlock(() => session.audit('unlock'));
        if (!this.readOnly) adoptSignedForm(session, passwordKey);
        adoptLegacySettings(session, kdf);
        return session;
      } finally {
        wipe(passwordKey);
      }
    });
  }

  /**
   * A pipeline's unlock with a service credential (docs/product.md §6): the client secret unwraps the
   * credential's keys, the roster is verified against the pin they carry and must still list the
   * credential with that key, and only the grants of its teams open. No password, no KDF.
   */
  unlockCredential(clientId: string, clientSecret: string): Session {
    const actor = `credential:${clientId.slice(0, 64)}`;
    const failed = (e: CofferError) => {
      this.auditFailedUnlock(actor);
      return e;
    };
    const row = this.db.query<CredentialRow>('SELECT * FROM credentials WHERE id = ?').get(clientId.trim());
    if (!row) throw failed(new CofferError('AUTH', 'wrong client id or client secret, or the credential was revoked'));
    const secret = parseMachineSecret('credential', clientSecret);
    let opened: { keys: KeyPairs; pin: Uint8Array | undefined };
    try {
      opened = unwrapMachineKeys('credential', this.id, row.id, secret, row);
    } catch (e) {
      throw failed(e instanceof CofferError ? e : new CofferError('AUTH', 'wrong client id or client secret, or the credential was revoked'));
    } finally {
      wipe(secret);
    }
    const { keys, pin } = opened;
    const check = verifyRoster(this.db, this.id, pin);
    const roster = check.state;
    const listed = roster?.credentials.get(row.id);
    if (!roster || roster.orgScopeId !== this.orgScopeId || !listed || !sodium().memcmp(listed.boxPublic, keys.boxPublic)) {
      wipe(keys.boxSecret, keys.signSecret);
      if (roster && !listed) throw failed(new CofferError('AUTH', 'this service credential was revoked'));
      throw new CofferError('TAMPERED', `${check.problem ?? 'the roster does not list this credential with its key'}: the vault cannot be trusted, so it is not unlocked`);
    }
    const grants = openGrants(this.db, this.id, roster, keys, { kind: 'credential', id: row.id }, false);
    const findings = grantFindings(check, grants);
    const session = new Session(this, { kind: 'credential', id: row.id }, keys, grants.scopes, { roster, head: check.head, genesis: check.genesis, adopted: true, findings });
    this.auditUnlock(() => {
      this.db.stmt('UPDATE credentials SET last_used_at = ? WHERE id = ?').run(this.ctx.clock.now(), row.id);
      session.audit('unlock');
    });
    return session;
  }

  /**
   * A service account's key (docs/product.md §7): found by the lookup its secret derives, checked
   * against its verifier, unwrapped; refused once expired, renewed or deleted. Like a credential, it
   * verifies the roster from the pin its keys carry and opens only the grants sealed to this key.
   */
  unlockAccountKey(secretText: string): Session {
    const failed = (e: CofferError) => {
      this.auditFailedUnlock('account:(key)');
      return e;
    };
    const secret = parseMachineSecret('account-key', secretText);
    const row = this.db.query<AccountKeyRow>('SELECT * FROM account_keys WHERE lookup = ?').get(machineLookup('account-key', this.id, secret));
    let opened: { keys: KeyPairs; pin: Uint8Array | undefined };
    try {
      if (!row) throw new CofferError('AUTH', 'wrong, renewed or deleted service-account key');
      opened = unwrapMachineKeys('account-key', this.id, row.id, secret, row);
    } catch (e) {
      throw failed(e instanceof CofferError ? e : new CofferError('AUTH', 'wrong, renewed or deleted service-account key'));
    } finally {
      wipe(secret);
    }
    const { keys, pin } = opened;
    const check = verifyRoster(this.db, this.id, pin);
    const roster = check.state;
    const account = roster?.accountOfKey(row.id);
    const listed = account?.keys.get(row.id);
    if (!roster || roster.orgScopeId !== this.orgScopeId || !listed || !sodium().memcmp(listed.boxPublic, keys.boxPublic) || !sodium().memcmp(listed.signPublic, keys.signPublic)) {
      wipe(keys.boxSecret, keys.signSecret);
      if (roster && !listed) throw failed(new CofferError('AUTH', 'this service-account key was renewed or deleted'));
      throw new CofferError('TAMPERED', `${check.problem ?? 'the roster does not list this key with its public key'}: the vault cannot be trusted, so it is not unlocked`);
    }
    if (listed.expires !== null && listed.expires <= this.ctx.clock.now()) {
      wipe(keys.boxSecret, keys.signSecret);
      throw failed(new CofferError('AUTH', `this service-account key expired on ${new Date(listed.expires).toISOString().slice(0, 10)}`));
    }
    const grants = openGrants(this.db, this.id, roster, keys, { kind: 'account-key', id: row.id }, false);
    const findings = grantFindings(check, grants);
    const session = new Session(this, { kind: 'account-key', id: row.id }, keys, grants.scopes, { roster, head: check.head, genesis: check.genesis, adopted: true, findings });
    const keyId = row.id;
    this.auditUnlock(() => {
      this.db.stmt('UPDATE account_keys SET last_used_at = ? WHERE id = ?').run(this.ctx.clock.now(), keyId);
      session.audit('unlock');
    });
    return session;
  }

  /** The member's packed keys and how they were sealed, or undefined when the key is wrong. */
  private openMemberKeys(row: MemberRow, key: Uint8Array): { packed: Uint8Array; how: KeySeal } | undefined {
    for (const how of ['password', 'setup'] as const) {
      try {
        return { packed: open(key, row.secret_keys, sealContext(how, this.id, row.id), 'member keys'), how };
      } catch {
        // Not sealed this way, or not under this key: try the other, then give up.
      }
    }
    return undefined;
  }

  /** The roster, this member's place on it and the grants it lets them open. */
  private openSession(memberId: string, keys: KeyPairs, pin: Uint8Array | undefined): Session {
    const signed = this.db.value<number>('SELECT 1 FROM roster LIMIT 1') !== undefined;
    const check = signed || pin ? verifyRoster(this.db, this.id, pin) : undefined;
    if (check && !check.state) {
      wipe(keys.boxSecret, keys.signSecret);
      throw new CofferError('TAMPERED', `${check.problem ?? 'the roster does not verify'}: the vault's list of members cannot be trusted, so it is not unlocked`);
    }
    if (check?.state && check.state.orgScopeId !== this.orgScopeId) {
      wipe(keys.boxSecret, keys.signSecret);
      throw new CofferError('TAMPERED', "the file names another organization scope than the vault's roster: it was altered, so it is not unlocked");
    }
    const roster = check?.state ?? stateFromTables(this.db, this.orgScopeId);
    const me = roster.member(memberId);
    if (!me || !sodium().memcmp(me.boxPublic, keys.boxPublic) || !sodium().memcmp(me.signPublic, keys.signPublic)) {
      wipe(keys.boxSecret, keys.signSecret);
      throw new CofferError('TAMPERED', 'you are not on this vault\'s roster with these keys: the file was altered, so it is not unlocked');
    }
    const adopted = pin !== undefined;
    const grants = openGrants(this.db, this.id, roster, keys, { kind: 'member', id: memberId }, !adopted);
    const findings = grantFindings(check, grants);
    const session = new Session(this, { kind: 'member', id: memberId }, keys, grants.scopes, { roster, head: check?.head, genesis: check?.genesis, adopted, findings });
    if (check) {
      findings.structure = compareTables(this.db, roster);
      if (session.canRead(roster.orgScopeId)) findings.rosterProblem ??= checkRosterHead(this.db, this.id, session.integrityKey('roster'), check.head);
    }
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
    let pin: Uint8Array | undefined;
    try {
      const opened = this.openMemberKeys(row, currentKey);
      if (!opened) throw new CofferError('AUTH', 'the current password is wrong', 'password');
      pin = unpackSecretKeys(opened.packed).pin;
      wipe(opened.packed);
    } finally {
      wipe(currentKey);
    }
    // The vault's authenticated profile, not the member row's clear one: a tampered row or setting never downgrades it.
    const kdf = calibrate(checkSettings(session).values.kdfProfile, this.ctx.random);
    const nextKey = deriveKey(nextPassword, kdf);
    const packed = packSecretKeys(session.keyPairs(), pin);
    const sealed = seal(nextKey, packed, memberKeysContext(this.id, row.id), this.ctx.random);
    wipe(nextKey, packed);
    this.db.write(() => {
      this.db
        .stmt('UPDATE members SET kdf_alg = ?, kdf_profile = ?, kdf_ops = ?, kdf_mem = ?, kdf_salt = ?, secret_keys = ? WHERE id = ?')
        .run(kdf.alg, kdf.profile, kdf.opslimit, kdf.memlimit, kdf.salt, sealed, row.id);
      session.audit('password.change', session.member.login);
    });
    session.setupPending = false;
  }

  close(): void {
    this.db.close();
  }
}
