import { useEffect, useState } from 'react';
import type { SecretListing } from '../../shared/schemas/secrets';
import { request } from '../state/request';
import { sentence } from './errors';

/** Typing pauses this long before the core is asked: one search per word typed, not per key. */
const DEBOUNCE_MS = 80;

export interface VaultSearch {
  /** The answer for the current text; null while there is no text, or before the first answer. */
  listing: SecretListing | null;
  /** The text `listing` answers (it stays on screen while a newer text is searched). */
  answered: string;
  error: string | null;
}

/** Names containing `text` across every place the member reads (`secrets.search`), at most `limit` rows. */
export function useVaultSearch(text: string, limit: number): VaultSearch {
  const query = text.trim();
  const [state, setState] = useState<VaultSearch>({ listing: null, answered: '', error: null });

  useEffect(() => {
    if (!query) {
      setState({ listing: null, answered: '', error: null });
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      void request('secrets.search', { query, limit }).then((r) => {
        if (!live) return;
        if (r.ok) setState({ listing: r.value, answered: query, error: null });
        else setState((s) => ({ ...s, error: sentence(r.error.message) }));
      });
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [query, limit]);

  return state;
}
