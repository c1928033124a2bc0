import { FlaskConical, FolderOpen, LoaderCircle } from 'lucide-react';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { createVaultInput } from '../../../shared/schemas/vault';
import { isDesktop } from '../../api/client';
import { Brand } from '../../components/Brand';
import { Field, describedBy } from '../../components/Field';
import type { FieldErrors } from '../../lib/errors';
import { issuesToErrors, sentence } from '../../lib/errors';
import { request } from '../../state/request';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';

type Busy = 'create' | 'demo' | null;

/** State 'none': create a vault, or try a throwaway demo vault. */
export function FirstRun() {
  const setStatus = useSession((s) => s.setStatus);
  const [org, setOrg] = useState('');
  const [member, setMember] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState<Busy>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const focusFirstError = (errs: FieldErrors) => {
    const order = ['org', 'member', 'password', 'confirm'];
    const first = order.find((k) => errs[k]);
    if (first) formRef.current?.querySelector<HTMLInputElement>(`#create-${first}`)?.focus();
  };

  async function create(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const parsed = createVaultInput.safeParse({ org, member, password, kdf: 'standard' });
    const errs: FieldErrors = parsed.success ? {} : issuesToErrors(parsed.error);
    if (!errs.password && password !== confirm) errs.confirm = 'The passwords do not match';
    if (!confirm && !errs.confirm) errs.confirm = 'Type the password again';
    setErrors(errs);
    if (Object.keys(errs).length || !parsed.success) {
      focusFirstError(errs);
      return;
    }
    setBusy('create');
    const r = await request('vault.create', { org: parsed.data.org, member: parsed.data.member, password, kdf: 'standard' });
    setBusy(null);
    if (r.ok) {
      setPassword('');
      setConfirm('');
      setStatus(r.value);
      return;
    }
    const field = r.error.field && ['org', 'member', 'password'].includes(r.error.field) ? r.error.field : null;
    if (field) {
      const next = { [field]: sentence(r.error.message) };
      setErrors(next);
      focusFirstError(next);
    } else toast.error(sentence(r.error.message));
  }

  async function demo() {
    if (busy) return;
    setBusy('demo');
    const r = await request('vault.demo', {});
    setBusy(null);
    if (!r.ok) {
      toast.error(sentence(r.error.message));
      return;
    }
    setStatus(r.value);
  }

  const disabled = busy !== null;

  return (
    <main className="center-screen">
      <div className="card card-wide">
        <div className="card-head">
          <Brand />
          <h1>Create your vault</h1>
          <p className="muted">
            A vault is one encrypted file on this computer. You will be its Account Holder; your password never leaves this
            machine and cannot be recovered.
          </p>
        </div>
        <form ref={formRef} className="form" onSubmit={(e) => void create(e)} noValidate aria-label="Create vault">
          <Field id="create-org" label="Organization" error={errors.org}>
            <input
              id="create-org"
              className="input"
              value={org}
              onChange={(e) => setOrg(e.target.value)}
              autoComplete="organization"
              disabled={disabled}
              autoFocus
              {...describedBy('create-org', errors.org)}
            />
          </Field>
          <Field id="create-member" label="Your name" hint="Your login: letters, digits and . _ @ - (e.g. alice)" error={errors.member}>
            <input
              id="create-member"
              className="input"
              value={member}
              onChange={(e) => setMember(e.target.value)}
              autoComplete="username"
              spellCheck={false}
              autoCapitalize="off"
              disabled={disabled}
              {...describedBy('create-member', errors.member, true)}
            />
          </Field>
          <div className="grid-2">
            <Field id="create-password" label="Password" hint="At least 8 characters" error={errors.password}>
              <input
                id="create-password"
                className="input"
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoComplete="new-password"
                disabled={disabled}
                {...describedBy('create-password', errors.password, true)}
              />
            </Field>
            <Field id="create-confirm" label="Confirm password" error={errors.confirm}>
              <input
                id="create-confirm"
                className="input"
                type="password"
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
                autoComplete="new-password"
                disabled={disabled}
                {...describedBy('create-confirm', errors.confirm)}
              />
            </Field>
          </div>
          <button type="submit" className="btn btn-primary btn-lg btn-block" disabled={disabled} aria-busy={busy === 'create'}>
            {busy === 'create' ? (
              <>
                <LoaderCircle size={16} className="spin" aria-hidden /> Creating vault…
              </>
            ) : (
              'Create vault'
            )}
          </button>
          <p className="progress-line" role="status">
            {busy === 'create' ? 'Deriving your key from the password takes about a second.' : ''}
          </p>
        </form>
        <div className="card-divider">or</div>
        <div className="card-actions">
          <button type="button" className="btn btn-lg" onClick={() => void demo()} disabled={disabled} aria-busy={busy === 'demo'}>
            {busy === 'demo' ? <LoaderCircle size={16} className="spin" aria-hidden /> : <FlaskConical size={16} aria-hidden />}
            {busy === 'demo' ? 'Preparing demo…' : 'Try a demo vault'}
          </button>
          <button
            type="button"
            className="btn btn-lg"
            disabled
            title={isDesktop ? 'Opening another vault file is not available yet' : 'Desktop app only: in browser mode, start Coffer with --vault FILE'}
            aria-describedby="open-vault-note"
          >
            <FolderOpen size={16} aria-hidden />
            Open vault file
          </button>
        </div>
        <p id="open-vault-note" className="field-hint first-run-note">
          {isDesktop ? 'Opening another vault file is not available yet.' : 'Open vault file is desktop-only. In browser mode, start Coffer with --vault FILE.'}
        </p>
      </div>
    </main>
  );
}
