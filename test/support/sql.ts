import type { Db } from '../../electron/core/db/connection';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Opens a vault file with plain better-sqlite3, as anyone holding the file could, and closes it after. */
export function withRawDb<T>(path: string, fn: (db: Database) => T): T {
  const db = new BetterSqlite3(path, { fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/**
 * The columns that name one row of a table: its rowid, or the primary key of a WITHOUT ROWID table
 * (reader_keys, since migration 9), which has no rowid.
 */
export function rowKey(db: Database, table: string): string[] {
  const withoutRowid = db.prepare('SELECT wr FROM pragma_table_list WHERE name = ?').pluck().get(table) === 1;
  if (!withoutRowid) return ['rowid'];
  const columns = db.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').pluck().all(table) as string[];
  return columns.map((c) => `"${c}"`);
}

/** A WHERE clause that finds one row by the `rowKey` columns, given their values as parameters. */
export function whereKey(key: readonly string[]): string {
  return key.map((c) => `${c} = ?`).join(' AND ');
}

/** A digest of every row of every table: equal digests mean nothing was written in between. */
export function tablesDigest(path: string, opts: { exceptAudit?: boolean } = {}): string {
  return withRawDb(path, (db) => {
    const hash = createHash('sha256');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    for (const { name } of tables) {
      if (opts.exceptAudit && name === 'audit') continue;
      hash.update(`\u0000${name}\u0000`);
      // A refused command still unlocks (audited) and runs the scheduler's pass (its time is kept in meta).
      const where = opts.exceptAudit && name === 'meta' ? " WHERE key NOT IN ('audit_head', 'lifecycle_pass_at')" : '';
      for (const row of db.prepare(`SELECT * FROM "${name}"${where} ORDER BY ${rowKey(db, name).join(', ')}`).raw().all() as unknown[][]) {
        for (const cell of row) hash.update(cell instanceof Uint8Array ? Buffer.from(cell).toString('hex') : JSON.stringify(cell)).update('\u0001');
        hash.update('\u0002');
      }
    }
    return hash.digest('hex');
  });
}

/** Audit entries of one action, newest last. */
export function auditActions(path: string): string[] {
  return withRawDb(path, (db) => (db.prepare('SELECT action FROM audit ORDER BY seq').all() as { action: string }[]).map((r) => r.action));
}

/** The bytes SQLite keeps for a vault: the main file and its write-ahead log (the -shm index is only a cache). */
export function vaultBytes(path: string): Buffer {
  const wal = `${path}-wal`;
  return Buffer.concat([readFileSync(path), existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0)]);
}

/** Flips one byte of a blob cell in place, as an attacker editing the file would. */
export function flipByte(path: string, table: string, column: string, where: string, params: unknown[], offset?: number): void {
  withRawDb(path, (db) => {
    // By the same condition, found to name one row: `table` may be a view (secret_readers), which has no row key.
    const rows = db.prepare(`SELECT "${column}" FROM "${table}" WHERE ${where}`).pluck().all(...params) as Uint8Array[];
    if (rows.length !== 1) throw new Error(`expected one ${table} row, found ${rows.length}`);
    const blob = Buffer.from(rows[0]!);
    const at = offset ?? Math.floor(blob.length / 2);
    blob[at]! ^= 0x01;
    db.prepare(`UPDATE "${table}" SET "${column}" = ? WHERE ${where}`).run(blob, ...params);
  });
}

/** The scope of a workspace or team as the clear table says (what the locked views show). */
export function clearScopeOf(db: Db, kind: 'workspace' | 'team', name: string): string {
  const id = db.value<string>(`SELECT scope_id FROM ${kind === 'workspace' ? 'workspaces' : 'teams'} WHERE name = ? COLLATE NOCASE`, name);
  if (id === undefined) throw new Error(`no ${kind} named ${name}`);
  return id;
}

/**
 * Flips one byte of a value where it lies in the vault FILE, as a failing disk or a bad copy would:
 * the page changes, SQLite's own checks still pass. The -wal is checkpointed into the file first.
 */
export function flipInFile(path: string, value: Uint8Array, offset = Math.floor(value.length / 2)): void {
  flipWithin(path, value, offset, () => true);
}

/**
 * flipInFile for a value that lies in several trees (an id in its table and in an index): flips it
 * in the pages of `tree` only, so the table and its index disagree, as no UPDATE can make them.
 */
export function flipInTree(path: string, tree: string, value: Uint8Array, offset = Math.floor(value.length / 2)): void {
  const { pageSize, pages } = withRawDb(path, (db) => ({
    pageSize: db.pragma('page_size', { simple: true }) as number,
    pages: new Set(db.prepare('SELECT pageno FROM dbstat WHERE name = ?').pluck().all(tree) as number[]),
  }));
  flipWithin(path, value, offset, (at) => pages.has(Math.floor(at / pageSize) + 1));
}

function flipWithin(path: string, value: Uint8Array, offset: number, inScope: (at: number) => boolean): void {
  withRawDb(path, (db) => db.pragma('wal_checkpoint(TRUNCATE)'));
  const bytes = readFileSync(path);
  const found: number[] = [];
  for (let at = bytes.indexOf(value); at >= 0; at = bytes.indexOf(value, at + 1)) if (inScope(at)) found.push(at);
  if (found.length !== 1) throw new Error(`the value is in the file ${found.length} times where looked for, not once`);
  bytes[found[0]! + offset]! ^= 0x01;
  writeFileSync(path, bytes);
}

/**
 * Runs `sql` on a table with `index` taken out of the schema, so the table changes and the index
 * does not: they then disagree, as after a damaged page, and SQLite never checks one against the
 * other on a read. Foreign keys are off: the change may name a row nobody has.
 */
export function behindIndex(path: string, index: string, sql: string): void {
  const entry = withRawDb(path, (db) => {
    const row = db.prepare('SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema WHERE name = ?').get(index) as Record<string, unknown>;
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.prepare('DELETE FROM sqlite_schema WHERE name = ?').run(index);
    return row;
  });
  withRawDb(path, (db) => {
    db.pragma('foreign_keys = OFF');
    db.prepare(sql).run();
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.prepare('INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES (@type, @name, @tbl_name, @rootpage, @sql)').run(entry);
  });
}

/**
 * Rebuilds `index` without the entries of the rows `where` picks, then gives it back its text: the
 * table keeps those rows and the index no longer leads to them, as after a damaged page of the index
 * (SQLite never checks one against the other on a read). Each step on a connection of its own:
 * SQLite reads the schema's text when it opens the file.
 */
export function leftOutOfIndex(path: string, index: string, where: string): void {
  const made = withRawDb(path, (db) => db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(index) as string);
  const define = (sql: string) =>
    withRawDb(path, (db) => {
      db.unsafeMode(true);
      db.pragma('writable_schema = ON');
      db.prepare('UPDATE sqlite_schema SET sql = ? WHERE name = ?').run(sql, index);
    });
  define(`${made} WHERE NOT (${where})`);
  withRawDb(path, (db) => db.exec(`REINDEX ${index}`));
  define(made);
}

/**
 * Runs `sql` on `table` as if it were neither STRICT nor NOT NULL, then gives the schema back its
 * text: a row then holds a type, or a NULL, its column does not allow, as after a damaged page
 * (SQLite checks a row when it writes it, never when it reads it; quick_check finds it).
 */
export function outsideConstraints(path: string, table: string, sql: string): void {
  const setSchema = (db: Database, text: string) => {
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.prepare('UPDATE sqlite_schema SET sql = ? WHERE name = ?').run(text, table);
  };
  const original = withRawDb(path, (db) => {
    const text = db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(table) as string;
    setSchema(db, text.replaceAll(' NOT NULL', '').replace(/\) STRICT$/, ')'));
    return text;
  });
  withRawDb(path, (db) => {
    db.prepare(sql).run();
    setSchema(db, original);
  });
}
