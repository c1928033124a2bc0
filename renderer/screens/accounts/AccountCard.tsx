import { KeyRound, Plus } from 'lucide-react';
import type { AccountSummary } from '../../../shared/schemas/accounts';
import { expiryHint, formatDate, formatDateTime, formatDay, relativeShort } from '../../lib/format';
import type { Column } from '../../components/TableHead';
import { TableHead } from '../../components/TableHead';

/** "Organization", or "Workspace Backend": where the account's keys read. */
export const levelLabel = (a: AccountSummary): string => (a.level === 'organization' ? 'Organization' : `Workspace ${a.workspace ?? '(deleted)'}`);

/** Key ids are time-ordered UUIDs: keys made the same day share their start, so their random last group names them in short. */
export const shortKeyId = (keyId: string): string => keyId.slice(keyId.lastIndexOf('-') + 1);

export type KeyAction = 'renew' | 'delete';

interface AccountCardProps {
  account: AccountSummary;
  /** The member may change service accounts now: else no control shows. */
  editable: boolean;
  onAddKey: () => void;
  onKey: (action: KeyAction, keyId: string) => void;
  onDelete: () => void;
}

const KEY_COLUMNS: readonly Column[] = [
  { label: 'Key' },
  { label: 'Created', className: 't-date t-wide-only' },
  { label: 'Expires', className: 't-date' },
  { label: 'Last used', className: 't-date' },
];

/** The row actions' column, only when the member may take them: never in a read-only review. */
const ACTIONS_COLUMN: Column = { label: 'Actions', className: 't-act-2', hidden: true };

/** One account: its level, role and Basic authentication in the head, its keys in a small table under it. */
export function AccountCard({ account: a, editable, onAddKey, onKey, onDelete }: AccountCardProps) {
  const headId = `account-${a.id}`;
  return (
    <li className="account-card" data-testid="account-card" aria-labelledby={headId}>
      <div className="account-head">
        {/* The name and tags wrap among themselves; the actions keep to the first line. */}
        <div className="account-title">
          <h3 id={headId} className="truncate" title={a.name}>
            {a.name}
          </h3>
          <span className="tag" data-testid="account-level">
            {levelLabel(a)}
          </span>
          <span className="tag">{a.roleName} role</span>
          {a.enableBasicAuth && (
            <span className="tag" title="Its keys may also sign in with Basic authentication (key id and secret)">
              Basic auth
            </span>
          )}
        </div>
        {editable && (
          <span className="row-actions">
            <button type="button" className="btn btn-sm" onClick={onAddKey} aria-label={`Add a key to ${a.name}`}>
              <Plus size={14} aria-hidden />
              Add key
            </button>
            <button type="button" className="btn btn-sm btn-danger-outline" onClick={onDelete} aria-label={`Delete ${a.name}`}>
              Delete
            </button>
          </span>
        )}
      </div>
      <p className="account-meta muted">
        Created <span title={formatDateTime(a.created)}>{formatDate(a.created)}</span> by <span className="mono">{a.creator}</span> · {a.keys.length}{' '}
        {a.keys.length === 1 ? 'key' : 'keys'}
      </p>
      {a.keys.length === 0 ? (
        <p className="muted account-empty">No keys: it reads nothing until you add one.</p>
      ) : (
        <KeyTable account={a} editable={editable} onKey={onKey} />
      )}
    </li>
  );
}

function KeyTable({ account: a, editable, onKey }: { account: AccountSummary; editable: boolean; onKey: AccountCardProps['onKey'] }) {
  const now = Date.now();
  return (
    <table className="table account-keys">
      <caption className="visually-hidden">Keys of {a.name}, oldest first</caption>
      <TableHead columns={editable ? [...KEY_COLUMNS, ACTIONS_COLUMN] : KEY_COLUMNS} />
      <tbody>
        {a.keys.map((k) => {
          const short = shortKeyId(k.keyId);
          const hint = k.expires === null ? null : expiryHint(k.expires, now, true);
          return (
            <tr key={k.keyId} data-testid="account-key">
              <td>
                <span className="t-name">
                  <KeyRound size={14} aria-hidden className="muted" />
                  <KeyId keyId={k.keyId} />
                </span>
              </td>
              <td className="t-date nums t-wide-only">
                <span title={formatDateTime(k.created)}>{formatDate(k.created)}</span>
              </td>
              <td className="t-date nums">
                {k.expires === null ? (
                  <span className="muted">never</span>
                ) : (
                  // An expired key is refused (AUTH): said in the danger colour instead of its date, which the tooltip keeps.
                  <span className={hint?.tone === 'past' ? 'key-expired' : undefined} title={`${formatDay(k.expires)}${hint ? ` · ${expiryHint(k.expires, now)?.text}` : ''}`}>
                    {hint?.tone === 'past' ? hint.text : formatDay(k.expires)}
                  </span>
                )}
              </td>
              <td className="t-date nums">
                {k.lastUsed ? <span title={formatDateTime(k.lastUsed)}>{relativeShort(k.lastUsed)}</span> : <span className="muted">never</span>}
              </td>
              {editable && (
                <td className="t-act-2">
                  <span className="row-actions">
                    <button type="button" className="btn btn-sm" onClick={() => onKey('renew', k.keyId)} aria-label={`Renew key ${short} of ${a.name}`}>
                      Renew
                    </button>
                    <button type="button" className="btn btn-sm btn-danger-outline" onClick={() => onKey('delete', k.keyId)} aria-label={`Delete key ${short} of ${a.name}`}>
                      Delete
                    </button>
                  </span>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The whole id (the CLI takes it), cut in the middle when narrow so that its distinguishing tail stays in view. */
function KeyId({ keyId }: { keyId: string }) {
  const tail = shortKeyId(keyId);
  return (
    <span className="key-id mono" title={`Key ID ${keyId}`}>
      <span className="key-id-head">{keyId.slice(0, -tail.length)}</span>
      <span className="key-id-tail">{tail}</span>
    </span>
  );
}
