import { BellOff, CalendarClock, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { Notice } from '../../../shared/schemas/lifecycle';
import { noticeText } from '../../../shared/schemas/lifecycle';
import { Dialog } from '../../components/Dialog';
import { SkeletonLines } from '../../components/Skeleton';
import { sentence } from '../../lib/errors';
import { formatDate, formatDateTime, relative } from '../../lib/format';
import { request } from '../../state/request';
import { useSelection } from '../../state/selection';
import { useReadOnly, useSession } from '../../state/session';
import { openSecret } from '../review/open';
import { toast } from '../../state/toasts';

/** The notification centre (docs/product.md §4): deletion and expiration notices, newest first, with unread marks; opening or dismissing one reads it. */
export function NoticesDialog({ onClose }: { onClose: () => void }) {
  const [notices, setNotices] = useState<Notice[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refreshStatus = useSession((s) => s.refresh);
  const open = useSelection((s) => s.open);
  const readOnly = useReadOnly();

  useEffect(() => {
    void request('notices.list', { all: true }).then((r) => {
      if (r.ok) setNotices([...r.value].sort((a, b) => b.createdAt - a.createdAt));
      else setError(sentence(r.error.message));
    });
  }, []);

  /** Marks the given notices (all when none are given) read, here and in the sidebar's unread count. */
  async function markRead(ids?: number[]): Promise<boolean> {
    const r = await request('notices.markRead', ids ? { ids } : {});
    if (!r.ok) {
      toast.error(sentence(r.error.message));
      return false;
    }
    setNotices((list) => list?.map((n) => (!ids || ids.includes(n.id) ? { ...n, read: true } : n)) ?? null);
    void refreshStatus();
    return true;
  }

  /** Opening a notice reads it (but in a read-only review, which marks nothing): its secret opens in its own table, with its detail. */
  async function openNotice(n: Notice) {
    if (!n.read && !readOnly) await markRead([n.id]);
    if (n.level) openSecret({ id: n.secretId, level: n.level, workspace: n.workspace });
    else open(n.secretId);
    onClose();
  }

  const unread = notices?.filter((n) => !n.read).length ?? 0;
  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title="Notices"
      description="Reminders before a secret expires (30, 7 and 1 days) and before it is deleted (15, 10 and 1 days)."
      footer={
        <>
          {!readOnly && (
            <button type="button" className="btn" onClick={() => void markRead()} disabled={unread === 0}>
              Dismiss all
            </button>
          )}
          <button type="button" className="btn btn-primary" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      {error && <p className="form-error">{error}</p>}
      {!error && !notices && <SkeletonLines count={4} />}
      {notices && notices.length === 0 && (
        <div className="panel-empty">
          <BellOff size={16} aria-hidden /> No notices yet. Coffer tells you here before a secret expires or is deleted.
        </div>
      )}
      {notices && notices.length > 0 && (
        <ul className="list-plain notices" aria-label="Notices, newest first">
          {notices.map((n) => (
            <li key={n.id} className={n.read ? 'notice' : 'notice unread'} data-testid="notice">
              {n.kind === 'deletion' ? <Trash2 size={16} aria-hidden /> : <CalendarClock size={16} aria-hidden />}
              <div className="notice-body">
                <span>
                  {!n.read && <span className="visually-hidden">Unread: </span>}
                  {noticeText(n)}
                </span>
                <span className="muted" title={formatDateTime(n.createdAt)}>
                  {relative(n.createdAt)} · due {formatDate(n.dueAt)}
                </span>
              </div>
              <div className="notice-actions">
                {!n.read && !readOnly && (
                  <button type="button" className="btn btn-ghost btn-sm" onClick={() => void markRead([n.id])} aria-label={`Dismiss: ${noticeText(n)}`} title="Mark it read without opening it">
                    Dismiss
                  </button>
                )}
                {!n.gone && (
                  <button type="button" className="btn btn-sm" onClick={() => void openNotice(n)} aria-label={`Open: ${noticeText(n)}`}>
                    Open
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
