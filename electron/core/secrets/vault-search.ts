import type { SearchSecretsInput, SecretListing } from '../../../shared/schemas/secrets';
import { searchSecretsInput } from '../../../shared/schemas/secrets';
import { parseInput } from '../../../shared/validation';
import { normalizeName } from '../crypto/keys';
import type { Session } from '../vault/session';
import { SecretIndex } from './secret-index';

/** How well a name matches: the whole name, its start, the start of one of its words, anywhere. */
const EXACT = 0;
const PREFIX = 1;
const WORD_START = 2;
const ANYWHERE = 3;

const WORD_CHAR = /[\p{L}\p{N}]/u;

function rankOf(key: string, needle: string): number {
  if (key === needle) return EXACT;
  if (key.startsWith(needle)) return PREFIX;
  for (let at = key.indexOf(needle, 1); at !== -1; at = key.indexOf(needle, at + 1)) {
    if (!WORD_CHAR.test(key[at - 1]!)) return WORD_START;
  }
  return ANYWHERE;
}

/**
 * Names containing the query across every place this session reads — its personal scope, the
 * organization, each workspace it opens — best matches first, then by name (docs/ui.md "Search
 * and the command palette"). It reads the listing's in-memory index only: the names decrypted
 * at unlock, never a value, so access is exactly the listing's. Only `limit` rows are built,
 * whatever the number of matches.
 */
export function searchVault(s: Session, input: SearchSecretsInput): SecretListing {
  const q = parseInput(searchSecretsInput, input);
  const index = SecretIndex.of(s);
  const needle = normalizeName(q.query);
  const { keys } = index.view;
  const hits = index.containing(needle);
  // Hits come in name order, so each rank's first `limit` are its best; later ones cannot make the cut.
  const ranked: number[][] = [[], [], [], []];
  for (const slot of hits) {
    const bucket = ranked[rankOf(keys[slot]!, needle)]!;
    if (bucket.length < q.limit) bucket.push(slot);
  }
  const items = ranked
    .flat()
    .slice(0, q.limit)
    .map((slot) => index.view.summary(slot));
  return { total: index.size, matched: hits.length, items };
}
