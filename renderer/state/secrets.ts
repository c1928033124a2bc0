import { create } from 'zustand';
import type { ListSecretsInput, SecretStatus, SecretSummary, SecretType, SortKey } from '../../shared/schemas/secrets';
import type { Scope } from './nav';
import { sameScope, useNav } from './nav';
import { request } from './request';
import { onSessionEnd } from './session';

/** The secret listing: one query, and the pages of its answer fetched as the table scrolls. */
export const PAGE_SIZE = 200;

export interface Query {
  scope: Scope;
  type: SecretType | null;
  status: SecretStatus | null;
  search: string;
  sort: SortKey;
  desc: boolean;
}

interface SecretsState {
  query: Query;
  /** Bumps when the query changes: the table scrolls back to the top. */
  queryVersion: number;
  /** Bumps on every refetch (query change or reload after a write). */
  version: number;
  /** Pages of the latest answered version; older rows stay on screen until newer ones arrive. */
  pages: Map<number, SecretSummary[]>;
  matched: number | null;
  total: number | null;
  /** The current version has no answer yet. */
  loading: boolean;
  error: string | null;
  setQuery: (patch: Partial<Omit<Query, 'scope'>>) => void;
  setScope: (scope: Scope) => void;
  toggleSort: (key: SortKey) => void;
  /** Refetches the visible pages after a write, keeping the scroll position. */
  reload: () => void;
  ensureRange: (first: number, last: number) => void;
  rowAt: (index: number) => SecretSummary | undefined;
  reset: () => void;
}

const initialQuery = (): Query => ({ scope: { level: 'personal' }, type: null, status: null, search: '', sort: 'name', desc: false });

let answeredVersion = -1;
/** Pages being fetched, as `version:page`. */
const inFlight = new Set<string>();
/** The rows the table shows (first, last), and which way it last moved. */
let lastRange: [number, number] = [0, 40];
let movingUp = false;

/**
 * At most this many listing requests at once. A scrollbar drag crosses hundreds of pages; fetching
 * each one it passes queued hundreds of requests that all answered long after the rows had left
 * the screen. Instead, each time a request ends the next one is chosen for where the table is now.
 */
const MAX_IN_FLIGHT = 2;
/** Pages kept around the rows on screen; farther ones are dropped (and fetched again if needed). */
const MAX_PAGES = 40;
/**
 * A range that jumped more than a third of a page since the last one (a frame earlier, while scrolling)
 * is a fast drag: its rows will be gone before their page arrives, so fetching waits until the
 * table has been this long without such a jump (the rows in between show skeletons either way).
 */
const DRAG_JUMP = Math.round(PAGE_SIZE / 3);
const DRAG_SETTLE_MS = 60;
let dragTimer: ReturnType<typeof setTimeout> | undefined;

const pageOf = (index: number) => Math.floor(index / PAGE_SIZE);

function toInput(q: Query, offset: number): ListSecretsInput {
  const input: ListSecretsInput = { level: q.scope.level, sort: q.sort, desc: q.desc, offset, limit: PAGE_SIZE };
  if (q.scope.level === 'workspace') input.workspace = q.scope.workspace;
  if (q.type) input.type = q.type;
  if (q.status) input.status = q.status;
  const search = q.search.trim();
  if (search) input.search = search;
  return input;
}

