import { Activity } from 'lucide-react';
import { USAGE_DOOR_LABELS, usageHowText } from '../../../shared/labels';
import type { SecretDetail, UsageEntry } from '../../../shared/schemas/secrets';
import { ErrorNote } from '../../components/ErrorNote';
import { SkeletonLines } from '../../components/Skeleton';
import { formatDateTime, relative } from '../../lib/format';
import { useRequest } from '../../lib/useRequest';

/** Where used: each read of a value, by who, door, how and time, newest first (docs/product.md §2). */
export function UsageTab({ detail }: { detail: SecretDetail }) {
  const { value: usage, error } = useRequest('secrets.usage', { id: detail.id }, detail.lastUsed);

  if (error) return <ErrorNote message={error} />;
  if (!usage) return <SkeletonLines count={4} />;
  if (usage.entries.length === 0) {
    return (
      <div className="panel-empty">
        <Activity size={16} aria-hidden /> Not used yet. Every read of a value — Reveal, Copy, <code>coffer secret get</code>, <code>coffer run</code>, a
        service credential or account over the REST API — is recorded here: who, from where, how and when.
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
            <UseLine use={u} />
            <span className="muted nums" title={formatDateTime(u.at)}>
              {formatDateTime(u.at)}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Who, then through which door and how; a record older than these shows the label it holds. */
function UseLine({ use }: { use: UsageEntry }) {
  if (use.who === null || use.door === null || use.how === null) {
    return (
      <span className="usage-use truncate" title={use.consumer}>
        <span className="consumer">{use.consumer}</span>
      </span>
    );
  }
  return (
    <span className="usage-use" title={use.consumer}>
      <span className="usage-who truncate">{use.who}</span>
      <span className="muted usage-how">
        {USAGE_DOOR_LABELS[use.door]} · {usageHowText(use.how, use.detail)}
      </span>
    </span>
  );
}
