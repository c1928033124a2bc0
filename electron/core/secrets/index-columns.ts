import type { Availability, Level, SecretStatus, SecretSummary, SecretType } from '../../../shared/schemas/secrets';
import { AVAILABILITIES, LEVELS, SECRET_TYPES, STATUSES } from '../../../shared/schemas/secrets';
import type { Db } from '../db/connection';
import { AVAILABILITY_SHIFT, LEVEL_SHIFT, LISTING_FLAGS, STATUS_SHIFT, TWO_BITS, TYPE_MASK } from '../db/listing-flags';
import type { SecretReaderRow, SecretRow, WorkspaceRow } from '../db/rows';
import type { Session } from '../vault/session';
import { MAX_LISTING_SEQ, isListingSeq, seqOfId } from './listing-seq';
import { readScopeChunks } from './name-chunks';
import { scopeNumbersOfTable } from '../vault/scopes';
import type { ListedSecret } from './summaries';
import { teamNamesBySeq } from './summaries';

// Beside the four enum columns (db/listing-flags.ts), the tampered mark.
const TAMPERED = 1 << 9;

const packFlags = (type: SecretType, level: Level, availability: Availability, status: SecretStatus) =>
  SECRET_TYPES.indexOf(type) | (LEVELS.indexOf(level) << LEVEL_SHIFT) | (AVAILABILITIES.indexOf(availability) << AVAILABILITY_SHIFT) | (STATUSES.indexOf(status) << STATUS_SHIFT);

export const typeOf = (flags: number) => SECRET_TYPES[flags & TYPE_MASK]!;
export const levelOf = (flags: number) => LEVELS[(flags >> LEVEL_SHIFT) & TWO_BITS]!;
export const availabilityOf = (flags: number) => AVAILABILITIES[(flags >> AVAILABILITY_SHIFT) & TWO_BITS]!;
export const statusOf = (flags: number) => STATUSES[(flags >> STATUS_SHIFT) & TWO_BITS]!;
export const isTampered = (flags: number) => (flags & TAMPERED) !== 0;

/**
 * Every secret's listing number and packed enum columns (db/listing-flags.ts), one JSON array each
 * per workspace, read from migration 11's covering index alone: from the table it was every page of
 * every row (~560 against ~160 ms at 1,000,000). JSON arrays, because better-sqlite3 makes an array
 * per row otherwise (~150 against ~80 ms at 100,000). The dates are read the first time a sort or a
 * figure needs them all (see `dates()`): each JSON array costs ~20 ms at 100,000.
 */
export const SCAN = `SELECT workspace_id, json_group_array(seq), json_group_array(${LISTING_FLAGS}) FROM secrets GROUP BY workspace_id -- listing scan`;
/** The dates sorts and the Review's figures compare, each a column that costs ~20 ms at 100,000. */
const TIME_COLUMNS = ['created_at', 'expires_at', 'last_used_at', 'deletion_at'];
const columnsOf = (columns: string[], what: string) => `SELECT ${['seq', ...columns].map((c) => `json_group_array(${c})`).join(', ')} FROM secrets -- listing ${what}`;
/** Every date, those of a row (revision, last change) after the ones compared. */
const DATE_COLUMNS = [...TIME_COLUMNS, 'revision', 'updated_at'];
const DATES = columnsOf(DATE_COLUMNS, 'dates');
/** The dates compared only: ~70 against ~130 ms at 100,000. */
const TIMES = columnsOf(TIME_COLUMNS, 'times');
/**
 * The dates of the rows shown before every date was needed, one statement for a whole page (their
 * team names likewise, `teamNamesBySeq`): a statement per row cost a search's page of 100 rows
 * ~1.5 ms at 100,000, most of a broad search.
 */
const DATES_OF_ROWS = `SELECT seq, ${DATE_COLUMNS.join(', ')} FROM secrets WHERE seq IN (SELECT value FROM json_each(?))`;
/** The rows that share a listing number, in the order of the scans (the table's own). */
const TWIN_ROWS = `SELECT id, ${DATE_COLUMNS.join(', ')}, ${LISTING_FLAGS} AS flags, workspace_id FROM secrets NOT INDEXED WHERE seq = ?`;

type Column = (number | null)[];
type DatesRow = Pick<SecretRow, 'revision' | 'created_at' | 'updated_at' | 'expires_at' | 'last_used_at' | 'deletion_at'>;

