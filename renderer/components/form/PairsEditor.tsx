import { Plus, Trash2 } from 'lucide-react';
import { FieldError } from '../Field';
import { SecretInput } from './SecretInput';

export interface PairRow {
  id: number;
  key: string;
  value: string;
}

let rowId = 1;
export const newPairRow = (key = '', value = ''): PairRow => ({ id: rowId++, key, value });

interface PairsEditorProps {
  idPrefix: string;
  rows: PairRow[];
  onChange: (rows: PairRow[]) => void;
  /** Errors keyed as the doors name them: `pairs.2.key`, `pairs.2.value`. */
  errors: Record<string, string>;
  disabled?: boolean;
  valuePlaceholder?: string;
  /** Fewest rows the editor keeps (registration needs one row to type into). */
  minRows?: number;
}

/** Manual key/value rows: add, edit, remove; each row's errors under it. Values are masked, each with Show/Hide, like every value field. */
export function PairsEditor({ idPrefix, rows, onChange, errors, disabled, valuePlaceholder, minRows = 1 }: PairsEditorProps) {
  const update = (id: number, patch: Partial<PairRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <div className="pairs">
      <div className="pair-head" aria-hidden>
        <span>Key</span>
        <span>Value</span>
        <span />
      </div>
      {rows.map((row, i) => {
        const keyError = errors[`pairs.${i}.key`];
        const valueError = errors[`pairs.${i}.value`];
        const keyId = `${idPrefix}-key-${row.id}`;
        const valueId = `${idPrefix}-value-${row.id}`;
        return (
          <div key={row.id} className="pair-block">
            <div className="pair-row">
              <input
                id={keyId}
                className="input mono"
                aria-label={`Key ${i + 1}`}
                placeholder="KEY"
                value={row.key}
                disabled={disabled}
                spellCheck={false}
                autoCapitalize="off"
                aria-invalid={keyError ? true : undefined}
                aria-describedby={keyError ? `${keyId}-error` : undefined}
                onChange={(e) => update(row.id, { key: e.target.value })}
              />
              <SecretInput
                id={valueId}
                label={`Value ${i + 1}`}
                aria-label={`Value ${i + 1}`}
                placeholder={valuePlaceholder ?? 'value'}
                value={row.value}
                disabled={disabled}
                aria-invalid={valueError ? true : undefined}
                aria-describedby={valueError ? `${valueId}-error` : undefined}
                onChange={(e) => update(row.id, { value: e.target.value })}
              />
              <button
                type="button"
                className="icon-btn"
                aria-label={`Remove row ${i + 1}`}
                title="Remove row"
                disabled={disabled || rows.length <= minRows}
                onClick={() => onChange(rows.filter((r) => r.id !== row.id))}
              >
                <Trash2 size={16} aria-hidden />
              </button>
            </div>
            <FieldError id={`${keyId}-error`} error={keyError} />
            <FieldError id={`${valueId}-error`} error={valueError} />
          </div>
        );
      })}
      <div>
        <button type="button" className="btn btn-sm" onClick={() => onChange([...rows, newPairRow()])} disabled={disabled}>
          <Plus size={14} aria-hidden />
          Add row
        </button>
      </div>
    </div>
  );
}
