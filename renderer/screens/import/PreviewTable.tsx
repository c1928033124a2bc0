import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef } from 'react';
import type { ImportItemView, ImportStatus, ImportStrategy } from '../../../shared/schemas/bundles';
import { TYPE_LABELS } from '../../../shared/schemas/secrets';
import type { SecretType } from '../../../shared/schemas/secrets';
import { formatDateTime } from '../../lib/format';
import { placeOf } from './place';
import type { Column } from '../../components/TableHead';
import { TableHead } from '../../components/TableHead';

const STRATEGY_LABELS: Record<ImportStrategy, string> = { mine: 'Keep mine', theirs: 'Take theirs', both: 'Keep both' };

const STATUS_LABELS: Record<ImportStatus, string> = { added: 'New', changed: 'Changed', conflicting: 'Conflict', unchanged: 'Unchanged' };

const STATUS_HINTS: Record<ImportStatus, string> = {
  added: 'Not in this vault yet: it is added',
  changed: 'Differs, and theirs is newer than yours',
  conflicting: 'Differs, and yours changed after theirs (or the types differ)',
  unchanged: 'The same on both sides: nothing to do',
};

/** Must match styles.css: the header and a one-line row are --row-h tall, a row with both dates .import-table's two-line height. */
const ROW_HEIGHT = 36;
const TWO_LINE_ROW_HEIGHT = 44;
const COLUMN_COUNT = 6;

const typeLabel = (t: string) => TYPE_LABELS[t as SecretType] ?? t;

/** On both sides and not the same: the items with dates to compare and a choice to make. */
export const differs = (it: ImportItemView) => it.status === 'changed' || it.status === 'conflicting';

interface Props {
  items: readonly ImportItemView[];
  /** Indexes into `items` of the rows to show, in order: choices stay keyed by the item's index whatever the filter. */
  rows: readonly number[];
  strategy: ImportStrategy;
  perItem: ReadonlyMap<number, ImportStrategy>;
  disabled: boolean;
  onItem: (index: number, s: ImportStrategy) => void;
}

const PREVIEW_COLUMNS: readonly Column[] = [
  { label: 'Name' },
  { label: 'Type', className: 't-type' },
  { label: 'Place', className: 't-place' },
  { label: 'Status', className: 't-status' },
  { label: 'Last changed', className: 't-dates' },
  { label: 'Choice', className: 't-choice' },
];

/**
 * Every item of the preview in a real table, only the rows in view rendered: a 100,000-entry file
 * stays as quick to scroll as a short one. Spacer rows above and below stand for the rest, so the
 * rows keep the header's columns (one table, one layout) and the scroll bar its true length.
 */
export function PreviewTable({ items, rows, strategy, perItem, disabled, onItem }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // Stable per list: the virtualizer lays all rows out again only when the key function changes.
  const keyOf = useCallback((row: number) => rows[row]!, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    getItemKey: keyOf,
    estimateSize: (row) => (differs(items[rows[row]!]!) ? TWO_LINE_ROW_HEIGHT : ROW_HEIGHT),
    overscan: 8,
    // The sticky header sits above the first row, in the same scroll box.
    scrollMargin: ROW_HEIGHT,
  });

  // Another filter is another list: it starts at its top.
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [rows]);

  const visible = virtualizer.getVirtualItems();
  const before = (visible[0]?.start ?? ROW_HEIGHT) - ROW_HEIGHT;
  const after = virtualizer.getTotalSize() - ((visible[visible.length - 1]?.end ?? ROW_HEIGHT) - ROW_HEIGHT);

  return (
    <div ref={scrollRef} className="table-scroll import-table-scroll" tabIndex={0} aria-label="Secrets in the file">
      <table className="table import-table" data-testid="import-preview-table" aria-rowcount={rows.length + 1}>
        <TableHead columns={PREVIEW_COLUMNS} rowIndex={1} />
        <tbody>
          {before > 0 && <Spacer height={before} />}
          {visible.map((v) => {
            const index = rows[v.index]!;
            return (
              <ItemRow
                key={index}
                item={items[index]!}
                index={index}
                rowIndex={v.index + 2}
                choice={perItem.get(index) ?? strategy}
                disabled={disabled}
                onItem={onItem}
              />
            );
          })}
          {after > 0 && <Spacer height={after} />}
        </tbody>
      </table>
    </div>
  );
}

/** The height of the rows out of view; hidden from assistive technology, which counts rows by aria-rowcount. */
function Spacer({ height }: { height: number }) {
  return (
    <tr className="virtual-spacer" aria-hidden>
      <td colSpan={COLUMN_COUNT} style={{ height }} />
    </tr>
  );
}

interface RowProps {
  item: ImportItemView;
  /** The item's index in the result: what its choice is keyed by. */
  index: number;
  /** Its row's position in the table as shown (aria-rowindex: the header is 1). */
  rowIndex: number;
  choice: ImportStrategy;
  disabled: boolean;
  onItem: (index: number, s: ImportStrategy) => void;
}

const ItemRow = memo(function ItemRow({ item: it, index, rowIndex, choice, disabled, onItem }: RowProps) {
  const twoSided = differs(it);
  return (
    <tr data-status={it.status} aria-rowindex={rowIndex}>
      <td title={it.renamedFrom ? `${it.name} (the file’s “${it.renamedFrom}”, renamed: that name was taken)` : it.name}>
        <span className="truncate">{it.name}</span>
      </td>
      <td className="t-type">{typeLabel(it.type)}</td>
      <td className="t-place">
        <span className="truncate">{placeOf(it)}</span>
      </td>
      <td className="t-status">
        <span className={`badge import-status is-${it.status}`} title={STATUS_HINTS[it.status]}>
          {STATUS_LABELS[it.status]}
        </span>
      </td>
      <td className="t-dates">
        {twoSided ? (
          <span className="import-dates">
            <span>
              <span className="muted">Yours </span>
              {it.ours ? formatDateTime(it.ours) : '—'}
            </span>
            <span>
              <span className="muted">Theirs </span>
              {it.theirs ? formatDateTime(it.theirs) : 'not in the file'}
            </span>
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="t-choice">
        {twoSided ? (
          <select className="input input-compact" aria-label={`Choice for ${it.name}`} value={choice} disabled={disabled} onChange={(e) => onItem(index, e.target.value as ImportStrategy)}>
            {(['mine', 'theirs', 'both'] as const).map((s) => (
              <option key={s} value={s}>
                {STRATEGY_LABELS[s]}
              </option>
            ))}
          </select>
        ) : (
          <span className="muted">{it.status === 'added' ? 'Add' : 'Nothing to do'}</span>
        )}
      </td>
    </tr>
  );
});