const NO_TEAMS: string[] = [];
const orNaN = (v: number | null) => (v === null ? Number.NaN : v);
/**
 * A scope's readers joined to their secrets by listing number, the row's own key: a lookup by id goes
 * through the id index, and a row whose id was damaged in the file is not found there, so a secret
 * whose chunk is damaged too would go unlisted instead of listed as tampered. The scope by its
 * number, read from the scopes table itself (`scopeNumbersOfTable`), not looked up by its id.
 */
const readersOfScope = (secrets: string) => `SELECT s.id, s.seq, s.rowid, r.chunk_no FROM reader_keys r JOIN ${secrets} ON s.seq = r.secret_seq
  WHERE r.scope_num = ?`;
const READERS_OF_SCOPE = readersOfScope('secrets s');
/** The same, each row found by a scan of the table, not through the listing number's index. */
const READERS_OF_SCOPE_SCANNED = readersOfScope('secrets s NOT INDEXED');

type ScopeReader = ReaderRow & Pick<SecretReaderRow, 'chunk_no'>;

/**
 * One row's clear listing columns, by its place in the table: for a secret the listing's scan left
 * out. The scan reads migration 11's index alone, and a damaged page of it can leave a row out that
 * the table, its wrapped key and its chunk still hold.
 */
const ROW_LISTING = `SELECT ${LISTING_FLAGS} AS flags, workspace_id FROM secrets WHERE rowid = ?`;
/** A row's place in the table and its listing number, by its id: for a chunk entry the scan gave no slot. */
const ROWID_OF_ID = 'SELECT rowid AS rowid, seq FROM secrets WHERE id = ?';

type ReaderRow = Pick<SecretRow, 'id' | 'seq'> & { rowid: number };
/** A row's listing columns as the table holds them: the packed enum columns (NULL for a value no list has) and the workspace. */
type RowListing = Pick<SecretRow, 'workspace_id'> & { flags: number | null };

/** `n` empty slots of a name column: undefined, as a slot never named is, but with room for every name. */
const vacant = <T>(n: number): T[] => new Array<T>(n).fill(undefined as T);

/** A secret whose listing number is out of range was altered in the file: it is listed as tampered. */
const rangeMark = (seq: number) => (isListingSeq(seq) ? 0 : TAMPERED);
const orNull = (v: number) => (Number.isNaN(v) ? null : v);

/**
 * The columns SecretIndex searches, sorts and pages, one typed array per clear column, and the
 * names and ids decrypted from the chunks. SecretIndex reads the arrays directly; only this class
 * writes them.
 *
 * A slot is a secret's position in these arrays. Slots of secrets this member cannot read stay
 * empty (`ids[slot]` undefined); name chunks find their slot through the listing number.
 */
export class IndexColumns {
  /** Slots taken, live or not. */
  length = 0;
  /** Slots holding a secret this member can read. */
  live = 0;
  ids: (string | undefined)[] = [];
  names: string[] = [];
  /** Normalized names: what search and the name sort compare. */
  keys: string[] = [];
  /** Each slot's listing number. */
  private seqs = new Float64Array(0);
  flags = new Uint16Array(0);
  workspace = new Int32Array(0);
  revision = new Int32Array(0);
  created = new Float64Array(0);
  updated = new Float64Array(0);
  expires = new Float64Array(0);
  lastUsed = new Float64Array(0);
  deletion = new Float64Array(0);
  readonly workspaceNames: string[] = [];
  /** Team names by slot, read when a page first shows the secret: only the table displays them. */
  private readonly teams = new Map<number, string[]>();
  /** Slot by listing number; -1 where none. Sized by the highest number in range only. */
  private bySeq = new Int32Array(0);
  /** Slot by a listing number out of range (written into the file by hand): never sizes an array. */
  private readonly outOfRange = new Map<number, number>();
  /**
   * The slots of rows that share a listing number, by that number, in scan order (the first is the
   * one `slotOf` finds). The number's unique index forbids it, so the file was damaged: each row
   * keeps a slot of its own, marked tampered, instead of one hiding the other.
   */
  private readonly twins = new Map<number, number[]>();
  private readonly workspaceCodes = new Map<string, number>();
  /** Whether the date columns hold every slot's dates (`dates()`), or only those in `dated`. */
  private datesRead = false;
  /** Whether the created, expiry, last-use and deletion columns hold every slot's (`times()`). */
  private timesRead = false;
  private readonly dated = new Set<number>();

