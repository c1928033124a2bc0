import { existsSync } from 'node:fs';
import { OPERATIONS } from '../../shared/schemas/roles';
import { CofferError } from '../../shared/errors';
import type { AppStatus, Integrity } from '../../shared/ipc';
import type { UsageDoor } from '../../shared/schemas/secrets';
import type { Settings } from '../../shared/schemas/settings';
import type { CreateVaultInput } from '../../shared/schemas/vault';
import { writesVault } from './access/permissions';
import { verifyAuditFor } from './audit/access';
import { Inbox } from './bundles/inbox';
import { Outbox } from './bundles/outbox';
import { AuditHeadStore } from './audit/head-store';
import { RollbackWatch, withRollback } from './audit/rollback';
import type { AuditVerdict } from './audit/verify';
import type { AuditKey } from './audit/chain';
import { auditProblem } from './audit/verify';
import type { CoreContext } from './context';
import type { Upgrade } from './db/connection';
import { createDemoVault } from './demo';
import { collectGarbage } from './memory';
import { unreadNoticeCount } from './lifecycle/notices';
import { lockedPass, sessionPass } from './lifecycle/passes';
import type { PassResult } from './lifecycle/scheduler';
import { SecretIndex } from './secrets/secret-index';
import { unreadableScopes } from './vault/damage';
import { listTeams, listWorkspaces } from './vault/structure';
import type { Session } from './vault/session';
import type { VaultSettings } from './vault/settings';
import { DEFAULT_SETTINGS, changeSettings, checkSettings, clearSettings } from './vault/settings';
import { Vault } from './vault/vault';

export interface AppOptions {
  vaultPath: string;
  readOnly?: boolean;
  context?: Partial<CoreContext>;
  /** The door values read here are recorded under (docs/product.md §2, "Where used"). */
  door: Extract<UsageDoor, 'desktop' | 'browser'>;
  demo?: boolean;
  /**
   * The door's own data folder (Electron's userData, the platform data folder for browser mode),
   * where it remembers the audit head it last saw of each vault; without one, rollbacks go unseen.
   */
  dataDir?: string;
}

/** Long enough for the unlock's first listing to be served before the full sort takes the thread. */
const SORT_DELAY_MS = 300;

/**
 * The vault as a long-running door (desktop window, browser mode) holds it: one file, at most one
 * unlocked session. Doors call the core through handlers.ts, which reach the session from here.
 */
export class CofferApp {
  private vault: Vault | undefined;
  private current: Session | undefined;
  /** Secrets the last unlocked pass found due but whose head did not verify: not purged (docs/product.md §1a). */
  private purgesWithheld = 0;
  private vaultPath: string;
  private demo: boolean;
  /** Opened read-only: by the door's --read-only flag (for good), or chosen on the unlock screen (until changed back). */
  private readOnly: boolean;
  /**
   * Open read-only though not in a read-only review: until someone unlocks to write, nothing is
   * written, so that "Open read-only" on the unlock screen finds the file exactly as it was.
   */
  private peeking = false;
  private readonly rollbacks: RollbackWatch;
  /**
   * The last audit finding and the state of the file it was found in: the unlock screen asks for the
   * status often, and without the key the check walks every entry written since the last unlock.
   */
  private auditSeen: { db: Vault['db']; dataVersion: number; writes: number; keyVersion: number; finding: ReturnType<typeof auditProblem> } | undefined;
  /** The last unread notice count and the state of the file it was counted in, for the same reason. */
  private noticesSeen: { session: Session; dataVersion: number; writes: number; count: number } | undefined;
  /** Exports waiting for this door to deliver them (shared/ipc.ts trait `download`); emptied at lock. */
  readonly outbox = new Outbox();
  /** Files the Import screen uploaded, waiting to be imported; emptied at lock. */
  readonly inbox = new Inbox();
  /** The upgrade of an older file this app made when it opened it, which the unlock screen reports. */
  private upgraded: Upgrade | undefined;

