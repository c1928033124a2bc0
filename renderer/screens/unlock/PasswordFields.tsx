import type { ErrorShape } from '../../../shared/errors';
import { password as passwordSchema } from '../../../shared/schemas/vault';
import { Field, describedBy } from '../../components/Field';
import type { FieldErrors } from '../../lib/errors';
import { request } from '../../state/request';
import { useSession } from '../../state/session';

/** The new password's own rules, and that both copies match (keys `newPassword` and `again`, as the core names the first). */
export function checkNewPassword(next: string, again: string): FieldErrors {
  const parsed = passwordSchema.safeParse(next);
  if (!parsed.success) return { newPassword: parsed.error.issues[0]!.message };
  if (next !== again) return { again: 'The two passwords differ: type the new one again' };
  return {};
}

/** `vault.changePassword`; the new status (setup no longer pending) replaces the old one. */
export async function changePassword(current: string, next: string): Promise<ErrorShape | null> {
  const r = await request('vault.changePassword', { current, next });
  if (!r.ok) return r.error;
  useSession.getState().setStatus(r.value);
  return null;
}

interface PasswordFieldsProps {
  idPrefix: string;
  /** The current password's field; absent when the form already holds it (the setup code just typed). */
  current?: { value: string; onChange: (v: string) => void; label: string; autoFocus?: boolean };
  next: string;
  again: string;
  onNext: (v: string) => void;
  onAgain: (v: string) => void;
  /** Keys `password` (current), `newPassword`, `again`. */
  errors: FieldErrors;
  disabled: boolean;
  autoFocusNext?: boolean;
}

/** Current password (when asked), new password and its confirmation. */
export function PasswordFields({ idPrefix, current, next, again, onNext, onAgain, errors, disabled, autoFocusNext }: PasswordFieldsProps) {
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <>
      {current && (
        <Field id={id('current')} label={current.label} error={errors.password}>
          <input
            id={id('current')}
            className="input"
            type="password"
            value={current.value}
            onChange={(e) => current.onChange(e.target.value)}
            autoComplete="current-password"
            autoFocus={current.autoFocus}
            disabled={disabled}
            {...describedBy(id('current'), errors.password)}
          />
        </Field>
      )}
      <div className="grid-2">
        <Field id={id('new')} label="New password" hint="At least 8 characters" error={errors.newPassword}>
          <input
            id={id('new')}
            className="input"
            type="password"
            value={next}
            onChange={(e) => onNext(e.target.value)}
            autoComplete="new-password"
            autoFocus={autoFocusNext}
            disabled={disabled}
            {...describedBy(id('new'), errors.newPassword, true)}
          />
        </Field>
        <Field id={id('again')} label="New password again" error={errors.again}>
          <input
            id={id('again')}
            className="input"
            type="password"
            value={again}
            onChange={(e) => onAgain(e.target.value)}
            autoComplete="new-password"
            disabled={disabled}
            {...describedBy(id('again'), errors.again)}
          />
        </Field>
      </div>
    </>
  );
}
