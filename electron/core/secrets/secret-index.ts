import type { Availability, Level, ListSecretsInput, SecretListing, SecretStatus, SecretSummary, SecretType, SortKey } from '../../../shared/schemas/secrets';
import { listSecretsInput } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import { normalizeName } from '../crypto/keys';
import type { Db } from '../db/connection';
import type { Session } from '../vault/session';
import { readScopeNames } from './name-chunks';

interface Entry extends SecretSummary {
  /** Normalized name: what search and the name sort compare. */
  key: string;
}

export interface SecretRow {
  id: string;
  scope_id: string;
  level: Level;
  workspace_id: string | null;
  type: SecretType;
  availability: Availability;
  revision: number;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  deletion_at: number | null;
  status: SecretStatus;
}

/** SECRET_COLUMNS as a raw row, in that order. */
type RawRow = [
  id: string,
  scopeId: string,
  level: Level,
  workspaceId: string | null,
  type: SecretType,
  availability: Availability,
  revision: number,
  created: number,
  updated: number,
  expires: number | null,
  lastUsed: number | null,
  deletion: number | null,
  status: SecretStatus,
];

const NO_TEAMS: string[] = [];

/** Clear columns a listing needs (SPEC §3); never a ciphertext. */
export const SECRET_COLUMNS =
  'id, scope_id, level, workspace_id, type, availability, revision, created_at, updated_at, expires_at, last_used_at, deletion_at, status';

const SORT_VALUE: Record<SortKey, (e: Entry) => string | number> = {
  name: (e) => e.key,
  type: (e) => e.type,
  availability: (e) => e.availability,
  created: (e) => e.created,
  expires: (e) => e.expires ?? Number.MAX_SAFE_INTEGER,
  status: (e) => e.status,
  lastUsed: (e) => e.lastUsed ?? 0,
};

