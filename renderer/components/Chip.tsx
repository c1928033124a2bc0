import type { ReactNode } from 'react';

/** A toggle chip of a filter group (one pressed at a time, chosen by the group). */
export function Chip({ pressed, onClick, children }: { pressed: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className="chip" aria-pressed={pressed} onClick={onClick}>
      {children}
    </button>
  );
}
