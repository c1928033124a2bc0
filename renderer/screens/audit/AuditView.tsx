import { CheckCircle2, KeyRound, LoaderCircle, ScrollText, Search, SearchX, ShieldAlert, ShieldCheck, ShieldX } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { Input, Output } from '../../../shared/ipc';
import { Chip } from '../../components/Chip';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote } from '../../components/ErrorNote';
import { FieldError } from '../../components/Field';
import { SkeletonTableRows } from '../../components/Skeleton';
import { sentence } from '../../lib/errors';
import { formatCount, formatDateTime, relativeShort } from '../../lib/format';
import { request } from '../../state/request';
import { useSession } from '../../state/session';
import { openSecret } from '../review/open';
import { AuditExport } from './AuditExport';
import type { Category } from './actions';
import { ALARMING, CATEGORIES, UNAUTHENTICATED, actionLabel } from './actions';
import type { Column } from '../../components/TableHead';
import { TableHead } from '../../components/TableHead';

type Entry = Output<'audit.list'>[number];
type Query = Input<'audit.list'>;
type Verdict = Output<'audit.verify'>;

const PAGE = 200;
const SEARCH_DEBOUNCE_MS = 200;
const DAY = 86_400_000;

interface Filters {
  actor: string;
  category: Category;
  since: string;
  until: string;
  search: string;
}

const NO_FILTERS: Filters = { actor: '', category: 'all', since: '', until: '', search: '' };

/** A date input's `YYYY-MM-DD` as local midnight. */
function localMidnight(day: string): number | undefined {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, d).getTime();
}

/** The filters as the core's query: the listing and the export select the same entries. */
function queryOf(f: Filters): Query {
  const since = localMidnight(f.since);
  const untilDay = localMidnight(f.until);
  const actions = CATEGORIES.find((c) => c.id === f.category)?.prefixes ?? [];
  return {
    ...(f.actor ? { actor: f.actor } : {}),
    ...(actions.length > 0 ? { actions } : {}),
    ...(since !== undefined ? { since } : {}),
    // Until is inclusive: everything before the next day's midnight.
    ...(untilDay !== undefined ? { until: untilDay + DAY } : {}),
    ...(f.search.trim() ? { search: f.search.trim() } : {}),
  };
}

const AUDIT_COLUMNS: readonly Column[] = [
  { label: '#', className: 't-seq' },
  { label: 'When', className: 't-when' },
  { label: 'Actor', className: 't-actor' },
  { label: 'Action', className: 't-action' },
  { label: 'Target' },
];

