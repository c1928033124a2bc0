import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import type { ImportResult } from '../../../shared/schemas/bundles';
import { formatCount } from '../../lib/format';

/** A first guess at an entry's height (one line of --fs-sm and the gap); long reasons wrap and are measured. */
const ESTIMATED_HEIGHT = 24;
/** Room above the first entry and below the last, inside the box's frame. */
const EDGE = 6;

/**
 * What a foreign file's importer skipped, every entry of it: a long list scrolls in its own box,
 * only the entries in view rendered. Open from the start when short enough to read at a glance.
 */
export function SkippedList({ skipped }: { skipped: ImportResult['skipped'] }) {
  const [open, setOpen] = useState(skipped.length <= 10);
  return (
    <details className="import-skipped" data-testid="import-skipped" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        Skipped: {formatCount(skipped.length)} {skipped.length === 1 ? 'entry' : 'entries'} of the file
      </summary>
      {/* Mounted only when open: a closed box has no size to lay rows out in. */}
      {open && <SkippedEntries skipped={skipped} />}
    </details>
  );
}

function SkippedEntries({ skipped }: { skipped: ImportResult['skipped'] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: skipped.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_HEIGHT,
    overscan: 8,
    paddingStart: EDGE,
    paddingEnd: EDGE,
  });
  const visible = virtualizer.getVirtualItems();
  const before = visible[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (visible[visible.length - 1]?.end ?? 0);
  return (
    <div ref={scrollRef} className="import-skipped-scroll" tabIndex={0} aria-label="Skipped entries">
      <ul className="plain-list" style={{ paddingTop: before, paddingBottom: after }}>
        {visible.map((v) => {
          const s = skipped[v.index]!;
          return (
            <li key={v.key} ref={virtualizer.measureElement} data-index={v.index} aria-posinset={v.index + 1} aria-setsize={skipped.length}>
              <strong>{s.title || '(untitled)'}</strong> <span className="muted">({s.source})</span> — {s.reason}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
