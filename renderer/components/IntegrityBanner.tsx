import { ShieldAlert } from 'lucide-react';
import type { Integrity } from '../../shared/ipc';
import { SETTING_LABELS } from '../../shared/labels';

const settingLabel = (name: string) => SETTING_LABELS[name as keyof typeof SETTING_LABELS] ?? name;

/** `a`, `a and b`, `a, b and c`, capitalized: the start of a sentence. */
function sentenceList(items: string[]): string {
  const text = items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? '');
  return capitalized(text);
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * docs/product.md §1a, §8: what the vault's integrity checks found, wherever the vault shows. Both findings are
 * about the file, not the secrets: the vault stays usable, and the finding stays until looked into.
 */
export function IntegrityBanner({ integrity, inline }: { integrity: Integrity; inline?: boolean }) {
  const { auditBroken, rolledBack, settingsTampered, rosterProblem, structureMismatch, grantsRejected, grantsMissing, unsigned, purgesWithheld, unreadable } = integrity;
  if (!auditBroken && !rolledBack && !settingsTampered && !rosterProblem && !structureMismatch && !grantsRejected && !grantsMissing && !unsigned && !purgesWithheld && !unreadable) {
    return null;
  }
  return (
    <div className={`banner banner-danger${inline ? ' banner-inline' : ''}`} role="alert" data-testid="integrity-warning">
      <ShieldAlert size={16} aria-hidden />
      <span>
        {auditBroken && (
          <span className="banner-line">
            <strong>The audit log was tampered with.</strong> It is broken at entry {auditBroken.brokenAt}: {auditBroken.reason}.
          </span>
        )}
        {rolledBack && (
          <span className="banner-line">
            <strong>This vault went back to an older copy.</strong>{' '}
            {rolledBack.now < rolledBack.seen
              ? `This computer saw its audit log reach entry ${rolledBack.seen}; the file now ends at entry ${rolledBack.now}.`
              : `Entry ${rolledBack.seen} of its audit log is no longer the one this computer saw.`}{' '}
            Unless you restored a backup, someone replaced the file: changes made since that copy are gone.
          </span>
        )}
        {rosterProblem && (
          <span className="banner-line">
            <strong>The vault's roster does not verify.</strong> {capitalized(rosterProblem)}. Members, roles, workspaces and teams are as its last
            verified entry says, and none can change until the vault is restored from a backup.
          </span>
        )}
        {structureMismatch && (
          <span className="banner-line">
            <strong>Member or team lists were changed outside Coffer.</strong> {capitalized(structureMismatch[0]!)}
            {structureMismatch.length > 1 ? ` (and ${structureMismatch.length - 1} more)` : ''}. Coffer follows the signed roster; the locked screen may show the
            altered lists.
          </span>
        )}
        {grantsRejected !== undefined && grantsRejected > 0 && (
          <span className="banner-line">
            <strong>
              {grantsRejected === 1 ? 'A key grant' : `${grantsRejected} key grants`} sealed to you {grantsRejected === 1 ? 'was' : 'were'} not signed by anyone
              allowed to give {grantsRejected === 1 ? 'it' : 'them'}.
            </strong>{' '}
            Coffer did not use {grantsRejected === 1 ? 'it: what it would open stays' : 'them: what they would open stays'} closed to you.
          </span>
        )}
        {grantsMissing !== undefined && grantsMissing > 0 && (
          <span className="banner-line">
            <strong>
              {grantsMissing === 1 ? 'A scope key' : `${grantsMissing} scope keys`} the roster gives you {grantsMissing === 1 ? 'is' : 'are'} missing from the file.
            </strong>{' '}
            What {grantsMissing === 1 ? 'it opens' : 'they open'} stays closed to you; a backup of the vault from before the change has{' '}
            {grantsMissing === 1 ? 'it' : 'them'}.
          </span>
        )}
        {unreadable?.map((u) => (
          <span className="banner-line" key={u.scope} data-testid="unreadable-scope">
            <strong>
              Your key to {u.scope} does not open
              {u.secrets === 0 ? '.' : `: ${u.secrets === 1 ? '1 secret' : `${u.secrets} secrets`} in it cannot be read.`}
            </strong>{' '}
            The vault file is damaged or was altered; <code>coffer doctor</code> lists what is unreadable, and a backup of the vault from before has the key.
          </span>
        ))}
        {purgesWithheld !== undefined && purgesWithheld > 0 && (
          <span className="banner-line">
            <strong>
              {purgesWithheld === 1 ? 'A secret' : `${purgesWithheld} secrets`} due for deletion did not verify.
            </strong>{' '}
            {purgesWithheld === 1 ? 'Its' : 'Their'} state was changed outside Coffer, so Coffer did not delete {purgesWithheld === 1 ? 'it' : 'them'}; reading{' '}
            {purgesWithheld === 1 ? 'it reports' : 'them reports'} TAMPERED.
          </span>
        )}
        {unsigned && (
          <span className="banner-line">
            <strong>This vault is not signed yet.</strong> It was made before signed rosters; the next unlock by an Account Holder signs it.
          </span>
        )}
        {settingsTampered && (
          <span className="banner-line">
            <strong>Settings were changed outside Coffer.</strong> {sentenceList(settingsTampered.map(settingLabel))} did not verify: Coffer uses
            the defaults and deletes nothing on schedule until an Account Holder saves the settings again.
          </span>
        )}
      </span>
    </div>
  );
}
