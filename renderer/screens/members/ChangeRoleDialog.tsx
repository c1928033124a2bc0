import { useState } from 'react';
import type { RoleSummary } from '../../../shared/schemas/roles';
import type { MemberSummary } from '../../../shared/schemas/vault';
import { Dialog, SubmitButtons } from '../../components/Dialog';
import { FormError } from '../../components/Field';
import { placedError } from '../../lib/errors';
import { useFieldErrors } from '../../lib/useFieldErrors';
import { request } from '../../state/request';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';
import { offeredRoles, roleRef } from './MembersView';
import { RoleField } from './RoleField';

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
  const giveable = offeredRoles(roles, permissions);
  // Their current role stays listed even when this member could not give it (an Account Holder seen by a Sys Admin).
  const offered = giveable.concat(roles.filter((r) => r.id === member.role && !giveable.includes(r)));
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
        <RoleField id="change-role" roles={offered} value={role} error={errors.role} busy={busy} onChange={changing('role', setRole)} />
      </div>
    </Dialog>
  );
}
