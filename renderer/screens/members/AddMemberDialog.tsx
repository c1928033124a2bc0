import { useState } from 'react';
import type { RoleSummary } from '../../../shared/schemas/roles';
import { memberName } from '../../../shared/schemas/vault';
import { Dialog, SubmitButtons } from '../../components/Dialog';
import { Field, FormError, describedBy } from '../../components/Field';
import { placedError } from '../../lib/errors';
import { useFieldErrors } from '../../lib/useFieldErrors';
import { request } from '../../state/request';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';
import { offeredRoles, roleRef } from './MembersView';
import { RoleField } from './RoleField';

interface AddMemberDialogProps {
  roles: RoleSummary[];
  onClose: () => void;
  /** The member was added: the setup code goes to the shown-once dialog and nowhere else. */
  onAdded: (login: string, setupCode: string) => void;
}

/** Login and role; no password: the core answers with a one-time setup code for the new member. */
export function AddMemberDialog({ roles, onClose, onAdded }: AddMemberDialogProps) {
  const permissions = useSession((s) => s.status?.member?.permissions);
  const offered = offeredRoles(roles, permissions);
  const [login, setLogin] = useState('');
  const [role, setRole] = useState(() => (offered.find((r) => r.id === 'member') ?? offered[0])?.id ?? '');
  const [busy, setBusy] = useState(false);
  const { errors, changing, show, bodyRef } = useFieldErrors();

  async function submit() {
    if (busy) return;
    const parsed = memberName.safeParse(login);
    const chosen = offered.find((r) => r.id === role);
    if (!parsed.success || !chosen) {
      return show({
        ...(parsed.success ? {} : { name: parsed.error.issues[0]!.message }),
        ...(chosen ? {} : { role: 'Choose a role' }),
      });
    }
    setBusy(true);
    const r = await request('members.add', { name: parsed.data, role: roleRef(chosen) });
    setBusy(false);
    if (!r.ok) return show(placedError(r.error, ['name', 'role']));
    toast.success(`${r.value.name} added as ${r.value.roleName}`);
    onAdded(r.value.name, r.value.setupCode);
  }

  return (
    <Dialog
      open
      size="sm"
      onOpenChange={(o) => !o && onClose()}
      title="Add member"
      description="They get a one-time setup code to type at their first unlock; then they choose their own password."
      busy={busy}
      onSubmit={() => void submit()}
      footer={<SubmitButtons busy={busy} onCancel={onClose} label="Add member" busyLabel="Adding…" />}
    >
      <div className="form" ref={bodyRef}>
        <FormError error={errors._form} />
        <Field id="member-login" label="Login" hint="Letters, digits and . _ @ - ; what they pick at the unlock screen" error={errors.name}>
          <input
            id="member-login"
            className="input mono"
            value={login}
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="off"
            disabled={busy}
            onChange={(e) => changing('name', setLogin)(e.target.value)}
            {...describedBy('member-login', errors.name, true)}
          />
        </Field>
        <RoleField id="member-role" roles={offered} value={role} error={errors.role} busy={busy} onChange={changing('role', setRole)} />
      </div>
    </Dialog>
  );
}