  private constructor(private readonly db: Db) {}

  /** Reads every secret's clear columns and this member's names, inside the caller's read transaction. */
  static scan(session: Session): IndexColumns {
    return session.db.scanning(() => IndexColumns.read(session));
  }

  private static read(session: Session): IndexColumns {
    const db = session.db;
    const c = new IndexColumns(db);
    const groups = db
      .tuples<[workspaceId: string | null, seqs: string, flags: string]>(SCAN)
      .all()
      .map(([workspaceId, seqs, flags]) => ({ workspaceId, seqs: JSON.parse(seqs) as Column, flags: JSON.parse(flags) as Column }));
    let count = 0;
    let top = 0;
    for (const { seqs } of groups) {
      count += seqs.length;
      for (const seq of seqs) if (seq !== null && isListingSeq(seq) && seq > top) top = seq;
    }
    c.reserve(count, top + 1);
    // Every slot at once, empty: grown one name at a time, each of the three arrays was copied at
    // each doubling, ~0.2 s of a build at 1,000,000 (docs/benchmark.md, "Arrays made at their size").
    c.ids = vacant(count);
    c.names = vacant(count);
    c.keys = vacant(count);
    const workspaceNames = new Map(db.tuples<[WorkspaceRow['id'], WorkspaceRow['name']]>('SELECT id, name FROM workspaces').all());
    for (const { workspaceId, seqs, flags } of groups) {
      // A workspace id the table lacks lists the secret without one, as the join it replaces did.
      const name = workspaceId === null ? undefined : workspaceNames.get(workspaceId);
      const code = name === undefined ? -1 : c.workspaceCode(name);
      for (let i = 0; i < seqs.length; i++) {
        const seq = seqs[i];
        if (seq === null || seq === undefined) continue;
        const taken = c.length;
        let slot = c.slotFor(seq);
        if (c.length === taken) slot = c.twinOf(seq, slot);
        // A value no list has (a damaged row) makes the packed flags NULL: the row is listed, as tampered.
        c.flags[slot] = (flags[i] ?? TAMPERED) | rangeMark(seq);
        c.workspace[slot] = code;
      }
    }
    c.readNames(session);
    return c;
  }

  /**
   * The date columns of every slot, read now if no sort or figure has needed them yet; the caller
   * holds the index current (SecretIndex.of), so the rows read are the ones the slots came from.
   */
  dates(): this {
    if (this.datesRead) return this;
    this.readTimes(DATES, ([revisions, updated], slot, i) => {
      this.revision[slot] = revisions![i]!;
      this.updated[slot] = updated![i]!;
    });
    this.datesRead = true;
    return this;
  }

  /**
   * The created, expiry, last-use and deletion dates of every slot, read now if nothing has read
   * them yet: what sorts and the Review's figures compare. A row still reads its revision and last
   * change itself (`summary`), unless every date was read.
   */
  times(): this {
    if (!this.timesRead) this.readTimes(TIMES);
    return this;
  }

  /** Reads `sql` (TIMES, or DATES with more columns after them, which `more` takes) into every slot's dates. */
  private readTimes(sql: string, more?: (rest: Column[], slot: number, i: number) => void): void {
    const [seqs, created, expires, lastUsed, deletion, ...rest] = this.db
      .scanning(() => this.db.tuples<string[]>(sql).get()!)
      .map((json) => JSON.parse(json) as Column) as [Column, Column, Column, Column, Column, ...Column[]];
    const slotOfRow = this.inScanOrder();
    for (let i = 0; i < seqs.length; i++) {
      const slot = slotOfRow(seqs[i] ?? -1);
      if (slot < 0) continue;
      this.created[slot] = created[i]!;
      this.expires[slot] = orNaN(expires[i]!);
      this.lastUsed[slot] = orNaN(lastUsed[i]!);
      this.deletion[slot] = orNaN(deletion[i]!);
      more?.(rest, slot, i);
    }
    this.timesRead = true;
  }

