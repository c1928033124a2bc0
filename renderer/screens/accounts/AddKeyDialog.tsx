import { useState } from 'react';
import type { AccountSummary, IssuedKey } from '../../../shared/schemas/accounts';
import { Dialog, SubmitButtons } from '../../components/Dialog';
import { FormError } from '../../components/Field';
import { ExpiresField } from '../../components/form/ExpiresField';
import { placedError } from '../../lib/errors';
import { useFieldErrors } from '../../lib/useFieldErrors';
import { request } from '../../state/request';

interface AddKeyDialogProps {
  account: AccountSummary;
  onClose: () => void;
  /** The new key with its secret: it goes to the shown-once dialog and nowhere else. */
  onAdded: (key: IssuedKey) => void;
}

/** A second key lets a pipeline move to a new secret before the old key is deleted. */
export function AddKeyDialog({ account, onClose, onAdded }: AddKeyDialogProps) {
  const [expires, setExpires] = useState('');
  const [busy, setBusy] = useState(false);
  const { errors, changing, show, bodyRef } = useFieldErrors();

  async function submit() {
    if (busy) return;
    setBusy(true);
    const r = await request('accounts.addKey', { account: account.name, ...(expires ? { expires } : {}) });
    setBusy(false);
    if (!r.ok) return show(placedError(r.error, ['expires']));
    onAdded(r.value);
  }

  return (
    <Dialog
      open
      size="sm"
      onOpenChange={(o) => !o && onClose()}
      title={`Add a key to ${account.name}`}
      description="The new key reads what the account reads; its secret is shown once. The account’s other keys keep working."
      busy={busy}
      onSubmit={() => void submit()}
      footer={<SubmitButtons busy={busy} onCancel={onClose} label="Add key" busyLabel="Adding…" />}
    >
      <div className="form" ref={bodyRef}>
        <FormError error={errors._form} />
        <ExpiresField
          id="key-expires"
          hint="The key is refused from this day on; leave it empty for a key that does not expire"
          value={expires}
          onChange={changing('expires', setExpires)}
          error={errors.expires}
          disabled={busy}
        />
      </div>
    </Dialog>
  );
}
