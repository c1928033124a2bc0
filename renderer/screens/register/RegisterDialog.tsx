import { useState } from 'react';
import type { RegisterSecretInput, SecretType } from '../../../shared/schemas/secrets';
import { registerSecretInput } from '../../../shared/schemas/secrets';
import { SECRET_TYPE_DESCRIPTIONS } from '../../../shared/schemas/secret-types';
import { Dialog, SubmitButtons } from '../../components/Dialog';
import { FormError } from '../../components/Field';
import { ExpiresField } from '../../components/form/ExpiresField';
import { NameField } from '../../components/form/NameField';
import type { FieldErrors } from '../../lib/errors';
import { issuesToErrors, sentence, unplacedError } from '../../lib/errors';
import { useFieldErrors } from '../../lib/useFieldErrors';
import type { Scope } from '../../state/nav';
import { useNav } from '../../state/nav';
import { request } from '../../state/request';
import { useSecrets } from '../../state/secrets';
import { useSelection } from '../../state/selection';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';
import { useUi } from '../../state/ui';
import type { Availability } from './AvailabilityFieldset';
import { AvailabilityFieldset } from './AvailabilityFieldset';
import { TypePicker } from './TypePicker';
import { useTypeDrafts } from './forms/useTypeDrafts';

/** "Register secret" at the current scope (Personal, the selected workspace, or Organization). */
export function RegisterDialog() {
  const open = useUi((s) => s.registerOpen);
  const setOpen = useUi((s) => s.setRegisterOpen);
  const view = useNav((s) => s.view);
  if (!open || view.kind !== 'secrets') return null;
  return <RegisterForm scope={view.scope} onClose={() => setOpen(false)} />;
}

function scopeLine(scope: Scope): string {
  if (scope.level === 'personal') return 'Personal — only you can read it';
  if (scope.level === 'workspace') return `Workspace ${scope.workspace} — its members can read it`;
  return 'Organization';
}

/** Errors keyed as the form shows them; the first error of a field wins. */
function remapErrors(errs: FieldErrors, errorKey: (k: string) => string): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errs)) {
    const key = errorKey(k);
    if (!(key in out)) out[key] = v;
  }
  return out;
}

/** What every type has around its own fields: type, availability, name and expiration, and submitting. */
function RegisterForm({ scope, onClose }: { scope: Scope; onClose: () => void }) {
  const refreshStatus = useSession((s) => s.refresh);
  const reload = useSecrets((s) => s.reload);
  const [type, setType] = useState<SecretType>('api-key');
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [availability, setAvailability] = useState<Availability>('entire');
  const [teams, setTeams] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const fieldErrors = useFieldErrors();
  const { errors, setErrors, clearError, changing, show, bodyRef } = fieldErrors;
  const draft = useTypeDrafts(fieldErrors)[type];
  const expiryChosen = SECRET_TYPE_DESCRIPTIONS[type].expiry === 'chosen';

  function buildInput(): RegisterSecretInput {
    const base: Record<string, unknown> = { type, name, level: scope.level };
    if (scope.level === 'workspace') base.workspace = scope.workspace;
    if (scope.level === 'organization' && availability === 'teams') base.teams = teams;
    if (expiryChosen && expires) base.expires = expires;
    return { ...base, fields: draft.fields() } as RegisterSecretInput;
  }

  async function submit() {
    if (submitting || draft.reading) return;
    const input = buildInput();
    const parsed = registerSecretInput.safeParse(input);
    const errs: FieldErrors = { ...(parsed.success ? {} : remapErrors(issuesToErrors(parsed.error), draft.errorKey)), ...draft.keptErrors() };
    if (Object.keys(errs).length) return show(errs);
    setSubmitting(true);
    const r = await request('secrets.register', input);
    setSubmitting(false);
    if (!r.ok) return show({ [r.error.field ? draft.errorKey(r.error.field) : '_form']: sentence(r.error.message) });
    toast.success(`Registered “${r.value.name}”`);
    onClose();
    reload();
    void refreshStatus();
    useSelection.getState().open(r.value.id);
  }

  const busy = submitting;

  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title="Register secret"
      description={`Level: ${scopeLine(scope)}`}
      busy={busy}
      onSubmit={() => void submit()}
      footer={<SubmitButtons busy={busy} onCancel={onClose} label="Register secret" busyLabel="Registering…" disabled={draft.reading} />}
    >
      <div className="form" ref={bodyRef}>
        <FormError error={unplacedError(errors, new Set(['name', 'expires', 'teams', ...draft.shown]))} />
        <TypePicker
          value={type}
          disabled={busy}
          onChange={(t) => {
            setType(t);
            setErrors({});
          }}
        />
        {scope.level === 'organization' && (
          <AvailabilityFieldset
            availability={availability}
            onAvailability={setAvailability}
            teams={teams}
            onTeam={(team, chosen) => {
              clearError('teams');
              setTeams((cur) => (chosen ? [...cur, team] : cur.filter((n) => n !== team)));
            }}
            error={errors.teams}
            errorId="reg-teams-error"
            onLeave={onClose}
            busy={busy}
          />
        )}
        <NameField id="reg-name" value={name} maxLength={256} disabled={busy} error={errors.name} onChange={changing('name', setName)} />
        {draft.render(busy)}
        {expiryChosen && (
          <ExpiresField
            id="reg-expires"
            hint="Coffer reminds you 30, 7 and 1 days before"
            value={expires}
            disabled={busy}
            error={errors.expires}
            onChange={changing('expires', setExpires)}
          />
        )}
      </div>
    </Dialog>
  );
}
