import { CalendarCheck, LoaderCircle, RotateCcw, ShieldAlert } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { SecretStatus, SecretSummary } from '../../../shared/schemas/secrets';
import { TYPE_LABELS } from '../../../shared/schemas/secrets';
import { availabilityLabel, shownName } from '../../../shared/labels';
import { Chip } from '../../components/Chip';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote } from '../../components/ErrorNote';
import { SkeletonTableRows } from '../../components/Skeleton';
import { daysUntil, formatCount, formatDate, formatDateTime, relative } from '../../lib/format';
import { useRequest } from '../../lib/useRequest';
import { cancelDeletion } from '../../state/lifecycle';
import { useScheduledCounts } from '../../state/scheduled';
import { useReadOnly, useSession } from '../../state/session';
import { openSecret } from '../review/open';

type Awaiting = Extract<SecretStatus, 'scheduled' | 'inactive'>;

const TABS: { status: Awaiting; label: string; note: string }[] = [
  { status: 'scheduled', label: 'Scheduled', note: 'Scheduled for deletion by a member; purged on the date shown.' },
  {
    status: 'inactive',
    label: 'Inactive (auto-deletion)',
    note: 'Not used for the vault’s inactivity period; purged on the date shown unless used before then.',
  },
];

/** At most this many rows; a vault with more awaiting purge shows the soonest first. */
const LIMIT = 2000;

const DAY = 86_400_000;

/** How many rows the list shows: all of them, or the soonest LIMIT of how many await purge. */
function rowCount(shown: number, matched: number): string {
  if (shown < matched) return `the soonest ${formatCount(shown)} of ${formatCount(matched)} secrets`;
  return `${formatCount(shown)} ${shown === 1 ? 'secret' : 'secrets'}`;
}

/** "in 12 days" (whole days, rounded up as the status badge counts them), "in 5 hours" within the last day; red from one day left. */
export function daysLeft(deletion: number, now = Date.now()): { text: string; urgent: boolean } {
  if (deletion - now < DAY) return { text: deletion <= now ? 'due now' : relative(deletion, now), urgent: true };
  const days = daysUntil(deletion, now);
  return { text: days === 1 ? 'in 1 day' : `in ${days} days`, urgent: days <= 1 };
}

/** docs/product.md §4: every secret that will be purged, soonest first, each opening its detail, with Cancel deletion per row. */
export function ScheduledView() {
  const [status, setStatus] = useState<Awaiting>('scheduled');
  const [version, setVersion] = useState(0);
  const counts = useScheduledCounts();
  const readOnly = useReadOnly();
  const sessionStatus = useSession((s) => s.status);
  // A change elsewhere (a purge at a tick, a use that made one Active, a cancel here) fetches again.
  const refreshKey = useMemo(() => ({ version, sessionStatus }), [version, sessionStatus]);
  // Sorted by the core, so that past LIMIT the rows shown are the soonest, not the first by name.
  const { value, error, current } = useRequest('secrets.list', { status, sort: 'deletion', limit: LIMIT }, refreshKey);
  // An answer for the other tab is not this tab's list.
  const listing = current ? value : null;
  const rows = listing?.items ?? null;

  const tab = TABS.find((t) => t.status === status)!;
  return (
    <section className="list-area" aria-label="Secrets awaiting deletion">
      <div className="filters">
        <div className="chip-group" role="group" aria-labelledby="scheduled-kind-label">
          <span className="chip-group-label" id="scheduled-kind-label">
            Show
          </span>
          {TABS.map((t) => {
            const n = t.status === 'scheduled' ? counts.scheduled : counts.inactive;
            return (
              <Chip key={t.status} pressed={status === t.status} onClick={() => setStatus(t.status)}>
                {t.label}
                {n !== null && <span className="chip-count">{formatCount(n)}</span>}
              </Chip>
            );
          })}
        </div>
        <p className="row-count" role="status">
          {listing === null ? '\u00a0' : rowCount(listing.items.length, listing.matched)}
        </p>
      </div>
      <p className="list-note">{tab.note}</p>
      {error && !rows ? (
        <div className="page-fill">
          <EmptyState icon={<ShieldAlert size={22} />} title="The list could not be loaded">
            {error}
          </EmptyState>
        </div>
      ) : rows && rows.length === 0 ? (
        <div className="page-fill">
          <EmptyState icon={<CalendarCheck size={22} />} title={status === 'scheduled' ? 'Nothing is scheduled for deletion' : 'No secret is Inactive'}>
            {status === 'scheduled'
              ? 'Secrets you schedule from their detail panel (Deletion → Schedule deletion) wait here until they are purged.'
              : 'Secrets that go unused for the vault’s inactivity period become Inactive and wait here until they are purged.'}
          </EmptyState>
        </div>
      ) : (
        <div className="table-scroll">
          {error && <ErrorNote message={error} />}
          <table className="table scheduled-table" data-testid="scheduled-table">
            <caption className="visually-hidden">{tab.label}, soonest deletion first</caption>
            <thead>
              <tr>
                <th scope="col">Secret name</th>
                <th scope="col" className="t-avail">
                  Level / availability
                </th>
                <th scope="col" className="t-date">
                  Deletion date
                </th>
                <th scope="col" className="t-left">
                  Days left
                </th>
                <th scope="col" className="t-act">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows === null ? (
                <SkeletonTableRows columns={5} />
              ) : (
                rows.map((s) => <ScheduledRow key={s.id} secret={s} readOnly={readOnly} onCancelled={() => setVersion((v) => v + 1)} />)
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ScheduledRow({ secret, readOnly, onCancelled }: { secret: SecretSummary; readOnly: boolean; onCancelled: () => void }) {
  const [busy, setBusy] = useState(false);
  const refreshStatus = useSession((s) => s.refresh);
  const refreshCounts = useScheduledCounts((s) => s.refresh);
  const left = secret.deletion !== null ? daysLeft(secret.deletion) : null;
  const availability = availabilityLabel(secret);
  const name = shownName(secret);

  async function cancel() {
    setBusy(true);
    const done = await cancelDeletion(secret.id, secret.name);
    setBusy(false);
    if (!done) return;
    onCancelled();
    void refreshCounts();
    void refreshStatus();
  }

  return (
    // The whole row opens the secret for a pointer; the name is the button a keyboard reaches.
    <tr data-testid="scheduled-row" data-secret-id={secret.id} className="t-openable" onClick={(e) => !(e.target as Element).closest('button') && openSecret(secret)}>
      <td>
        <span className="t-name">
          <button type="button" className="t-open truncate strong" title={`Open “${name}”`} onClick={() => openSecret(secret)}>
            {name}
          </button>
          <span className="t-sub">{TYPE_LABELS[secret.type]}</span>
        </span>
      </td>
      <td className="t-avail t-wrap">{availability}</td>
      <td className="t-date nums">{secret.deletion !== null ? <span title={formatDateTime(secret.deletion)}>{formatDate(secret.deletion)}</span> : '—'}</td>
      <td className="t-left nums">{left && <span className={left.urgent ? 'days-left urgent' : 'days-left'}>{left.text}</span>}</td>
      <td className="t-act">
        {!readOnly && (
          <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void cancel()} aria-label={`Cancel deletion of ${name}`} title="Make it Active again">
            {busy ? <LoaderCircle size={14} className="spin" aria-hidden /> : <RotateCcw size={14} aria-hidden />}
            Cancel deletion
          </button>
        )}
      </td>
    </tr>
  );
}
