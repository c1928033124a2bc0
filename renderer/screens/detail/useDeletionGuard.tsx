import { useCallback, useState } from 'react';
import type { ReactNode } from 'react';
import type { SecretDetail } from '../../../shared/schemas/secrets';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { daysUntil } from '../../lib/format';
import { useSession } from '../../state/session';
import { toast } from '../../state/toasts';

export type UseVerb = 'Revealing' | 'Copying';

interface Pending {
  verb: UseVerb;
  /** Reads the value; true when it did (an error has said so itself). */
  run: () => Promise<boolean>;
}

/** Scheduled for deletion, or Inactive with a purge date: reading a value now cancels that deletion. */
export const awaitingPurge = (detail: Pick<SecretDetail, 'status' | 'deletion'>): boolean => detail.status !== 'active' && detail.deletion !== null;

function inDays(ms: number): string {
  const days = Math.max(1, daysUntil(ms));
  return days === 1 ? 'in 1 day' : `in ${days} days`;
}

/**
 * Reading a value is a use, and a use makes the secret Active again (docs/product.md §4). For a
 * secret awaiting its purge that silently undid a deletion someone chose: `guard` asks first, and
 * after the read a toast says the deletion is cancelled and the session's counts (the sidebar's
 * badge, To be deleted) are fetched again.
 */
export function useDeletionGuard(detail: SecretDetail | null): { guard: (verb: UseVerb, run: () => Promise<boolean>) => void; dialog: ReactNode } {
  const [pending, setPending] = useState<Pending | null>(null);
  const refreshStatus = useSession((s) => s.refresh);
  const awaiting = detail !== null && awaitingPurge(detail);

  const guard = useCallback(
    (verb: UseVerb, run: () => Promise<boolean>) => {
      if (awaiting) setPending({ verb, run });
      else void run();
    },
    [awaiting],
  );

  const dialog = pending && detail !== null && detail.deletion !== null && (
    <ConfirmDialog
      title={`${pending.verb === 'Revealing' ? 'Reveal' : 'Copy'} “${detail.name}”?`}
      description={`${pending.verb} cancels its scheduled deletion (${inDays(detail.deletion)}): using a secret makes it Active again.`}
      actionLabel={pending.verb === 'Revealing' ? 'Reveal and keep it' : 'Copy and keep it'}
      busyLabel={pending.verb === 'Revealing' ? 'Revealing…' : 'Copying…'}
      tone="primary"
      onClose={() => setPending(null)}
      onConfirm={async () => {
        const used = await pending.run();
        setPending(null);
        if (used) {
          toast.success(`Deletion cancelled: ${detail.name} is active again`);
          void refreshStatus();
        }
        return null;
      }}
    />
  );
  return { guard, dialog: dialog || null };
}
