import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import { existsSync, readFileSync, statSync, statfsSync } from 'node:fs';
import { CofferError } from '../../../shared/errors';
import { backupBeforeMigration, createPrivateFile, tightenVaultFiles } from './files';
import type { Migration } from './migrations';
import { LATEST_VERSION, LATEST_VIEWS, MIGRATIONS } from './migrations';

export interface OpenOptions {
  readOnly?: boolean;
  /** `init` may create the file; every other command needs it to exist. */
  create?: boolean;
  migrations?: readonly Migration[];
  /** Told once the file as it was is kept aside, before an upgrade's migrations (which can take a while) run. */
  onUpgrade?: (upgrade: Upgrade) => void;
}

/** An upgrade of a vault file to a newer format: from and to which version, and where the copy of it as it was is kept. */
export interface Upgrade {
  from: number;
  to: number;
  backup: string;
}

/**
 * New vaults use 4 KiB pages (docs/decisions.md, "Storage"). Every read of a value updates one
 * secret's row and one random page of the usage index, and a commit writes each page it touched
 * whole to the WAL: at 16 KiB the REST server under load wrote four times the bytes per read and
 * served ~30% fewer reads, while bulk import and export measured the same.
 */
export const PAGE_BYTES = 4 * 1024;
/** The page cache of a whole-table scan (`Db.scanning`): room for the B-trees' interior pages, not their leaves. */
const SCAN_CACHE_KIB = 2 * 1024;

/** SQLite errors that mean "someone else holds the file", not a bug. */
const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY']);

/**
 * The disk holding the vault is full. A LOCKED error like every "cannot write now", of its own
 * class so that a read can go on without recording its use (secrets/recording.ts).
 */
export class DiskFullError extends CofferError {
  constructor() {
    super('LOCKED', 'the disk is full: free some space and retry; nothing was written');
  }
}

export function translateSqliteError(e: unknown): unknown {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== 'string') return e;
  if (BUSY_CODES.has(code)) return new CofferError('LOCKED', 'the vault is busy: another Coffer process is writing to it; try again');
  if (code === 'SQLITE_FULL') return new DiskFullError();
  if (code.startsWith('SQLITE_IOERR')) return new CofferError('LOCKED', `the disk failed to read or write the vault (${code}): check the disk and retry; nothing was written`);
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_')) {
    return new CofferError('LOCKED', 'the vault file cannot be written (read-only)');
  }
  if (code === 'SQLITE_NOTADB') return new CofferError('VALIDATION', 'this file is not a Coffer vault, or it is damaged', 'vault');
  if (code.startsWith('SQLITE_CORRUPT')) return damaged((e as Error).message);
  return e;
}

/**
 * The vault file is not as SQLite wrote it: a page, the schema or a row was changed outside SQLite
 * (a failing disk, a bad copy, an edit). Said as TAMPERED with SQLite's own words, never as a bug
 * (docs/product.md §1a, "Damage is reported"); `coffer doctor` then names what is unreadable.
 */
export function damaged(detail: string): CofferError {
  return new CofferError('TAMPERED', `the vault file is damaged (SQLite: ${detail}): run \`coffer doctor\` to see what is unreadable, and restore it from a backup`);
}

/** The columns of each table: what a damaged schema shows against the one the migrations make. */
function columnsOf(raw: Database): string {
  const rows = raw
    .prepare("SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.name")
    .raw()
    .all() as string[][];
  return rows.map((r) => r.join('.')).join(',');
}

/**
 * The views and triggers, by their text (migration 9's secret_readers and revisions): SQLite parses
 * it only when a statement uses one, so a damaged or edited one would fail, or do something else,
 * in the middle of a command rather than when the file is opened.
 */
function viewsOf(raw: Database): string[] {
  return (raw.prepare("SELECT sql FROM sqlite_master WHERE type IN ('view', 'trigger')").pluck().all() as string[]).sort();
}

const EXPECTED_VIEWS = [...LATEST_VIEWS].sort();

/** Whether this file's views or triggers are not, text for text, the ones a vault of the latest format has. */
function viewsDiffer(raw: Database): boolean {
  try {
    const found = viewsOf(raw);
    return found.length !== EXPECTED_VIEWS.length || found.some((sql, i) => sql !== EXPECTED_VIEWS[i]);
  } catch {
    return true;
  }
}

/**
 * The indexes, by their text. SQLite resolves an index's expression (migration 11's packed listing
 * columns) only when a statement on its table is prepared, so a damaged one fails there ("unknown
 * function"), in the middle of a command, with pages that pass SQLite's own check.
 */
