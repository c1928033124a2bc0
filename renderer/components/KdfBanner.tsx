import { TriangleAlert } from 'lucide-react';

/** docs/product.md §1: the `fast` KDF profile is for tests and benchmarks; the app says so wherever the vault shows. */
export function KdfBanner({ inline }: { inline?: boolean }) {
  return (
    <div className={inline ? 'banner banner-inline' : 'banner'} role="note" data-testid="kdf-warning">
      <TriangleAlert size={16} aria-hidden />
      <span>
        <strong>This vault uses the fast test-only key derivation.</strong> Its passwords are cheap to guess: keep real secrets in a
        vault created with the standard profile.
      </span>
    </div>
  );
}
