import type { Database } from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync, rmSync, statSync } from 'node:fs';

/**
 * Owner-only modes for every file that holds a vault (SECURITY.md, "File modes"). POSIX only:
 * Windows decides access by the folder's ACL, which a user profile's folders already restrict.
 */
const POSIX = process.platform !== 'win32';
const OWNER_ONLY = 0o600;

/** Creates an empty file only its owner can read and write; EEXIST when something is there already. */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'wx', OWNER_ONLY));
}

/**
 * Tightens a vault and its -wal and -shm to 0600 where they are wider (made by an older Coffer, a
 * copy, a sync tool). Done before SQLite opens the vault: the -wal and -shm it creates take the
 * vault file's mode.
 */
export function tightenVaultFiles(path: string): void {
  if (!POSIX) return;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, OWNER_ONLY);
    } catch (e) {
      // Not there (no -wal yet), or another user's file on a shared drive: nothing to tighten here.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EPERM') throw e;
    }
  }
}

/** `<vault>.pre-v<N>.bak`, or `<vault>.pre-v<N>-2.bak` and on when an earlier attempt left one: a backup is never overwritten. */
function freeBackupPath(path: string, version: number): string {
  for (let n = 1; ; n++) {
    const candidate = `${path}.pre-v${version}${n === 1 ? '' : `-${n}`}.bak`;
    if (!existsSync(candidate)) return candidate;
  }
}

/**
 * Copies a vault aside before a migration to `version` touches it, and returns the copy's path.
 * `VACUUM INTO` rather than the online backup API (better-sqlite3's `backup()`): it is one
 * synchronous statement, which the synchronous open path needs, and it reads one consistent
 * snapshot even while another process writes. The copy keeps the old schema version, owner-only.
 */
export function backupBeforeMigration(db: Database, path: string, version: number): string {
  const target = freeBackupPath(path, version);
  createPrivateFile(target);
  try {
    db.prepare('VACUUM INTO ?').run(target);
  } catch (e) {
    rmSync(target, { force: true });
    throw e;
  }
  return target;
}
