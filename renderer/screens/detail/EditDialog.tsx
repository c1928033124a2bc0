import { useState } from 'react';
import type { EditSecretInput, SecretDetail } from '../../../shared/schemas/secrets';
import { TYPE_LABELS, isoDate, secretName } from '../../../shared/schemas/secrets';
import { SECRET_TYPE_DESCRIPTIONS } from '../../../shared/schemas/secret-types';
import { Dialog, SubmitButtons } from '../../components/Dialog';
import { FormError } from '../../components/Field';
import { ExpiresField } from '../../components/form/ExpiresField';
import { NameField } from '../../components/form/NameField';
import type { FieldErrors } from '../../lib/errors';
import { sentence, unplacedError } from '../../lib/errors';
import { isoDay } from '../../lib/format';
import { useFieldErrors } from '../../lib/useFieldErrors';
import { request } from '../../state/request';
import { useSecrets } from '../../state/secrets';
import { useSelection } from '../../state/selection';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';
import type { Availability } from '../register/AvailabilityFieldset';
import { AvailabilityFieldset } from '../register/AvailabilityFieldset';
import { useTypeEdit } from './edit/useTypeEdit';

/** Edit: the form starts from the current clear fields; only what changed is sent (`secrets.edit`). */
export function EditDialog({ detail, onClose }: { detail: SecretDetail; onClose: () => void }) {
  const refreshDetail = useSelection((s) => s.refreshDetail);
  const reload = useSecrets((s) => s.reload);
  const refreshStatus = useSession((s) => s.refresh);
  const [name, setName] = useState(detail.name);
  const initialExpires = detail.expires === null ? '' : isoDay(detail.expires);
  const [expires, setExpires] = useState(initialExpires);
  const [busy, setBusy] = useState(false);
  const fieldErrors = useFieldErrors();
  const { errors, setErrors, clearError, changing, show, bodyRef } = fieldErrors;
  const typeEdit = useTypeEdit(detail, fieldErrors);
  const isOrganization = detail.level === 'organization';
  const initialAvailability: Availability = detail.availability === 'teams' ? 'teams' : 'entire';
  const [availability, setAvailability] = useState<Availability>(initialAvailability);
  const [teams, setTeams] = useState<string[]>(detail.teams);
  const expiryChosen = SECRET_TYPE_DESCRIPTIONS[detail.type].expiry === 'chosen';

  function build(): { input: EditSecretInput; errors: FieldErrors; changed: boolean } {
    const errs: FieldErrors = {};
    const input: EditSecretInput = { ref: { id: detail.id }, fields: {} };
    if (name.trim() !== detail.name) {
      const r = secretName.safeParse(name);
      if (!r.success) errs.name = r.error.issues[0]!.message;
      input.name = name;
    }
    const fields = typeEdit.changes(errs);
    if (expiryChosen && expires !== initialExpires) {
      if (expires) {
        const r = isoDate.safeParse(expires);
        if (!r.success) errs.expires = r.error.issues[0]!.message;
        input.expires = expires;
      } else input.expires = null;
    }
    input.fields = fields;
    if (isOrganization && availabilityChanged()) {
      if (availability === 'teams' && teams.length === 0) errs.teams = 'Choose at least one team, or make it available to the entire organization';
      input.teams = availability === 'entire' ? null : teams;
    }
    const changed = input.name !== undefined || input.expires !== undefined || input.teams !== undefined || Object.keys(fields).length > 0;
    return { input, errors: errs, changed };
  }

  /** Another set of readers than the secret has now: the entire organization, or other teams. */
  function availabilityChanged(): boolean {
    if (availability !== initialAvailability) return true;
    return availability === 'teams' && (teams.length !== detail.teams.length || teams.some((t) => !detail.teams.includes(t)));
  }

  async function submit() {
    if (busy) return;
    const { input, errors: errs, changed } = build();
    if (Object.keys(errs).length) return show(errs);
    if (!changed) return setErrors({ _form: 'Nothing has changed yet.' });
    setBusy(true);
    const r = await request('secrets.edit', input);
    setBusy(false);
    if (!r.ok) {
      // A problem with one pair is shown under the pairs as a whole.
      const field = r.error.field && !r.error.field.startsWith('pairs.') ? r.error.field : r.error.field ? 'pairs' : '_form';
      return show({ [field]: sentence(r.error.message) });
    }
    // A change of readers alone is no new revision (the data key is renewed instead when readers go).
    toast.success(r.value.revision === detail.revision ? 'Saved' : `Saved as revision ${r.value.revision}`);
    onClose();
    void refreshDetail();
    reload();
    void refreshStatus();
  }

  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={`Edit ${detail.name}`}
      description={`${TYPE_LABELS[detail.type]} · saving creates revision ${detail.revision + 1}; older revisions stay in History.`}
      busy={busy}
      onSubmit={() => void submit()}
      footer={<SubmitButtons busy={busy} onCancel={onClose} label="Save changes" busyLabel="Saving…" />}
    >
      <div className="form" ref={bodyRef}>
        <FormError error={unplacedError(errors, new Set(['name', 'expires', 'teams', ...typeEdit.shown]))} />
        <NameField id="edit-name" value={name} disabled={busy} error={errors.name} onChange={changing('name', setName)} />
        {typeEdit.render(busy)}
        {expiryChosen && (
          <ExpiresField id="edit-expires" hint="Clear it to remove the expiration" value={expires} onChange={setExpires} error={errors.expires} disabled={busy} />
        )}
        {isOrganization && (
          <AvailabilityFieldset
            availability={availability}
            onAvailability={(a) => {
              clearError('teams');
              setAvailability(a);
            }}
            teams={teams}
            onTeam={(team, chosen) => {
              clearError('teams');
              setTeams((cur) => (chosen ? [...cur, team] : cur.filter((n) => n !== team)));
            }}
            error={errors.teams}
            errorId="edit-teams-error"
            busy={busy}
            onLeave={onClose}
          />
        )}
      </div>
    </Dialog>
  );
}
