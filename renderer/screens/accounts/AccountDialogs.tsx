import { useState } from 'react';
import type { Result } from '../../../shared/errors';
import type { AccountSummary, IssuedKey } from '../../../shared/schemas/accounts';
import type { RoleSummary } from '../../../shared/schemas/roles';
import { ConfirmByTyping } from '../../components/ConfirmByTyping';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { sentence } from '../../lib/errors';
import { request } from '../../state/request';
import { toast } from '../../state/toasts';
import { levelLabel, shortKeyId } from './AccountCard';
import { AddKeyDialog } from './AddKeyDialog';
import { CreateAccountDialog } from './CreateAccountDialog';
import type { ShownKey } from './KeyShownOnce';
import { KeyShownOnce } from './KeyShownOnce';

/** The dialog the screen asked for, if any. */
export type Pending =
  | { kind: 'create' }
  | { kind: 'addKey'; account: AccountSummary }
  | { kind: 'renewKey' | 'deleteKey'; account: AccountSummary; keyId: string }
  | { kind: 'delete'; account: AccountSummary }
  | null;

interface AccountDialogsProps {
  pending: Pending;
  roles: RoleSummary[];
  onDone: () => void;
  onChanged: () => void;
}

/** What each action of the screen opens; a key's secret, when one comes back, is held here until its shown-once dialog closes. */
export function AccountDialogs({ pending, roles, onDone, onChanged }: AccountDialogsProps) {
  const [shown, setShown] = useState<ShownKey | null>(null);

  const issued = (account: string, how: ShownKey['how'], key: IssuedKey) => {
    onDone();
    onChanged();
    setShown({ account, how, key });
  };

  return (
    <>
      {pending && <PendingDialog pending={pending} roles={roles} onDone={onDone} onChanged={onChanged} onIssued={issued} />}
      {shown && <KeyShownOnce shown={shown} onClose={() => setShown(null)} />}
    </>
  );
}

interface PendingDialogProps extends AccountDialogsProps {
  pending: NonNullable<Pending>;
  onIssued: (account: string, how: ShownKey['how'], key: IssuedKey) => void;
}

function PendingDialog({ pending: p, roles, onDone, onChanged, onIssued }: PendingDialogProps) {
  /** Runs a change; an error stays in the dialog, success closes it with a toast. */
  const run = async (call: Promise<Result<unknown>>, done: string): Promise<string | null> => {
    const r = await call;
    if (!r.ok) return sentence(r.error.message);
    toast.success(done);
    onDone();
    onChanged();
    return null;
  };

  switch (p.kind) {
    case 'create':
      return <CreateAccountDialog roles={roles} onClose={onDone} onCreated={(a) => onIssued(a.name, 'created', a.keys[0]!)} />;
    case 'addKey':
      return <AddKeyDialog account={p.account} onClose={onDone} onAdded={(k) => onIssued(p.account.name, 'added', k)} />;
    case 'renewKey':
      return (
        <ConfirmDialog
          title={`Renew a key of ${p.account.name}?`}
          description={`Key ${shortKeyId(p.keyId)} keeps its id and gets a new secret, shown once. Every scope ${p.account.name} reads moves to new keys.`}
          caution={
            <>
              Once a service account key is renewed, the previous secret is discarded and will not be recoverable. Pipelines still using it fail at once:
              put the new secret in their place straight away.
            </>
          }
          actionLabel="Renew key"
          busyLabel="Renewing…"
          onClose={onDone}
          onConfirm={async () => {
            const r = await request('accounts.renewKey', { account: p.account.name, keyId: p.keyId });
            if (!r.ok) return sentence(r.error.message);
            onIssued(p.account.name, 'renewed', r.value);
            return null;
          }}
        />
      );
    case 'deleteKey': {
      const last = p.account.keys.length === 1;
      return (
        <ConfirmDialog
          title={`Delete a key of ${p.account.name}?`}
          description={`Key ${shortKeyId(p.keyId)} goes, and every scope ${p.account.name} reads moves to new keys, so its secret opens nothing written afterwards.`}
          caution={
            last
              ? `Pipelines using this key fail at once. It is ${p.account.name}’s only key: the account reads nothing until you add another.`
              : 'Pipelines using this key fail at once. The account’s other keys keep working.'
          }
          actionLabel="Delete key"
          busyLabel="Deleting…"
          onClose={onDone}
          onConfirm={() => run(request('accounts.deleteKey', { account: p.account.name, keyId: p.keyId }), `Key ${shortKeyId(p.keyId)} of ${p.account.name} deleted`)}
        />
      );
    }
    case 'delete':
      return (
        <ConfirmByTyping
          title={`Delete ${p.account.name}?`}
          word={p.account.name}
          actionLabel="Delete account"
          onClose={onDone}
          onConfirm={(confirm) => run(request('accounts.delete', { account: p.account.name, confirm }), `${p.account.name} deleted`)}
        >
          {keysStop(p.account)} at once, and every scope it could read ({levelLabel(p.account)}) is rotated to new keys, so a secret someone kept opens nothing
          written afterwards. This cannot be undone.
        </ConfirmByTyping>
      );
  }
}

function keysStop(a: AccountSummary): string {
  if (a.keys.length === 0) return 'It has no keys left; it is taken off the roster';
  return a.keys.length === 1 ? 'Its key stops working' : `Its ${a.keys.length} keys stop working`;
}
