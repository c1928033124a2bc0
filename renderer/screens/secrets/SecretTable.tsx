import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ChevronsUpDown, Inbox, Plus, Search, SearchX, ShieldAlert } from 'lucide-react';
import { memo, useEffect, useRef } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import type { SecretSummary, SortKey } from '../../../shared/schemas/secrets';
import { TYPE_LABELS } from '../../../shared/schemas/secrets';
import { availabilityLabel, shownName, tamperedTitle } from '../../../shared/labels';
import { EmptyState } from '../../components/EmptyState';
import { StatusBadge } from '../../components/StatusBadge';
import { expiryHint, formatDate, formatDateTime, formatDay, relativeShort } from '../../lib/format';
import { hasModifier } from '../../lib/keys';
import { PAGE_SIZE, useSecrets } from '../../state/secrets';
import { useSelection } from '../../state/selection';
import { useSession } from '../../state/session';
import { useUi } from '../../state/ui';
import { useSearchReach } from '../../state/vault-search';

/** Must match --row-h in styles.css: every row, and the header, is this tall. */
export const ROW_HEIGHT = 36;

interface Column {
  key: SortKey;
  label: string;
  /** Class that hides the column when the list is narrow (styles.css container queries). */
  className: string;
}

const COLUMNS: Column[] = [
  { key: 'name', label: 'Secret name', className: 'c-name' },
  { key: 'type', label: 'Credential Type', className: 'c-type' },
  { key: 'availability', label: 'Availability', className: 'c-avail' },
  { key: 'created', label: 'Creation Date', className: 'c-created' },
  { key: 'expires', label: 'Expiration Date', className: 'c-expires' },
  { key: 'status', label: 'Secret Status', className: 'c-status' },
  { key: 'lastUsed', label: 'Last used', className: 'c-used' },
];

const SKELETON_WIDTHS = ['w-70', 'w-60', 'w-50', 'w-60', 'w-50', 'w-40', 'w-50'];

/**
 * The secret table: a virtualized ARIA grid of fixed-height rows, pages fetched as it scrolls,
 * sortable headers, arrow keys to move, Enter to open (docs/ui.md "The secret table").
 */
