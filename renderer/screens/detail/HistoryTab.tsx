import { LoaderCircle, RotateCcw, ShieldAlert } from 'lucide-react';
import { useState } from 'react';
import type { SecretDetail } from '../../../shared/schemas/secrets';
import { ErrorNote } from '../../components/ErrorNote';
import { SkeletonLines } from '../../components/Skeleton';
import { sentence } from '../../lib/errors';
import { changedLabel } from '../../lib/fieldNames';
import { formatDateTime, relative } from '../../lib/format';
import { useRequest } from '../../lib/useRequest';
import { request } from '../../state/request';
import { useSecrets } from '../../state/secrets';
import { useSelection } from '../../state/selection';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';

/** Revisions (who, when, which fields — never values) and Restore for older ones. */
export function HistoryTab({ detail, readOnly }: { detail: SecretDetail; readOnly: boolean }) {
  const { value: revisions, error } = useRequest('secrets.history', { id: detail.id }, detail.revision);
  const [restoring, setRestoring] = useState<number | null>(null);
  const refreshDetail = useSelection((s) => s.refreshDetail);
  const reload = useSecrets((s) => s.reload);
  const refreshStatus = useSession((s) => s.refresh);

  async function restore(revision: number) {
    setRestoring(revision);
    const r = await request('secrets.restore', { id: detail.id, revision });
    setRestoring(null);
    if (!r.ok) {
      toast.error(sentence(r.error.message));
      return;
    }
    toast.success(`Revision ${revision} restored as revision ${r.value.revision}`);
    void refreshDetail();
    reload();
    void refreshStatus();
  }

  if (error) return <ErrorNote message={error} />;
  if (!revisions) return <SkeletonLines count={5} />;

  return (
    <ol className="list-plain" aria-label="Revisions, newest first">
      {revisions.map((rev) => (
        <li key={rev.revision} className="rev" data-testid="revision">
          <div className="rev-head">
            <span className="rev-title">
              Revision {rev.revision}
              {rev.current && <span className="badge">Current</span>}
              {rev.tampered && (
                <span className="badge badge-scheduled">
                  <ShieldAlert size={12} aria-hidden /> Tampered
                </span>
              )}
            </span>
            {!rev.current && !rev.tampered && !readOnly && (
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => void restore(rev.revision)}
                disabled={restoring !== null}
                aria-label={`Restore revision ${rev.revision}`}
                title="Make this revision current again, as a new revision"
              >
                {restoring === rev.revision ? <LoaderCircle size={14} className="spin" aria-hidden /> : <RotateCcw size={14} aria-hidden />}
                Restore
              </button>
            )}
          </div>
          <span className="rev-meta">
            <span title={formatDateTime(rev.created)}>{relative(rev.created)}</span> ·{' '}
            {rev.author ?? (rev.authorUnverified ? <span title="No signature vouches for who wrote this revision">unverified author</span> : 'unknown member')}
          </span>
          <div className="rev-changes">
            {rev.revision === 1 && rev.changed.length === 0 ? (
              <span className="muted">Registered</span>
            ) : rev.changed.length === 0 ? (
              <span className="muted">No field changes recorded</span>
            ) : (
              <>
                <span className="visually-hidden">Changed: </span>
                {rev.changed.map((c) => (
                  <span key={c} className="tag">
                    {changedLabel(c)}
                  </span>
                ))}
              </>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
