/** Skeleton bars (docs/ui.md: skeletons, not spinners over blank pages); they appear only after 150 ms. */
export function SkeletonLines({ count = 4 }: { count?: number }) {
  const widths = ['w-60', 'w-80', 'w-50', 'w-70', 'w-40'];
  return (
    <div className="skeleton-stack delayed" aria-hidden>
      {Array.from({ length: count }, (_, i) => (
        <span key={i} className={`skeleton-bar ${widths[i % widths.length]}`} />
      ))}
    </div>
  );
}

/** Skeleton rows for a plain <table> while its first answer is on the way (shown after 150 ms). */
export function SkeletonTableRows({ columns, rows = 8 }: { columns: number; rows?: number }) {
  const widths = ['w-40', 'w-70', 'w-50', 'w-60', 'w-80'];
  return (
    <>
      {Array.from({ length: rows }, (_, r) => (
        <tr key={r} className="skeleton-row delayed" aria-hidden>
          {Array.from({ length: columns }, (_, c) => (
            <td key={c}>
              <span className={`skeleton-bar ${widths[(r + c) % widths.length]}`} />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}
