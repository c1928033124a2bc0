import type { IssuedKey } from '../../../shared/schemas/accounts';
import { ShownOnceDialog } from '../../components/ShownOnceDialog';

/** What the shown-once dialog says about an account key, by how it came to be. */
const TITLES = {
  created: (account: string) => `${account} is ready`,
  added: (account: string) => `New key for ${account}`,
  renewed: (account: string) => `Key of ${account} renewed`,
} as const;

export interface ShownKey {
  account: string;
  how: keyof typeof TITLES;
  key: IssuedKey;
}

/** An account key's id and secret, once: the parent drops them from its state when this closes. */
export function KeyShownOnce({ shown, onClose }: { shown: ShownKey; onClose: () => void }) {
  return (
    <ShownOnceDialog
      title={TITLES[shown.how](shown.account)}
      description={
        <>
          Put the secret in the pipeline’s secret store, as <code>COFFER_KEY_SECRET</code>. It reads what {shown.account} may read, and nothing else.
        </>
      }
      values={[
        { label: 'Key ID', value: shown.key.keyId },
        { label: 'Secret', value: shown.key.secret },
      ]}
      warning="You won't see this secret again after closing: if it is lost, renew the key."
      onClose={onClose}
    />
  );
}
