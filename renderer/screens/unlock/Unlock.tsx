import { Eye, LoaderCircle, LockKeyhole, PencilLine } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Brand } from '../../components/Brand';
import { Field, describedBy } from '../../components/Field';
import { IntegrityBanner } from '../../components/IntegrityBanner';
import { KdfBanner } from '../../components/KdfBanner';
import { ReadOnlyBanner } from '../../components/ReadOnlyBanner';
import { DEMO_PASSWORD } from '../../../shared/demo';
import { guessWaitMs } from '../../../shared/guesses';
import { isDesktop } from '../../api/client';
import { sentence } from '../../lib/errors';
import { request } from '../../state/request';
import { useSession } from '../../state/session';
import { handOverSetupCode } from './ChoosePassword';
import { UnlockWait } from './UnlockWait';

/** State 'locked': choose the member (when there are several) and type the password. */
export function Unlock() {
  const status = useSession((s) => s.status);
  const setStatus = useSession((s) => s.setStatus);
  const vault = status?.vault ?? null;
  const members = vault?.members ?? [];
  const [member, setMember] = useState(() => status?.member?.name ?? members[0] ?? '');
  // A demo vault's password is no secret: it is typed in for the newcomer, and shown.
  const [password, setPassword] = useState(() => (vault?.demo ? DEMO_PASSWORD : ''));
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // Browser mode holds each attempt back after failed ones (shared/guesses.ts); the desktop window does not.
  const [failures, setFailures] = useState(0);
  const [waitMs, setWaitMs] = useState(0);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!member && members[0]) setMember(members[0]);
  }, [member, members]);

  async function unlock(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!password) {
      setError('Type your password');
      passwordRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    setWaitMs(isDesktop ? 0 : guessWaitMs(failures));
    const r = await request('vault.unlock', members.length > 1 ? { member, password } : { password });
    setBusy(false);
    setFailures(r.ok ? 0 : r.error.code === 'AUTH' ? failures + 1 : failures);
    if (r.ok) {
      if (r.value.member?.setupPending) handOverSetupCode(password);
      setPassword('');
      setStatus(r.value);
      return;
    }
    setError(r.error.code === 'AUTH' ? 'Wrong password' : sentence(r.error.message));
    requestAnimationFrame(() => {
      passwordRef.current?.focus();
      passwordRef.current?.select();
    });
  }

  /** Reopens the vault read-only for a review, or for writing again; the password typed so far stays. */
  async function reopen(readOnly: boolean) {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    const r = await request('vault.reopen', { readOnly });
    setBusy(false);
    if (r.ok) setStatus(r.value);
    else setError(sentence(r.error.message));
    passwordRef.current?.focus();
  }

  return (
    <main className="center-screen">
      <div className="card">
        <div className="card-head">
          <Brand />
          <h1>Unlock {vault?.organization ?? 'vault'}</h1>
          {vault && (
            <p className="path truncate" title={vault.path}>
              {vault.path}
            </p>
          )}
        </div>
        <form className="form" onSubmit={(e) => void unlock(e)} noValidate aria-label="Unlock vault">
          {status && <IntegrityBanner integrity={status.integrity} inline />}
          {vault?.kdfProfile === 'fast' && <KdfBanner inline />}
          {vault?.readOnly && <ReadOnlyBanner inline />}
          {vault?.upgraded && (
            <p className="banner banner-inline banner-info" role="note" data-testid="upgrade-notice">
              <span>
                <strong>
                  This vault was upgraded from format {vault.upgraded.from} to {vault.upgraded.to}
                </strong>{' '}
                when Coffer opened it. The file as it was is kept at <code>{vault.upgraded.backup}</code>.
              </span>
            </p>
          )}
          {vault?.demo && (
            <p className="banner banner-inline banner-info" role="note">
              <span>
                Demo vault: a throwaway file with sample secrets. Its password is <code>{DEMO_PASSWORD}</code>.
              </span>
            </p>
          )}
          {members.length > 1 && (
            <Field id="unlock-member" label="Member">
              <select id="unlock-member" className="select" value={member} onChange={(e) => setMember(e.target.value)} disabled={busy}>
                {members.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {members.length === 1 && <input type="hidden" autoComplete="username" value={members[0]} readOnly />}
          <div className="field">
            <label className="field-label" htmlFor="unlock-password">
              Password{members.length === 1 ? ` for ${members[0]}` : ''}
            </label>
            <input
              ref={passwordRef}
              id="unlock-password"
              className="input"
              type="password"
              value={password}
              onChange={(e) => {
                setPassword(e.target.value);
                if (error) setError(undefined);
              }}
              autoComplete="current-password"
              autoFocus
              readOnly={busy}
              {...describedBy('unlock-password', error)}
            />
            <div className="error-slot">
              {error && (
                <p className="field-error" id="unlock-password-error" role="alert">
                  {error}
                </p>
              )}
            </div>
          </div>
          {busy && waitMs > 0 && <UnlockWait waitMs={waitMs} />}
          <button type="submit" className="btn btn-primary btn-lg btn-block" disabled={busy} aria-busy={busy}>
            {busy ? <LoaderCircle size={16} className="spin" aria-hidden /> : <LockKeyhole size={16} aria-hidden />}
            {busy ? 'Unlocking…' : 'Unlock'}
          </button>
          {vault && !vault.readOnly && (
            <>
              <button type="button" className="btn btn-ghost btn-block" disabled={busy} onClick={() => void reopen(true)} aria-describedby="unlock-read-only-hint">
                <Eye size={16} aria-hidden />
                Open read-only
              </button>
              <p className="unlock-mode-hint muted" id="unlock-read-only-hint">
                Review without changing the file: no usage, notices or audit entries are written.
              </p>
            </>
          )}
          {vault?.readOnly && !vault.readOnlyForced && (
            <button type="button" className="btn btn-ghost btn-block" disabled={busy} onClick={() => void reopen(false)}>
              <PencilLine size={16} aria-hidden />
              Open for writing instead
            </button>
          )}
        </form>
      </div>
    </main>
  );
}
