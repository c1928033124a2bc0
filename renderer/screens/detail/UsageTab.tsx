import { Activity } from 'lucide-react';
import type { SecretDetail } from '../../../shared/schemas/secrets';
import { ErrorNote } from '../../components/ErrorNote';
import { SkeletonLines } from '../../components/Skeleton';
import { formatDateTime, relative } from '../../lib/format';
import { useRequest } from '../../lib/useRequest';

/** Where used: each read of a value, by consumer and time, newest first (docs/product.md §2). */
export function UsageTab({ detail }: { detail: SecretDetail }) {
  const { value: usage, error } = useRequest('secrets.usage', { id: detail.id }, detail.lastUsed);

  if (error) return <ErrorNote message={error} />;
  if (!usage) return <SkeletonLines count={4} />;
  if (usage.entries.length === 0) {
    return (
      <div className="panel-empty">
        <Activity size={16} aria-hidden /> Not used yet. Every read of a value — Reveal, Copy, <code>coffer secret get</code>, a service
        credential — is recorded here with its time.
      </div>
    );
  }
  return (
    <>
      <p className="muted usage-summary">
        Last used {usage.lastUsed !== null ? <span title={formatDateTime(usage.lastUsed)}>{relative(usage.lastUsed)}</span> : 'never'}
      </p>
      <ul className="list-plain" aria-label="Uses, newest first">
        {usage.entries.map((u, i) => (
          <li key={`${u.at}-${i}`} className="usage-row" data-testid="usage-entry">
            <span className="consumer truncate" title={u.consumer}>
              {u.consumer}
            </span>
            <span className="muted nums" title={formatDateTime(u.at)}>
              {formatDateTime(u.at)}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
