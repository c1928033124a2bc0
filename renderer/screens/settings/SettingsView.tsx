import { LoaderCircle, Monitor, Moon, Sun } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { Settings } from '../../../shared/schemas/settings';
import { settings as settingsSchema } from '../../../shared/schemas/settings';
import { FieldError, FormError } from '../../components/Field';
import type { FieldErrors } from '../../lib/errors';
import { issuesToErrors, sentence } from '../../lib/errors';
import { may } from '../../state/nav';
import { useSession } from '../../state/session';
import type { ThemeChoice } from '../../state/theme';
import { useTheme } from '../../state/theme';
import { toast } from '../../state/toasts';
import { ChangePassword } from './ChangePassword';

const THEMES: { id: ThemeChoice; label: string; icon: ReactNode }[] = [
  { id: 'system', label: 'System', icon: <Monitor size={16} aria-hidden /> },
  { id: 'light', label: 'Light', icon: <Sun size={16} aria-hidden /> },
  { id: 'dark', label: 'Dark', icon: <Moon size={16} aria-hidden /> },
];

type Key = keyof Settings;
const NUMBERS: { key: Key; label: string; unit: string; hint: string; max: number }[] = [
  { key: 'revealSeconds', label: 'Hide revealed values after', unit: 'seconds', hint: '1–600 seconds', max: 600 },
  { key: 'clipboardSeconds', label: 'Clear the clipboard after', unit: 'seconds', hint: '1–600 seconds; only if it still holds what Coffer put there', max: 600 },
  { key: 'autoLockMinutes', label: 'Lock after inactivity of', unit: 'minutes', hint: '1–1440 minutes without keyboard or pointer input', max: 1440 },
  { key: 'inactiveDays', label: 'Mark secrets Inactive after', unit: 'days', hint: 'Days without use, counted from creation if never used', max: 3650 },
  { key: 'deletionDays', label: 'Delete Inactive or scheduled secrets after', unit: 'days', hint: 'Using a secret before then makes it Active again', max: 3650 },
  { key: 'credentialsPerMember', label: 'Service credentials each member may own', unit: 'at most', hint: '1–100; creating one more is refused', max: 100 },
];

/** Theme (this browser), and the vault's reveal, clipboard and auto-lock times (`settings.update`). */
export function SettingsView() {
  const status = useSession((s) => s.status)!;
  const updateSettings = useSession((s) => s.updateSettings);
  const choice = useTheme((s) => s.choice);
  const setChoice = useTheme((s) => s.setChoice);
  const saved = status.settings;
  // The core refuses settings.update without it (and a read-only session has no write permission); the form shows the values and says who may change them.
  const editable = may(status.member?.permissions, 'vault.settings');
  const readOnly = status.vault?.readOnly ?? false;
  const [draft, setDraft] = useState<Record<Key, string>>(() => toDraft(saved));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => setDraft(toDraft(saved)), [saved]);

  const dirty = NUMBERS.some((n) => draft[n.key] !== String(saved[n.key]));

  async function save(e: FormEvent) {
    e.preventDefault();
    const values = Object.fromEntries(NUMBERS.map((n) => [n.key, draft[n.key].trim() === '' ? Number.NaN : Number(draft[n.key])]));
    const parsed = settingsSchema.safeParse(values);
    if (!parsed.success) {
      const errs = issuesToErrors(parsed.error);
      for (const n of NUMBERS) if (errs[n.key]) errs[n.key] = `Enter a whole number from 1 to ${n.max}`;
      setErrors(errs);
      return;
    }
    const patch: Partial<Settings> = {};
    for (const n of NUMBERS) if (parsed.data[n.key] !== saved[n.key]) patch[n.key] = parsed.data[n.key];
    if (Object.keys(patch).length === 0) return;
    setBusy(true);
    const err = await updateSettings(patch);
    setBusy(false);
    if (err) {
      if (err.field && NUMBERS.some((n) => n.key === err.field)) setErrors({ [err.field]: sentence(err.message) });
      else setFormError(sentence(err.message));
      return;
    }
    setErrors({});
    setFormError(null);
    toast.success('Settings saved');
  }

  const vault = status.vault;
  return (
    <div className="page">
      <div className="page-inner">
        <section className="panel" aria-labelledby="appearance-title">
          <div className="panel-head">
            <h2 id="appearance-title">Appearance</h2>
            <p>Follows your system unless you choose otherwise. Stored in this browser only.</p>
          </div>
          <fieldset>
            <legend className="field-label">Theme</legend>
            <div className="choice-row">
              {THEMES.map((t) => (
                <label key={t.id} className="radio-card">
                  <input type="radio" name="theme" value={t.id} checked={choice === t.id} onChange={() => setChoice(t.id)} />
                  {t.icon}
                  {t.label}
                </label>
              ))}
            </div>
          </fieldset>
        </section>

        <form className="panel" aria-labelledby="security-title" onSubmit={(e) => void save(e)} noValidate>
          <div className="panel-head">
            <h2 id="security-title">Security</h2>
            <p>These apply to everyone who opens this vault.{editable ? '' : readOnly ? ' A read-only review cannot change them.' : ' Only Account Holders change them.'}</p>
          </div>
          <FormError error={formError} />
          {NUMBERS.map((n) => {
            const id = `setting-${n.key}`;
            const error = errors[n.key];
            return (
              <div key={n.key} className="number-field">
                <label className="field-label" htmlFor={id}>
                  {n.label} ({n.unit})
                </label>
                <input
                  id={id}
                  className="input nums"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={n.max}
                  step={1}
                  value={draft[n.key]}
                  disabled={busy || !editable}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-error` : `${id}-hint`}
                  onChange={(e) => {
                    setDraft((d) => ({ ...d, [n.key]: e.target.value }));
                    setFormError(null);
                    setErrors(({ [n.key]: _drop, ...rest }) => rest);
                  }}
                />
                {!error && (
                  <p className="field-hint" id={`${id}-hint`}>
                    {n.hint}
                  </p>
                )}
                <FieldError id={`${id}-error`} error={error} />
              </div>
            );
          })}
          {editable && (
          <div className="panel-foot">
            <button type="button" className="btn" disabled={!dirty || busy} onClick={() => (setDraft(toDraft(saved)), setErrors({}))}>
              Reset
            </button>
            <button type="submit" className="btn btn-primary" disabled={!dirty || busy} aria-busy={busy}>
              {busy && <LoaderCircle size={16} className="spin" aria-hidden />}
              Save
            </button>
          </div>
          )}
        </form>

        {!readOnly && <ChangePassword />}

        <section className="panel" aria-labelledby="about-title">
          <div className="panel-head">
            <h2 id="about-title">This vault</h2>
          </div>
          <dl className="about">
            <dt>Organization</dt>
            <dd>{vault?.organization}</dd>
            <dt>File</dt>
            <dd className="mono">{vault?.path}</dd>
            <dt>Signed in as</dt>
            <dd>{status.member ? `${status.member.name} (${status.member.roleName})` : '—'}</dd>
            <dt>Key derivation</dt>
            <dd>{vault?.kdfProfile === 'fast' ? 'Fast (test-only)' : 'Standard (Argon2id, calibrated on this machine)'}</dd>
            <dt>Mode</dt>
            <dd>{[vault?.readOnly ? 'Read-only' : 'Read-write', vault?.demo ? 'demo vault' : null].filter(Boolean).join(', ')}</dd>
          </dl>
        </section>
      </div>
    </div>
  );
}

function toDraft(s: Settings): Record<Key, string> {
  return Object.fromEntries(NUMBERS.map((n) => [n.key, String(s[n.key])])) as Record<Key, string>;
}
