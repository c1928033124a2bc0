import { CalendarClock, RotateCcw, Trash2 } from 'lucide-react';
import { useState } from 'react';
import type { SecretDetail } from '../../../shared/schemas/secrets';
import { CONFIRM_WORD } from '../../../shared/schemas/lifecycle';
import { ConfirmByTyping } from '../../components/ConfirmByTyping';
import { sentence } from '../../lib/errors';
import { formatDate, relative } from '../../lib/format';
import { cancelDeletion } from '../../state/lifecycle';
import { request } from '../../state/request';
import { useSecrets } from '../../state/secrets';
import { useSelection } from '../../state/selection';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';

type Pending = 'schedule' | 'delete' | null;

/** docs/product.md §4: schedule deletion (or cancel it), or delete now; both destructive steps confirm by typing DELETE. */
export function DeletionSection({ detail, readOnly }: { detail: SecretDetail; readOnly: boolean }) {
  const [pending, setPending] = useState<Pending>(null);
  const [cancelling, setCancelling] = useState(false);
  const refreshDetail = useSelection((s) => s.refreshDetail);
  const close = useSelection((s) => s.close);
  const reload = useSecrets((s) => s.reload);
  const refreshStatus = useSession((s) => s.refresh);

  const after = () => {
    reload();
    void refreshStatus();
  };

  async function cancel() {
    setCancelling(true);
    const done = await cancelDeletion(detail.id, detail.name);
    setCancelling(false);
    if (!done) return;
    void refreshDetail();
    after();
  }

  const awaitingPurge = detail.status !== 'active' && detail.deletion !== null;
  // Read-only, an Active secret's section would hold only the actions it cannot take.
  if (readOnly && !awaitingPurge) return null;
  return (
    <section className="section" aria-labelledby="deletion-title">
      <h3 className="section-title" id="deletion-title">
        Deletion
      </h3>
      <p className="muted deletion-text">
        {awaitingPurge
          ? `Purged on ${formatDate(detail.deletion!)} (${relative(detail.deletion!)}) unless it is used before then.`
          : 'A scheduled secret is purged after the vault’s deletion period; using it before then makes it Active again.'}
      </p>
      {!readOnly && (
        <div className="deletion-actions" id="deletion-actions">
          {detail.status === 'active' ? (
            <button type="button" className="btn btn-sm" onClick={() => setPending('schedule')}>
              <CalendarClock size={14} aria-hidden />
              Schedule deletion
            </button>
          ) : (
            <button type="button" className="btn btn-sm" disabled={cancelling} onClick={() => void cancel()}>
              <RotateCcw size={14} aria-hidden />
              Cancel deletion
            </button>
          )}
          <button type="button" className="btn btn-sm btn-danger-outline" onClick={() => setPending('delete')}>
            <Trash2 size={14} aria-hidden />
            Delete now
          </button>
        </div>
      )}
      {pending === 'schedule' && (
        <ConfirmByTyping
          title={`Schedule “${detail.name}” for deletion?`}
          word={CONFIRM_WORD}
          actionLabel="Schedule deletion"
          onClose={() => setPending(null)}
          onConfirm={async (confirm) => {
            const r = await request('secrets.scheduleDeletion', { id: detail.id, confirm });
            if (!r.ok) return sentence(r.error.message);
            setPending(null);
            toast.success(r.value.deletion ? `Scheduled for deletion on ${formatDate(r.value.deletion)}` : 'Scheduled for deletion');
            void refreshDetail();
            after();
            return null;
          }}
        >
          It stays readable until the deletion date, then every revision, key and usage record is purged. Using it, or Cancel
          deletion, before then makes it Active again.
        </ConfirmByTyping>
      )}
      {pending === 'delete' && (
        <ConfirmByTyping
          title={`Delete “${detail.name}” now?`}
          word={CONFIRM_WORD}
          actionLabel="Delete now"
          onClose={() => setPending(null)}
          onConfirm={async (confirm) => {
            const r = await request('secrets.deleteNow', { id: detail.id, confirm });
            if (!r.ok) return sentence(r.error.message);
            setPending(null);
            toast.success(`Deleted “${detail.name}”`);
            close();
            after();
            return null;
          }}
        >
          This purges it at once: every revision, key and usage record. It cannot be undone, and anything still using it will stop
          working.
        </ConfirmByTyping>
      )}
    </section>
  );
}
