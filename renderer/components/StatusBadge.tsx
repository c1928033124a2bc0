import type { SecretStatus } from '../../shared/schemas/secrets';
import { STATUS_LABELS } from '../../shared/labels';
import { daysUntil, formatDate } from '../lib/format';

interface StatusBadgeProps {
  status: SecretStatus;
  /** When the secret will be purged (Inactive or Scheduled for deletion). */
  deletion?: number | null;
  /** The table's short form: "Scheduled · 20d", the full words for screen readers and the tooltip. */
  compact?: boolean;
}

/** Active neutral, Inactive amber, Scheduled for deletion red with the days left (docs/ui.md). */
export function StatusBadge({ status, deletion = null, compact }: StatusBadgeProps) {
  const days = deletion !== null ? Math.max(0, daysUntil(deletion)) : null;
  const left = days === null ? '' : days === 0 ? 'purged today' : `${days} day${days === 1 ? '' : 's'} left`;
  const title = deletion !== null ? `${STATUS_LABELS[status]} — purged on ${formatDate(deletion)} (${left})` : STATUS_LABELS[status];
  if (compact) {
    if (status !== 'scheduled') {
      return (
        <span className={`badge badge-${status}`} title={title}>
          {STATUS_LABELS[status]}
        </span>
      );
    }
    return (
      <span className="badge badge-scheduled" title={title}>
        <span aria-hidden>Scheduled{days !== null ? ` · ${days}d` : ''}</span>
        <span className="visually-hidden">
          {STATUS_LABELS.scheduled}
          {left ? `, ${left}` : ''}
        </span>
      </span>
    );
  }
  return (
    <span className="status-with-note">
      <span className={`badge badge-${status}`} title={title}>
        {STATUS_LABELS[status]}
      </span>
      {days !== null && status !== 'active' && <span className="badge-note">{left}</span>}
    </span>
  );
}
