import type { Command } from 'commander';
import { AuditHeadStore } from '../core/audit/head-store';
import type { Rollback } from '../core/audit/rollback';
import { RollbackWatch, describeRollback } from '../core/audit/rollback';
import type { Session } from '../core/vault/session';
import { runLifecyclePass } from '../core/lifecycle/scheduler';
import { defaultDataDir, defaultVaultPath } from '../core/vault/paths';
import { Vault } from '../core/vault/vault';
import { SecretInput } from './io';
import { warn } from './output';

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
      this.vault = await Vault.open(this.vaultPath, { readOnly: this.options.readOnly ?? false });
      this.rollback = this.rollbacks.look(this.vault.id, this.vault.db);
      if (this.rollback) warn(`${describeRollback(this.rollback)}; if you did not restore a backup, someone replaced the file`);
      // Every start is a scheduler pass (docs/product.md §4); it reads clear columns only and skips read-only vaults.
      runLifecyclePass(this.vault.db, this.vault.ctx.clock);
    }
    return this.vault;
  }

  /** Opens and unlocks as `--as` (or the only member) with the password from stdin or a prompt. */
  async unlock(): Promise<Session> {
    if (this.session) return this.session;
    const vault = await this.open();
    const login = vault.memberToUnlock(this.options.as);
    const password = await this.input.password(`the password for ${login}`);
    this.session = await vault.unlock(this.options.as, password);
    return this.session;
  }

  close(): void {
    // The head this command's session reached, verified under its key, is what the next one compares with.
    if (this.vault && this.session && !this.session.isLocked) this.rollbacks.look(this.vault.id, this.vault.db, this.session.auditKey());
    this.session?.lock();
    this.vault?.close();
  }
}
