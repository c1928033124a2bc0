import { CofferError } from '../../shared/errors';
import type { Command } from 'commander';
import { AuditHeadStore } from '../core/audit/head-store';
import type { Rollback } from '../core/audit/rollback';
import { RollbackWatch, describeRollback } from '../core/audit/rollback';
import { lockedPass, sessionPass } from '../core/lifecycle/passes';
import type { PassResult } from '../core/lifecycle/scheduler';
import type { Session } from '../core/vault/session';
import { tamperedSettingsError } from '../core/vault/settings';
import { accessWarnings } from '../core/vault/access-check';
import { damageWarnings } from '../core/vault/damage';
import { defaultDataDir, defaultVaultPath } from '../core/vault/paths';
import { Vault } from '../core/vault/vault';
import { SecretInput } from './io';
import { warn } from './output';

/** `COFFER_CLIENT_ID` and `COFFER_CLIENT_SECRET` together, or neither: one alone is a mistake worth saying. */
function pipelineCredential(): { clientId: string; clientSecret: string } | undefined {
  const clientId = process.env.COFFER_CLIENT_ID;
  const clientSecret = process.env.COFFER_CLIENT_SECRET;
  if (!clientId && !clientSecret) return undefined;
  if (!clientId || !clientSecret) throw new CofferError('VALIDATION', 'set both COFFER_CLIENT_ID and COFFER_CLIENT_SECRET, or neither', clientId ? 'COFFER_CLIENT_SECRET' : 'COFFER_CLIENT_ID');
  return { clientId, clientSecret };
}

export interface GlobalOptions {
  vault?: string;
  as?: string;
  passwordStdin?: boolean;
  json?: boolean;
  readOnly?: boolean;
}

/** What every command gets: its global options, the way to read secrets, and the vault on demand. */
export class CliContext {
  readonly input: SecretInput;
  private vault: Vault | undefined;
  private session: Session | undefined;
  /** The audit heads this user's CLI saw, in the platform data folder: a vault set back shows against them. */
  private readonly rollbacks = new RollbackWatch(AuditHeadStore.in(defaultDataDir()));
  /** Found when the vault was opened, and said then on stderr; `audit verify` fails on it too. */
  rollback: Rollback | undefined;
  /** What the lifecycle passes of this command did: the locked one at open, the session's at unlock. */
  readonly passes: PassResult = { inactivated: 0, notices: 0, purged: 0 };

  constructor(readonly options: GlobalOptions) {
    this.input = new SecretInput(options.passwordStdin ?? false);
  }

  static of(cmd: Command): CliContext {
    return new CliContext(cmd.optsWithGlobals<GlobalOptions>());
  }

  get json(): boolean {
    return this.options.json ?? false;
  }

  get vaultPath(): string {
    return this.options.vault ?? defaultVaultPath();
  }

  async open(): Promise<Vault> {
    if (!this.vault) {
      this.vault = await Vault.open(this.vaultPath, {
        readOnly: this.options.readOnly ?? false,
        onUpgrade: (u) => warn(`upgrading the vault from format ${u.from} to ${u.to}, once (a large vault takes a minute); the file as it was is kept at ${u.backup}`),
      });
      const snapshot = this.vault.db.snapshot;
      if (snapshot) warn(`${snapshot}: reading a copy of the vault in memory; nothing is written and no read is recorded`);
      this.rollback = this.rollbacks.look(this.vault.id, this.vault.db);
      if (this.rollback) warn(`${describeRollback(this.rollback)}; if you did not restore a backup, someone replaced the file`);
      // Every start is a scheduler pass (docs/product.md §4): without a password it never purges; read-only vaults skip it.
      this.count(lockedPass(this.vault));
    }
    return this.vault;
  }

  /**
   * Opens and unlocks as `--as` (or the only member) with the password from stdin or a prompt, then
   * runs the session's pass: the one that purges, when the vault's settings verify. A setting that
   * does not verify is a warning, or the command's error with `tamperedSettings: 'fail'`
   * (`coffer tick`, whose purges it withheld); the rest of the vault stays usable either way.
   */
  async unlock(opts: { tamperedSettings?: 'warn' | 'fail' } = {}): Promise<Session> {
    if (this.session) return this.session;
    const vault = await this.open();
    const credential = pipelineCredential();
    const accountKey = process.env.COFFER_KEY_SECRET;
    if (credential || accountKey) {
      if (credential && accountKey) throw new CofferError('VALIDATION', 'set a service credential (COFFER_CLIENT_ID, COFFER_CLIENT_SECRET) or a service-account key (COFFER_KEY_SECRET), not both', 'COFFER_KEY_SECRET');
      // A pipeline (docs/product.md §6–§7): no password and no purging pass, only what the identity can read.
      this.session = credential ? vault.unlockCredential(credential.clientId, credential.clientSecret) : vault.unlockAccountKey(accountKey!);
      this.warnFindings(this.session);
      return this.session;
    }
    const login = vault.memberToUnlock(this.options.as);
    const password = await this.input.password(`the password for ${login}`);
    this.session = await vault.unlock(this.options.as, password);
    if (this.session.setupPending) {
      throw new CofferError('AUTH', `${login} unlocked with a one-time setup code: choose a password first with \`coffer passwd\` (the code is the current password)`);
    }
    const pass = sessionPass(this.session);
    this.count(pass);
    const tampered = tamperedSettingsError(pass);
    if (tampered && opts.tamperedSettings === 'fail') throw tampered;
    if (tampered) warn(`${tampered.code}: ${tampered.message}`);
    this.warnFindings(this.session);
    // Due for deletion by the file's clear columns, but not by their heads: kept, and said (docs/product.md §1a).
    if (pass.tamperedSecrets.length) {
      const n = pass.tamperedSecrets.length;
      warn(`TAMPERED: ${n === 1 ? 'a secret' : `${n} secrets`} due for deletion did not match ${n === 1 ? 'its head' : 'their heads'} and ${n === 1 ? 'was' : 'were'} not purged (${pass.tamperedSecrets.join(', ')})`);
    }
    return this.session;
  }

  /** What unlock found about access and damage, on every command that unlocks. */
  private warnFindings(session: Session): void {
    for (const line of [...accessWarnings(session.accessFindings), ...damageWarnings(session)]) warn(line);
  }

  private count(r: PassResult): void {
    if (r.skipped) warn(`the scheduler's pass was skipped (${r.skipped})`);
    this.passes.inactivated += r.inactivated;
    this.passes.notices += r.notices;
    this.passes.purged += r.purged;
  }

  /** Idempotent: `coffer run` closes before its child starts, and `run()` closes again after. */
  close(): void {
    const unrecorded = this.session?.unrecordedReads ?? 0;
    if (unrecorded > 0) warn(`the disk is full: ${unrecorded === 1 ? 'this read was' : `${unrecorded} reads were`} not recorded in the usage history or the audit log`);
    // The head this command's session reached, verified under its key, is what the next one compares with.
    if (this.vault && this.session && !this.session.isLocked) this.rollbacks.look(this.vault.id, this.vault.db, this.session.auditKey());
    this.session?.lock();
    this.vault?.close();
  }
}
