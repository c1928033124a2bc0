import { useState } from 'react';
import type { CredentialSummary } from '../../../shared/schemas/credentials';
import { Dialog, SubmitButtons } from '../../components/Dialog';
import { FormError } from '../../components/Field';
import { sentence } from '../../lib/errors';
import { request } from '../../state/request';
import { toast } from '../../state/toasts';
import { TeamChecks } from './TeamChecks';

/** Edit changes teams only; a team taken away is rotated by the core. */
export function EditTeamsDialog({ credential, onClose, onSaved }: { credential: CredentialSummary; onClose: () => void; onSaved: () => void }) {
  const [teams, setTeams] = useState(credential.teams);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit() {
    if (busy) return;
    setBusy(true);
    const r = await request('credentials.setTeams', { name: credential.name, teams });
    setBusy(false);
    if (!r.ok) return setError(sentence(r.error.message));
    toast.success(`Teams of ${credential.name} saved`);
    onSaved();
  }

  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={`Teams of ${credential.name}`}
      description="It reads the secrets available to these teams. A team taken away moves to new keys, so the credential opens nothing written to it afterwards."
      busy={busy}
      onSubmit={() => void submit()}
      footer={<SubmitButtons busy={busy} onCancel={onClose} label="Save teams" busyLabel="Saving…" />}
    >
      <div className="form">
        <FormError error={error} />
        <TeamChecks legend="Teams" chosen={teams} onChange={(t) => (setTeams(t), setError(undefined))} disabled={busy} />
      </div>
    </Dialog>
  );
}
