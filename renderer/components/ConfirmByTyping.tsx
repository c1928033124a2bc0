import { LoaderCircle } from 'lucide-react';
import { useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Dialog } from './Dialog';
import { FieldError } from './Field';

interface ConfirmByTypingProps {
  title: string;
  /** Exactly what happens and when. */
  children: ReactNode;
  /** The word to type (`DELETE`, or a credential's name); the action stays disabled until it matches exactly. */
  word: string;
  actionLabel: string;
  onConfirm: (word: string) => Promise<string | null>;
  onClose: () => void;
}

/** A destructive action's dialog (docs/ui.md): says what happens, asks for the word, Cancel has focus. */
export function ConfirmByTyping({ title, children, word, actionLabel, onConfirm, onClose }: ConfirmByTypingProps) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const matches = typed === word;

  async function confirm() {
    if (!matches || busy) return;
    setBusy(true);
    const err = await onConfirm(typed);
    setBusy(false);
    if (err) setError(err);
  }

  return (
    <Dialog
      open
      size="sm"
      onOpenChange={(o) => !o && onClose()}
      title={title}
      description={children}
      initialFocus={cancelRef}
      busy={busy}
      onSubmit={() => void confirm()}
      footer={
        <>
          <button ref={cancelRef} type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="btn btn-danger" disabled={!matches || busy} aria-busy={busy}>
            {busy && <LoaderCircle size={16} className="spin" aria-hidden />}
            {actionLabel}
          </button>
        </>
      }
    >
      <div className="field">
        <label className="field-label" htmlFor="confirm-word">
          Type <code>{word}</code> to confirm
        </label>
        <input
          id="confirm-word"
          className="input mono"
          value={typed}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="off"
          disabled={busy}
          onChange={(e) => {
            setTyped(e.target.value);
            setError(undefined);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'confirm-word-error' : undefined}
        />
        <FieldError id="confirm-word-error" error={error} />
      </div>
    </Dialog>
  );
}