  /**
   * The listing rows of `slots`. Past a twentieth of the secrets, one scan of every date costs less
   * than a read per row (`secret list --search a` at 100,000 made ~95,000 of them).
   */
  summaries(slots: readonly number[]): SecretSummary[] {
    if (!this.datesRead && slots.length > this.live / 20) this.dates();
    this.readRows(slots);
    return slots.map((slot) => this.row(slot));
  }

  /** The listing row of one slot. */
  summary(slot: number): SecretSummary {
    this.readRows([slot]);
    return this.row(slot);
  }

  /** The dates and team names of those of `slots` nothing has read yet. */
  private readRows(slots: readonly number[]): void {
    const undated = this.datesRead ? [] : slots.filter((slot) => !this.dated.has(slot));
    if (undated.length > 0) {
      const seqs = JSON.stringify(undated.map((slot) => this.seqs[slot]!));
      for (const row of this.db.query<DatesRow & Pick<SecretRow, 'seq'>>(DATES_OF_ROWS).all(seqs)) {
        const slot = this.slotOf(row.seq);
        if (slot >= 0) this.setDates(slot, row);
      }
    }
    const teamless = slots.filter((slot) => availabilityOf(this.flags[slot]!) === 'teams' && !this.teams.has(slot));
    if (teamless.length > 0) {
      for (const [seq, names] of teamNamesBySeq(this.db, teamless.map((slot) => this.seqs[slot]!))) this.teams.set(this.slotOf(seq), names);
    }
  }

  private setDates(slot: number, row: DatesRow): void {
    this.revision[slot] = row.revision;
    this.created[slot] = row.created_at;
    this.updated[slot] = row.updated_at;
    this.expires[slot] = orNaN(row.expires_at);
    this.lastUsed[slot] = orNaN(row.last_used_at);
    this.deletion[slot] = orNaN(row.deletion_at);
    this.dated.add(slot);
  }

  /**
   * Gives each readable secret its id and name from the chunks of every scope this member holds; a
   * secret read through several scopes is in each of their chunks, and the first one names it.
   * Secrets whose only chunk failed verification are listed nameless and marked tampered.
   */
  private readNames(session: Session): void {
    const tampered: [scopeNum: number, chunkNo: number][] = [];
    // A damaged page of the scopes' id index would hide a scope's wrapped keys from every count below.
    const scopeNums = scopeNumbersOfTable(this.db);
    // Rows sharing a number are named by id, from every name this member's chunks give.
    const namesById = this.twins.size > 0 ? new Map<string, string>() : undefined;
    for (const scopeId of session.readableScopes()) {
      // A scope row whose id was damaged in the table is still found through its id's index, when that holds.
      const num = scopeNums.get(scopeId) ?? this.db.value<number>('SELECT num FROM scopes WHERE id = ?', scopeId) ?? -1;
      const live = new Map<number, number>();
      const bad = readScopeChunks(session, scopeId, (entries, chunkNo) => {
        let alive = 0;
        for (const [id, name, seq] of entries) {
          namesById?.set(id, name);
          let slot = this.slotOf(seq ?? seqOfId(this.db, id) ?? -1);
          // Purged since, or in the table but left out of the scan by a damaged page of its index: listed, as tampered.
          if (slot < 0) slot = this.leftOut(id);
          if (slot < 0) continue;
          alive++;
          if (this.ids[slot] === undefined) this.name(slot, id, name);
        }
        live.set(chunkNo, alive);
      });
      for (const chunkNo of bad) tampered.push([num, chunkNo]);
      if (!this.chunksMatchReaders(num, live, bad)) this.reconcile(session, scopeId, num);
    }
    for (const [num, chunkNo] of tampered) {
      for (const r of this.readersOf(num, chunkNo)) {
        const slot = this.slotOrAdopt(r);
        if (slot < 0 || this.ids[slot] !== undefined) continue;
        this.name(slot, r.id, '');
        this.flags[slot] = this.flags[slot]! | TAMPERED;
      }
    }
    if (this.outOfRange.size > 0) this.nameOutOfRange(session);
    if (namesById) this.nameTwins(namesById);
  }