  constructor(readonly options: AppOptions) {
    this.vaultPath = options.vaultPath;
    this.demo = options.demo ?? false;
    this.readOnly = options.readOnly ?? false;
    this.rollbacks = new RollbackWatch(options.dataDir === undefined ? undefined : AuditHeadStore.in(options.dataDir));
  }

  get door(): AppOptions['door'] {
    return this.options.door;
  }

  private async openVault(): Promise<Vault | undefined> {
    if (!this.vault && existsSync(this.vaultPath)) {
      if (!this.readOnly && (await this.peek())) return this.vault;
      await this.openToWrite();
    }
    return this.vault;
  }

  /** Opens the vault read-only for the unlock screen; false when it must be written first (an older format to upgrade). */
  private async peek(): Promise<boolean> {
    try {
      this.vault = await Vault.open(this.vaultPath, { readOnly: true, context: this.options.context });
    } catch (e) {
      if (e instanceof CofferError && e.code === 'UNSUPPORTED_VERSION') return false;
      throw e;
    }
    this.peeking = true;
    return true;
  }

  private async openToWrite(): Promise<void> {
    if (this.peeking) {
      this.vault?.close();
      this.peeking = false;
    }
    this.vault = await Vault.open(this.vaultPath, { readOnly: this.readOnly, context: this.options.context, onUpgrade: (u) => (this.upgraded = u) });
    // Start-up pass: transitions and notices are due before anyone unlocks (docs/product.md §4); purges wait for an unlock.
    this.tick();
  }

  /**
   * One scheduler pass (at start-up, at unlock, and every few minutes from the door): with the
   * session's authenticated settings when one is unlocked, the only pass that purges; without one,
   * a locked pass that only makes secrets Inactive and writes notices.
   */
  tick(): PassResult {
    if (!this.vault) return { inactivated: 0, notices: 0, purged: 0 };
    const unlocked = this.current && !this.current.isLocked ? this.current : undefined;
    if (!unlocked) return lockedPass(this.vault);
    const pass = sessionPass(unlocked);
    this.purgesWithheld = pass.tamperedSecrets.length;
    return pass;
  }

  /** The unlocked session every handler acts through; refused until a member who unlocked with a setup code has chosen a password. */
  session(): Session {
    const s = this.unlockedSession();
    if (s.setupPending) throw new CofferError('AUTH', 'you unlocked with a one-time setup code: choose your own password first');
    // A CLI command or the REST API may have changed the roster and rotated keys since the last call.
    s.catchUpRoster();
    return s;
  }

  private unlockedSession(): Session {
    if (!this.current || this.current.isLocked) throw new CofferError('LOCKED', 'the vault is locked: unlock it first');
    return this.current;
  }

  /** The unlocked member's new password; the only call a session unlocked with a setup code may make. */
  changePassword(current: string, next: string): void {
    const s = this.unlockedSession();
    s.vault.changePassword(s, current, next);
  }

  /**
   * The settings the app applies: verified under the organization key while unlocked (a tampered
   * one at its default); before unlock, only bounds-checked, which is all the unlock screen needs.
   */
  settings(): Settings {
    const unlocked = this.current && !this.current.isLocked ? this.current : undefined;
    const all: VaultSettings = unlocked ? checkSettings(unlocked).values : this.vault ? clearSettings(this.vault.db) : DEFAULT_SETTINGS;
    const { kdfProfile: _kdfProfile, ...shown } = all;
    return shown;
  }

  updateSettings(patch: Partial<Settings>): void {
    changeSettings(this.session(), patch);
  }

  async create(input: CreateVaultInput): Promise<void> {
    if (await this.openVault()) throw new CofferError('CONFLICT', `a vault already exists at ${this.vaultPath}`, 'vault');
    this.vault = await Vault.create(this.vaultPath, input, { context: this.options.context });
    this.current = await this.vault.unlock(undefined, input.password);
  }

