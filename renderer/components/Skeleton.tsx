/** Skeleton bars (UI.md: skeletons, not spinners over blank pages); they appear only after 150 ms. */
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
