import { FIELD_LABELS } from '../../shared/schemas/secrets';

/** A changed-field key from history (`headerValue`, `pairs.API_KEY`, `name`) as people read it. */
export function changedLabel(key: string): string {
  if (key.startsWith('pairs.')) return key.slice('pairs.'.length);
  return FIELD_LABELS[key] ?? key;
}
