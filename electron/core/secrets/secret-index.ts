import type { Level, ListSecretsInput, SecretListing, SecretStatus, SecretSummary, SecretType, SortKey } from '../../../shared/schemas/secrets';
import { listSecretsInput } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import { normalizeName } from '../crypto/keys';
import type { Db } from '../db/connection';
import type { Session } from '../vault/session';
import { IndexColumns, availabilityOf, levelOf, statusOf, typeOf } from './index-columns';
import { ANYWHERE, EXACT, MATCH_RANKS, PREFIX, WORD_START, continuesWord } from './name-match';
import { Trigrams, confirm } from './trigrams';
import type { ListedSecret } from './summaries';

/** Fewer trigram candidates than this are checked name by name; more, in the names' text (trigrams.ts, `confirm`). */
const FEW_CANDIDATES = 2048;

/** A first page this deep is picked from the unsorted index instead of sorting all of it. */
const PARTIAL_LIMIT = 1000;

/**
 * The listing's in-memory index (docs/product.md §3), column by column: names decrypted from their chunks once
 * at unlock, clear columns read once into typed arrays; search, sort and filter never touch SQLite
 * or decrypt again, and a row object exists only for the rows a page returns (with its team names,
 * read then: joining every reader of every secret cost unlock ~50 ms at 100,000).
 */
export class SecretIndex {
  private readonly sorted = new Map<SortKey, number[]>();
  private readonly haystacks = new Map<SortKey, Haystack>();
  private stale = false;
  private found = new Int32Array(0);
  /** Searches answered before an order was sorted (see `query`). */
  private searches = 0;

  private constructor(
    private readonly db: Db,
    private readonly columns: IndexColumns,
    private dataVersion: number,
    /** The connection's write count this index reflects (see Db.writes). */
    private writes: number,
  ) {}

