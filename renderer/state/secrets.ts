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
const inFlight = new Set<string>();
let lastRange: [number, number] = [0, 40];

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
  async function fetchPage(version: number, page: number): Promise<void> {
    const key = `${version}:${page}`;
    if (inFlight.has(key)) return;
    inFlight.add(key);
    const query = get().query;
    const r = await request('secrets.list', toInput(query, page * PAGE_SIZE));
    inFlight.delete(key);
    if (get().version !== version) return;
    if (!r.ok) {
      set({ loading: false, error: r.error.message });
      return;
    }
    const fresh = answeredVersion !== version;
    answeredVersion = version;
    const pages = fresh ? new Map<number, SecretSummary[]>() : new Map(get().pages);
    pages.set(page, r.value.items);
    set({ pages, matched: r.value.matched, total: r.value.total, loading: false, error: null });
  }

  function refetch(resetScroll: boolean): void {
    const version = get().version + 1;
    set({ version, loading: true, error: null, ...(resetScroll ? { queryVersion: get().queryVersion + 1 } : {}) });
    if (resetScroll) lastRange = [0, 40];
    const [first, last] = lastRange;
    const pages = new Set([Math.floor(first / PAGE_SIZE), Math.floor(last / PAGE_SIZE)]);
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
      lastRange = [first, last];
      const { version, pages, matched } = get();
      if (matched === null && answeredVersion !== version) return;
      const fresh = answeredVersion === version;
      for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(Math.max(first, last) / PAGE_SIZE); p++) {
        if (matched !== null && p * PAGE_SIZE >= matched) break;
        if (fresh && pages.has(p)) continue;
        void fetchPage(version, p);
      }
    },
    rowAt(index) {
      return get().pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
    },
    reset() {
      answeredVersion = -1;
      inFlight.clear();
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
