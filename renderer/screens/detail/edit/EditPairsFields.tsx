import { Trash2, Undo2 } from 'lucide-react';
import { useState } from 'react';
import type { SecretDetail } from '../../../../shared/schemas/secrets';
import { typeFields } from '../../../../shared/schemas/secret-types';
import { FieldError } from '../../../components/Field';
import type { PairRow } from '../../../components/form/PairsEditor';
import { PairsEditor, newPairRow } from '../../../components/form/PairsEditor';
import { SecretInput } from '../../../components/form/SecretInput';
import type { FieldErrorsState } from '../../../lib/useFieldErrors';
import type { TypeEdit } from './TypeEdit';

/** Existing keys (values stay masked; a new value replaces one), keys removed, and new rows. */
export function useEditPairsFields(detail: SecretDetail, { errors }: FieldErrorsState): TypeEdit {
  const existingKeys = detail.type === 'key-value' ? detail.fields.map((f) => f.key) : [];
  const [newValues, setNewValues] = useState<Record<string, string>>({});
  const [removed, setRemoved] = useState<Set<string>>(new Set());
  const [added, setAdded] = useState<PairRow[]>([]);

  const toggleRemoved = (k: string) =>
    setRemoved((r) => {
      const next = new Set(r);
      if (!next.delete(k)) next.add(k);
      return next;
    });

  return {
    changes(errs) {
      const setPairs: { key: string; value: string }[] = [];
      for (const k of existingKeys) if (!removed.has(k) && (newValues[k] ?? '') !== '') setPairs.push({ key: k, value: newValues[k]! });
      const kept = new Set(existingKeys.filter((k) => !removed.has(k)));
      added.forEach((row, i) => {
        if (row.key.trim() === '' && row.value === '') return;
        const key = row.key.trim();
        if (!key) errs[`pairs.${i}.key`] = 'Key is required';
        else if (key.includes('=')) errs[`pairs.${i}.key`] = 'Key must not contain "="';
        else if (kept.has(key)) errs[`pairs.${i}.key`] = `Key "${key}" appears more than once`;
        kept.add(key);
        setPairs.push({ key, value: row.value });
      });
      if (kept.size === 0) errs.pairs = 'At least one key/value pair is required';
      return { ...(setPairs.length ? { setPairs } : {}), ...(removed.size ? { removeKeys: [...removed] } : {}) };
    },
    shown: typeFields('key-value').map((f) => f.key),
    render: (busy) => (
      <fieldset className="field">
        <legend className="field-label">Keys and values</legend>
        <p className="field-hint">Values stay hidden: type a new value to replace one, or remove the key.</p>
        <div className="pairs">
          {existingKeys.map((k) => {
            const isRemoved = removed.has(k);
            const id = `edit-kv-${k.replace(/[^A-Za-z0-9_-]/g, '_')}`;
            return (
              <div key={k} className="pair-row">
                <span className={`input mono kv-key${isRemoved ? ' is-removed' : ''}`} title={k}>
                  {k}
                </span>
                <SecretInput
                  id={id}
                  label={`new value for ${k}`}
                  aria-label={`New value for ${k}`}
                  placeholder={isRemoved ? 'Will be removed' : 'Unchanged'}
                  value={newValues[k] ?? ''}
                  disabled={busy || isRemoved}
                  onChange={(e) => setNewValues((v) => ({ ...v, [k]: e.target.value }))}
                />
                <button
                  type="button"
                  className="icon-btn"
                  aria-label={isRemoved ? `Keep ${k}` : `Remove ${k}`}
                  title={isRemoved ? 'Keep this key' : 'Remove this key'}
                  disabled={busy}
                  onClick={() => toggleRemoved(k)}
                >
                  {isRemoved ? <Undo2 size={16} aria-hidden /> : <Trash2 size={16} aria-hidden />}
                </button>
              </div>
            );
          })}
        </div>
        <p className="field-hint new-keys-label">New keys</p>
        {added.length === 0 ? (
          <div>
            <button type="button" className="btn btn-sm" onClick={() => setAdded([newPairRow()])} disabled={busy}>
              Add a key
            </button>
          </div>
        ) : (
          <PairsEditor idPrefix="edit-pair" rows={added} onChange={setAdded} errors={errors} disabled={busy} minRows={0} />
        )}
        <FieldError id="edit-pairs-error" error={errors.pairs} />
      </fieldset>
    ),
  };
}