  static build(session: Session): SecretIndex {
    const db = session.db;
    return db.read(() => {
      const dataVersion = db.dataVersion();
      const writes = db.writes;
      return new SecretIndex(db, IndexColumns.scan(session), dataVersion, writes);
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
   * the next listing pay ~60 ms.
   */
  upsert(row: ListedSecret, name: string, workspace: string | null, teams: string[]): SecretSummary {
    const c = this.columns;
    const known = c.slotOf(row.seq);
    const listed = known >= 0 && c.ids[known] !== undefined;
    const was = listed ? { at: this.unlist(known), key: c.keys[known] } : undefined;
    const slot = c.put(row, name, workspace, teams);
    for (const [key, list] of this.sorted) {
      const at = insertionPoint(list, slot, this.ordering(key).compare);
      list.splice(at, 0, slot);
      // An order in which the secret kept its place and its name keeps its joined names (and their
      // trigrams): a use recorded by a reveal changes neither, and rebuilding cost the next search ~100 ms.
      if (!was || was.at.get(key) !== at || was.key !== c.keys[slot]) this.haystacks.delete(key);
    }
    this.follow();
    return c.summary(slot);
  }

  /** Drops a secret by its listing number. */
  remove(seq: number): void {
    const slot = this.columns.slotOf(seq);
    if (slot >= 0 && this.columns.ids[slot] !== undefined) {
      this.unlist(slot);
      this.haystacks.clear();
      this.columns.drop(slot);
    }
    this.follow();
  }

  /** Takes a slot out of every sorted order; returns where it stood in each. */
  private unlist(slot: number): Map<SortKey, number> {
    const at = new Map<SortKey, number>();
    for (const [key, list] of this.sorted) {
      const i = list.indexOf(slot);
      if (i >= 0) list.splice(i, 1);
      at.set(key, i);
    }
    return at;
  }

  /** Counts the write being applied as seen, unless another write came between: that one needs a rebuild. */
  private follow(): void {
    if (this.writes === this.db.writes - 1) this.writes = this.db.writes;
  }

  invalidate(): void {
    this.stale = true;
  }

  get size(): number {
    return this.columns.live;
  }

  /**
   * The columns themselves, for figures over every secret (review/summary.ts): one pass over typed
   * arrays, where a row object per secret would cost the dashboard most of its time at 100,000.
   */
  get view(): Readonly<IndexColumns> {
    return this.columns.dates();
  }

  /** The columns with every slot's created, expiry, last-use and deletion dates, not the rest: for the Review's figures. */
  get timeline(): Readonly<IndexColumns> {
    return this.columns.times();
  }

  /** The listing rows of `slots`, each reading its own dates when few are asked for. */
  summaries(slots: readonly number[]): SecretSummary[] {
    return this.columns.summaries(slots);
  }

  /** The listing row of a secret by its listing number, when this member can read it. */
  get(seq: number): SecretSummary | undefined {
    return this.holds(seq) ? this.columns.summary(this.columns.slotOf(seq)) : undefined;
  }

  /** Whether the secret of this listing number is listed: one this session reads. */
  holds(seq: number): boolean {
    const slot = this.columns.slotOf(seq);
    return slot >= 0 && this.columns.ids[slot] !== undefined;
  }

  /** The ids of the secrets whose name contains `search`, as the listing's search matches them. */
  idsNamed(search: string): string[] {
    const needle = normalizeName(search);
    if (!needle) return [];
    const list = this.order('name');
    return Array.from(this.find('name', needle), (k) => this.columns.ids[list[k]!]!);
  }

  /**
   * A sort key's order: the value each slot is sorted by first, and the whole comparison, whose ties
   * fall back to the name, then the id, so pages are stable.
   */
  private ordering(key: SortKey): Ordering {
    const { keys, ids } = this.columns;
    const tie = (a: number, b: number) => {
      const x = keys[a]!;
      const y = keys[b]!;
      if (x !== y) return x < y ? -1 : 1;
      const i = ids[a]!;
      const j = ids[b]!;
      return i < j ? -1 : i > j ? 1 : 0;
    };
    const by = (primary: (slot: number) => string | number): Ordering => ({
      primary,
      compare: (a, b) => {
        const x = primary(a);
        const y = primary(b);
        return x < y ? -1 : x > y ? 1 : tie(a, b);
      },
    });
    if (key === 'created' || key === 'expires' || key === 'lastUsed' || key === 'deletion') this.columns.times();
    const { flags, created, expires, lastUsed, deletion } = this.columns;
    switch (key) {
      case 'name':
        return { primary: (s) => keys[s]!, compare: tie };
      case 'type':
        return by((s) => typeOf(flags[s]!));
      case 'availability':
        return by((s) => availabilityOf(flags[s]!));
      case 'status':
        return by((s) => statusOf(flags[s]!));
      case 'created':
        return by((s) => created[s]!);
      case 'expires':
        return by((s) => (Number.isNaN(expires[s]!) ? Number.MAX_SAFE_INTEGER : expires[s]!));
      case 'lastUsed':
        return by((s) => (Number.isNaN(lastUsed[s]!) ? 0 : lastUsed[s]!));
      case 'deletion':
        // Soonest first; a secret with no deletion date after every dated one.
        return by((s) => (Number.isNaN(deletion[s]!) ? Number.MAX_SAFE_INTEGER : deletion[s]!));
    }
  }

  private order(key: SortKey): number[] {
    let list = this.sorted.get(key);
    if (!list) {
      list = this.columns.liveSlots();
      list.sort(this.ordering(key).compare);
      this.sorted.set(key, list);
    }
    return list;
  }

  /** Sorts (and joins the names of) an order ahead of the first query that needs it. */
  prepare(key: SortKey): void {
    this.haystack(key);
  }

  /**
   * The names of one order joined by newlines (which no name contains), with where each starts:
   * a search is then one `indexOf` sweep over contiguous text instead of 100,000 scattered
   * `includes` calls (p95 ~30 → a few ms at 100,000).
   */
  private haystack(key: SortKey): Haystack {
    let h = this.haystacks.get(key);
    if (!h) {
      const list = this.order(key);
      const keys = this.columns.keys;
      const starts = new Int32Array(list.length + 1);
      const parts = new Array<string>(list.length);
      let at = 0;
      for (let i = 0; i < list.length; i++) {
        const k = keys[list[i]!]!;
        starts[i] = at;
        parts[i] = k;
        at += k.length + 1;
      }
      starts[list.length] = at;
      h = { text: parts.join('\n'), starts, searches: 0 };
      this.haystacks.set(key, h);
    }
    return h;
  }

  /**
   * Positions in the `key` order of the entries whose name contains `needle`, ascending: a view of
   * `found`, valid until the next search.
   */
  private find(key: SortKey, needle: string): Int32Array {
    const h = this.haystack(key);
    const { text, starts } = h;
    if (needle.includes('\n')) return this.found.subarray(0, 0);
    // One buffer for every search: a fresh 400 KB array per query cost more than the search.
    if (this.found.length < starts.length - 1) this.found = new Int32Array(starts.length - 1);
    const found = this.found;
    let n = 0;
    // Built at an order's second search: a command's one search sweeps once rather than index first.
    if (h.searches++ > 0) h.trigrams ??= Trigrams.of(text, starts);
    const candidates = h.trigrams?.candidates(needle, FEW_CANDIDATES);
    if (candidates && candidates.length < FEW_CANDIDATES) {
      const keys = this.columns.keys;
      const list = this.order(key);
      for (const position of candidates) if (keys[list[position]!]!.includes(needle)) found[n++] = position;
      return found.subarray(0, n);
    }
    if (candidates) return found.subarray(0, confirm(text, starts, candidates, needle, found));
    let position = 0;
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, starts[position + 1]!)) {
      // Occurrences come in text order: walking on from the last entry visits each start once, where a
      // binary search per occurrence cost ~17 steps each (a common word matches 30,000 of 100,000 names).
      while (starts[position + 1]! <= at) position++;
      found[n++] = position;
    }
    return found.subarray(0, n);
  }

  /**
   * The slots whose normalized name contains `needle`, in name order, each with its best match rank
   * (name-match.ts), for the vault-wide search. One sweep over the names' text visits each
   * occurrence once and ranks it by the characters around it, never reading a name by its slot:
   * at 100,000 names a one-letter search matches nearly all of them.
   */
  matching(needle: string): { slots: number[]; ranks: number[] } {
    const slots: number[] = [];
    const ranks: number[] = [];
    if (!needle || needle.includes('\n')) return { slots, ranks };
    const list = this.order('name');
    const { text, starts } = this.haystack('name');
    let position = -1;
    let best = MATCH_RANKS;
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
      if (position < 0 || at >= starts[position + 1]!) {
        if (position >= 0) {
          slots.push(list[position]!);
          ranks.push(best);
        }
        // Occurrences come in text order, so the name holding this one is at or after the last.
        while (starts[position + 1]! <= at) position++;
        best = MATCH_RANKS;
      }
      const start = starts[position]!;
      const rank =
        at === start ? (starts[position + 1]! - 1 - start === needle.length ? EXACT : PREFIX) : continuesWord(text.charCodeAt(at - 1)) ? ANYWHERE : WORD_START;
      if (rank < best) best = rank;
      // Later occurrences in this name can only start a word, or not: once one has, on to the next name.
      if (best <= WORD_START) at = starts[position + 1]! - 1;
    }
    if (position >= 0) {
      slots.push(list[position]!);
      ranks.push(best);
    }
    return { slots, ranks };
  }

