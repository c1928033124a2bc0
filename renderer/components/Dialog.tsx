import * as RadixDialog from '@radix-ui/react-dialog';
import { LoaderCircle, X } from 'lucide-react';
import { useRef } from 'react';
import type { ReactNode, RefObject } from 'react';
import type { Opener } from '../lib/dialogFocus';
import { initialTarget, returnTarget, traceOpener } from '../lib/dialogFocus';

interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  /** Rendered in the footer bar (buttons). */
  footer?: ReactNode;
  size?: 'sm' | 'md';
  /** Where focus lands when the dialog opens, instead of the first field; destructive dialogs pass their Cancel button. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** Keeps the dialog open (e.g. while a request runs). */
  busy?: boolean;
  /** Lets a whole dialog be one <form> so Enter submits. */
  onSubmit?: () => void;
}

/**
 * A Radix dialog with Coffer's frame: focus trapped, Esc closes, title and description announced.
 * Focus starts on the first field (not the close button) and returns to the opener (lib/dialogFocus).
 */
export function Dialog({ open, onOpenChange, title, description, children, footer, size = 'md', initialFocus, busy, onSubmit }: DialogProps) {
  const opener = useRef<Opener | null>(null);
  const body = (
    <>
      <div className="dialog-body">{children}</div>
      {footer && <div className="dialog-foot">{footer}</div>}
    </>
  );
  return (
    <RadixDialog.Root open={open} onOpenChange={(next) => (busy && !next ? undefined : onOpenChange(next))}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content
          className={size === 'sm' ? 'dialog dialog-sm' : 'dialog'}
          {...(description ? {} : { 'aria-describedby': undefined })}
          onOpenAutoFocus={(e) => {
            opener.current = traceOpener(document.activeElement);
            const target = initialFocus?.current ?? (e.currentTarget instanceof HTMLElement ? initialTarget(e.currentTarget) : null);
            if (target) {
              e.preventDefault();
              target.focus();
            }
          }}
          onCloseAutoFocus={(e) => {
            const target = opener.current && returnTarget(opener.current);
            opener.current = null;
            if (target) {
              e.preventDefault();
              target.focus();
            }
          }}
        >
          <div className="dialog-head">
            <div>
              <RadixDialog.Title asChild>
                <h2>{title}</h2>
              </RadixDialog.Title>
              {description && (
                <RadixDialog.Description asChild>
                  <p>{description}</p>
                </RadixDialog.Description>
              )}
            </div>
            <RadixDialog.Close asChild>
              <button type="button" className="icon-btn" aria-label="Close" title="Close (Esc)" disabled={busy}>
                <X size={18} aria-hidden />
              </button>
            </RadixDialog.Close>
          </div>
          {onSubmit ? (
            <form
              className="dialog-form"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                onSubmit();
              }}
            >
              {body}
            </form>
          ) : (
            body
          )}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

interface SubmitButtonsProps {
  busy: boolean;
  onCancel: () => void;
  label: string;
  /** What the primary button says while the request runs ("Saving…"). */
  busyLabel: string;
  /** Holds the primary button back for another reason (e.g. a file still being read). */
  disabled?: boolean;
}

/** A form dialog's footer: Cancel, and the primary submit button with its spinner while busy. */
export function SubmitButtons({ busy, onCancel, label, busyLabel, disabled }: SubmitButtonsProps) {
  return (
    <>
      <button type="button" className="btn" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
      <button type="submit" className="btn btn-primary" disabled={busy || disabled} aria-busy={busy}>
        {busy && <LoaderCircle size={16} className="spin" aria-hidden />}
        {busy ? busyLabel : label}
      </button>
    </>
  );
}
