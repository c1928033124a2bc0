import { useRef } from 'react';
import type { KeyboardEvent } from 'react';

interface PageTabsProps<T extends string> {
  label: string;
  tabs: readonly { id: T; label: string }[];
  current: T;
  onChange: (id: T) => void;
}

/**
 * A page's tabs (WAI-ARIA tabs: arrows, Home, End move and select). The panel the page renders
 * carries id `page-panel-<id>` and aria-labelledby `page-tab-<id>`.
 */
export function PageTabs<T extends string>({ label, tabs, current, onChange }: PageTabsProps<T>) {
  const refs = useRef(new Map<T, HTMLButtonElement>());

  function onKey(e: KeyboardEvent<HTMLButtonElement>, index: number) {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!delta && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : (index + delta + tabs.length) % tabs.length;
    const id = tabs[next]!.id;
    onChange(id);
    refs.current.get(id)?.focus();
  }

  return (
    <div className="tabs page-tabs" role="tablist" aria-label={label}>
      {tabs.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            if (el) refs.current.set(t.id, el);
          }}
          type="button"
          role="tab"
          id={`page-tab-${t.id}`}
          className="tab"
          aria-selected={current === t.id}
          aria-controls={`page-panel-${t.id}`}
          tabIndex={current === t.id ? 0 : -1}
          onClick={() => onChange(t.id)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