function indexesOf(raw: Database): string {
  return (raw.prepare("SELECT name || ' ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all() as string[]).join('\n');
}

let expected: { columns: string; indexes: string } | undefined;

/** The columns and indexes of a vault of the latest format, made once per process, in memory. */
function latestSchema(): { columns: string; indexes: string } {
  if (!expected) {
    const fresh = new BetterSqlite3(':memory:');
    try {
      migrate(fresh);
      expected = { columns: columnsOf(fresh), indexes: indexesOf(fresh) };
    } finally {
      fresh.close();
    }
  }
  return expected;
}

/** Whether this file's tables have other columns, or its indexes or views other text, than a vault of the latest format. */
function schemaDiffers(raw: Database): boolean {
  try {
    const latest = latestSchema();
    return columnsOf(raw) !== latest.columns || indexesOf(raw) !== latest.indexes || viewsDiffer(raw);
  } catch {
    return true;
  }
}

/**
 * What SQLite's own checks find wrong with the file: its pages (quick_check, or integrity_check,
 * which also compares every index with its table), and rows whose references point nowhere.
 */
export function fileProblems(raw: Database, max = 20, check: 'quick_check' | 'integrity_check' = 'quick_check'): string[] {
  const checked = (raw.pragma(`${check}(${max})`) as Record<string, string>[]).map((r) => Object.values(r)[0]!).filter((r) => r !== 'ok');
  const dangling = raw.pragma('foreign_key_check') as { table: string; parent: string }[];
  const tables = [...new Set(dangling.map((d) => `${d.table} → ${d.parent}`))];
  return [...checked, ...tables.slice(0, max).map((t) => `rows of ${t} refer to rows that are not there`)];
}

/**
 * SQLite's full check of a vault file, opened read-only by itself (no Coffer check, nothing
 * written): what `coffer doctor` reports first, also for a file Coffer cannot open.
 */
export function checkVaultFile(path: string): string[] {
  let raw: Database;
  try {
    raw = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    return [`SQLite cannot open the file: ${(e as Error).message}`];
  }
  try {
    const problems = fileProblems(raw, 20, 'integrity_check');
    if (problems.length === 0 && pragmaNumber(raw, 'user_version') === LATEST_VERSION && schemaDiffers(raw)) problems.push("the file's tables are not the ones Coffer makes");
    return problems;
  } catch (e) {
    return [(e as Error).message];
  } finally {
    raw.close();
  }
}

/**
 * An error no caller expected, SQLite's or the code's: damage when the file fails SQLite's own
 * checks or its schema is not the one Coffer makes, else left as it is (a bug, INTERNAL). A
 * TypeError is damage too when a row holds another type than its STRICT table allows (SQLite checks
 * types when it writes, not when it reads), or a column was renamed in the file's schema. Only on
 * the error path: the checks read the whole file.
 */
function diagnose(raw: Database, e: unknown): unknown {
  const code = String((e as { code?: unknown })?.code);
  // A name taken is a CONFLICT its caller expects, and a common one: no reason to read the whole file.
  if (e instanceof CofferError || code === 'SQLITE_CONSTRAINT_UNIQUE') return e;
  const translated = translateSqliteError(e);
  if (translated !== e || !raw.open) return translated;
  // SQLite's words name a page or a column; the code's may quote the value it choked on, a secret's bytes among them.
  const said = code.startsWith('SQLITE_') ? [(e as Error).message] : [];
  try {
    // An older format's schema differs by design (a migration that failed is a bug, not damage).
    if (pragmaNumber(raw, 'user_version') === LATEST_VERSION && schemaDiffers(raw)) return damaged([...said, "the file's tables are not the ones Coffer makes"].join('; '));
    const problems = fileProblems(raw, 3);
    return problems.length ? damaged([...said, ...problems].join('; ')) : e;
  } catch (checking) {
    // SQLite cannot even check the file: damaged beyond its pages (its header, its schema).
    return damaged(said[0] ?? (checking as Error).message);
  }
}

/**
 * A statement whose runs turn a damaged file's errors into TAMPERED where they happen: most reads
 * run outside `read()`, and a page may fail at any of them, or hand a function a value of another
 * type than its column's (json_group_array refuses a BLOB). A constraint's error passes as it is,
 * for the caller that expects one (a UNIQUE constraint as CONFLICT) or for `write()` to diagnose.
 */
function guarded(s: Statement, raw: Database): Statement {
  const damage = (e: unknown) => {
    const code = (e as { code?: unknown })?.code;
    return typeof code === 'string' && code.startsWith('SQLITE_') && !code.startsWith('SQLITE_CONSTRAINT') ? diagnose(raw, e) : e;
  };
  for (const method of ['run', 'get', 'all'] as const) {
    const plain = s[method].bind(s) as (...args: unknown[]) => unknown;
    Object.defineProperty(s, method, {
      value: (...args: unknown[]) => {
        try {
          return plain(...args);
        } catch (e) {
          throw damage(e);
        }
      },
    });
  }
  const iterate = s.iterate.bind(s) as (...args: unknown[]) => IterableIterator<unknown>;
  Object.defineProperty(s, 'iterate', {
    value: function* (...args: unknown[]) {
      try {
        yield* iterate(...args);
      } catch (e) {
        throw damage(e);
      }
    },
  });
  return s;
}

/** One column's value as SQLite hands it over (BLOBs as Buffers, which are Uint8Arrays). */
export type SqlValue = string | number | bigint | Uint8Array | null;

/** How a statement returns a row: as an object, as an array (`raw`), or as its first column (`pluck`). */
type Shape = 'rows' | 'tuples' | 'value';

/** A pragma that answers one number; better-sqlite3 types every pragma's answer as unknown. */
const pragmaNumber = (raw: Database, name: string) => raw.pragma(name, { simple: true }) as number;

/**
 * The one connection to a vault file: pragmas of docs/product.md §3, statements prepared once, and every
 * write in one immediate transaction (so a concurrent writer fails fast with LOCKED, never midway).
 */
export class Db {
  /** Per result shape: the shape is a mode of the statement itself, so one statement serves one shape. */
  private readonly statements: Record<Shape, Map<string, Statement>> = { rows: new Map(), tuples: new Map(), value: new Map() };
  /**
   * Write transactions begun on this connection. data_version moves only for other connections'
   * commits, so in-memory indexes of sessions sharing this connection compare this count too.
   */
  writes = 0;
  /** Outermost transactions begun on this connection, reads included: names the one running now. */
  transactions = 0;

  constructor(
    readonly raw: Database,
    readonly readOnly: boolean,
    /** Why this connection reads a copy of the file in memory (see openSnapshot); undefined for the file itself. */
    readonly snapshot?: string,
  ) {}

  private prepared(sql: string, shape: Shape): Statement {
    const cache = this.statements[shape];
    let s = cache.get(sql);
    if (!s) {
      try {
        s = guarded(this.raw.prepare(sql), this.raw);
      } catch (e) {
        throw diagnose(this.raw, e);
      }
      if (shape === 'tuples') s.raw(true);
      else if (shape === 'value') s.pluck(true);
      cache.set(sql, s);
    }
    return s;
  }

  /** A statement prepared once, for a write or for a read that only asks whether a row exists. */
  stmt(sql: string): Statement {
    return this.prepared(sql, 'rows');
  }

  /**
   * A read prepared once whose rows are `Row`: the one place a query states what it selects, as
   * columns of the table rows in rows.ts (`db.query<Pick<MemberRow, 'id' | 'role'>>(sql).all()`).
   */
  query<Row extends object>(sql: string): Statement<unknown[], Row> {
    return this.prepared(sql, 'rows') as Statement<unknown[], Row>;
  }

  /** Like `query`, each row an array in column order: for scans where an object per row is the cost. */
  tuples<Row extends unknown[]>(sql: string): Statement<unknown[], Row> {
    return this.prepared(sql, 'tuples') as Statement<unknown[], Row>;
  }

  /** The first column of the first row, or undefined when there is no row. */
  value<T extends SqlValue>(sql: string, ...args: unknown[]): T | undefined {
    return (this.prepared(sql, 'value') as Statement<unknown[], T>).get(...args);
  }

  /** What an aggregate such as `count(*)` answers; an aggregate always yields its one row. */
  count(sql: string, ...args: unknown[]): number {
    return this.value<number>(sql, ...args) ?? 0;
  }

  /** Runs `fn` as one write transaction; nothing of it is kept when it throws. */
  write<T>(fn: () => T): T {
    if (this.snapshot) throw new CofferError('LOCKED', `${this.snapshot}: nothing can be written; free some space (or move the vault somewhere writable) and retry`);
    if (this.readOnly) throw new CofferError('LOCKED', 'the vault is open read-only: nothing is written');
    // Counted when the outermost write begins, so an index kept in step during or right after it stays current.
    if (!this.raw.inTransaction) {
      this.writes++;
      this.transactions++;
    }
    try {
      return this.raw.transaction(fn).immediate();
    } catch (e) {
      throw diagnose(this.raw, e);
    }
  }

  /**
   * Runs `fn` outside a transaction (work that must not hold one, such as an unlock around its
   * password's derivation), with the errors nobody expected diagnosed as `read()` and `write()` do.
   */
  diagnosing<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw diagnose(this.raw, e);
    }
  }

  /** Reads in one snapshot. */
  read<T>(fn: () => T): T {
    if (!this.raw.inTransaction) this.transactions++;
    try {
      return this.raw.transaction(fn).deferred();
    } catch (e) {
      throw diagnose(this.raw, e);
    }
  }

  /**
   * Runs `fn`, which reads whole tables once, with a page cache of SCAN_CACHE_KIB. SQLite's own lets
   * the cache grow to 16 MB, and a scan filled it with leaf pages it passes once: each one memory the
   * process touched for the first time, which cost a command's index build at 100,000 secrets ~60 of
   * its ~360 ms here (docs/benchmark.md, "A page cache that a scan does not fill").
   */
  scanning<T>(fn: () => T): T {
    const kept = pragmaNumber(this.raw, 'cache_size');
    this.raw.pragma(`cache_size = -${SCAN_CACHE_KIB}`);
    try {
      return fn();
    } finally {
      this.raw.pragma(`cache_size = ${kept}`);
    }
  }

  /** Moves every WAL page into the database and truncates the -wal file (after a purge, on lock). */
  checkpoint(): void {
    if (!this.readOnly) this.raw.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Changes when another connection commits: the signal to rebuild in-memory indexes. */
  dataVersion(): number {
    return pragmaNumber(this.raw, 'data_version');
  }

  close(): void {
    if (!this.raw.open) return;
    if (!this.readOnly) {
      // Leaves no -wal file behind holding pages of purged values.
      try {
        this.raw.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // Another connection may be reading; the next writer checkpoints.
      }
    }
    this.raw.close();
  }
}

/** Runs the migrations the file has not had; says whether one of them left pages to give back (`compacts`). */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): { compacted: boolean } {
  const start = pragmaNumber(db, 'user_version');
  let current = start;
  let compacted = false;
  for (const m of migrations) {
    if (m.version <= current) continue;
    if (m.version !== current + 1) throw new Error(`migration ${m.version} does not follow ${current}`);
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    current = m.version;
    // A new file has nothing to give back.
    compacted ||= m.compacts === true && start > 0;
  }
  return { compacted };
}

