import { Eye, EyeOff, LoaderCircle, RotateCcw, ShieldAlert } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FieldView, SecretDetail } from '../../../shared/schemas/secrets';
import { Countdown } from '../../components/Countdown';
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
import type { UseVerb } from './useDeletionGuard';

/** An older revision's values, shown for the vault's reveal time like the current ones, then dropped. */
interface Shown {
  revision: number;
  fields: FieldView[];
  until: number;
  total: number;
}

interface HistoryTabProps {
  detail: SecretDetail;
  readOnly: boolean;
  /** The panel's guard: showing a value is a use, which cancels a scheduled deletion (asked first). */
  guard: (verb: UseVerb, run: () => Promise<boolean>) => void;
  /** After a use: the panel's facts and the table follow (last used, status). */
  onUse: () => void;
}

/**
 * Revisions (who, when, which fields, whether a restore brought it back — never values until
 * asked), Show to read an older one's values before restoring it, and Restore.
 */
export function HistoryTab({ detail, readOnly, guard, onUse }: HistoryTabProps) {
  const { value: revisions, error } = useRequest('secrets.history', { id: detail.id }, detail.revision);
  const [restoring, setRestoring] = useState<number | null>(null);
  const [showing, setShowing] = useState<number | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const hideTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refreshDetail = useSelection((s) => s.refreshDetail);
  const reload = useSecrets((s) => s.reload);
  const refreshStatus = useSession((s) => s.refresh);

  const hide = useCallback(() => {
    if (hideTimer.current) clearTimeout(hideTimer.current);
    hideTimer.current = null;
    setShown(null);
  }, []);

  // Leaving the tab, closing the panel or locking unmounts this: the values go with it.
  useEffect(() => hide, [hide]);

  async function showValues(revision: number): Promise<boolean> {
    setShowing(revision);
    const r = await request('secrets.revealRevision', { id: detail.id, revision });
    setShowing(null);
    if (!r.ok) {
      toast.error(sentence(r.error.message));
      return false;
    }
    const total = r.value.hideAfterMs;
    if (hideTimer.current) clearTimeout(hideTimer.current);
    hideTimer.current = setTimeout(() => setShown(null), total);
    setShown({ revision, fields: r.value.fields, until: Date.now() + total, total });
    onUse();
    return true;
  }

  async function restore(revision: number) {
    setRestoring(revision);
    const r = await request('secrets.restore', { id: detail.id, revision });
    setRestoring(null);
    if (!r.ok) {
      toast.error(sentence(r.error.message));
      return;
    }
    hide();
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
            {!rev.current && !rev.tampered && (
              <span className="rev-actions">
                <button
                  type="button"
                  className="btn btn-sm"
                  onClick={() => (shown?.revision === rev.revision ? hide() : guard('Revealing', () => showValues(rev.revision)))}
                  disabled={showing !== null}
                  aria-pressed={shown?.revision === rev.revision}
                  aria-label={shown?.revision === rev.revision ? `Hide revision ${rev.revision}` : `Show revision ${rev.revision}`}
                  title={shown?.revision === rev.revision ? 'Hide its values now' : 'Show its values for a while, before restoring it (a recorded use)'}
                >
                  {showing === rev.revision ? (
                    <LoaderCircle size={14} className="spin" aria-hidden />
                  ) : shown?.revision === rev.revision ? (
                    <EyeOff size={14} aria-hidden />
                  ) : (
                    <Eye size={14} aria-hidden />
                  )}
                  {shown?.revision === rev.revision ? 'Hide' : 'Show'}
                </button>
                {!readOnly && (
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
              </span>
            )}
          </div>
          <span className="rev-meta">
            <span title={formatDateTime(rev.created)}>{relative(rev.created)}</span> ·{' '}
            {rev.author ?? (rev.authorUnverified ? <span title="No signature vouches for who wrote this revision">unverified author</span> : 'unknown member')}
          </span>
          <div className="rev-changes">
            {rev.restoredFrom !== undefined && (
              <span className="badge" data-testid="restored-from">
                <RotateCcw size={12} aria-hidden /> Restored from revision {rev.restoredFrom}
              </span>
            )}
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
          {shown?.revision === rev.revision && <RevisionValues shown={shown} />}
        </li>
      ))}
    </ol>
  );
}

function RevisionValues({ shown }: { shown: Shown }) {
  return (
    <div className="rev-values" data-testid="revision-values">
      <Countdown until={shown.until} total={shown.total} />
      <ul className="fields" aria-label={`Values of revision ${shown.revision}`}>
        {shown.fields.map((f) => (
          <li key={f.key} className="field-item">
            <span className="field-item-label">{f.label}</span>
            <span className="field-value" data-revealed={f.secret ? 'true' : undefined}>
              {f.value ?? ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
