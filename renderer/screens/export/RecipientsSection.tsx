import type { ExportRecipients } from '../../../shared/schemas/bundle-export';
import { Field, FieldError, describedBy } from '../../components/Field';
import { SkeletonLines } from '../../components/Skeleton';
import { SecretInput } from '../../components/form/SecretInput';
import type { FieldErrors } from '../../lib/errors';

export interface RecipientsDraft {
  members: string[];
  credentials: string[];
  usePassphrase: boolean;
  passphrase: string;
  again: string;
}

interface RecipientsSectionProps {
  options: ExportRecipients | null;
  loadError: string | null;
  draft: RecipientsDraft;
  onChange: (patch: Partial<RecipientsDraft>) => void;
  errors: FieldErrors;
  disabled: boolean;
}

const toggled = (list: string[], item: string, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));

/** To whom: members of this vault (with their key fingerprints), service credentials, and/or a passphrase typed twice. */
export function RecipientsSection({ options, loadError, draft, onChange, errors, disabled }: RecipientsSectionProps) {
  return (
    <section className="panel" aria-labelledby="export-to-title">
      <div className="panel-head">
        <h2 id="export-to-title">2. To whom</h2>
        <p>Only the recipients can open the bundle. Choose one or more.</p>
      </div>
      <FieldError id="export-recipients-error" error={errors.recipients} />
      {options === null ? (
        loadError ? (
          <p className="form-error" role="alert">
            {loadError}
          </p>
        ) : (
          <SkeletonLines count={3} />
        )
      ) : (
        <>
          <fieldset>
            <legend className="field-label">Members of this vault</legend>
            <ul className="pick-list" aria-describedby="export-members-hint">
              {options.members.map((m) => (
                <li key={m.name}>
                  <label className="pick-row">
                    <input
                      type="checkbox"
                      checked={draft.members.includes(m.name)}
                      disabled={disabled}
                      onChange={(e) => onChange({ members: toggled(draft.members, m.name, e.target.checked) })}
                    />
                    <span className="pick-main truncate" title={m.name}>
                      {m.name}
                      {m.you && <span className="muted"> (you)</span>}
                    </span>
                    <span className="pick-meta truncate">{m.roleName}</span>
                    <span className="pick-key mono" title="Their key’s fingerprint: it opens the bundle with their own password">
                      {m.fingerprint}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
            <p className="field-hint" id="export-members-hint">
              Each opens it with their own password, in this vault or a copy of it. The key beside each name is what the bundle is sealed to.
            </p>
          </fieldset>
          {options.credentials.length > 0 && (
            <fieldset>
              <legend className="field-label">Service credentials</legend>
              <ul className="pick-list">
                {options.credentials.map((c) => (
                  <li key={c.clientId}>
                    <label className="pick-row">
                      <input
                        type="checkbox"
                        checked={draft.credentials.includes(c.clientId)}
                        disabled={disabled}
                        onChange={(e) => onChange({ credentials: toggled(draft.credentials, c.clientId, e.target.checked) })}
                      />
                      <span className="pick-main truncate" title={`${c.name} · Client Id ${c.clientId}`}>
                        {c.name}
                      </span>
                      <span className="pick-key mono" title="The credential’s key fingerprint">
                        {c.fingerprint}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          )}
          <div className="passphrase-block">
            <label className="check">
              <input type="checkbox" checked={draft.usePassphrase} disabled={disabled} onChange={(e) => onChange({ usePassphrase: e.target.checked, passphrase: '', again: '' })} />
              <span>A passphrase — for someone outside this vault</span>
            </label>
            {draft.usePassphrase && (
              <div className="grid-2">
                <Field
                  id="export-passphrase"
                  label="Passphrase"
                  hint={`At least 8 characters. Share it apart from the file.${options.passphraseProfile === 'fast' ? ' (Fast key derivation: this is a test vault.)' : ''}`}
                  error={errors.passphrase}
                >
                  <SecretInput
                    id="export-passphrase"
                    label="passphrase"
                    value={draft.passphrase}
                    disabled={disabled}
                    autoComplete="new-password"
                    onChange={(e) => onChange({ passphrase: e.target.value })}
                    {...describedBy('export-passphrase', errors.passphrase, true)}
                  />
                </Field>
                <Field id="export-again" label="Passphrase again" error={errors.again}>
                  <SecretInput
                    id="export-again"
                    label="passphrase again"
                    value={draft.again}
                    disabled={disabled}
                    onChange={(e) => onChange({ again: e.target.value })}
                    {...describedBy('export-again', errors.again)}
                  />
                </Field>
              </div>
            )}
          </div>
        </>
      )}
    </section>
  );
}