function compareBy(key: SortKey): (a: Entry, b: Entry) => number {
  const value = SORT_VALUE[key];
  return (a, b) => {
    const x = value(a);
    const y = value(b);
    if (x < y) return -1;
    if (x > y) return 1;
    // Ties fall back to the name, then the id, so pages are stable.
    return a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

const comparators = new Map<SortKey, (a: Entry, b: Entry) => number>();
function comparator(key: SortKey): (a: Entry, b: Entry) => number {
  let c = comparators.get(key);
  if (!c) {
    c = compareBy(key);
    comparators.set(key, c);
  }
  return c;
}

/** Where `e` goes in a list sorted by `cmp` (binary search). */
function insertionPoint(list: Entry[], e: Entry, cmp: (a: Entry, b: Entry) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(list[mid]!, e) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The listing's in-memory index (SPEC §3): names decrypted from their chunks once at unlock, clear
 * columns read once; search, sort and filter never touch SQLite or decrypt again.
 */
export class SecretIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly sorted = new Map<SortKey, Entry[]>();
  private readonly haystacks = new Map<SortKey, { text: string; starts: Int32Array }>();
  private stale = false;

  private constructor(
    private readonly db: Db,
    private dataVersion: number,
    /** The connection's write count this index reflects (see Db.writes). */
    private writes: number,
  ) {}

  static build(session: Session): SecretIndex {
    const db = session.db;
    return db.read(() => {
      const index = new SecretIndex(db, db.dataVersion(), db.writes);
      const names = new Map<string, string>();
      const tampered = new Set<string>();
      for (const scopeId of session.readableScopes()) {
        const r = readScopeNames(session, scopeId, names);
        for (const chunkNo of r.tamperedChunks) {
          for (const row of db.stmt('SELECT secret_id FROM secret_readers WHERE scope_id = ? AND chunk_no = ?').all(scopeId, chunkNo) as { secret_id: string }[]) {
            tampered.add(row.secret_id);
          }
        }
      }
      const workspaces = new Map((db.stmt('SELECT id, name FROM workspaces').all() as { id: string; name: string }[]).map((w) => [w.id, w.name]));
      const teams = new Map<string, string[]>();
      for (const r of db
        .stmt('SELECT r.secret_id, t.name FROM secret_readers r JOIN teams t ON t.scope_id = r.scope_id ORDER BY t.name COLLATE NOCASE')
        .all() as { secret_id: string; name: string }[]) {
        const list = teams.get(r.secret_id);
        if (list) list.push(r.name);
        else teams.set(r.secret_id, [r.name]);
      }
      // Raw rows and no intermediate objects: at 100,000 secrets this scan is most of an unlock.
      const scan = db.stmt(`SELECT ${SECRET_COLUMNS} FROM secrets -- listing scan`).raw(true);
      for (const r of scan.iterate() as IterableIterator<RawRow>) {
        const id = r[0];
        const name = names.get(id);
        const isTampered = name === undefined && tampered.has(id);
        if (name === undefined && !isTampered) continue;
        const workspaceId = r[3];
        const e: Entry = {
          id,
          name: name ?? '',
          // Names are stored trimmed and NFC-normalized, so lower-casing is all the index key needs.
          key: (name ?? '').toLowerCase(),
          type: r[4],
          level: r[2],
          workspace: workspaceId ? (workspaces.get(workspaceId) ?? null) : null,
          availability: r[5],
          teams: teams.get(id) ?? NO_TEAMS,
          created: r[7],
          updated: r[8],
          expires: r[9],
          status: r[12],
          lastUsed: r[10],
          deletion: r[11],
          revision: r[6],
        };
        if (isTampered) e.tampered = true;
        index.entries.set(id, e);
      }
      return index;
    });
  }

  /** The session's index, rebuilt when another process, or another session on this connection, has written since. */
  static of(session: Session): SecretIndex {
    session.assertUnlocked();
    const current = session.index;
    const db = session.db;
    if (current && !current.stale && current.dataVersion === db.dataVersion() && current.writes === db.writes) return current;
    session.index = SecretIndex.build(session);
    return session.index;
  }

  /**
   * Keeps the index in step with this session's own writes (which do not change data_version).
   * Sorted orders are patched in place: re-sorting 100,000 entries after every write would make
   * the next listing pay ~90 ms.
   */
  upsert(row: SecretRow, name: string, workspace: string | null, teams: string[]): SecretSummary {
    const e = toEntry(row, name, workspace, teams, false);
    this.unlist(this.entries.get(e.id));
    this.entries.set(e.id, e);
    for (const [key, list] of this.sorted) list.splice(insertionPoint(list, e, comparator(key)), 0, e);
    this.follow();
    return summary(e);
  }

  remove(id: string): void {
    this.unlist(this.entries.get(id));
    this.entries.delete(id);
    this.follow();
  }

  private unlist(old: Entry | undefined): void {
    this.haystacks.clear();
    if (!old) return;
    for (const list of this.sorted.values()) {
      const i = list.indexOf(old);
      if (i >= 0) list.splice(i, 1);
    }
  }

  /** Counts the write being applied as seen, unless another write came between: that one needs a rebuild. */
  private follow(): void {
    if (this.writes === this.db.writes - 1) this.writes = this.db.writes;
  }

  invalidate(): void {
    this.stale = true;
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: string): SecretSummary | undefined {
    const e = this.entries.get(id);
    return e && summary(e);
  }

  private order(key: SortKey): Entry[] {
    let list = this.sorted.get(key);
    if (!list) {
      list = [...this.entries.values()].sort(comparator(key));
      this.sorted.set(key, list);
    }
    return list;
  }

  /**
   * The names of one order joined by newlines (which no name contains), with where each starts:
   * a search is then one `indexOf` sweep over contiguous text instead of 100,000 scattered
   * `includes` calls (p95 ~30 → a few ms at 100,000).
   */
  private haystack(key: SortKey): { text: string; starts: Int32Array } {
    let h = this.haystacks.get(key);
    if (!h) {
      const list = this.order(key);
      const starts = new Int32Array(list.length + 1);
      const parts = new Array<string>(list.length);
      let at = 0;
      for (let i = 0; i < list.length; i++) {
        starts[i] = at;
        parts[i] = list[i]!.key;
        at += list[i]!.key.length + 1;
      }
      starts[list.length] = at;
      h = { text: parts.join('\n'), starts };
      this.haystacks.set(key, h);
    }
    return h;
  }

  /** Positions in the `key` order of the entries whose name contains `needle`, ascending. */
  private find(key: SortKey, needle: string): number[] {
    if (needle.includes('\n')) return [];
    const { text, starts } = this.haystack(key);
    const found: number[] = [];
    let pos = text.indexOf(needle);
    while (pos !== -1) {
      let lo = 0;
      let hi = starts.length - 2;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (starts[mid]! <= pos) lo = mid;
        else hi = mid - 1;
      }
      found.push(lo);
      pos = text.indexOf(needle, starts[lo + 1]!);
    }
    return found;
  }

  query(input: ListSecretsInput = {}): SecretListing {
    const q = parseInput(listSecretsInput, input);
    const needle = q.search ? normalizeName(q.search) : '';
    const workspace = q.workspace?.toLowerCase();
    const matches = (e: Entry) =>
      (!q.level || e.level === q.level) &&
      (!workspace || e.workspace?.toLowerCase() === workspace) &&
      (!q.type || e.type === q.type) &&
      (!q.status || e.status === q.status);
    const list = this.order(q.sort);
    const hits = needle ? this.find(q.sort, needle) : null;
    const end = q.limit === undefined ? Number.POSITIVE_INFINITY : q.offset + q.limit;
    const items: SecretSummary[] = [];
    let matched = 0;
    const n = hits ? hits.length : list.length;
    for (let k = 0; k < n; k++) {
      const j = q.desc ? n - 1 - k : k;
      const e = list[hits ? hits[j]! : j]!;
      if (!matches(e)) continue;
      if (matched >= q.offset && matched < end) items.push(summary(e));
      matched++;
    }
    return { total: list.length, matched, items };
  }

  /** How many secrets each sidebar entry holds. */
  counts(): { personal: number; organization: number; workspaces: Map<string, number> } {
    const c = { personal: 0, organization: 0, workspaces: new Map<string, number>() };
    for (const e of this.entries.values()) {
      if (e.level === 'personal') c.personal++;
      else if (e.level === 'organization') c.organization++;
      else if (e.workspace !== null) c.workspaces.set(e.workspace, (c.workspaces.get(e.workspace) ?? 0) + 1);
    }
    return c;
  }

  clear(): void {
    this.entries.clear();
    this.sorted.clear();
    this.haystacks.clear();
  }
}

function toEntry(row: SecretRow, name: string, workspace: string | null, teams: string[], tampered: boolean): Entry {
  const e: Entry = {
    id: row.id,
    name,
    key: normalizeName(name),
    type: row.type,
    level: row.level,
    workspace,
    availability: row.availability,
    teams,
    created: row.created_at,
    updated: row.updated_at,
    expires: row.expires_at,
    status: row.status,
    lastUsed: row.last_used_at,
    deletion: row.deletion_at,
    revision: row.revision,
  };
  if (tampered) e.tampered = true;
  return e;
}

/** The listing row of a secret read from SQLite, as every door shows it. */
export function rowSummary(row: SecretRow, name: string, workspace: string | null, teams: string[]): SecretSummary {
  return summary(toEntry(row, name, workspace, teams, false));
}

function summary(e: Entry): SecretSummary {
  const { key: _key, ...rest } = e;
  return rest;
}
