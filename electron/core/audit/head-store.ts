import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A vault's keyed audit head as an app saw it: its last entry's number and link, and the key version. */
export interface SeenHead {
  seq: number;
  version: number;
  /** Hex. */
  link: string;
}

const FILE = 'audit-heads.json';

const isSeenHead = (v: unknown): v is SeenHead => {
  const h = v as Partial<SeenHead> | null;
  return !!h && Number.isSafeInteger(h.seq) && Number.isSafeInteger(h.version) && typeof h.link === 'string' && /^[0-9a-f]{64}$/.test(h.link);
};

/**
 * The last audit head seen of each vault (by vault id), kept in the app's own data folder, outside
 * every vault: someone who replaces a vault with an older copy of itself cannot set this back too
 * (SECURITY.md, "Rollback"). One small JSON file; a missing or unreadable one is an empty memory.
 */
export class AuditHeadStore {
  constructor(readonly path: string) {}

  static in(folder: string): AuditHeadStore {
    return new AuditHeadStore(join(folder, FILE));
  }

  private read(): Record<string, SeenHead> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch {
      return {};
    }
    const heads: Record<string, SeenHead> = {};
    if (parsed && typeof parsed === 'object') {
      for (const [id, h] of Object.entries(parsed)) if (isSeenHead(h)) heads[id] = { seq: h.seq, version: h.version, link: h.link };
    }
    return heads;
  }

  seen(vaultId: string): SeenHead | undefined {
    return this.read()[vaultId];
  }

  /**
   * Read again just before writing, so another app's vaults are kept; replaced whole, never
   * half-written. Best effort: on a full or read-only disk the old head stays, which only makes the
   * next comparison weaker (a head behind the vault's is no alarm), never fails the command.
   */
  remember(vaultId: string, head: SeenHead): void {
    const heads = { ...this.read(), [vaultId]: head };
    const temp = `${this.path}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      writeFileSync(temp, `${JSON.stringify(heads, null, 2)}\n`, { mode: 0o600 });
      renameSync(temp, this.path);
    } catch {
      rmSync(temp, { force: true });
    }
  }
}
