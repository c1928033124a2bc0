import { KeyRound, LoaderCircle } from 'lucide-react';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Brand } from '../../components/Brand';
import { FormError } from '../../components/Field';
import { placedError } from '../../lib/errors';
import { useFieldErrors } from '../../lib/useFieldErrors';
import { useSession } from '../../state/session';
import { PasswordFields, changePassword, checkNewPassword } from './PasswordFields';

/**
 * The setup code typed at the unlock form, handed over so the member need not type it twice. It
 * is taken once, by the next ChoosePassword, and kept only until its change-password call returns.
 */
let handedOver: string | null = null;

export function handOverSetupCode(code: string): void {
  handedOver = code;
}

function takeSetupCode(): string | null {
  const code = handedOver;
  handedOver = null;
  return code;
}

/** State 'unlocked' with a setup code: the core refuses everything else until the member chooses their password. */
export function ChoosePassword() {
  const member = useSession((s) => s.status?.member?.name);
  const lock = useSession((s) => s.lock);
  const [held, setHeld] = useState(takeSetupCode);
  const [code, setCode] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const { errors, changing, show, bodyRef } = useFieldErrors();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const errs = { ...(held === null && !code ? { password: 'Type the setup code you were given' } : {}), ...checkNewPassword(next, again) };
    if (Object.keys(errs).length) return show(errs);
    setBusy(true);
    const err = await changePassword(held ?? code, next);
    // Used once: from here on, the form asks for the code if it has to try again.
    setHeld(null);
    setBusy(false);
    if (err) show(placedError(err, ['password', 'newPassword']));
  }

  return (
    <main className="center-screen">
      <div className="card card-wide">
        <div className="card-head">
          <Brand />
          <h1>Choose your password</h1>
          <p className="muted">
            {member ? `Welcome, ${member}. ` : ''}You unlocked with a one-time setup code. Choose your own password now: from the next unlock, it is the only one
            that opens this vault for you, and nobody can recover it.
          </p>
        </div>
        <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label="Choose your password">
          <div className="form" ref={bodyRef}>
            <FormError error={errors._form} />
            <PasswordFields
              idPrefix="choose"
              current={held === null ? { value: code, onChange: changing('password', setCode), label: 'Setup code', autoFocus: true } : undefined}
              next={next}
              again={again}
              onNext={changing('newPassword', setNext)}
              onAgain={changing('again', setAgain)}
              errors={errors}
              disabled={busy}
              autoFocusNext={held !== null}
            />
          </div>
          <button type="submit" className="btn btn-primary btn-lg btn-block" disabled={busy} aria-busy={busy}>
            {busy ? <LoaderCircle size={16} className="spin" aria-hidden /> : <KeyRound size={16} aria-hidden />}
            {busy ? 'Saving…' : 'Save password and continue'}
          </button>
          <button type="button" className="btn btn-ghost btn-block" onClick={() => void lock()} disabled={busy}>
            Lock instead
          </button>
        </form>
      </div>
    </main>
  );
}