  async unlock(member: string | undefined, password: string): Promise<void> {
    if (!(await this.openVault())) throw new CofferError('NOT_FOUND', 'there is no vault yet: create one first', 'vault');
    if (this.peeking) await this.openToWrite();
    const vault = this.vault!;
    this.lock();
    const session = await vault.unlock(member, password);
    // Choosing the password a setup code asks for is a write: say so now, not at the next screen.
    if (vault.readOnly && session.setupPending) {
      session.lock();
      throw new CofferError('LOCKED', 'a one-time setup code cannot be used in a read-only review: open the vault for writing to choose your password');
    }
    this.current = session;
    this.tick();
    this.sortSoon(this.current);
  }

  /**
   * Reopens the locked vault read-only for a review (docs/product.md §3), or read-write again. Only
   * while locked, so no session outlives the mode it unlocked in; a door started with --read-only
   * stays read-only. A reopen that fails leaves the vault open as it was.
   */
  async reopen(readOnly: boolean): Promise<void> {
    if (this.current && !this.current.isLocked) throw new CofferError('CONFLICT', 'lock the vault before reopening it');
    if (!readOnly && this.options.readOnly) throw new CofferError('FORBIDDEN', 'this app was started with --read-only: start it without the flag to write');
    if (!existsSync(this.vaultPath)) throw new CofferError('NOT_FOUND', 'there is no vault yet: create one first', 'vault');
    if (this.vault && this.readOnly === readOnly) return;
    const was = this.readOnly;
    this.close();
    this.readOnly = readOnly;
    try {
      await this.openVault();
    } catch (e) {
      this.readOnly = was;
      await this.openVault();
      throw e;
    }
  }

  /**
   * Sorts the name order once the first page is on screen: that page is picked without a full sort
   * (fast), and the sort then waits for idle time instead of delaying it.
   */
  private sortSoon(session: Session): void {
    setTimeout(() => {
      if (this.current === session && !session.isLocked) SecretIndex.of(session).prepare('name');
    }, SORT_DELAY_MS).unref();
  }

  /** Switches to a fresh demo vault in a temp folder, unlocked. */
  async startDemo(): Promise<void> {
    const demo = await createDemoVault(this.options.context);
    this.close();
    this.vaultPath = demo.path;
    this.demo = true;
    await this.unlock(undefined, demo.password);
  }

  lock(): void {
    const unlocked = this.current !== undefined && !this.current.isLocked;
    // The head this session reached is remembered before its key is gone.
    if (this.vault && unlocked) this.integrity(this.vault, this.current!);
    this.current?.lock();
    this.current = undefined;
    this.outbox.clear();
    this.inbox.clear();
    if (unlocked) collectGarbage();
  }

  /**
   * The audit log's state as cheaply seen (its end and its recorded breaks, under the key when
   * unlocked) and whether the vault went back to an older head than this app saw. Demo vaults are
   * throwaway: not remembered.
   */
  private integrity(vault: Vault, session: Session | undefined): Integrity {
    const key = session?.auditKey();
    const auditBroken = this.auditFinding(vault, key);
    const rolledBack = this.demo ? undefined : this.rollbacks.look(vault.id, vault.db, key);
    // Only a session can verify settings; before unlock they are merely bounds-checked.
    const settingsTampered = session ? checkSettings(session).tampered : [];
    const access = session?.accessFindings;
    const purgesWithheld = session ? this.purgesWithheld : 0;
    const unreadable = session ? unreadableScopes(session) : [];
    return {
      ...(auditBroken ? { auditBroken } : {}),
      ...(rolledBack ? { rolledBack } : {}),
      ...(settingsTampered.length ? { settingsTampered } : {}),
      ...(access?.rosterProblem ? { rosterProblem: access.rosterProblem } : {}),
      ...(access?.structure.length ? { structureMismatch: access.structure } : {}),
      ...(access?.grantsRejected ? { grantsRejected: access.grantsRejected } : {}),
      ...(access?.grantsMissing ? { grantsMissing: access.grantsMissing } : {}),
      ...(access?.unsigned ? { unsigned: true } : {}),
      ...(purgesWithheld ? { purgesWithheld } : {}),
      ...(unreadable.length ? { unreadable } : {}),
    };
  }

