import { LoaderCircle } from 'lucide-react';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { FormError } from '../../components/Field';
import { placedError } from '../../lib/errors';
import { useFieldErrors } from '../../lib/useFieldErrors';
import { toast } from '../../state/toasts';
import { PasswordFields, changePassword, checkNewPassword } from '../unlock/PasswordFields';

/** Settings → Password: the current one, and the new one twice (`vault.changePassword`). */
export function ChangePassword() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const { errors, changing, show, setErrors, bodyRef } = useFieldErrors();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const errs = { ...(current ? {} : { password: 'Type your current password' }), ...checkNewPassword(next, again) };
    if (Object.keys(errs).length) return show(errs);
    setBusy(true);
    const err = await changePassword(current, next);
    setBusy(false);
    if (err) return show(placedError(err, ['password', 'newPassword']));
    setCurrent('');
    setNext('');
    setAgain('');
    setErrors({});
    toast.success('Password changed: use the new one from your next unlock');
  }

  return (
    <form className="panel" aria-labelledby="password-title" onSubmit={(e) => void submit(e)} noValidate>
      <div className="panel-head">
        <h2 id="password-title">Password</h2>
        <p>Your own password for this vault. Nobody else can reset it: keep it somewhere safe.</p>
      </div>
      <div className="form" ref={bodyRef}>
        <FormError error={errors._form} />
        <PasswordFields
          idPrefix="settings"
          current={{ value: current, onChange: changing('password', setCurrent), label: 'Current password' }}
          next={next}
          again={again}
          onNext={changing('newPassword', setNext)}
          onAgain={changing('again', setAgain)}
          errors={errors}
          disabled={busy}
        />
      </div>
      <div className="panel-foot">
        <button type="submit" className="btn btn-primary" disabled={busy || !current || !next} aria-busy={busy}>
          {busy && <LoaderCircle size={16} className="spin" aria-hidden />}
          Change password
        </button>
      </div>
    </form>
  );
}