export const useSecrets = create<SecretsState>()((set, get) => {
  /** The pages to have for the current range: the ones on screen, then one ahead, then one behind. */
  function wanted(): number[] {
    const { matched } = get();
    const [first, last] = lastRange;
    const lastPage = matched === null ? Infinity : pageOf(Math.max(0, matched - 1));
    const out: number[] = [];
    for (let p = pageOf(first); p <= pageOf(Math.max(first, last)); p++) out.push(p);
    const ahead = movingUp ? pageOf(first) - 1 : pageOf(last) + 1;
    const behind = movingUp ? pageOf(last) + 1 : pageOf(first) - 1;
    out.push(ahead, behind);
    return out.filter((p) => p >= 0 && p <= lastPage);
  }

  /** Starts requests for wanted pages the current version lacks, up to MAX_IN_FLIGHT at once. */
  function pump(): void {
    if (dragTimer !== undefined) return;
    const { version, pages, matched } = get();
    // Before the first answer of a version only refetch's own requests run (matched is unknown).
    if (matched === null && answeredVersion !== version) return;
    const fresh = answeredVersion === version;
    for (const p of wanted()) {
      if (inFlight.size >= MAX_IN_FLIGHT) return;
      if (fresh && pages.has(p)) continue;
      void fetchPage(version, p);
    }
  }

  /** Keeps the MAX_PAGES pages nearest to the range on screen. */
  function trim(pages: Map<number, SecretSummary[]>): void {
    if (pages.size <= MAX_PAGES) return;
    const centre = pageOf((lastRange[0] + lastRange[1]) / 2);
    const far = [...pages.keys()].sort((x, y) => Math.abs(y - centre) - Math.abs(x - centre));
    for (const p of far.slice(0, pages.size - MAX_PAGES)) pages.delete(p);
  }

  async function fetchPage(version: number, page: number): Promise<void> {
    const key = `${version}:${page}`;
    if (inFlight.has(key)) return;
    inFlight.add(key);
    const query = get().query;
    const r = await request('secrets.list', toInput(query, page * PAGE_SIZE));
    inFlight.delete(key);
    if (get().version !== version) {
      pump();
      return;
    }
    if (!r.ok) {
      set({ loading: false, error: r.error.message });
      return;
    }
    const fresh = answeredVersion !== version;
    answeredVersion = version;
    const pages = fresh ? new Map<number, SecretSummary[]>() : new Map(get().pages);
    pages.set(page, r.value.items);
    trim(pages);
    set({ pages, matched: r.value.matched, total: r.value.total, loading: false, error: null });
    pump();
  }

  function refetch(resetScroll: boolean): void {
    const version = get().version + 1;
    set({ version, loading: true, error: null, ...(resetScroll ? { queryVersion: get().queryVersion + 1 } : {}) });
    if (resetScroll) lastRange = [0, 40];
    const [first, last] = lastRange;
    const pages = new Set([pageOf(first), pageOf(last)]);
    for (const p of pages) void fetchPage(version, p);
  }

  return {
    query: initialQuery(),
    queryVersion: 0,
    version: 0,
    pages: new Map(),
    matched: null,
    total: null,
    loading: true,
    error: null,
    setQuery(patch) {
      set({ query: { ...get().query, ...patch } });
      refetch(true);
    },
    setScope(scope) {
      if (sameScope(scope, get().query.scope) && answeredVersion >= 0) return;
      // A new scope starts from an empty table: its rows are not the old scope's.
      answeredVersion = -1;
      set({ query: { ...get().query, scope }, pages: new Map(), matched: null, total: null });
      refetch(true);
    },
    toggleSort(key) {
      const q = get().query;
      get().setQuery(q.sort === key ? { desc: !q.desc } : { sort: key, desc: false });
    },
    reload() {
      refetch(false);
    },
    ensureRange(first, last) {
      const jump = Math.abs(first - lastRange[0]);
      if (jump > 0) movingUp = first < lastRange[0];
      lastRange = [first, last];
      clearTimeout(dragTimer);
      if (jump > DRAG_JUMP && get().matched !== null) {
        dragTimer = setTimeout(() => {
          dragTimer = undefined;
          pump();
        }, DRAG_SETTLE_MS);
        return;
      }
      dragTimer = undefined;
      pump();
    },
    rowAt(index) {
      return get().pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
    },
    reset() {
      answeredVersion = -1;
      inFlight.clear();
      clearTimeout(dragTimer);
      dragTimer = undefined;
      lastRange = [0, 40];
      set({ query: initialQuery(), pages: new Map(), matched: null, total: null, loading: true, error: null, version: get().version + 1 });
    },
  };
});

useNav.subscribe((state, prev) => {
  if (state.view.kind === 'secrets' && (prev.view.kind !== 'secrets' || !sameScope(state.view.scope, prev.view.scope))) {
    useSecrets.getState().setScope(state.view.scope);
  }
});

onSessionEnd(() => {
  useSecrets.getState().reset();
  useNav.getState().go({ kind: 'secrets', scope: { level: 'personal' } });
});
