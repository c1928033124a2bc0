import { Braces, FileBadge, Fingerprint, KeyRound, Ticket } from 'lucide-react';
import type { ReactNode } from 'react';
import type { SecretType } from '../../../shared/schemas/secret-types';
import { SECRET_TYPES, TYPE_LABELS } from '../../../shared/schemas/secret-types';

const TYPE_ICONS: Record<SecretType, ReactNode> = {
  'api-key': <KeyRound size={18} aria-hidden />,
  'bearer-token': <Ticket size={18} aria-hidden />,
  'client-credentials': <Fingerprint size={18} aria-hidden />,
  certificate: <FileBadge size={18} aria-hidden />,
  'key-value': <Braces size={18} aria-hidden />,
};

/** The Credential Type, one card per type. */
export function TypePicker({ value, onChange, disabled }: { value: SecretType; onChange: (type: SecretType) => void; disabled: boolean }) {
  return (
    <fieldset>
      <legend className="field-label">Credential Type</legend>
      <div className="type-grid">
        {SECRET_TYPES.map((t) => (
          <label key={t} className="radio-card">
            <input type="radio" name="secret-type" value={t} checked={value === t} disabled={disabled} onChange={() => onChange(t)} />
            {TYPE_ICONS[t]}
            <span>{TYPE_LABELS[t]}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