  /** Whether a slot passes the query's filters (not its search). */
  private filter(q: { level?: Level; workspace?: string; type?: SecretType; status?: SecretStatus }): (slot: number) => boolean {
    const wanted = q.workspace?.toLowerCase();
    const { flags, workspace, workspaceNames } = this.columns;
    const codes = wanted === undefined ? undefined : new Set(workspaceNames.flatMap((n, code) => (n.toLowerCase() === wanted ? [code] : [])));
    return (slot) => {
      const f = flags[slot]!;
      return (
        (!q.level || levelOf(f) === q.level) &&
        (!codes || codes.has(workspace[slot]!)) &&
        (!q.type || typeOf(f) === q.type) &&
        (!q.status || statusOf(f) === q.status)
      );
    };
  }

  query(input: ListSecretsInput = {}): SecretListing {
    const q = parseInput(listSecretsInput, input);
    const c = this.columns;
    const needle = q.search ? normalizeName(q.search) : '';
    const matches = this.filter(q);
    const unfiltered = !q.level && !q.workspace && !q.type && !q.status;
    const end = q.limit === undefined ? Number.POSITIVE_INFINITY : q.offset + q.limit;
    if (!needle && !this.sorted.has(q.sort) && end <= PARTIAL_LIMIT) return this.partialQuery(q.sort, q.desc, q.offset, end, unfiltered ? undefined : matches);
    // A command's one search sorts only its matches; a second search of this index sorts the order, for it and all later ones.
    if (needle && !this.sorted.has(q.sort) && this.searches++ === 0) return this.unsortedSearch(q.sort, needle, q.desc, q.offset, end, matches);
    const list = this.order(q.sort);
    if (!needle && unfiltered) {
      // Nothing to count: a page of a sorted order costs its own rows, whatever the size.
      const n = list.length;
      const page: number[] = [];
      for (let k = q.offset; k < Math.min(end, n); k++) page.push(list[q.desc ? n - 1 - k : k]!);
      return { total: c.live, matched: n, items: c.summaries(page) };
    }
    const hits = needle ? this.find(q.sort, needle) : null;
    const page: number[] = [];
    if (hits && unfiltered) {
      // A search alone: every hit counts, and only the page's rows are looked at.
      const n = hits.length;
      for (let k = q.offset; k < Math.min(end, n); k++) page.push(list[hits[q.desc ? n - 1 - k : k]!]!);
      return { total: c.live, matched: n, items: c.summaries(page) };
    }
    let matched = 0;
    const n = hits ? hits.length : list.length;
    for (let k = 0; k < n; k++) {
      const j = q.desc ? n - 1 - k : k;
      const slot = list[hits ? hits[j]! : j]!;
      if (!matches(slot)) continue;
      if (matched >= q.offset && matched < end) page.push(slot);
      matched++;
    }
    return { total: c.live, matched, items: c.summaries(page) };
  }