/**
 * Rewrites the file without the pages a compacting migration freed, so an upgraded vault is as
 * small as a new one. Best effort: the vault is already migrated and whole, so a VACUUM that finds
 * no room (it needs the file's size again, briefly) or another process reading simply leaves the
 * free pages, which later writes reuse.
 */
function giveBackPages(db: Database): void {
  try {
    db.exec('VACUUM');
  } catch (e) {
    const code = String((e as { code?: unknown }).code);
    if (!code.startsWith('SQLITE_FULL') && !code.startsWith('SQLITE_BUSY') && !code.startsWith('SQLITE_IOERR')) throw e;
  }
}

/**
 * SQLite could not make or grow the -shm file a WAL database needs beside it, even to read: the
 * disk is full, or the folder or medium is read-only.
 */
const NO_SHARED_MEMORY = new Set(['SQLITE_IOERR_SHMSIZE', 'SQLITE_IOERR_SHMOPEN', 'SQLITE_IOERR_SHMMAP', 'SQLITE_READONLY_CANTINIT', 'SQLITE_CANTOPEN']);

/** Opens (or creates) a vault file, refusing one from a newer Coffer before touching it. */
export function openDb(path: string, opts: OpenOptions = {}): Db {
  const readOnly = opts.readOnly ?? false;
  const migrations = opts.migrations ?? MIGRATIONS;
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : LATEST_VERSION;
  const exists = existsSync(path);
  if (!exists && !opts.create) {
    throw new CofferError('NOT_FOUND', `no vault at ${path}: create one with \`coffer init\`, or pass --vault`, 'vault');
  }
  if (exists && statSync(path).isDirectory()) throw new CofferError('VALIDATION', `${path} is a folder, not a vault file`, 'vault');
  try {
    return openFile(path, readOnly, exists, opts.create ?? false, migrations, latest, opts.onUpgrade);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (!exists || typeof code !== 'string' || !NO_SHARED_MEMORY.has(code)) throw translateSqliteError(e);
    return openSnapshot(path, latest);
  }
}