  /**
   * Each row of a shared listing number takes its slot by its own id, tampered, and is listed only
   * if a chunk of this member names that id: the number no longer says which secret is which, and
   * the chunk entries (by number) may have named the first slot after another row.
   */
  private nameTwins(namesById: Map<string, string>): void {
    const rowsOf = this.db.query<DatesRow & RowListing & Pick<SecretRow, 'id'>>(TWIN_ROWS);
    for (const [seq, slots] of this.twins) {
      const rows = rowsOf.all(seq);
      slots.forEach((slot, k) => {
        if (this.ids[slot] !== undefined) this.drop(slot);
        // The scan's entries for one number need not come in the table's order: each slot takes its row's columns.
        const row = rows[k];
        if (row !== undefined) this.listRow(slot, row);
        this.flags[slot] = this.flags[slot]! | TAMPERED;
        if (row === undefined) return;
        const name = namesById.get(row.id);
        if (name === undefined) return;
        this.name(slot, row.id, name);
        this.setDates(slot, row);
        this.teams.set(slot, NO_TEAMS);
      });
    }
  }

  /** The slot of each row of a whole-table scan in turn: rows sharing a number take their twins' slots in order. */
  private inScanOrder(): (seq: number) => number {
    if (this.twins.size === 0) return (seq) => this.slotOf(seq);
    const taken = new Map<number, number>();
    return (seq) => {
      const slots = this.twins.get(seq);
      if (!slots) return this.slotOf(seq);
      const k = taken.get(seq) ?? 0;
      taken.set(seq, k + 1);
      return slots[k] ?? -1;
    };
  }

  /**
   * Each chunk should name exactly the live secrets whose wrapped key for this scope points at it: a
   * count per chunk, read from the index of wrapped keys alone, shows whether a chunk or a wrapped key
   * was moved, renumbered or dropped in the file. Cheap enough for every unlock.
   */
  private chunksMatchReaders(scopeNum: number, live: Map<number, number>, bad: number[]): boolean {
    const counted = this.db
      .tuples<[chunkNo: number, n: number]>('SELECT chunk_no, count(*) FROM reader_keys WHERE scope_num = ? GROUP BY chunk_no')
      .all(scopeNum);
    const skip = new Set(bad);
    const expected = counted.filter(([chunkNo]) => !skip.has(chunkNo));
    const named = [...live].filter(([chunkNo, n]) => n > 0 && !skip.has(chunkNo));
    return expected.length === named.length && expected.every(([chunkNo, n]) => live.get(chunkNo) === n);
  }

  /**
   * The rare path, after chunksMatchReaders found a difference: every secret whose wrapped key and
   * name disagree about the chunk, that has one without the other, or whose row no entry named, is
   * listed as tampered.
   */
  private reconcile(session: Session, scopeId: string, scopeNum: number): void {
    const namedIn = new Map<string, number>();
    readScopeChunks(session, scopeId, (entries, chunkNo) => {
      for (const [id] of entries) namedIn.set(id, chunkNo);
    });
    const readerRows = this.readersOf(scopeNum);
    const mark = (slot: number, id: string) => {
      if (slot < 0) return;
      if (this.ids[slot] === undefined) this.name(slot, id, '');
      this.flags[slot] = this.flags[slot]! | TAMPERED;
    };
    const withReader = new Set<string>();
    for (const r of readerRows) {
      withReader.add(r.id);
      // The join found the row through the number's index; a number changed in the row itself is read by its id.
      const known = this.slotOf(r.seq);
      const slot = known >= 0 ? known : this.slotOrAdopt({ ...r, seq: seqOfId(this.db, r.id) ?? r.seq });
      // Named where its wrapped key says, yet left without a name: its chunk entry's listing number is not its row's.
      if (namedIn.get(r.id) !== r.chunk_no || (slot >= 0 && this.ids[slot] === undefined)) mark(slot, r.id);
    }
    for (const id of namedIn.keys()) {
      if (withReader.has(id)) continue;
      const seq = seqOfId(this.db, id);
      if (seq !== undefined) mark(this.slotOf(seq), id);
    }
  }