export function SecretTable() {
  const matched = useSecrets((s) => s.matched);
  const pages = useSecrets((s) => s.pages);
  const version = useSecrets((s) => s.version);
  const queryVersion = useSecrets((s) => s.queryVersion);
  const loading = useSecrets((s) => s.loading);
  const error = useSecrets((s) => s.error);
  const query = useSecrets((s) => s.query);
  const toggleSort = useSecrets((s) => s.toggleSort);
  const ensureRange = useSecrets((s) => s.ensureRange);
  const setQuery = useSecrets((s) => s.setQuery);
  const reload = useSecrets((s) => s.reload);
  const activeIndex = useSelection((s) => s.activeIndex);
  const openId = useSelection((s) => s.openId);
  const readOnly = useSession((s) => s.status?.vault?.readOnly ?? false);
  const unreadable = useSession((s) => s.status?.integrity.unreadable?.some((u) => u.secrets > 0) ?? false);
  const setRegisterOpen = useUi((s) => s.setRegisterOpen);
  const gridRef = useRef<HTMLDivElement>(null);

  // Before the first answer, a screenful of skeleton rows (shown only after 150 ms, by CSS).
  const count = matched ?? 12;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => gridRef.current,
    estimateSize: () => ROW_HEIGHT,
    // Rows rendered beyond each edge: enough for a wheel step (120 px) between renders.
    overscan: 5,
    scrollMargin: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (matched !== null) ensureRange(first, last);
  }, [first, last, version, matched, ensureRange]);

  // A new query starts at the top with no cursor.
  useEffect(() => {
    if (gridRef.current) gridRef.current.scrollTop = 0;
    useSelection.getState().setActive(null, null);
  }, [queryVersion]);

  const rowAt = (index: number): SecretSummary | undefined => pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];

  function moveTo(index: number) {
    if (matched === null || matched === 0) return;
    const i = Math.max(0, Math.min(matched - 1, index));
    useSelection.getState().setActive(i, rowAt(i)?.id ?? null);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.target !== e.currentTarget) return;
    const page = Math.max(1, Math.floor((gridRef.current?.clientHeight ?? 360) / ROW_HEIGHT) - 2);
    const current = activeIndex ?? -1;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        moveTo(current + 1);
        return;
      case 'ArrowUp':
        e.preventDefault();
        moveTo(current < 0 ? 0 : current - 1);
        return;
      case 'PageDown':
        e.preventDefault();
        moveTo(current + page);
        return;
      case 'PageUp':
        e.preventDefault();
        moveTo(current - page);
        return;
      case 'Home':
        e.preventDefault();
        moveTo(0);
        return;
      case 'End':
        e.preventDefault();
        moveTo((matched ?? 1) - 1);
        return;
      case 'Enter':
      case ' ': {
        if (activeIndex === null) return;
        const row = rowAt(activeIndex);
        if (row) {
          e.preventDefault();
          useSelection.getState().open(row.id, activeIndex);
        }
        return;
      }
    }
    if (!hasModifier(e) && openId) {
      const kind = ({ r: 'reveal', c: 'copy', e: 'edit' } as const)[e.key as 'r' | 'c' | 'e'];
      if (kind) {
        e.preventDefault();
        useSelection.getState().requestAction(kind);
      }
    }
  }

  // One handler for all rows (rows stay memoized: no closure per row per render).
  function onRowClick(e: MouseEvent<HTMLDivElement>) {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-testid="secret-row"]');
    const id = el?.dataset.secretId;
    if (!el || !id) return;
    gridRef.current?.focus({ preventScroll: true });
    useSelection.getState().open(id, Number(el.dataset.index));
  }

  if (error && matched === null) {
    return (
      <EmptyState icon={<ShieldAlert size={22} />} title="The list could not be loaded" action={<button type="button" className="btn" onClick={reload}>Try again</button>}>
        {error}
      </EmptyState>
    );
  }

  if (matched === 0 && !loading) {
    const filtered = query.type !== null || query.status !== null || query.search.trim() !== '';
    return filtered ? (
      <EmptyState
        icon={<SearchX size={22} />}
        title="No secrets match"
        action={
          <div className="empty-actions">
            {query.search.trim() && (
              <button type="button" className="btn btn-primary" onClick={() => useSearchReach.getState().setWholeVault(true)}>
                <Search size={16} aria-hidden />
                Search the whole vault
              </button>
            )}
            <button type="button" className="btn" onClick={() => setQuery({ type: null, status: null, search: '' })}>
              Clear search and filters
            </button>
          </div>
        }
      >
        {query.search.trim()
          ? `Nothing here matches “${query.search.trim()}”. Search the whole vault, try another name, or clear the filters.`
          : 'Nothing here matches these filters. Try another name, or clear the filters.'}
      </EmptyState>
    ) : unreadable ? (
      // A key that does not open empties a view as surely as having no secrets: say which it is.
      <EmptyState icon={<Inbox size={22} />} title="No secret here that you can read">
        Some secrets of this vault cannot be read: the banner above names each key that does not open and how many secrets are behind it.
      </EmptyState>
    ) : (
      <EmptyState
        icon={<Inbox size={22} />}
        title="No secrets here yet — Register secret"
        action={
          !readOnly && (
            <button type="button" className="btn btn-primary" onClick={() => setRegisterOpen(true)}>
              <Plus size={16} aria-hidden />
              Register secret
            </button>
          )
        }
      >
        Register an API key, a token, client credentials, a certificate or key/value pairs. Values are encrypted before they are written.
      </EmptyState>
    );
  }

  const activeVisible = activeIndex !== null && rowAt(activeIndex) !== undefined && items.some((v) => v.index === activeIndex);

  return (
    <div
      ref={gridRef}
      id="secret-grid"
      className="grid"
      role="grid"
      aria-label="Secrets"
      aria-rowcount={(matched ?? 0) + 1}
      aria-colcount={COLUMNS.length}
      aria-busy={loading || undefined}
      aria-activedescendant={activeVisible ? `secret-row-${activeIndex}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        // Keyboard focus lands on the first row in view; nothing scrolls (a click then picks its own row).
        if (e.target !== e.currentTarget || activeIndex !== null || !matched) return;
        const first = Math.min(matched - 1, Math.max(0, Math.ceil((e.currentTarget.scrollTop - 1) / ROW_HEIGHT)));
        useSelection.getState().setActive(first, rowAt(first)?.id ?? null);
      }}
    >
      <GridHead sort={query.sort} desc={query.desc} onSort={toggleSort} />
      <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }} onClick={onRowClick}>
        {items.map((item) => {
          const row = matched === null ? undefined : rowAt(item.index);
          const top = item.start - ROW_HEIGHT;
          if (!row) return <SkeletonRow key={`s${item.index}`} index={item.index} top={top} delayed={matched === null} />;
          return <Row key={row.id} row={row} index={item.index} active={item.index === activeIndex} open={row.id === openId} top={top} />;
        })}
      </div>
    </div>
  );
}

const GridHead = memo(function GridHead({ sort, desc, onSort }: { sort: SortKey; desc: boolean; onSort: (key: SortKey) => void }) {
  return (
    <div role="rowgroup" className="grid-head-group">
      <div role="row" aria-rowindex={1} className="grid-head grid-cols">
        {COLUMNS.map((c) => {
          const active = sort === c.key;
          const ariaSort = active ? (desc ? 'descending' : 'ascending') : 'none';
          const Arrow = !active ? ChevronsUpDown : desc ? ArrowDown : ArrowUp;
          return (
            <div key={c.key} role="columnheader" aria-sort={ariaSort} className={c.className}>
              <button type="button" className="sort-btn" data-active={active} onClick={() => onSort(c.key)} title={`Sort by ${c.label}`}>
                <span className="truncate">{c.label}</span>
                <Arrow size={14} className={active ? 'sort-arrow' : 'sort-arrow idle'} aria-hidden />
              </button>
            </div>
          );
        })}
      </div>
    </div>
  );
});

/**
 * A row whose page is not fetched yet. Static bars: a drag across the table shows a screenful of
 * new ones every frame, and a shimmer on each bar made every frame start hundreds of animations.
 * Only the first load's skeleton (`delayed`, shown after 150 ms) shimmers.
 */
const SkeletonRow = memo(function SkeletonRow({ index, top, delayed }: { index: number; top: number; delayed: boolean }) {
  // One bar per column, placed by the row's grid itself (no cell wrappers: half the elements).
  return (
    <div role="row" aria-hidden className={`grid-row grid-cols skeleton-row${delayed ? ' delayed' : ''}`} style={{ transform: `translateY(${top}px)` }}>
      {COLUMNS.map((c, i) => (
        <span key={c.key} className={`skeleton-bar ${c.className} ${SKELETON_WIDTHS[(i + index) % SKELETON_WIDTHS.length]}`} />
      ))}
    </div>
  );
});

interface RowProps {
  row: SecretSummary;
  index: number;
  active: boolean;
  open: boolean;
  /** Offset in the body, px. */
  top: number;
}

/**
 * The texts of a row, worked out once per fetched row (and again each minute, for the relative
 * hints) rather than on every render of a scroll.
 */
interface RowText {
  minute: number;
  name: string;
  availability: string;
  created: string;
  createdTitle: string;
  expires: string | null;
  hint: { text: string; tone: string; title: string | undefined } | null;
  lastUsed: string | null;
  lastUsedTitle: string | null;
}

const rowTexts = new WeakMap<SecretSummary, RowText>();

function textOf(row: SecretSummary): RowText {
  const now = Date.now();
  const minute = Math.floor(now / 60_000);
  const cached = rowTexts.get(row);
  if (cached && cached.minute === minute) return cached;
  const short = row.expires !== null ? expiryHint(row.expires, now, true) : null;
  const text: RowText = {
    minute,
    name: shownName(row),
    availability: availabilityLabel(row),
    created: formatDate(row.created),
    createdTitle: formatDateTime(row.created),
    expires: row.expires === null ? null : formatDay(row.expires),
    hint: short && row.expires !== null ? { text: short.text, tone: short.tone, title: expiryHint(row.expires, now)?.text } : null,
    lastUsed: row.lastUsed === null ? null : relativeShort(row.lastUsed, now),
    lastUsedTitle: row.lastUsed === null ? null : formatDateTime(row.lastUsed),
  };
  rowTexts.set(row, text);
  return text;
}

/** One secret. Memoized: a scroll re-renders only the rows that came into view. */
const Row = memo(function Row({ row, index, active, open, top }: RowProps) {
  const t = textOf(row);
  const { hint, name, availability } = t;
  return (
    <div
      id={`secret-row-${index}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={active}
      className={`grid-row grid-cols${active ? ' is-active' : ''}${open ? ' is-open' : ''}`}
      data-testid="secret-row"
      data-secret-id={row.id}
      data-index={index}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="gridcell" className="cell cell-name c-name">
        {row.tampered && <ShieldAlert size={14} className="tamper" aria-hidden />}
        <span className="truncate" title={row.tampered ? `${name}: ${tamperedTitle(row)}` : name}>
          {name}
        </span>
      </div>
      <div role="gridcell" className="cell c-type">
        <span className="truncate" title={TYPE_LABELS[row.type]}>
          {TYPE_LABELS[row.type]}
        </span>
      </div>
      <div role="gridcell" className="cell c-avail">
        <span className="truncate" title={availability}>
          {availability}
        </span>
      </div>
      <div role="gridcell" className="cell c-created nums">
        <span title={t.createdTitle}>{t.created}</span>
      </div>
      <div role="gridcell" className="cell c-expires nums">
        {t.expires === null ? (
          <span className="cell-muted">
            <span aria-hidden>—</span>
            <span className="visually-hidden">No expiration</span>
          </span>
        ) : (
          <>
            <span>{t.expires}</span>
            {hint && (
              <span className={`hint ${hint.tone}`} title={hint.title}>
                {hint.text}
              </span>
            )}
          </>
        )}
      </div>
      <div role="gridcell" className="cell c-status">
        <StatusBadge status={row.status} deletion={row.deletion} compact />
      </div>
      <div role="gridcell" className="cell c-used">
        {t.lastUsed === null ? (
          <span className="cell-muted">Never</span>
        ) : (
          <span className="truncate" title={t.lastUsedTitle ?? undefined}>
            {t.lastUsed}
          </span>
        )}
      </div>
    </div>
  );
});
