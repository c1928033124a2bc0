import { useState } from 'react';
import type { CreatedAccount } from '../../../shared/schemas/accounts';
import { accountName } from '../../../shared/schemas/accounts';
import type { RoleSummary } from '../../../shared/schemas/roles';
import { Dialog, SubmitButtons } from '../../components/Dialog';
import { Field, FormError, describedBy } from '../../components/Field';
import { ExpiresField } from '../../components/form/ExpiresField';
import { placedError } from '../../lib/errors';
import { useFieldErrors } from '../../lib/useFieldErrors';
import { request } from '../../state/request';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';
import { offeredRoles, roleRef } from '../members/MembersView';
import { RoleField } from '../members/RoleField';

/** The level select's value for the organization: no workspace name is empty. */
const ORGANIZATION = '';

interface CreateAccountDialogProps {
  roles: RoleSummary[];
  onClose: () => void;
  /** The answer carries the first key's secret: it goes to the shown-once dialog and nowhere else. */
  onCreated: (account: CreatedAccount) => void;
}

/** Name, role (never Account Holder), level, Basic authentication and the first key's expiry. */
export function CreateAccountDialog({ roles, onClose, onCreated }: CreateAccountDialogProps) {
  const permissions = useSession((s) => s.status?.member?.permissions);
  const workspaces = useSession((s) => s.status?.workspaces ?? []);
  // The core refuses an Account Holder account, and any role this member could not give a member.
  const offered = offeredRoles(roles, permissions).filter((r) => r.id !== 'account-holder');
  const [name, setName] = useState('');
  const [role, setRole] = useState(() => (offered.find((r) => r.id === 'member') ?? offered[0])?.id ?? '');
  const [workspace, setWorkspace] = useState(ORGANIZATION);
  const [basicAuth, setBasicAuth] = useState(false);
  const [expires, setExpires] = useState('');
  const [busy, setBusy] = useState(false);
  const { errors, changing, show, bodyRef } = useFieldErrors();

  async function submit() {
    if (busy) return;
    const parsed = accountName.safeParse(name);
    const chosen = offered.find((r) => r.id === role);
    if (!parsed.success || !chosen) {
      return show({
        ...(parsed.success ? {} : { name: parsed.error.issues[0]!.message }),
        ...(chosen ? {} : { role: 'Choose a role' }),
      });
    }
    setBusy(true);
    const r = await request('accounts.create', {
      name: parsed.data,
      role: roleRef(chosen),
      ...(workspace === ORGANIZATION ? {} : { workspace }),
      enableBasicAuth: basicAuth,
      ...(expires ? { expires } : {}),
    });
    setBusy(false);
    if (!r.ok) return show(placedError(r.error, ['name', 'role', 'workspace', 'expires']));
    toast.success(`Service account ${r.value.name} created`);
    onCreated(r.value);
  }

  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title="Create service account"
      description="A pipeline’s identity with a role: it reads what a member of that role reads, at the level you choose. Its first key’s secret is shown once."
      busy={busy}
      onSubmit={() => void submit()}
      footer={<SubmitButtons busy={busy} onCancel={onClose} label="Create account" busyLabel="Creating…" />}
    >
      <div className="form" ref={bodyRef}>
        <FormError error={errors._form} />
        <Field id="account-name" label="Name" hint="What people see in lists and the audit log, e.g. the pipeline it belongs to" error={errors.name}>
          <input
            id="account-name"
            className="input"
            value={name}
            autoComplete="off"
            spellCheck={false}
            disabled={busy}
            onChange={(e) => changing('name', setName)(e.target.value)}
            {...describedBy('account-name', errors.name, true)}
          />
        </Field>
        <RoleField id="account-role" roles={offered} value={role} error={errors.role} busy={busy} onChange={changing('role', setRole)} />
        <Field
          id="account-level"
          label="Level"
          hint={
            workspace === ORGANIZATION
              ? 'It holds what a member of its role holds across the organization, personal scopes aside'
              : `It holds ${workspace}’s secrets only`
          }
          error={errors.workspace}
        >
          <select
            id="account-level"
            className="select"
            value={workspace}
            disabled={busy}
            onChange={(e) => changing('workspace', setWorkspace)(e.target.value)}
            {...describedBy('account-level', errors.workspace, true)}
          >
            <option value={ORGANIZATION}>Organization</option>
            {workspaces.map((w) => (
              <option key={w.id} value={w.name}>
                Workspace {w.name}
              </option>
            ))}
          </select>
        </Field>
        <ExpiresField
          id="account-expires"
          hint="The first key is refused from this day on; leave it empty for a key that does not expire"
          value={expires}
          onChange={changing('expires', setExpires)}
          error={errors.expires}
          disabled={busy}
        />
        <div className="field">
          <label className="check">
            <input type="checkbox" checked={basicAuth} disabled={busy} onChange={(e) => setBasicAuth(e.target.checked)} aria-describedby="account-basic-hint" />
            Allow Basic authentication
          </label>
          <p className="field-hint" id="account-basic-hint">
            Over the REST API, a key may then also sign in as user name and password (key id and secret), for tools that cannot send a bearer token.
          </p>
        </div>
      </div>
    </Dialog>
  );
}