  /** The unread notice count, counted again only when the file has changed since (~25 ms at 13,000 notices). */
  private unreadNotices(session: Session): number {
    const db = session.db;
    const seen = this.noticesSeen;
    const dataVersion = db.dataVersion();
    if (seen?.session === session && seen.dataVersion === dataVersion && seen.writes === db.writes) return seen.count;
    const count = unreadNoticeCount(session);
    this.noticesSeen = { session, dataVersion, writes: db.writes, count };
    return count;
  }

  private auditFinding(vault: Vault, key: AuditKey | undefined): ReturnType<typeof auditProblem> {
    const db = vault.db;
    const seen = this.auditSeen;
    const keyVersion = key?.version ?? -1;
    const dataVersion = db.dataVersion();
    if (seen?.db === db && seen.dataVersion === dataVersion && seen.writes === db.writes && seen.keyVersion === keyVersion) return seen.finding;
    const finding = auditProblem(db, key);
    this.auditSeen = { db, dataVersion, writes: db.writes, keyVersion, finding };
    return finding;
  }

  /** `audit.verify`: the whole chain, and a rollback to an older copy, which the chain cannot show by itself. */
  verifyAudit(): AuditVerdict {
    const session = this.session();
    const verdict = verifyAuditFor(session);
    return withRollback(verdict, this.demo ? undefined : this.rollbacks.look(session.vaultId, session.db, session.auditKey()));
  }

  async status(): Promise<AppStatus> {
    const vault = await this.openVault();
    const settings = this.settings();
    if (!vault) {
      return { state: 'none', vault: null, member: null, workspaces: [], teams: [], counts: { personal: 0, organization: 0 }, unreadNotices: 0, settings, integrity: {} };
    }
    // Asked for after every action: the vault's identity, not info(), which counts every secret (~15 ms at 100,000).
    const info = vault.identity();
    const unlocked = this.current && !this.current.isLocked ? this.current : undefined;
    const base: AppStatus = {
      state: unlocked ? 'unlocked' : 'locked',
      vault: {
        path: vault.path,
        organization: info.organization,
        kdfProfile: info.kdfProfile,
        members: info.members.map((m) => m.name),
        readOnly: this.readOnly,
        readOnlyForced: this.options.readOnly ?? false,
        demo: this.demo,
        upgraded: this.upgraded ?? null,
      },
      member: null,
      workspaces: [],
      teams: [],
      counts: { personal: 0, organization: 0 },
      unreadNotices: 0,
      settings,
      integrity: this.integrity(vault, unlocked),
    };
    if (!unlocked) return base;
    const counts = SecretIndex.of(unlocked).counts();
    const roleOperations = OPERATIONS.filter((op) => unlocked.may(op));
    return {
      ...base,
      member: {
        name: unlocked.member.login,
        role: unlocked.member.role,
        roleName: unlocked.roster.roleName(unlocked.member.role),
        permissions: vault.readOnly ? roleOperations.filter((op) => !writesVault(op)) : roleOperations,
        roleOperations,
        setupPending: unlocked.setupPending,
      },
      workspaces: listWorkspaces(unlocked).map((w) => ({ id: w.id, name: w.name, count: counts.workspaces.get(w.name) ?? 0 })),
      teams: listTeams(unlocked).map((t) => ({ id: t.id, name: t.name })),
      counts: { personal: counts.personal, organization: counts.organization },
      unreadNotices: this.unreadNotices(unlocked),
    };
  }

  close(): void {
    this.lock();
    this.vault?.close();
    this.vault = undefined;
    this.peeking = false;
    this.rollbacks.forget();
  }
}
