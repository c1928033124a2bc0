import { LoaderCircle, TriangleAlert } from 'lucide-react';
import { useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Dialog } from './Dialog';
import { FormError } from './Field';

interface ConfirmDialogProps {
  title: string;
  /** What happens, in one sentence (the dialog's description). */
  description: ReactNode;
  /** A caution that needs to stand out (what cannot be undone). */
  caution?: ReactNode;
  actionLabel: string;
  busyLabel: string;
  /** Resolves to an error in plain words, or null when done (the parent closes the dialog). */
  onConfirm: () => Promise<string | null>;
  onClose: () => void;
  /** Red for what destroys (the default); primary for a consequence that loses nothing, such as a cancelled deletion. */
  tone?: 'danger' | 'primary';
}

/**
 * A consequential action that needs no typed word (docs/ui.md): says what happens, the action in the
 * danger colour when it destroys, and Cancel has the focus so Enter does not do it by accident.
 */
export function ConfirmDialog({ title, description, caution, actionLabel, busyLabel, onConfirm, onClose, tone = 'danger' }: ConfirmDialogProps) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);

  async function confirm() {
    if (busy) return;
    setBusy(true);
    const err = await onConfirm();
    setBusy(false);
    if (err) setError(err);
  }

  return (
    <Dialog
      open
      size="sm"
      onOpenChange={(o) => !o && onClose()}
      title={title}
      description={description}
      initialFocus={cancelRef}
      busy={busy}
      footer={
        <>
          <button ref={cancelRef} type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className={tone === 'danger' ? 'btn btn-danger' : 'btn btn-primary'} onClick={() => void confirm()} disabled={busy} aria-busy={busy}>
            {busy && <LoaderCircle size={16} className="spin" aria-hidden />}
            {busy ? busyLabel : actionLabel}
          </button>
        </>
      }
    >
      <div className="form">
        <FormError error={error} />
        {caution && (
          <p className="caution" role="note">
            <TriangleAlert size={16} aria-hidden />
            <span>{caution}</span>
          </p>
        )}
      </div>
    </Dialog>
  );
}
