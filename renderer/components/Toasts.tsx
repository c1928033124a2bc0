import { AlertCircle, CheckCircle2, Info, X } from 'lucide-react';
import { useToasts } from '../state/toasts';

const ICONS = { success: CheckCircle2, error: AlertCircle, info: Info };

/** Small accessible toasts: a polite live region for news, an assertive one for errors. */
export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  const render = (kind: 'polite' | 'assertive') =>
    toasts
      .filter((t) => (t.kind === 'error') === (kind === 'assertive'))
      .map((t) => {
        const Icon = ICONS[t.kind];
        return (
          <div key={t.id} className={`toast toast-${t.kind}`} data-testid="toast">
            <Icon className="toast-icon" size={18} aria-hidden />
            <span className="toast-text">{t.text}</span>
            <button type="button" className="icon-btn icon-btn-sm" aria-label="Dismiss notification" title="Dismiss" onClick={() => dismiss(t.id)}>
              <X size={16} aria-hidden />
            </button>
          </div>
        );
      });
  return (
    <div className="toasts">
      <div role="status" aria-live="polite" className="toast-stack">
        {render('polite')}
      </div>
      <div role="alert" aria-live="assertive" className="toast-stack">
        {render('assertive')}
      </div>
    </div>
  );
}