  /**
   * A first page without sorting everything: one pass keeps the best `end` slots in a small sorted
   * buffer (~4 ms at 100,000 against ~60 ms for the full sort, which waits for a deeper page;
   * docs/benchmark.md, "The first page at a million").
   */
  private partialQuery(key: SortKey, desc: boolean, offset: number, end: number, matches: ((slot: number) => boolean) | undefined): SecretListing {
    const c = this.columns;
    const { primary, compare } = this.ordering(key);
    const cmp = desc ? (a: number, b: number) => compare(b, a) : compare;
    const best: number[] = [];
    // Once the buffer is full, its last slot bounds the rest: nearly every slot falls beyond it on
    // one comparison of values, without the tie-breaks. Sorted by name and unfiltered (every live
    // slot then matches, and none needs counting), a loop of its own passes over those slots.
    const skim = key === 'name' && matches === undefined;
    let bound: string | number | undefined;
    let matched = 0;
    for (let slot = 0; slot < c.length; slot++) {
      if (skim && bound !== undefined) {
        slot = nextKeyNotBeyond(c.keys, slot, c.length, c.keys[best[end - 1]!]!, desc);
        if (slot === c.length) break;
      }
      if (c.ids[slot] === undefined || (matches !== undefined && !matches(slot))) continue;
      matched++;
      if (bound !== undefined) {
        const v = primary(slot);
        if (desc ? v < bound : v > bound) continue;
        if (v === bound && cmp(slot, best[end - 1]!) >= 0) continue;
      }
      best.splice(insertionPoint(best, slot, cmp), 0, slot);
      if (best.length > end) best.pop();
      if (best.length === end && end > 0) bound = primary(best[end - 1]!);
    }
    // Unfiltered, every live slot matches, those passed over too.
    return { total: c.live, matched: matches === undefined ? c.live : matched, items: c.summaries(best.slice(offset)) };
  }