  /**
   * A scope's readers with their secrets' rows, or one chunk's: the damage paths' join. It finds each
   * row through the listing number's index; when that gives fewer rows than the wrapped keys counted
   * alone, the index lost some (a damaged page), and the join runs again over the table itself
   * (~0.3 s for a scope of 30,000 secrets, against ~60 ms, so only then).
   */
  private readersOf(scopeNum: number, chunkNo?: number): ScopeReader[] {
    const inChunk = chunkNo === undefined ? '' : ' AND r.chunk_no = ?';
    const args = chunkNo === undefined ? [scopeNum] : [scopeNum, chunkNo];
    const rows = this.db.query<ScopeReader>(READERS_OF_SCOPE + inChunk).all(...args);
    const keys = this.db.count(`SELECT count(*) FROM reader_keys r WHERE r.scope_num = ?${inChunk}`, ...args);
    return rows.length >= keys ? rows : this.db.query<ScopeReader>(READERS_OF_SCOPE_SCANNED + inChunk).all(...args);
  }

  /**
   * A row's slot; for one the listing's scan left out (a damaged page of migration 11's index), a
   * new slot with the listing columns of its row, read from the table by its place there; -1 when
   * the table has no row there.
   */
  private slotOrAdopt(r: ReaderRow): number {
    const known = this.slotOf(r.seq);
    if (known >= 0) return known;
    const row = this.db.query<RowListing>(ROW_LISTING).get(r.rowid);
    if (!row) return -1;
    const slot = this.slotFor(r.seq);
    this.listRow(slot, row);
    return slot;
  }

  /**
   * The slot of a secret whose row the table holds under a number the scan did not give, made from
   * that row and marked tampered; -1 when there is no such row (a purged secret's name, which stays
   * in its chunk until the chunk is next written) or when its number is in the scan (a row renumbered
   * in the file, which `reconcile` finds).
   */
  private leftOut(id: string): number {
    const row = this.db.query<Omit<ReaderRow, 'id'>>(ROWID_OF_ID).get(id);
    if (!row || this.slotOf(row.seq) >= 0) return -1;
    const slot = this.slotOrAdopt({ ...row, id });
    if (slot >= 0) this.flags[slot] = this.flags[slot]! | TAMPERED;
    return slot;
  }

  /** Gives a slot the listing columns of its row: a value no list has makes the flags NULL, and the row is listed as tampered. */
  private listRow(slot: number, row: RowListing): void {
    this.flags[slot] = (row.flags ?? TAMPERED) | rangeMark(this.seqs[slot]!);
    const workspace = row.workspace_id === null ? undefined : this.db.value<string>('SELECT name FROM workspaces WHERE id = ?', row.workspace_id);
    this.workspace[slot] = this.workspaceCode(workspace ?? null);
  }

  /** Chunk entries name a secret by its original number, so one renumbered out of range is named by its row, nameless. */
  private nameOutOfRange(session: Session): void {
    // From the secrets' numbers to their readers (CROSS JOIN keeps that order): the few rows out of
    // range are found in the seq index. Left to itself SQLite scanned every reader and looked each
    // secret up: ~135 ms at 100,000 on a vault with one crafted number.
    const rows = this.db
      .query<Pick<SecretRow, 'id' | 'seq'> & Pick<SecretReaderRow, 'scope_id'>>(
        `SELECT s.id, s.seq, sc.id AS scope_id FROM secrets s CROSS JOIN reader_keys r ON r.secret_seq = s.seq JOIN scopes sc ON sc.num = r.scope_num
         WHERE s.seq < 1 OR s.seq > ?`,
      )
      .all(MAX_LISTING_SEQ);
    for (const r of rows) {
      const slot = this.slotOf(r.seq);
      if (slot >= 0 && this.ids[slot] === undefined && session.canRead(r.scope_id)) this.name(slot, r.id, '');
    }
  }

  private name(slot: number, id: string, name: string): void {
    if (this.ids[slot] === undefined) this.live++;
    this.ids[slot] = id;
    this.names[slot] = name;
    // Names are stored trimmed and NFC-normalized, so lower-casing is all the index key needs.
    this.keys[slot] = name.toLowerCase();
  }

  /** Room for `slots` secrets and listing numbers below `seqs`, so a build allocates each array once. */
  private reserve(slots: number, seqs: number): void {
    if (seqs > this.bySeq.length) {
      const next = new Int32Array(Math.max(seqs, this.bySeq.length * 2)).fill(-1);
      next.set(this.bySeq);
      this.bySeq = next;
    }
    if (slots <= this.flags.length) return;
    const size = Math.max(slots, this.flags.length * 2, 16);
    const grown = <T extends Uint16Array | Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.seqs = grown(this.seqs, (n) => new Float64Array(n));
    this.flags = grown(this.flags, (n) => new Uint16Array(n));
    this.workspace = grown(this.workspace, (n) => new Int32Array(n));
    this.revision = grown(this.revision, (n) => new Int32Array(n));
    this.created = grown(this.created, (n) => new Float64Array(n));
    this.updated = grown(this.updated, (n) => new Float64Array(n));
    this.expires = grown(this.expires, (n) => new Float64Array(n));
    this.lastUsed = grown(this.lastUsed, (n) => new Float64Array(n));
    this.deletion = grown(this.deletion, (n) => new Float64Array(n));
  }

