import { ShieldAlert } from 'lucide-react';
import type { ReactNode } from 'react';
import { shownName } from '../../../shared/labels';
import type { ReviewAccountKey, ReviewCredential, ReviewItem, ReviewSummary } from '../../../shared/schemas/review';
import { ATTENTION_DAYS } from '../../../shared/schemas/review';
import { formatCount, formatDate, formatDay, relative } from '../../lib/format';
import type { View } from '../../state/nav';
import { useNav } from '../../state/nav';
import { openSecret } from './open';

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

/** "12 days left", "today", "3 days ago": the date beside it says what happens then. */
function daysLeftText(daysLeft: number | null): string {
  if (daysLeft === null) return '';
  if (daysLeft === 0) return 'today';
  return daysLeft > 0 ? `${days(daysLeft)} left` : `${days(-daysLeft)} ago`;
}

const past = (i: ReviewItem) => (i.daysLeft ?? 0) < 0;

function placeOf(item: ReviewItem): string {
  if (item.level === 'workspace') return `Workspace ${item.workspace ?? ''}`.trim();
  return item.level === 'organization' ? 'Organization' : 'Personal';
}

/** What each list says about an item's date. */
const WHEN: Record<'expiring' | 'inactive' | 'scheduled' | 'neverUsed', (item: ReviewItem) => { date: string; left: string; urgent: boolean }> = {
  expiring: (i) => ({ date: i.expires === null ? '' : `${past(i) ? 'Expired' : 'Expires'} ${formatDay(i.expires)}`, left: daysLeftText(i.daysLeft), urgent: (i.daysLeft ?? 0) <= 7 }),
  inactive: (i) => ({ date: i.deletion === null ? '' : `Deletion ${formatDate(i.deletion)}`, left: daysLeftText(i.daysLeft), urgent: (i.daysLeft ?? Infinity) <= 7 }),
  scheduled: (i) => ({ date: i.deletion === null ? '' : `Deletion ${formatDate(i.deletion)}`, left: daysLeftText(i.daysLeft), urgent: (i.daysLeft ?? Infinity) <= 7 }),
  neverUsed: (i) => ({ date: `Registered ${formatDate(i.created)}`, left: relative(i.created), urgent: false }),
};

