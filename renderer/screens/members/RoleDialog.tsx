import { useState } from 'react';
import type { Operation, RoleSummary } from '../../../shared/schemas/roles';
import { CUSTOM_ROLE_OPERATIONS, OPERATION_LABELS, roleName } from '../../../shared/schemas/roles';
import { Dialog, SubmitButtons } from '../../components/Dialog';
import { Field, FieldError, FormError, describedBy } from '../../components/Field';
import { placedError, sentence } from '../../lib/errors';
import { useFieldErrors } from '../../lib/useFieldErrors';
import { request } from '../../state/request';
import { toast } from '../../state/toasts';

/** Defines a custom role, or edits one (`role` given): a name and the permissions ticked. */
export function RoleDialog({ role, onClose, onSaved }: { role: RoleSummary | null; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(role?.name ?? '');
  const [ops, setOps] = useState<Set<Operation>>(() => new Set(role?.operations ?? []));
  const [busy, setBusy] = useState(false);
  const { errors, changing, clearError, show, bodyRef } = useFieldErrors();

  async function submit() {
    if (busy) return;
    const parsed = roleName.safeParse(name);
    if (!parsed.success) return show({ name: parsed.error.issues[0]!.message });
    const operations = CUSTOM_ROLE_OPERATIONS.filter((op) => ops.has(op));
    setBusy(true);
    const r = role ? await request('roles.update', { role: role.id, name: parsed.data, operations }) : await request('roles.define', { name: parsed.data, operations });
    setBusy(false);
    if (!r.ok) return show(placedError(r.error, ['name', 'operations']));
    toast.success(role ? `Role ${r.value.name} saved` : `Role ${r.value.name} created`);
    onSaved();
  }

  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={role ? `Edit role ${role.name}` : 'New role'}
      description={role ? 'Its members’ keys follow the change at once.' : 'Members with this role may do what you tick, and read what every member reads.'}
      busy={busy}
      onSubmit={() => void submit()}
      footer={<SubmitButtons busy={busy} onCancel={onClose} label={role ? 'Save role' : 'Create role'} busyLabel="Saving…" />}
    >
      <div className="form" ref={bodyRef}>
        <FormError error={errors._form} />
        <Field id="role-name" label="Role name" error={errors.name}>
          <input id="role-name" className="input" value={name} disabled={busy} onChange={(e) => changing('name', setName)(e.target.value)} {...describedBy('role-name', errors.name)} />
        </Field>
        <fieldset aria-describedby={errors.operations ? 'role-ops-error' : undefined}>
          <legend className="field-label">Permissions</legend>
          <div className="checkbox-list checkbox-list-1">
            {CUSTOM_ROLE_OPERATIONS.map((op) => (
              <label key={op} className="check">
                <input
                  type="checkbox"
                  checked={ops.has(op)}
                  disabled={busy}
                  onChange={(e) => {
                    const next = new Set(ops);
                    if (e.target.checked) next.add(op);
                    else next.delete(op);
                    setOps(next);
                    clearError('operations');
                  }}
                />
                {sentence(OPERATION_LABELS[op])}
              </label>
            ))}
          </div>
          <FieldError id="role-ops-error" error={errors.operations} />
        </fieldset>
      </div>
    </Dialog>
  );
}