function openFile(path: string, readOnly: boolean, exists: boolean, create: boolean, migrations: readonly Migration[], latest: number, onUpgrade?: (u: Upgrade) => void): Db {
  // Owner-only before SQLite opens it, so the -wal and -shm it creates are too; read-only opens change nothing.
  if (!exists) createPrivateFile(path);
  else if (!readOnly) tightenVaultFiles(path);

  const raw = new BetterSqlite3(path, { readonly: readOnly, fileMustExist: !create });
  try {
    const version = checkVersion(raw, path, { readOnly, exists, create, latest });
    raw.pragma('busy_timeout = 5000');
    // Set while the file has no page yet; an existing vault keeps the size it was made with.
    if (!readOnly && version === 0) raw.pragma(`page_size = ${PAGE_BYTES}`);
    if (!readOnly) raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('secure_delete = ON');
    raw.pragma('trusted_schema = OFF');
    // An upgrade rewrites the schema in place: the vault as it was is kept aside first (§10).
    if (!readOnly && version > 0 && version < latest) {
      const backup = backupBeforeMigration(raw, path, latest);
      onUpgrade?.({ from: version, to: latest, backup });
    }
    if (!readOnly && migrate(raw, migrations).compacted) giveBackPages(raw);
    if (pragmaNumber(raw, 'user_version') === LATEST_VERSION && viewsDiffer(raw)) {
      throw new CofferError('TAMPERED', "the vault file was altered: its views or triggers are not the ones Coffer makes; `coffer doctor` says more, and a backup restores it");
    }
    return new Db(raw, readOnly);
  } catch (e) {
    // No room for the -shm file is openDb's to handle (it reads a copy instead), not damage.
    const diagnosed = exists && !NO_SHARED_MEMORY.has(String((e as { code?: unknown }).code)) ? diagnose(raw, e) : e;
    raw.close();
    throw diagnosed;
  }
}