function AttentionPanel({ id, title, total, shown, empty, more, children }: { id: string; title: string; total: number; shown: number; empty: string; more?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel dash-attention" aria-labelledby={id}>
      <h3 id={id} className="dash-attention-title">
        {title}{' '}
        <span className="count-pill">{formatCount(total)}</span>
      </h3>
      {total === 0 ? (
        <p className="dash-empty">{empty}</p>
      ) : (
        <>
          <ul className="plain-list dash-items">{children}</ul>
          {total > shown && (
            <p className="dash-more">
              {formatCount(total - shown)} more{more ? ' — ' : ''}
              {more}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function SecretItems({ kind, list }: { kind: keyof typeof WHEN; list: ReviewSummary['attention']['expiring'] }) {
  return list.items.map((item) => {
    const when = WHEN[kind](item);
    return (
      <li key={item.id} className="dash-item">
        <button type="button" className="dash-item-name truncate" title={`Open “${shownName(item)}”`} onClick={() => openSecret(item)}>
          {item.tampered && <ShieldAlert size={14} className="tamper" aria-hidden />}
          {shownName(item)}
        </button>
        <span className={when.urgent ? 'dash-left is-urgent' : 'dash-left'}>{when.left}</span>
        <span className="dash-item-meta">
          <span className="truncate">{placeOf(item)}</span>
          <span>{when.date}</span>
        </span>
      </li>
    );
  });
}

function GoLink({ view, children }: { view: View; children: ReactNode }) {
  return (
    <button type="button" className="link-btn" onClick={() => useNav.getState().go(view)}>
      {children}
    </button>
  );
}

const lastUse = (x: { created: number; lastUsed: number | null }) => (x.lastUsed === null ? `never used (made ${formatDate(x.created)})` : `last used ${relative(x.lastUsed)}`);

function CredentialItems({ credentials }: { credentials: ReviewCredential[] }) {
  return credentials.map((c) => (
    <li key={c.clientId} className="dash-item">
      <GoLink view={{ kind: 'credentials' }}>{c.name}</GoLink>
      <span className="dash-item-meta">
        <span>{lastUse(c)}</span>
      </span>
    </li>
  ));
}

function keyReason(k: ReviewAccountKey): string {
  const reasons = [];
  if (k.expiring && k.expires !== null) reasons.push(k.expires < Date.now() ? `expired ${formatDate(k.expires)}` : `expires ${formatDate(k.expires)}`);
  if (k.unused) reasons.push(lastUse(k));
  return reasons.join(' · ');
}

function AccountKeyItems({ keys }: { keys: ReviewAccountKey[] }) {
  return keys.map((k) => (
    <li key={`${k.account}/${k.keyId}`} className="dash-item">
      <GoLink view={{ kind: 'accounts' }}>
        {k.account} <span className="mono">{k.keyId}</span>
      </GoLink>
      <span className="dash-item-meta">
        <span>{keyReason(k)}</span>
      </span>
    </li>
  ));
}

/** The "Needs attention" lists: each secret opens its detail panel; credentials and keys open their screens. */
export function AttentionLists({ attention }: { attention: ReviewSummary['attention'] }) {
  const toBeDeleted = <GoLink view={{ kind: 'scheduled' }}>see To be deleted</GoLink>;
  const { expiring, inactive, scheduled, neverUsed, credentials, accountKeys } = attention;
  return (
    <section className="dash-section" aria-labelledby="dash-attention">
      <h2 id="dash-attention">Needs attention</h2>
      <div className="dash-grid dash-grid-2">
        <AttentionPanel id="dash-expiring" title={`Expired, or expiring within ${ATTENTION_DAYS} days`} total={expiring.total} shown={expiring.items.length} empty="No secret or certificate expires within 30 days. Those that do, and those already expired, will be listed here, soonest first.">
          <SecretItems kind="expiring" list={expiring} />
        </AttentionPanel>
        <AttentionPanel id="dash-scheduled" title="Scheduled for deletion" total={scheduled.total} shown={scheduled.items.length} more={toBeDeleted} empty="Nothing is scheduled for deletion. Secrets a member schedules will be listed here with the days left before the purge.">
          <SecretItems kind="scheduled" list={scheduled} />
        </AttentionPanel>
        <AttentionPanel id="dash-inactive" title="Inactive" total={inactive.total} shown={inactive.items.length} more={toBeDeleted} empty="No secret is Inactive. Secrets unused for the vault’s inactivity period will be listed here with the days left before their deletion.">
          <SecretItems kind="inactive" list={inactive} />
        </AttentionPanel>
        <AttentionPanel id="dash-never-used" title="Never used" total={neverUsed.total} shown={neverUsed.items.length} empty="Every secret has been read at least once. Secrets nobody has read since they were registered will be listed here, oldest first.">
          <SecretItems kind="neverUsed" list={neverUsed} />
        </AttentionPanel>
        {credentials && (
          <AttentionPanel id="dash-credentials" title={`Service credentials unused for ${ATTENTION_DAYS} days`} total={credentials.length} shown={credentials.length} empty="Every service credential was used in the last 30 days. Idle ones will be listed here.">
            <CredentialItems credentials={credentials} />
          </AttentionPanel>
        )}
        {accountKeys && (
          <AttentionPanel id="dash-keys" title="Service-account keys unused or expiring" total={accountKeys.length} shown={accountKeys.length} empty="No service-account key is idle for 30 days or expires within 30 days. Those that do will be listed here.">
            <AccountKeyItems keys={accountKeys} />
          </AttentionPanel>
        )}
      </div>
    </section>
  );
}
