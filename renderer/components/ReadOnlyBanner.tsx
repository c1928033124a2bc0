import { Eye } from 'lucide-react';

/**
 * Shown on every screen of a read-only vault (docs/ui.md "Read-only review"): what the mode promises,
 * including that a reveal, which would otherwise record a use, records nothing.
 */
export function ReadOnlyBanner({ inline }: { inline?: boolean }) {
  return (
    <div className={inline ? 'banner banner-inline banner-info' : 'banner banner-info'} role="note" data-testid="read-only-banner">
      <Eye size={16} aria-hidden />
      <span>
        <strong>Read-only review</strong> — nothing is written to this vault. Revealing a value records no use.
      </span>
    </div>
  );
}
