import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ChevronsUpDown, Inbox, Plus, SearchX, ShieldAlert } from 'lucide-react';
import { useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { SecretSummary, SortKey } from '../../../shared/schemas/secrets';
import { TYPE_LABELS } from '../../../shared/schemas/secrets';
import { availabilityLabel } from '../../../shared/labels';
import { EmptyState } from '../../components/EmptyState';
import { StatusBadge } from '../../components/StatusBadge';
import { expiryHint, formatDate, formatDateTime, formatDay, relativeShort } from '../../lib/format';
import { hasModifier } from '../../lib/keys';
import { PAGE_SIZE, useSecrets } from '../../state/secrets';
import { useSelection } from '../../state/selection';
import { useSession } from '../../state/session';
import { useUi } from '../../state/ui';

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
 * sortable headers, arrow keys to move, Enter to open (UI.md "The secret table").
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
  const setRegisterOpen = useUi((s) => s.setRegisterOpen);
  const gridRef = useRef<HTMLDivElement>(null);

  // Before the first answer, a screenful of skeleton rows (shown only after 150 ms, by CSS).
  const count = matched ?? 12;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => gridRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
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
          <button type="button" className="btn" onClick={() => setQuery({ type: null, status: null, search: '' })}>
            Clear search and filters
          </button>
        }
      >
        Nothing here matches {query.search.trim() ? `“${query.search.trim()}”` : 'these filters'}. Try another name, or clear the filters.
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
      <div role="rowgroup" className="grid-head-group">
        <div role="row" aria-rowindex={1} className="grid-head grid-cols">
          {COLUMNS.map((c) => {
            const active = query.sort === c.key;
            const sort = active ? (query.desc ? 'descending' : 'ascending') : 'none';
            const Arrow = !active ? ChevronsUpDown : query.desc ? ArrowDown : ArrowUp;
            return (
              <div key={c.key} role="columnheader" aria-sort={sort} className={c.className}>
                <button type="button" className="sort-btn" data-active={active} onClick={() => toggleSort(c.key)} title={`Sort by ${c.label}`}>
                  <span className="truncate">{c.label}</span>
                  <Arrow size={14} className={active ? 'sort-arrow' : 'sort-arrow idle'} aria-hidden />
                </button>
              </div>
            );
          })}
        </div>
      </div>
      <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = matched === null ? undefined : rowAt(item.index);
          const offset = { transform: `translateY(${item.start - ROW_HEIGHT}px)` };
          if (!row) {
            return (
              <div
                key={`s${item.index}`}
                role="row"
                aria-hidden
                className={`grid-row grid-cols skeleton-row${matched === null ? ' delayed' : ''}`}
                style={offset}
              >
                {COLUMNS.map((c, i) => (
                  <div key={c.key} role="gridcell" className={`cell ${c.className}`}>
                    <span className={`skeleton-bar ${SKELETON_WIDTHS[(i + item.index) % SKELETON_WIDTHS.length]}`} />
                  </div>
                ))}
              </div>
            );
          }
          const isActive = item.index === activeIndex;
          return (
            <Row
              key={row.id}
              row={row}
              index={item.index}
              active={isActive}
              open={row.id === openId}
              style={offset}
              onSelect={() => {
                gridRef.current?.focus({ preventScroll: true });
                useSelection.getState().open(row.id, item.index);
              }}
            />
          );
        })}
      </div>
    </div>
  );
}

interface RowProps {
  row: SecretSummary;
  index: number;
  active: boolean;
  open: boolean;
  style: { transform: string };
  onSelect: () => void;
}

function Row({ row, index, active, open, style, onSelect }: RowProps) {
  const hint = row.expires !== null ? expiryHint(row.expires, Date.now(), true) : null;
  const longHint = row.expires !== null ? expiryHint(row.expires) : null;
  const availability = availabilityLabel(row);
  const name = row.tampered ? 'Name could not be verified' : row.name;
  return (
    <div
      id={`secret-row-${index}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={active}
      className={`grid-row grid-cols${active ? ' is-active' : ''}${open ? ' is-open' : ''}`}
      data-testid="secret-row"
      data-secret-id={row.id}
      style={style}
      onClick={onSelect}
    >
      <div role="gridcell" className="cell cell-name c-name">
        {row.tampered && <ShieldAlert size={14} className="tamper" aria-hidden />}
        <span className="truncate" title={name}>
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
        <span title={formatDateTime(row.created)}>{formatDate(row.created)}</span>
      </div>
      <div role="gridcell" className="cell c-expires nums">
        {row.expires === null ? (
          <span className="cell-muted">
            <span aria-hidden>—</span>
            <span className="visually-hidden">No expiration</span>
          </span>
        ) : (
          <>
            <span>{formatDay(row.expires)}</span>
            {hint && (
              <span className={`hint ${hint.tone}`} title={longHint?.text}>
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
        {row.lastUsed === null ? (
          <span className="cell-muted">Never</span>
        ) : (
          <span className="truncate" title={formatDateTime(row.lastUsed)}>
            {relativeShort(row.lastUsed)}
          </span>
        )}
      </div>
    </div>
  );
}