/** Read before any pragma that writes: a vault from the future must be left exactly as it is. */
function checkVersion(raw: Database, path: string, o: { readOnly: boolean; exists: boolean; create: boolean; latest: number }): number {
  const version = pragmaNumber(raw, 'user_version');
  // Coffer writes only 1 upwards there: a negative format number is a damaged or altered header.
  if (version < 0) throw damaged(`the header's format number is ${version}`);
  if (version > o.latest) {
    throw new CofferError('UNSUPPORTED_VERSION', `this vault was written by a newer Coffer (format ${version}; this one reads up to ${o.latest})`);
  }
  if (o.exists && !o.create && version === 0) {
    throw new CofferError('VALIDATION', `${path} is not a Coffer vault`, 'vault');
  }
  if (o.readOnly && version < o.latest) {
    throw new CofferError('UNSUPPORTED_VERSION', 'this vault needs an upgrade first: open it once without --read-only');
  }
  return version;
}

/**
 * Where no -shm file can be made (a full disk, a read-only folder or medium), the vault is read
 * from a copy of the file in memory, read-only: reads work and say they were not recorded, writes
 * are refused with the reason (SECURITY.md, "Files"). Only when no -wal file holds changes the
 * file lacks: those cannot be read without the -shm either.
 */
function openSnapshot(path: string, latest: number): Db {
  const why = diskFull(path) ? 'the disk holding the vault is full' : 'the folder holding the vault is read-only';
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new CofferError('LOCKED', `${why}, and its -wal file holds changes that cannot be read without the room for a -shm file: free some space and retry`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new CofferError('VALIDATION', `cannot read ${path} (${(e as NodeJS.ErrnoException).code})`, 'vault');
  }
  // A copy in memory cannot be in WAL mode: its header says "rollback journal" (1) where the file says WAL (2).
  bytes[18] = 1;
  bytes[19] = 1;
  let raw: Database;
  try {
    raw = new BetterSqlite3(bytes, { readonly: true });
  } catch (e) {
    throw translateSqliteError(e);
  }
  try {
    checkVersion(raw, path, { readOnly: true, exists: true, create: false, latest });
    raw.pragma('foreign_keys = ON');
    raw.pragma('trusted_schema = OFF');
    return new Db(raw, true, why);
  } catch (e) {
    raw.close();
    throw translateSqliteError(e);
  }
}

function diskFull(path: string): boolean {
  try {
    return statfsSync(path).bavail === 0;
  } catch {
    return false;
  }
}