  /**
   * A search before anything was sorted (a command's one listing): the matches are found in slot
   * order and only they are sorted. Sorting all 100,000 names first cost a `secret list --search`
   * ~100 ms it did not need; the app sorts once for its table, and its searches take the sorted path,
   * as does any index searched a second time.
   */
  private unsortedSearch(key: SortKey, needle: string, desc: boolean, offset: number, end: number, matches: (slot: number) => boolean): SecretListing {
    const c = this.columns;
    const hits: number[] = [];
    if (!needle.includes('\n')) {
      for (let slot = 0; slot < c.length; slot++) if (c.ids[slot] !== undefined && c.keys[slot]!.includes(needle) && matches(slot)) hits.push(slot);
    }
    const ascending = this.ordering(key).compare;
    hits.sort(desc ? (a, b) => ascending(b, a) : ascending);
    return { total: c.live, matched: hits.length, items: c.summaries(hits.slice(offset, end)) };
  }

  /** How many secrets each sidebar entry holds. */
  counts(): { personal: number; organization: number; workspaces: Map<string, number> } {
    const { ids, flags, workspace, workspaceNames, length } = this.columns;
    const counts = { personal: 0, organization: 0, workspaces: new Map<string, number>() };
    for (let slot = 0; slot < length; slot++) {
      if (ids[slot] === undefined) continue;
      const level = levelOf(flags[slot]!);
      if (level === 'personal') counts.personal++;
      else if (level === 'organization') counts.organization++;
      else {
        const code = workspace[slot]!;
        if (code < 0) continue;
        const name = workspaceNames[code]!;
        counts.workspaces.set(name, (counts.workspaces.get(name) ?? 0) + 1);
      }
    }
    return counts;
  }

  clear(): void {
    this.columns.clear();
    this.sorted.clear();
    this.haystacks.clear();
  }
}

/**
 * The first slot from `from` on whose name key is not beyond `bound` in the page's direction, or
 * `end`. A loop of its own over the keys and one string: V8 keeps its compiled code from one index
 * to the next, where the page's loop, which holds an index's objects, was compiled again for each
 * new index and made its first pass over 1,000,000 slots unoptimized (docs/benchmark.md, "The first
 * page at a million").
 */
function nextKeyNotBeyond(keys: readonly string[], from: number, end: number, bound: string, desc: boolean): number {
  for (let slot = from; slot < end; slot++) {
    const key = keys[slot];
    if (key !== undefined && (desc ? key >= bound : key <= bound)) return slot;
  }
  return end;
}

/** Where `slot` goes in a list sorted by `cmp` (binary search). */
function insertionPoint(list: number[], slot: number, cmp: (a: number, b: number) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(list[mid]!, slot) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How a sort key orders slots: by `primary` first, then by name and id where those are equal (`compare`). */
interface Ordering {
  primary: (slot: number) => string | number;
  compare: (a: number, b: number) => number;
}

/** The names of one order as one text (`haystack`), and their trigrams once the order is searched a second time. */
interface Haystack {
  text: string;
  starts: Int32Array;
  searches: number;
  trigrams?: Trigrams;
}