/** docs/product.md §8: who did what to which id, and when; filters, and a check of the keyed chain. Entries written without a key are marked. */
export function AuditView() {
  const members = useSession((s) => s.status?.vault?.members ?? []);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [searchText, setSearchText] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  const { verdict, verifying, verify } = useVerify();
  const rangeError = filters.since && filters.until && filters.until < filters.since ? 'Until is before Since' : undefined;

  const update = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setLimit(PAGE);
  };

  useEffect(() => {
    if (searchText === filters.search) return;
    const t = setTimeout(() => update({ search: searchText }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [searchText, filters.search]);

  useEffect(() => {
    if (rangeError) return;
    let live = true;
    setLoading(true);
    void request('audit.list', { ...queryOf(filters), limit }).then((r) => {
      if (!live) return;
      setLoading(false);
      if (r.ok) {
        setEntries(r.value);
        setError(null);
      } else setError({ code: r.error.code, message: sentence(r.error.message) });
    });
    return () => {
      live = false;
    };
  }, [filters, limit, rangeError]);

  if (error?.code === 'FORBIDDEN') {
    return (
      <div className="page-fill">
        <EmptyState icon={<ShieldX size={22} />} title="The audit log is not open to your role">
          Account Holders, Sys Admins and Account Managers read it. Ask one of them if you need an entry.
        </EmptyState>
      </div>
    );
  }

  const actors = [...new Set([...members, 'scheduler'])];
  const filtered = JSON.stringify({ ...filters, search: filters.search.trim() }) !== JSON.stringify(NO_FILTERS);

  return (
    <section className="list-area" aria-label="Audit log">
      <div className="filters filters-form">
        <div className="filter-field">
          <label htmlFor="audit-actor">Actor</label>
          <select id="audit-actor" className="select" value={filters.actor} onChange={(e) => update({ actor: e.target.value })}>
            <option value="">Everyone</option>
            {actors.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-field">
          <label htmlFor="audit-since">Since</label>
          <input id="audit-since" type="date" className="input input-date" value={filters.since} onChange={(e) => update({ since: e.target.value })} />
        </div>
        <div className="filter-field">
          <label htmlFor="audit-until">Until</label>
          <input
            id="audit-until"
            type="date"
            className="input input-date"
            value={filters.until}
            onChange={(e) => update({ until: e.target.value })}
            aria-invalid={rangeError ? true : undefined}
            aria-describedby={rangeError ? 'audit-until-error' : undefined}
          />
        </div>
        <div className="filter-field filter-search">
          <label htmlFor="audit-search">Search</label>
          <div className="input-with-icon">
            <Search size={16} aria-hidden />
            <input
              id="audit-search"
              data-page-search
              type="search"
              className="input"
              placeholder="Actor, action, target or secret name"
              aria-keyshortcuts="/ Control+K"
              value={searchText}
              maxLength={256}
              onChange={(e) => setSearchText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape' && searchText) {
                  e.stopPropagation();
                  setSearchText('');
                }
              }}
            />
          </div>
        </div>
        <button type="button" className="btn verify-btn" onClick={() => void verify()} disabled={verifying} aria-busy={verifying || undefined}>
          {verifying ? <LoaderCircle size={16} className="spin" aria-hidden /> : <ShieldCheck size={16} aria-hidden />}
          Verify chain
        </button>
        {rangeError && (
          <div className="filters-error">
            <FieldError id="audit-until-error" error={rangeError} />
          </div>
        )}
      </div>
      <VerdictLine verdict={verdict} />
      <div className="filters">
        <div className="chip-group" role="group" aria-labelledby="audit-category-label">
          <span className="chip-group-label" id="audit-category-label">
            Action
          </span>
          {CATEGORIES.map((c) => (
            <Chip key={c.id} pressed={filters.category === c.id} onClick={() => update({ category: c.id })}>
              {c.label}
            </Chip>
          ))}
        </div>
        <div className="audit-tools">
          <p className="row-count" role="status">
            {entries === null ? '\u00a0' : entries.length >= limit ? `Newest ${formatCount(entries.length)}` : `${formatCount(entries.length)} entries`}
          </p>
          <AuditExport query={queryOf(filters)} disabled={rangeError !== undefined || entries === null || entries.length === 0} />
        </div>
      </div>
      {error && entries === null ? (
        <div className="page-fill">
          <EmptyState icon={<ShieldAlert size={22} />} title="The audit log could not be read">
            {error.message}
          </EmptyState>
        </div>
      ) : entries !== null && entries.length === 0 && !loading ? (
        <div className="page-fill">
          {filtered ? (
            <EmptyState
              icon={<SearchX size={22} />}
              title="No entries match"
              action={
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    setSearchText('');
                    update(NO_FILTERS);
                  }}
                >
                  Clear filters
                </button>
              }
            >
              Nothing in the log matches these filters. Widen the dates, pick another actor, or clear them.
            </EmptyState>
          ) : (
            <EmptyState icon={<ScrollText size={22} />} title="Nothing recorded yet">
              Every reveal, copy, edit, deletion and unlock is written here with who did it and when.
            </EmptyState>
          )}
        </div>
      ) : (
        <div className="table-scroll" role="region" aria-label="Audit entries" tabIndex={0}>
          {error && <ErrorNote message={error.message} />}
          <table className="table" aria-busy={loading || undefined} data-testid="audit-table">
            <caption className="visually-hidden">Audit log, newest first</caption>
            <TableHead columns={AUDIT_COLUMNS} />
            <tbody>
              {entries === null ? (
                <SkeletonTableRows columns={5} />
              ) : (
                entries.map((e) => (
                  <tr
                    key={e.seq}
                    data-testid="audit-entry"
                    // The whole row is the mouse's target; the keyboard's is the name's button in it.
                    className={e.targetPlace ? 'row-opens' : undefined}
                    onClick={e.targetPlace ? () => openEntrySecret(e) : undefined}
                  >
                    <td className="t-seq nums">{e.seq}</td>
                    <td className="t-when nums" title={`${formatDateTime(e.at)}, ${relativeShort(e.at)}`}>
                      <span>{formatDateTime(e.at)}</span> <span className="hint">{relativeShort(e.at)}</span>
                    </td>
                    <td className="t-actor">
                      <span className="truncate" title={e.actorName ? `${e.actorName} (${e.actor})` : e.actor}>
                        {e.actorName ?? e.actor}
                      </span>
                    </td>
                    <td className={`t-action${ALARMING.has(e.action) ? ' alarming' : ''}`} title={`${actionLabel(e.action)} · ${e.action}`}>
                      {actionLabel(e.action)}
                      {e.origin !== 'session' && (
                        <span className="unkeyed-mark" title={UNAUTHENTICATED[e.origin]} data-testid="audit-unkeyed">
                          <KeyRound size={14} aria-hidden />
                          <span className="visually-hidden">{UNAUTHENTICATED[e.origin]}</span>
                        </span>
                      )}
                    </td>
                    <td className="t-target">
                      <Target entry={e} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
          {entries !== null && entries.length >= limit && (
            <div className="table-more">
              <button type="button" className="btn btn-sm" onClick={() => setLimit((l) => Math.min(10_000, l + PAGE * 5))} disabled={loading}>
                Show older entries
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

type VerifyState = { ok: true; verdict: Verdict } | { ok: false; message: string } | null;

/** `audit.verify`: walks the hash chain and names the first entry that was altered, removed or moved. */
function useVerify() {
  const [verifying, setVerifying] = useState(false);
  const [verdict, setVerdict] = useState<VerifyState>(null);
  async function verify() {
    setVerifying(true);
    const r = await request('audit.verify', {});
    setVerifying(false);
    setVerdict(r.ok ? { ok: true, verdict: r.value } : { ok: false, message: sentence(r.error.message) });
  }
  return { verdict, verifying, verify };
}

function VerdictLine({ verdict }: { verdict: VerifyState }) {
  if (!verdict) return null;
  if (!verdict.ok) {
    return (
      <p className="verify-result broken" role="alert">
        <ShieldAlert size={16} aria-hidden />
        The chain could not be checked: {verdict.message}
      </p>
    );
  }
  const v = verdict.verdict;
  return v.ok ? (
    <p className="verify-result ok" role="status" data-testid="audit-verdict">
      <CheckCircle2 size={16} aria-hidden />
      Intact — {formatCount(v.entries)} {v.entries === 1 ? 'entry' : 'entries'}
      {v.unauthenticated > 0 && `, ${formatCount(v.unauthenticated)} of them written without a key (marked): the file's word, not a member's`}
    </p>
  ) : (
    <p className="verify-result broken" role="alert" data-testid="audit-verdict">
      <ShieldX size={16} aria-hidden />
      Broken at entry {v.brokenAt}: {v.reason}
    </p>
  );
}

/** Opens the entry's secret where the rest of the app shows it: its place's table, its detail panel. */
function openEntrySecret(e: Entry): void {
  if (e.targetPlace) openSecret({ id: e.target!, ...e.targetPlace });
}

/** A secret by the name the reader knows (its last known name once deleted), anything else as the log keeps it. */
function Target({ entry: e }: { entry: Entry }) {
  if (e.target === null) {
    return (
      <span className="cell-muted">
        <span aria-hidden>—</span>
        <span className="visually-hidden">No target</span>
      </span>
    );
  }
  if (e.targetName === undefined) {
    return (
      <span className="mono truncate" title={e.target}>
        {e.target}
      </span>
    );
  }
  if (e.targetDeleted) {
    return (
      <span className="truncate" title={`${e.targetName}, deleted (${e.target})`} data-testid="audit-target-deleted">
        {e.targetName} <span className="cell-muted">(deleted)</span>
      </span>
    );
  }
  if (!e.targetPlace) return <span className="truncate" title={`${e.targetName} (${e.target})`}>{e.targetName}</span>;
  return (
    <button
      type="button"
      className="link-btn truncate"
      title={`Open “${e.targetName}”`}
      onClick={(event) => {
        // The row opens it too; once is enough.
        event.stopPropagation();
        openEntrySecret(e);
      }}
    >
      {e.targetName}
    </button>
  );
}
