import { useState } from 'react';
import type { RoleSummary } from '../../../shared/schemas/roles';
import type { MemberSummary } from '../../../shared/schemas/vault';
import { Dialog, SubmitButtons } from '../../components/Dialog';
import { Field, FormError, describedBy } from '../../components/Field';
import { placedError } from '../../lib/errors';
import { useFieldErrors } from '../../lib/useFieldErrors';
import { request } from '../../state/request';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';
import { offeredRoles, roleRef } from './MembersView';

interface ChangeRoleDialogProps {
  member: MemberSummary;
  roles: RoleSummary[];
  onClose: () => void;
  onChanged: () => void;
}

/** One member's role; the core keeps at least one Account Holder and moves team keys with the role. */
export function ChangeRoleDialog({ member, roles, onClose, onChanged }: ChangeRoleDialogProps) {
  const permissions = useSession((s) => s.status?.member?.permissions);
  // Their current role stays listed even when this member could not grant it (an Account Holder seen by a Sys Admin).
  const offered = offeredRoles(roles, permissions).concat(roles.filter((r) => r.id === member.role && !offeredRoles(roles, permissions).includes(r)));
  const [role, setRole] = useState(member.role);
  const [busy, setBusy] = useState(false);
  const { errors, changing, show, bodyRef } = useFieldErrors();

  async function submit() {
    if (busy) return;
    const chosen = offered.find((r) => r.id === role);
    if (!chosen || chosen.id === member.role) return onClose();
    setBusy(true);
    const r = await request('members.setRole', { name: member.name, role: roleRef(chosen) });
    setBusy(false);
    if (!r.ok) return show(placedError(r.error, ['role']));
    toast.success(`${member.name} is now ${r.value.roleName}`);
    onClose();
    onChanged();
  }

  return (
    <Dialog
      open
      size="sm"
      onOpenChange={(o) => !o && onClose()}
      title={`Change role of ${member.name}`}
      description="Their team keys follow the role at once: a role that stops managing teams loses the keys of teams they are not in."
      busy={busy}
      onSubmit={() => void submit()}
      footer={<SubmitButtons busy={busy} onCancel={onClose} label="Change role" busyLabel="Changing…" />}
    >
      <div className="form" ref={bodyRef}>
        <FormError error={errors._form} />
        <Field id="change-role" label="Role" error={errors.role}>
          <select id="change-role" className="select" value={role} disabled={busy} onChange={(e) => changing('role', setRole)(e.target.value)} {...describedBy('change-role', errors.role)}>
            {offered.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
    </Dialog>
  );
}
