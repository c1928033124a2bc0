import { ShieldAlert } from 'lucide-react';
import type { Integrity } from '../../shared/ipc';

/**
 * docs/product.md §1a, §8: what the vault's integrity checks found, wherever the vault shows. Both findings are
 * about the file, not the secrets: the vault stays usable, and the finding stays until looked into.
 */
export function IntegrityBanner({ integrity, inline }: { integrity: Integrity; inline?: boolean }) {
  const { auditBroken, rolledBack } = integrity;
  if (!auditBroken && !rolledBack) return null;
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
      </span>
    </div>
  );
}