  /** The slot of a listing number; -1 where none. */
  slotOf(seq: number): number {
    // bySeq only ever grows to cover numbers in range, so this first test is the range check too.
    if (seq >= 1 && seq < this.bySeq.length) return this.bySeq[seq] ?? -1;
    return this.outOfRange.get(seq) ?? -1;
  }

  /** The slot of a listing number, taking a new one the first time it is seen. */
  private slotFor(seq: number): number {
    const known = this.slotOf(seq);
    if (known >= 0) return known;
    const inRange = isListingSeq(seq);
    this.reserve(this.length + 1, inRange ? seq + 1 : 0);
    const slot = this.length++;
    this.seqs[slot] = seq;
    if (inRange) this.bySeq[seq] = slot;
    else this.outOfRange.set(seq, slot);
    return slot;
  }

  /** A slot of its own for a row whose listing number `first` already holds (`twins`); no number finds it. */
  private twinOf(seq: number, first: number): number {
    this.reserve(this.length + 1, 0);
    const slot = this.length++;
    this.seqs[slot] = seq;
    const slots = this.twins.get(seq) ?? [first];
    slots.push(slot);
    this.twins.set(seq, slots);
    return slot;
  }

  private workspaceCode(name: string | null): number {
    if (name === null) return -1;
    let code = this.workspaceCodes.get(name);
    if (code === undefined) {
      code = this.workspaceNames.push(name) - 1;
      this.workspaceCodes.set(name, code);
    }
    return code;
  }

  /** Writes a secret into its slot (a new one the first time), from a row this session just wrote. */
  put(row: ListedSecret, name: string, workspace: string | null, teams: string[]): number {
    const slot = this.slotFor(row.seq);
    this.name(slot, row.id, name);
    this.flags[slot] = packFlags(row.type, row.level, row.availability, row.status) | rangeMark(row.seq);
    this.workspace[slot] = this.workspaceCode(workspace);
    this.setDates(slot, row);
    this.teams.set(slot, teams);
    return slot;
  }

  /** Empties a live slot. */
  drop(slot: number): void {
    this.ids[slot] = undefined;
    this.live--;
    this.teams.delete(slot);
  }

  /** The slots holding a secret, in slot order. */
  liveSlots(): number[] {
    const out = new Array<number>(this.live);
    let n = 0;
    for (let slot = 0; slot < this.length; slot++) if (this.ids[slot] !== undefined) out[n++] = slot;
    return out;
  }

  /** A slot's listing row from what the columns hold: `readRows` first. */
  private row(slot: number): SecretSummary {
    const flags = this.flags[slot]!;
    const code = this.workspace[slot]!;
    const s: SecretSummary = {
      id: this.ids[slot]!,
      name: this.names[slot]!,
      type: typeOf(flags),
      level: levelOf(flags),
      workspace: code < 0 ? null : this.workspaceNames[code]!,
      availability: availabilityOf(flags),
      teams: availabilityOf(flags) === 'teams' ? this.teams.get(slot)! : NO_TEAMS,
      created: this.created[slot]!,
      updated: this.updated[slot]!,
      expires: orNull(this.expires[slot]!),
      status: statusOf(flags),
      lastUsed: orNull(this.lastUsed[slot]!),
      deletion: orNull(this.deletion[slot]!),
      revision: this.revision[slot]!,
    };
    if (isTampered(flags)) s.tampered = true;
    return s;
  }

  /** Forgets every decrypted name (at lock). */
  clear(): void {
    this.ids = [];
    this.names = [];
    this.keys = [];
    this.length = 0;
    this.live = 0;
    this.teams.clear();
    this.twins.clear();
    this.dated.clear();
    this.datesRead = false;
    this.timesRead = false;
  }
}
