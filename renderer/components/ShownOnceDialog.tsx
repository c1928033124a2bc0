import { Copy, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { copyText } from '../lib/clipboard';
import { useSession } from '../state/session';
import { toast } from '../state/toasts';
import { Dialog } from './Dialog';

export interface ShownValue {
  label: string;
  value: string;
}

interface ShownOnceDialogProps {
  title: string;
  /** What the values are for and who needs them. */
  description: ReactNode;
  values: ShownValue[];
  /** The one sentence that says what is lost on closing. */
  warning: string;
  onClose: () => void;
}

/**
 * A value the core hands over once (a setup code, a client secret): each with its own copy button,
 * and the dialog stays open until "I have stored it" is ticked, because nothing shows it again.
 * The parent drops the values from its state on close.
 */
export function ShownOnceDialog({ title, description, values, warning, onClose }: ShownOnceDialogProps) {
  const clipboardSeconds = useSession((s) => s.status?.settings.clipboardSeconds ?? 30);
  const [stored, setStored] = useState(false);

  async function copy(v: ShownValue) {
    try {
      await copyText(v.value, clipboardSeconds * 1000);
      toast.success(`${v.label} copied — clears in ${clipboardSeconds} s`);
    } catch {
      toast.error('The browser refused to write to the clipboard: click in the window and try again');
    }
  }

  return (
    <Dialog
      open
      size="sm"
      // Esc, the overlay and × all close only once the values are stored.
      busy={!stored}
      onOpenChange={(o) => !o && onClose()}
      title={title}
      description={description}
      footer={
        <button type="button" className="btn btn-primary" disabled={!stored} onClick={onClose} title={stored ? undefined : 'Tick “I have stored it” first'}>
          Done
        </button>
      }
    >
      <div className="shown-once" data-testid="shown-once">
        <p className="shown-once-warning" role="note">
          <TriangleAlert size={16} aria-hidden />
          <span>{warning}</span>
        </p>
        <dl className="shown-values">
          {values.map((v) => (
            <div key={v.label} className="shown-value">
              <dt>{v.label}</dt>
              <dd>
                <code className="mono shown-value-text" data-testid="shown-value">
                  {v.value}
                </code>
                <button type="button" className="btn btn-sm" onClick={() => void copy(v)} aria-label={`Copy ${v.label}`} title={`Copy ${v.label}`}>
                  <Copy size={14} aria-hidden />
                  Copy
                </button>
              </dd>
            </div>
          ))}
        </dl>
        <label className="check shown-once-ack">
          <input type="checkbox" checked={stored} onChange={(e) => setStored(e.target.checked)} />
          I have stored it
        </label>
      </div>
    </Dialog>
  );
}
